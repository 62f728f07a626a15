// Runs autocannon in a child process against a URL and returns its figures.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BodySpec } from './rating-bodies.js';

export interface LoadSpec {
  /** Several: autocannon spreads the connections over them, round robin. */
  url: string | string[];
  connections: number;
  /** Seconds (ignored when `amount` is set). */
  duration: number;
  /** Exactly this many requests; autocannon waits for every answer. */
  amount?: number;
  /**
   * autocannon's sampling interval (default 1000 ms). It notices the end of a run only at its next
   * sample, so with `amount` the duration it reports is rounded up to it: 100 keeps a few-second
   * run's rate within ~2 % instead of up to a third.
   */
  sampleIntMs?: number;
  bodies: BodySpec;
  /** >1: each request carries X-Forwarded-For from this many networks (server must trust the proxy). */
  networks: number;
  /**
   * Where the ratings go: the window codes' route (default), or the one-time links of 办件 whose tokens
   * are `${prefix}${i}` for i from `from` (each request rates the next 办件: its assess number 1).
   */
  links?: { prefix: string; from: number };
  /**
   * Instead of ratings, a business system pushing finished 办件: `PUT /api/matters/${prefix}${n}` with
   * this integration key, each request a new 办件 at one of the codes.
   */
  matters?: { apiKey: string; prefix: string };
}

export interface LoadResult {
  reqPerSec: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Latency in ms. */
  p50: number;
  p99: number;
  mean: number;
  durationS: number;
  /** CPU seconds the load generator itself used during the run. */
  cpuS: number;
  byStatus: Record<string, number>;
}

const child = fileURLToPath(new URL('./load-child.ts', import.meta.url));

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const proc = fork(child, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: LoadResult | null = null;
    proc.once('message', (m) => (result = m as LoadResult));
    proc.once('error', reject);
    proc.once('exit', (code) => (result ? resolve(result) : reject(new Error(`load generator exited with ${code}`))));
    proc.send(spec);
  });
}
