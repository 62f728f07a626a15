// The device and network counts of a batch on PostgreSQL (db/queries/ratings.ts limitCountsOfBatch),
// where several instances count the stored ratings (one SQLite process keeps these counts in memory):
// right, each read through its own device's or network's index (through a code's or a department's
// index they walked every rating of the code, or the department's whole day, for each rating), and a
// network's window, read once for all its ratings of the batch, still counted for each rating over its
// own window and up to its own limit (bench/README.md).
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type DbOrTx, exec, rows } from '../../db/client.js';
import { limitCountsOfBatch } from '../../db/queries/ratings.js';
import { CHINA_OFFSET_MS, chinaDay, chinaDayNumber, MS_PER_DAY } from '../../shared/china-time.js';
import { driverUnderTest } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';

const NOW = Date.parse('2026-11-23T15:00:00+08:00');
const { t, w } = useTestWorld({ now: NOW });
const DAY_START = chinaDayNumber(NOW) * MS_PER_DAY - CHINA_OFFSET_MS;
const MINUTE = 60_000;

/** `n` QR ratings, one a minute back from `last`; `client` alone, or numbered per rating with `perRating`. */
async function insert(
  n: number,
  last: number,
  r: { code: string; department: number; net: string; client: string; perRating?: boolean; score?: number },
) {
  const client = r.perRating ? sql`${r.client} || g::text` : sql`${r.client}`;
  await exec(
    t.db,
    sql`INSERT INTO ratings (code_id, department_id, score, tags, client_hash, net_hash, channel, created_at, day)
      SELECT ${r.code}, ${r.department}, ${r.score ?? 5}, '[]', ${client}, ${r.net}, 'qr', ${last}::bigint - g * ${MINUTE}::bigint, ${chinaDay(last)}
      FROM generate_series(0, ${n - 1}) AS g`,
  );
}

const INDEXES = [
  'ratings_code_day_idx',
  'ratings_dept_day_time_idx',
  'ratings_client_at_idx',
  'ratings_net_at_idx',
  'ratings_net_dept_at_idx',
];

describe.runIf(driverUnderTest === 'pg')('the limit counts of a batch on PostgreSQL', () => {
  it('are right, and each walks its own device or network, never a code or a department', async () => {
    const last = NOW - MINUTE;
    // Today: one network in department A (300 ratings, 3 of them from the device asked about) and in
    // department B (200); other networks in department A (400); the code's earlier days (500, one
    // network per rating).
    await insert(297, last, { code: w.codeA.id, department: w.deptA.id, net: 'net-1', client: 'dev-other-', perRating: true });
    await insert(3, last - 400 * MINUTE, { code: w.codeA.id, department: w.deptA.id, net: 'net-1', client: 'dev-1' });
    await insert(200, last, { code: w.codeB.id, department: w.deptB.id, net: 'net-1', client: 'dev-b-', perRating: true });
    await insert(400, last, { code: w.codeA.id, department: w.deptA.id, net: 'net-2', client: 'dev-2-', perRating: true });
    for (let d = 1; d <= 5; d++) {
      await insert(100, DAY_START - d * MS_PER_DAY + 12 * 60 * MINUTE, {
        code: w.codeA.id,
        department: w.deptA.id,
        net: `old-${d}`,
        client: 'dev-1',
      });
    }

    // Index scans of this transaction so far, by index.
    const scans = async (tx: DbOrTx) =>
      Object.fromEntries(
        (
          await rows<{ name: string; n: string | number }>(
            tx,
            sql`SELECT c.relname AS name, pg_stat_get_xact_numscans(c.oid) AS n FROM pg_class c
              WHERE c.relname IN (${sql.join(
                INDEXES.map((i) => sql`${i}`),
                sql`, `,
              )})`,
          )
        ).map((r) => [r.name, Number(r.n)]),
      ) as Record<string, number>;

    await t.db.transaction(async (tx) => {
      const before = await scans(tx);
      const [counts] = await limitCountsOfBatch(tx, [
        {
          clientHash: 'dev-1',
          netHash: 'net-1',
          codeId: w.codeA.id,
          departmentId: w.deptA.id,
          codeSince: NOW - 24 * 60 * MINUTE,
          dayStart: DAY_START,
          burstSince: NOW - 10 * MINUTE,
          networkCap: 1000,
          networkDayCap: 1000,
          badCap: 1000,
          deviceRowsCap: 1000,
        },
      ]);
      // The device: 3 today (the 500 of earlier days are not today); its code within the day too.
      expect(counts).toMatchObject({ deviceOnCode: 3, deviceToday: 3, deviceBurst: 0, deviceDepartmentDay: 3 });
      expect(counts!.deviceCodes).toEqual([w.codeA.id]);
      // The network: 9 a department in the last 10 minutes (one a minute, in A and in B), 300 today
      // in department A, from 298 devices.
      expect(counts).toMatchObject({ networkBurst: 18, networkBad: 0, networkDay: 300, networkDevices: 298 });

      const after = await scans(tx);
      const used = Object.fromEntries(INDEXES.map((i) => [i, after[i]! - before[i]!]));
      expect(used.ratings_code_day_idx, 'the code index').toBe(0);
      expect(used.ratings_dept_day_time_idx, 'the department index').toBe(0);
      expect(used.ratings_client_at_idx).toBeGreaterThan(0);
      expect(used.ratings_net_at_idx).toBeGreaterThan(0);
      expect(used.ratings_net_dept_at_idx, "the network's day in one department").toBeGreaterThan(0);

      // Planned with its values at each run, never held to a generic plan made when the table was small.
      const prepared = await rows<{ n: string | number }>(
        tx,
        sql`SELECT count(*) AS n FROM pg_prepared_statements WHERE statement LIKE '%deviceOnCode%'`,
      );
      expect(Number(prepared[0]!.n)).toBe(0);
    });
  });
  it("count a busy network's ratings once per batch, each rating over its own window and up to its own limit", async () => {
    const last = NOW - MINUTE;
    // One a minute back from a minute ago: 9 in each of two departments within the last 10 minutes.
    await insert(30, last, { code: w.codeA.id, department: w.deptA.id, net: 'net-1', client: 'a-', perRating: true });
    await insert(30, last, { code: w.codeB.id, department: w.deptB.id, net: 'net-1', client: 'b-', perRating: true });
    // Another network: 6 差评 and 6 good ones, one a minute back from 30 s ago.
    await insert(6, NOW - MINUTE / 2, { code: w.codeA.id, department: w.deptA.id, net: 'net-3', client: 'c-', perRating: true, score: 1 });
    await insert(6, NOW - MINUTE / 2, { code: w.codeB.id, department: w.deptB.id, net: 'net-3', client: 'd-', perRating: true });

    const ask = (net: string, minutes: number, cap: number, badCap = 1000) => ({
      clientHash: `device-${net}-${minutes}-${cap}`,
      netHash: net,
      codeId: w.codeA.id,
      departmentId: w.deptA.id,
      codeSince: NOW - 30 * MINUTE,
      dayStart: DAY_START,
      burstSince: NOW - minutes * MINUTE,
      networkCap: cap,
      networkDayCap: 1000,
      badCap,
      deviceRowsCap: 1000,
    });
    const burst = async (questions: ReturnType<typeof ask>[]) =>
      (await t.db.transaction((tx) => limitCountsOfBatch(tx, questions))).map((c) => [c.networkBurst, c.networkBad]);

    // One batch, four windows and limits of one network, and the other network beside them.
    expect(
      await burst([
        ask('net-1', 10, 1000),
        ask('net-1', 5, 1000),
        ask('net-3', 10, 1000),
        ask('net-1', 10, 5),
        ask('net-1', 2.5, 3),
        ask('net-3', 3.2, 1000, 2),
      ]),
    ).toEqual([
      [18, 0],
      [8, 0],
      [12, 6],
      [5, 0],
      [3, 0],
      [6, 2],
    ]);
    // Every limit of the batch small: the read stops at the largest, and the counts are still each one's.
    expect(await burst([ask('net-1', 5, 5), ask('net-1', 10, 4), ask('net-1', 1.5, 5)])).toEqual([
      [5, 0],
      [4, 0],
      [2, 0],
    ]);
    // Each as it would be asked alone.
    for (const [q, expected] of [
      [ask('net-1', 5, 1000), [8, 0]],
      [ask('net-3', 3.2, 1000, 2), [6, 2]],
    ] as const) {
      expect(await burst([q])).toEqual([expected]);
    }
  });
});
