// The anti-manipulation counters (docs/domain.md: once per code per 30 min and 20 a day per device;
// bursts per device or network flagged) kept in memory. Counting them in SQL needed two indexes on
// random hashes, and every rating then dirtied two random index pages: the commit cost grew with
// them. The server is the only writer of its database, so it can hold the last day of submissions
// itself: `load` fills the windows from the ratings table at start, `add` follows each stored rating.

/**
 * How far back the windows reach: the longest rule looks at one China calendar day (20 a day per
 * device; burst windows are at most 1440 minutes), plus an hour of slack.
 */
export const WINDOW_RETENTION_MS = 86_400_000 + 3600_000;

export interface WindowEntry {
  clientHash: string;
  netHash: string;
  codeId: string;
  at: number;
}

export class AbuseWindows {
  /** Per device: the codes it rated and when, for the last day (oldest first). */
  private readonly devices = new Map<string, Array<{ codeId: string; at: number }>>();
  /** Per network: submission times within the longest window that matters (oldest first). */
  private readonly networks = new Map<string, number[]>();
  private added = 0;

  /** Fills the windows from stored ratings (newest last), e.g. at start. */
  load(entries: Iterable<WindowEntry>): void {
    for (const e of entries) this.add(e);
  }

  /** Ratings of this device on this code after `since`. */
  deviceOnCodeSince(clientHash: string, codeId: string, since: number): number {
    const list = this.devices.get(clientHash);
    if (!list) return 0;
    let n = 0;
    for (let i = list.length - 1; i >= 0 && list[i]!.at > since; i--) if (list[i]!.codeId === codeId) n++;
    return n;
  }

  /** Ratings of this device at or after `since` (at most a day back). */
  deviceSince(clientHash: string, since: number, inclusive = true): number {
    const list = this.devices.get(clientHash);
    if (!list) return 0;
    let n = 0;
    for (let i = list.length - 1; i >= 0 && (inclusive ? list[i]!.at >= since : list[i]!.at > since); i--) n++;
    return n;
  }

  /** Ratings from this network after `since`, at most `cap` (the burst rule asks only whether it is passed). */
  networkAfter(netHash: string, since: number, cap = Number.POSITIVE_INFINITY): number {
    const list = this.networks.get(netHash);
    if (!list) return 0;
    // Binary search for the first time after `since` (the list is in time order): a limit raised to
    // thousands must not turn every rating from that network into a walk over its whole list.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]! > since) hi = mid;
      else lo = mid + 1;
    }
    return Math.min(list.length - lo, cap);
  }

  add(e: WindowEntry): void {
    listIn(this.devices, e.clientHash).push({ codeId: e.codeId, at: e.at });
    listIn(this.networks, e.netHash).push(e.at);
    if (++this.added % 1024 === 0) this.prune(e.at);
  }

  /** Forgets what no limit can look at any more (older than WINDOW_RETENTION_MS). */
  prune(now: number): void {
    const since = now - WINDOW_RETENTION_MS;
    pruneLists(this.devices, (x) => x.at > since);
    pruneLists(this.networks, (at) => at > since);
  }
}

/** The list under `key`, created empty the first time. */
function listIn<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}

function pruneLists<T>(map: Map<string, T[]>, fresh: (item: T) => boolean): void {
  for (const [key, list] of map) {
    const keep = list.filter(fresh);
    if (keep.length === 0) map.delete(key);
    else if (keep.length !== list.length) map.set(key, keep);
  }
}
