// The `abuse` part of the bench (issue 12): a citizen's rating latency at rest and under each attack.
// The runner starts one real server process, measures ratings from ordinary clients, then runs each
// scenario's attack beside them. An attack runs in child processes of its own (never in the process
// that measures), from its own source address, so that the server can tell attacker and citizens apart
// exactly as it would in a hall.

export interface AbuseTarget {
  /** e.g. http://127.0.0.1:3456 */
  baseUrl: string;
  port: number;
  /** Every active code of the seeded county, in print order. */
  codes: readonly string[];
  /** The loopback source address the attack must bind to (citizens use others). */
  attackerAddress: string;
}

export interface AbuseAttack {
  /** Ends the attack and answers what it saw (counts by status, connections cut by the server…). */
  stop(): Promise<Record<string, number | string>>;
}

export interface AbuseScenario {
  /** The row label in the bench table, e.g. `slow headers x5000`. */
  name: string;
  /** Starts the attack; resolves once it is under way (connections open, load flowing). */
  start(target: AbuseTarget): Promise<AbuseAttack>;
}
