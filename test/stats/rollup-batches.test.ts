// Rollups per group-commit batch: the ratings of one transaction are summed in memory and written with
// a few statements per batch. These tests drive the real committer (every submission of one event-loop
// turn joins one transaction) and prove the figures against the recount from raw rows: ratings over
// several codes, days, hours and tags, back-dated ones, a rating failing inside its savepoint, an
// exclusion, a failing rollup write; and count the statements a batch really runs.

import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { countWrites } from '../../db/statement-count.js';
import { SETTINGS_DEFAULTS } from '../../shared/api/settings.js';
import { chinaDay } from '../../shared/china-time.js';
import { driverUnderTest, T0, writeSql } from '../helpers/app.js';
import { makeCode, makeRating, useTestWorld } from '../helpers/factories.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RATING_ROLLUPS =
  /\b(daily_code_stats|cumulative_code_stats|daily_department_stats|cumulative_department_stats|cumulative_org_unit_stats|daily_tag_stats)\b/;

const { t, w } = useTestWorld();

interface Item {
  code: string;
  score: 1 | 2 | 3 | 4 | 5;
  tags?: string[];
  phone?: string;
  comment?: string;
  idempotencyKey?: string;
  /** The device; a new one per item when omitted. */
  clientId?: string;
}

let device = 0;

/** A small deterministic generator (the same set on every run). */
function lcg(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return Math.floor(((s >>> 8) / 2 ** 24) * n);
  };
}

/**
 * Submits every item in the same event-loop turn, so the group committer writes them in one
 * transaction. Meanwhile each reading of the clock gives the next of `times`, in a cycle: the ratings
 * read it one after the other once their codes are looked up, so n ratings take each of n (or of a
 * divisor of n) times equally often. Counts the transactions and the rating-rollup statements the batch
 * ran on the writing connection.
 */
async function submitTogether(items: readonly Item[], times: readonly number[] = [t.clock.now()]) {
  // The codes are looked up first: a cached lookup resolves at once, so every submission joins the
  // same batch (on PostgreSQL a lookup that reads the database would spread them over several turns).
  // (Looked up as of the latest of `times`, so that the cached lookups are fresh at every one of them.)
  const clock = t.clock as { now(): number };
  const realNow = clock.now;
  clock.now = () => Math.max(...times);
  for (const code of new Set(items.map((it) => it.code))) await t.services.codes.getPublicInfo(code);
  let reading = 0;
  clock.now = () => times[reading++ % times.length]!;
  // Writes only: on PostgreSQL every pooled connection can write, and the hold rules read a department's
  // recent volume from the rollups in the background.
  const rollupStatements = countWrites(t.db, { filter: (s) => RATING_ROLLUPS.test(s) && !/^\s*SELECT\b/i.test(s) });
  const transactions = countWrites(t.db, { transactions: true });
  const savepoints = countWrites(t.db, { filter: (s) => /^savepoint\b/i.test(s.trim()) });
  try {
    const results = await Promise.allSettled(
      items.map((it) =>
        t.services.ratings.submit({
          code: it.code,
          body: {
            score: it.score,
            tags: it.tags ?? [],
            comment: it.comment,
            phone: it.phone,
            consent: it.phone ? true : undefined,
            clientId: it.clientId ?? `batch-device-${String(++device).padStart(6, '0')}`,
            idempotencyKey: it.idempotencyKey,
          },
          // Each from its own network: a batch of one network's ratings is what the hold rules catch.
          ip: `10.9.${Math.floor(device / 250)}.${device % 250}`,
          userAgent: 'vitest',
        }),
      ),
    );
    return { results, transactions: transactions.count, savepoints: savepoints.count, rollupStatements: rollupStatements.count };
  } finally {
    rollupStatements.stop();
    savepoints.stop();
    transactions.stop();
    clock.now = realNow;
  }
}

/** A trigger that makes an insert into `table` fail when `when` holds (SQLite's or PostgreSQL's form). */
async function refuseInsert(table: string, when: string) {
  const name = `refuse_${table}`;
  if (driverUnderTest === 'pg') {
    await writeSql(
      t.db,
      sql.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF ${when} THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`),
    );
    await writeSql(t.db, sql.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`));
  } else {
    await writeSql(
      t.db,
      sql.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`),
    );
  }
}

/** `n` ratings over the given codes with every score, tags on most, a phone number on some. */
function mixedItems(n: number, codes: readonly string[], seed: number): Item[] {
  const pick = lcg(seed);
  const { good, bad } = SETTINGS_DEFAULTS.tags;
  return Array.from({ length: n }, (_, i) => {
    const score = (1 + pick(5)) as Item['score'];
    const tags = score <= 2 ? bad : good;
    return {
      code: codes[pick(codes.length)]!,
      score,
      tags: pick(4) === 0 ? [] : [...new Set([tags[pick(tags.length)]!, tags[pick(tags.length)]!])],
      phone: pick(3) === 0 ? '13700001111' : undefined,
      idempotencyKey: `mixed-${seed}-${i}-key`,
    };
  });
}

const count = async (table: string) => (await rows<{ n: number }>(t.db, sql.raw(`SELECT count(*) AS n FROM ${table}`)))[0]!.n;

async function expectExact() {
  const v = await t.services.stats.verifyRollups();
  expect(v.mismatches).toEqual([]);
  expect(v.ok).toBe(true);
  return v;
}

describe('rating rollups written once per group-commit batch', () => {
  it('a batch over several codes, days, hours and tags is one transaction, and its rollups equal the recount', async () => {
    const codeA2 = await makeCode(t.db, { departmentId: w.deptA.id });
    const codes = [w.codeA.id, codeA2.id, w.codeB.id, w.codeC.id];
    // History on earlier days, so that the batch also writes days before rows its codes already have.
    for (const [i, back] of [1, 3, 5].entries()) {
      for (const code of codes) await makeRating(t.services, { codeId: code, score: 1 + ((i * 2) % 5), createdAt: T0 - back * DAY });
    }
    const times = [T0, T0 - 2 * HOUR, T0 + 3 * HOUR, T0 - DAY - 5 * HOUR, T0 - 4 * DAY, T0 - 10 * DAY + 7 * HOUR];
    const before = await count('ratings');
    const out = await submitTogether(mixedItems(60, codes, 11), times);
    expect(out.results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(out.transactions).toBe(1);
    // Nothing failed, so nothing needed a savepoint of its own.
    expect(out.savepoints).toBe(0);
    expect((await count('ratings')) - before).toBe(60);
    const days = await rows<{ day: string }>(t.db, sql`SELECT DISTINCT day FROM ratings ORDER BY day`);
    expect(days.map((d) => d.day)).toEqual(expect.arrayContaining(times.map(chinaDay)));
    const v = await expectExact();
    expect(v.checked.cumulative_code_stats).toBeGreaterThan(codes.length * 4);
  });

  it('a back-dated rating in a batch moves the running totals of every later day of its code', async () => {
    for (const back of [1, 3, 5]) await makeRating(t.services, { codeId: w.codeA.id, score: 5, createdAt: T0 - back * DAY });
    const running = async () =>
      rows<{ day: string; submissions: number; s1: number; last: string }>(
        t.db,
        sql`
        SELECT day, submissions, s1, last_submission_day AS last FROM cumulative_code_stats WHERE code_id = ${w.codeA.id} ORDER BY day`,
      );
    expect((await running()).map((r) => r.submissions)).toEqual([1, 2, 3]);
    // Day -4 (between two rows of the code), day -9 (before its first row) and today, in one batch.
    const out = await submitTogether(
      Array.from({ length: 4 }, () => ({ code: w.codeA.id, score: 1 as const })),
      [T0 - 4 * DAY, T0 - 9 * DAY, T0, T0],
    );
    expect(out.results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(out.transactions).toBe(1);
    const after = await running();
    expect(after.map((r) => r.day)).toEqual([-9, -5, -4, -3, -1, 0].map((d) => chinaDay(T0 + d * DAY)));
    expect(after.map((r) => r.submissions)).toEqual([1, 2, 3, 4, 5, 7]);
    expect(after.map((r) => r.s1)).toEqual([1, 1, 2, 2, 2, 4]);
    // The last submission day of a later row stays its own (a later day than the back-dated ones).
    expect(after.map((r) => r.last)).toEqual(after.map((r) => r.day));
    await expectExact();
  });

  it('a rating failing inside its savepoint counts nowhere; the rest of its batch is stored and counted', async () => {
    // The case insert of one marked 差评 fails: after its rating row was written in the savepoint.
    await refuseInsert('cases', `(SELECT comment FROM ratings WHERE id = NEW.rating_id) = '请拒绝这一条'`);
    const items = mixedItems(30, [w.codeA.id, w.codeB.id], 5);
    items.splice(15, 0, { code: w.codeA.id, score: 1, tags: ['服务态度差'], phone: '13911112222', comment: '请拒绝这一条' });
    // A retry of an earlier item of the same batch: answered with that rating, counted once.
    items.push({ ...items[3]! });
    const out = await submitTogether(items, [T0, T0 - DAY, T0 - 2 * DAY + 5 * HOUR]);
    // The batch is first written without savepoints; the failure rolls that attempt back, and the batch
    // is written again with a savepoint per rating, in which the marked one fails alone.
    expect(out.transactions).toBe(2);
    expect(out.savepoints).toBe(items.length);
    const rejected = out.results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    expect(rejected).toEqual([15]);
    const retry = out.results.at(-1)!;
    expect(retry.status === 'fulfilled' && retry.value.created).toBe(false);
    expect(await count('ratings')).toBe(30);
    const sums = (
      await rows<{ submissions: number; counted: number }>(
        t.db,
        sql`
      SELECT sum(submissions) AS submissions, sum(s1 + s2 + s3 + s4 + s5) AS counted FROM daily_code_stats`,
      )
    )[0]!;
    expect(sums).toEqual({ submissions: 30, counted: 30 });
    await expectExact();
  });

  it('a good rating whose insert fails fails alone, also where good ratings are inserted together at the end of the batch', async () => {
    // On PostgreSQL the ratings that open no case are inserted in one statement when the batch ends:
    // its failure sends the batch round again with a savepoint per rating.
    await refuseInsert('ratings', `NEW.comment = '请拒绝这一条'`);
    const items: Item[] = Array.from({ length: 12 }, (_, i) => ({ code: i % 2 ? w.codeA.id : w.codeB.id, score: 5 }));
    items[7] = { code: w.codeA.id, score: 4, comment: '请拒绝这一条' };
    const out = await submitTogether(items);
    expect(out.transactions).toBe(2);
    expect(out.results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []))).toEqual([7]);
    expect(await count('ratings')).toBe(11);
    await expectExact();
  });

  it('a rating refused by the limits needs no savepoint: ratings earlier in the same batch count toward them', async () => {
    const limits = t.services.settings.get().limits;
    const same = { code: w.codeA.id, score: 5 as const, clientId: 'one-device-twice' };
    const out = await submitTogether([same, { code: w.codeB.id, score: 4 }, same, { ...same, code: w.codeB.id }]);
    expect(out.transactions).toBe(1);
    expect(out.savepoints).toBe(0);
    expect(out.results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const refused = out.results[2] as PromiseRejectedResult;
    expect((refused.reason as { error?: string }).error).toBe('RatedRecently');
    expect(String((refused.reason as Error).message)).toContain(`${limits.perCodeMinutes} 分钟`);
    expect(await count('ratings')).toBe(3);
    // The next batch sees what this one stored: the device rated code B too.
    const again = await submitTogether([{ ...same, code: w.codeB.id }]);
    expect(again.results[0]!.status).toBe('rejected');
    await expectExact();
  });

  it('an exclusion on appeal after a batch leaves the rollups exact', async () => {
    const out = await submitTogether(
      [
        { code: w.codeA.id, score: 2, tags: ['服务态度差'] },
        { code: w.codeA.id, score: 5 },
        { code: w.codeB.id, score: 1 },
      ],
      [T0 - 2 * DAY, T0, T0],
    );
    expect(out.results.every((r) => r.status === 'fulfilled')).toBe(true);
    await makeRating(t.services, { codeId: w.codeA.id, score: 4, createdAt: T0 - DAY });
    const kase = (
      await rows<{ id: number }>(
        t.db,
        sql`
      SELECT c.id FROM cases c JOIN ratings r ON r.id = c.rating_id WHERE r.code_id = ${w.codeA.id}`,
      )
    )[0]!;
    const head = (await t.services.auth.resolveActor(w.headA.id))!;
    const supervisor = (await t.services.auth.resolveActor(w.supervisor.id))!;
    await t.services.cases.transition(head, kase.id, { to: 'visited', classification: 'mistaken', note: '核实' });
    await t.services.cases.transition(head, kase.id, { to: 'appealed', note: '误操作' });
    await t.services.cases.transition(supervisor, kase.id, { to: 'closed', note: '同意' });
    expect(await count('ratings WHERE excluded = 1')).toBe(1);
    await expectExact();
  });

  it('a failing rollup write fails the whole batch: no rating of it is stored, and every caller is told', async () => {
    await makeRating(t.services, { codeId: w.codeA.id, score: 5, tags: ['态度热情'] });
    await refuseInsert('daily_tag_stats', `NEW.tag = '环境便利'`);
    const out = await submitTogether([
      { code: w.codeA.id, score: 5, tags: ['态度热情'] },
      { code: w.codeB.id, score: 1 },
      { code: w.codeA.id, score: 4, tags: ['环境便利'] },
    ]);
    expect(out.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await count('ratings')).toBe(1);
    expect(await count('cases')).toBe(0);
    await expectExact();
  });

  it('the rollup statements of a batch do not grow with the number of ratings in it', async () => {
    const codeA2 = await makeCode(t.db, { departmentId: w.deptA.id });
    const codes = [w.codeA.id, codeA2.id, w.codeB.id, w.codeC.id];
    const times = [T0, T0 - DAY + HOUR, T0 + 2 * HOUR];
    // Warm up (the first batch makes every row: the statements are the same either way).
    await submitTogether(mixedItems(8, codes, 1), times);
    const small = await submitTogether(
      [
        { code: w.codeA.id, score: 5, tags: ['态度热情'] },
        { code: w.codeB.id, score: 1, tags: ['服务态度差'], phone: '13700002222' },
        { code: w.codeC.id, score: 3 },
      ],
      times,
    );
    const large = await submitTogether(mixedItems(90, codes, 3), times);
    expect([small.transactions, large.transactions]).toEqual([1, 1]);
    // Code days and their two running-totals steps, department days and theirs, the units' two
    // running-totals steps, tags: nine statements per batch.
    expect(small.rollupStatements).toBe(9);
    expect(large.rollupStatements).toBe(9);
    await expectExact();
  });
});
