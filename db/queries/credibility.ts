// The read side of 评价可信度 (docs/domain.md 6.1): per window, the figures of its STORED ratings over a
// period (counted or not: daily_code_stored_stats, not the counted rollups), its COUNTED citizen
// ratings and 差评 over the days signal 3 compares (the rollups, as every 差评率), and the devices
// that rated its 办件 right after 办结. Two statements per department (the service reads one
// department at a time: see server/modules/stats/credibility.ts).

import { addDays, eachDay } from '../../shared/china-time.js';
import { type DbOrTx, type JsonArray, jsonArray, statement } from '../client.js';
import { QUICK_MAX_MS, quickDelay } from '../schema.js';
import { runningTotalAt } from './rollups.js';

/** matters_quick_idx's condition, as it is written there (a partial index serves a query that states it). */
const QUICK_INDEX_CONDITION = `m.first_rated_at <= m.finished_at + ${QUICK_MAX_MS}`;

// The counted citizen ratings and 差评 of a code up to a day, from its running totals (one primary-key
// seek): all levels without the default ratings, and 1–2 without the default ones below 3.
const countedUpTo = (cond: string) =>
  runningTotalAt(
    'cumulative_code_stats',
    'code_id',
    'k.id',
    'm.s1 + m.s2 + m.s3 + m.s4 + m.s5 - m.defaults, m.s1 + m.s2 - m.defaults + m.default_good',
    cond,
  );

// Per code of a department: the figures of its stored ratings of the period, summed from its rows of
// daily_code_stored_stats (one per day with a rating, written with the rating: the 30 rows of a month,
// where the ratings themselves were ~2,700 a code at 10 M a year), and the counted figures at the
// three days signal 3 needs.
const WINDOWS_SQL = `
  SELECT k.id, k.department_id, k.location, k.staff_name,
    (SELECT json_array(sum(s.ratings), sum(s.citizen), sum(s.flagged), sum(s.bound), sum(s.detailed), sum(s.bare_five))
      FROM daily_code_stored_stats s WHERE s.code_id = k.id AND s.day BETWEEN @from AND @to),
    ${countedUpTo('<= @to')},
    ${countedUpTo('< @recentFrom')},
    ${countedUpTo('< @priorFrom')}
  FROM codes k WHERE k.department_id = @departmentId`;

export interface WindowSums {
  departmentId: number;
  codeId: string;
  location: string;
  staffName: string | null;
  /** Stored ratings of the period: all, those a person gave, flagged, bound to a 办件, with a reason or comment, bare 5★ of a person. */
  ratings: number;
  citizenRatings: number;
  flagged: number;
  bound: number;
  detailed: number;
  bareFive: number;
  /** Counted citizen ratings and 差评 of the last days, and of the days before them. */
  recentRatings: number;
  recentBad: number;
  priorRatings: number;
  priorBad: number;
}

export interface WindowRanges {
  from: string;
  to: string;
  /** Signal 3's recent days are recentFrom..to; its prior days priorFrom..the day before recentFrom. */
  recentFrom: string;
  priorFrom: string;
}

type WindowRow = [
  codeId: string,
  departmentId: number,
  location: string,
  staffName: string | null,
  stored: JsonArray,
  upTo: JsonArray | null,
  beforeRecent: JsonArray | null,
  beforePrior: JsonArray | null,
];

const numbers = (v: JsonArray | null, n: number): number[] =>
  v === null ? new Array<number>(n).fill(0) : (jsonArray(v) as Array<number | null>).map((x) => x ?? 0);

/** Every code of the department with its figures (zeros where it has none). */
export async function sumWindows(db: DbOrTx, departmentId: number, r: WindowRanges): Promise<WindowSums[]> {
  const found = (await statement(db, WINDOWS_SQL).arrays({
    departmentId,
    from: r.from,
    to: r.to,
    recentFrom: r.recentFrom,
    priorFrom: r.priorFrom,
  })) as WindowRow[];
  return found.map(([codeId, departmentId, location, staffName, stored, upTo, beforeRecent, beforePrior]) => {
    const [ratings, citizenRatings, flagged, bound, detailed, bareFive] = numbers(stored, 6) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const [hiRatings, hiBad] = numbers(upTo, 2) as [number, number];
    const [midRatings, midBad] = numbers(beforeRecent, 2) as [number, number];
    const [loRatings, loBad] = numbers(beforePrior, 2) as [number, number];
    return {
      codeId,
      departmentId,
      location,
      staffName,
      ratings,
      citizenRatings,
      flagged,
      bound,
      detailed,
      bareFive,
      recentRatings: hiRatings - midRatings,
      recentBad: hiBad - midBad,
      priorRatings: midRatings - loRatings,
      priorBad: midBad - loBad,
    };
  });
}

// A device that rated many 办件 of one window, each within seconds of its 办结: the ratings of the
// one-time link (a 评价器 is one tablet for everyone by design, rating right after 办结 is its use).
// Read from the 办件 that finished in the period or the day before (a rating within the hour after
// 办结 is at most a day later) and that a citizen first rated within `withinMs` of 办结: a rating within
// `withinMs` implies its 办件's first citizen rating was, so nothing else can count; then their ratings
// by 办件. matters_quick_idx (first rated within the hour) is keyed by how soon, day by day: the days
// are given as a list, so that each (department, day) is one seek to the 办件 rated within `withinMs`
// (with a range of days, the rest of the key could not be sought: every 办件 rated within the hour
// was read, 273 k for a county's month at 10 M 办件 a year, to keep 4.6 k). Before the index, every
// 办件 of the period and its ratings were read: 837 k 办件, 1.3 s.
export const QUICK_DEVICES_SQL = `
  SELECT r.code_id AS "codeId", count(*) AS ratings
  FROM matters m JOIN ratings r ON r.matter_id = m.id
  WHERE m.department_id = @departmentId AND m.finished_day IN (SELECT value FROM json_each(@days))
    AND ${QUICK_INDEX_CONDITION} AND ${quickDelay('m.')} <= @withinMs
    AND r.day BETWEEN @from AND @to AND r.channel = 'link' AND r.client_hash IS NOT NULL
    AND r.created_at >= m.finished_at AND r.created_at <= m.finished_at + @withinMs
  GROUP BY r.code_id, r.client_hash
  HAVING count(DISTINCT r.matter_id) >= @minMatters`;

/**
 * One row per (window of the department, device) whose link ratings of the period came within `withinMs` (at most an
 * hour) of their 办件's 办结 for at least `minMatters` distinct 办件, with how many such ratings it gave.
 */
export async function quickDevices(
  db: DbOrTx,
  departmentId: number,
  p: { from: string; to: string },
  withinMs: number,
  minMatters: number,
): Promise<Array<{ codeId: string; ratings: number }>> {
  if (withinMs > QUICK_MAX_MS)
    throw new Error('quickDevices reads the 办件 first rated within the hour after 办结 only (matters_quick_idx)');
  return statement(db, QUICK_DEVICES_SQL).all({
    departmentId,
    days: JSON.stringify(eachDay(addDays(p.from, -1), p.to)),
    from: p.from,
    to: p.to,
    withinMs,
    minMatters,
  });
}
