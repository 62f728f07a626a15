// The anti-manipulation counters (docs/domain.md: once per code per 30 min and 20 a day per device;
// the rules that hold a rating for review, over minutes and over the day) kept in memory. Counting them in SQL needed two indexes on
// random hashes, and every rating then dirtied two random index pages: the commit cost grew with
// them. The server is the only writer of its database, so it can hold the last day of submissions
// itself: `load` fills the windows from the ratings table at start, `add` follows each stored rating.
// Every question a rating asks is answered without a walk over a network's day (a binary search, or a
// tally kept as ratings arrive): a network sending hundreds of thousands a day costs the same per rating.

import type { RecentSubmission } from '../../../db/queries/ratings.js';
import { CHINA_OFFSET_MS, chinaDayNumber, MS_PER_DAY } from '../../../shared/china-time.js';

/**
 * How far back the windows reach: the longest rule looks at one China calendar day (20 a day per
 * device; burst windows are at most 1440 minutes), plus an hour of slack.
 */
export const WINDOW_RETENTION_MS = 86_400_000 + 3600_000;

/** A stored window-code submission, as the limits and the hold rules count it. */
export type WindowEntry = RecentSubmission;

interface DeviceEntry {
  codeId: string;
  departmentId: number;
  at: number;
}

/** What one network did in one department on one China day, kept as it happens (no walk per rating). */
interface NetworkDayTally {
  dayStart: number;
  ratings: number;
  /** Each device, and whether all its ratings here were bare 5★. */
  devices: Map<string, boolean>;
  bareDevices: number;
}

/** What one device did in a day: in one department, and how many windows and departments it rated. */
export interface DeviceDay {
  sameDepartment: number;
  codes: string[];
  departments: number[];
}

/** What one network did in a day in one department: ratings, devices, and devices that only gave bare 5★. */
export interface NetworkDay {
  ratings: number;
  devices: number;
  bareDevices: number;
}

export class AbuseWindows {
  /** Per device: the codes it rated and when, for the last day (oldest first). */
  private readonly devices = new Map<string, DeviceEntry[]>();
  /** Per network: its submission times within the longest window that matters (oldest first). */
  private readonly networks = new Map<string, number[]>();
  /** Per network: the times of its 差评 (oldest first). */
  private readonly bad = new Map<string, number[]>();
  /** Per network and department: the tally of its latest China day (an older day's is replaced). */
  private readonly days = new Map<string, Map<number, NetworkDayTally>>();
  private added = 0;
  private daysPrunedUntil = 0;

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
    return Math.min(list.length - firstAfter(list, since), cap);
  }

  /** 差评 from this network after `since`. */
  networkBadAfter(netHash: string, since: number): number {
    const list = this.bad.get(netHash);
    if (!list) return 0;
    return list.length - firstAfter(list, since);
  }

  /** What this device rated at or after `dayStart`: in `departmentId`, and which windows and departments. */
  deviceDay(clientHash: string, dayStart: number, departmentId: number): DeviceDay {
    const day: DeviceDay = { sameDepartment: 0, codes: [], departments: [] };
    const list = this.devices.get(clientHash);
    if (!list) return day;
    for (let i = list.length - 1; i >= 0 && list[i]!.at >= dayStart; i--) {
      const e = list[i]!;
      if (e.departmentId === departmentId) day.sameDepartment++;
      if (!day.codes.includes(e.codeId)) day.codes.push(e.codeId);
      if (!day.departments.includes(e.departmentId)) day.departments.push(e.departmentId);
    }
    return day;
  }

  /** What this network rated in `departmentId` on the China day that starts at `dayStart`. */
  networkDay(netHash: string, dayStart: number, departmentId: number): NetworkDay {
    const tally = this.days.get(netHash)?.get(departmentId);
    return tally?.dayStart === dayStart
      ? { ratings: tally.ratings, devices: tally.devices.size, bareDevices: tally.bareDevices }
      : { ratings: 0, devices: 0, bareDevices: 0 };
  }

  add(e: WindowEntry): void {
    listIn(this.devices, e.clientHash).push({ codeId: e.codeId, departmentId: e.departmentId, at: e.at });
    listIn(this.networks, e.netHash).push(e.at);
    if (e.bad) listIn(this.bad, e.netHash).push(e.at);
    const dayStart = chinaDayNumber(e.at) * MS_PER_DAY - CHINA_OFFSET_MS;
    let departments = this.days.get(e.netHash);
    if (!departments) {
      departments = new Map();
      this.days.set(e.netHash, departments);
    }
    let tally = departments.get(e.departmentId);
    // Entries arrive in time order: a tally of an earlier day is done with (a late one is not counted).
    if (!tally || tally.dayStart < dayStart) {
      tally = { dayStart, ratings: 0, devices: new Map(), bareDevices: 0 };
      departments.set(e.departmentId, tally);
    }
    if (tally.dayStart === dayStart) {
      tally.ratings++;
      const before = tally.devices.get(e.clientHash);
      if (before === undefined) {
        tally.devices.set(e.clientHash, e.bare);
        if (e.bare) tally.bareDevices++;
      } else if (before && !e.bare) {
        tally.devices.set(e.clientHash, false);
        tally.bareDevices--;
      }
    }
    if (++this.added % 1024 === 0) this.prune(e.at);
  }

  /** Forgets what no limit can look at any more (older than WINDOW_RETENTION_MS). */
  prune(now: number): void {
    const since = now - WINDOW_RETENTION_MS;
    pruneLists(this.devices, (x) => x.at > since);
    pruneLists(this.networks, (at) => at > since);
    pruneLists(this.bad, (at) => at > since);
    // A day's tallies expire only when a day ends: walk them at most once an hour, not every 1024 ratings.
    if (since < this.daysPrunedUntil) return;
    this.daysPrunedUntil = since + MS_PER_DAY / 24;
    for (const [net, departments] of this.days) {
      for (const [department, tally] of departments) if (tally.dayStart + MS_PER_DAY <= since) departments.delete(department);
      if (departments.size === 0) this.days.delete(net);
    }
  }
}

/**
 * The index of the first entry after `since` in a list in time order: a binary search, so that a limit
 * raised to thousands does not turn every rating from that network into a walk over its whole list.
 */
function firstAfter(list: readonly number[], since: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! > since) hi = mid;
    else lo = mid + 1;
  }
  return lo;
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
