// The per-batch rollup statements (db/queries/rollups.ts writeRollups) against the simplest writer
// there is, the same statements with one rating or open per batch: for any mix of ratings, exclusions
// and opens over codes and days in any order, one batch writes exactly the rows the single writes do
// (评价可信度's stored figures and the organisation-unit rollups included), also past one statement's 256
// rows (chunks) and with many days of one code in one batch.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDb, sqliteOf } from '../../db/client.js';
import { migrateDb } from '../../db/migrate.js';
import { type RatingFacts, RollupBatch, writeRollups } from '../../db/queries/rollups.js';

const TABLES = [
  ['daily_code_stats', 'code_id, day'],
  ['cumulative_code_stats', 'code_id, day'],
  ['daily_department_stats', 'department_id, day'],
  ['cumulative_department_stats', 'department_id, day'],
  ['daily_tag_stats', 'tag, department_id, day'],
  ['daily_code_stored_stats', 'code_id, day'],
  ['daily_org_unit_stats', 'org_unit_id, day'],
  ['cumulative_org_unit_stats', 'org_unit_id, day'],
  ['daily_org_unit_tag_stats', 'tag, org_unit_id, day'],
] as const;

type Op = { kind: 'rate'; facts: RatingFacts; sign: 1 | -1 } | { kind: 'open'; codeId: string; departmentId: number; day: string };

const day = (n: number) => `2026-11-${String(1 + n).padStart(2, '0')}`;
const codeOf = (n: number) => ({ codeId: `code-${String(n).padStart(3, '0')}`, departmentId: 1 + (n % 7) });

const op = (codes: number): fc.Arbitrary<Op> =>
  fc
    .oneof(
      {
        weight: 5,
        arbitrary: fc.record({
          code: fc.nat(codes - 1),
          day: fc.nat(20),
          hour: fc.nat(23),
          score: fc.integer({ min: 1, max: 5 }),
          tags: fc.subarray(['态度热情', '服务态度差', '其他']),
          realName: fc.boolean(),
          excluded: fc.boolean(),
          stored: fc.record({ citizen: fc.boolean(), flagged: fc.boolean(), bound: fc.boolean(), detailed: fc.boolean() }),
        }),
      },
      { weight: 1, arbitrary: fc.record({ code: fc.nat(codes - 1), day: fc.nat(20) }) },
    )
    .map((o): Op => {
      if (!('score' in o)) return { kind: 'open', ...codeOf(o.code), day: day(o.day) };
      const facts = {
        ...codeOf(o.code),
        day: day(o.day),
        hour: o.hour,
        score: o.score,
        tags: o.tags,
        realName: o.realName,
        stored: o.stored,
      };
      return { kind: 'rate', facts, sign: 1 };
    });

/** Ratings, and exclusions of some of them (an exclusion always follows its rating). */
function withExclusions(ops: Op[], excludeEvery: number): Op[] {
  const out: Op[] = [];
  ops.forEach((o, i) => {
    out.push(o);
    if (o.kind === 'rate' && i % excludeEvery === 0) out.push({ kind: 'rate', facts: o.facts, sign: -1 });
  });
  return out;
}

function add(batch: RollupBatch, o: Op): void {
  if (o.kind === 'open') batch.addOpen(o.codeId, o.departmentId, o.day);
  else batch.addRating(o.facts, o.sign, o.sign === 1 ? 1 : 0);
}

let one: Db;
let many: Db;

/** A migrated database with the departments 1–7 of the ops in three organisation units (the unit rollups' join). */
async function database(): Promise<Db> {
  const db = openDb(':memory:');
  await migrateDb(db);
  const sqlite = sqliteOf(db);
  for (let u = 1; u <= 3; u++)
    sqlite.prepare("INSERT INTO org_units (id, kind, name, created_at) VALUES (?, 'county', ?, 0)").run(u, `县${u}`);
  for (let d = 1; d <= 7; d++) {
    sqlite.prepare('INSERT INTO departments (id, org_unit_id, name, created_at) VALUES (?, ?, ?, 0)').run(d, 1 + (d % 3), `部门${d}`);
  }
  return db;
}

beforeEach(async () => {
  one = await database();
  many = await database();
});
afterEach(async () => {
  await one.close();
  await many.close();
});

function tables(db: Db) {
  return TABLES.map(([table, order]) => sqliteOf(db).prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all());
}

async function compare(history: Op[], ops: Op[]) {
  // The same history first in both, one at a time: the batch then writes days before, between and
  // after rows its codes already have.
  for (const db of [one, many]) {
    for (const o of history) {
      const b = new RollupBatch();
      add(b, o);
      await db.transaction((tx) => writeRollups(tx, b));
    }
  }
  for (const o of ops) {
    const b = new RollupBatch();
    add(b, o);
    await one.transaction((tx) => writeRollups(tx, b));
  }
  const batch = new RollupBatch();
  for (const o of ops) add(batch, o);
  await many.transaction((tx) => writeRollups(tx, batch));
  expect(tables(many)).toEqual(tables(one));
}

describe('one batch of rollups writes what the same ratings write one at a time', () => {
  it('for any mix of ratings, exclusions and opens over codes and days (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op(6), { maxLength: 20 }), fc.array(op(6), { minLength: 1, maxLength: 60 }), async (history, ops) => {
        await one.close();
        await many.close();
        one = await database();
        many = await database();
        await compare(history, withExclusions(ops, 4));
      }),
      { numRuns: 40, seed: 20261126 },
    );
  });

  it('past 256 rows of one table (several statements of one kind)', async () => {
    const ops = fc.sample(op(300), { numRuns: 1500, seed: 7 });
    const history = fc.sample(op(300), { numRuns: 300, seed: 8 });
    const batch = new RollupBatch();
    for (const o of ops) add(batch, o);
    expect(batch.codeDays.size).toBeGreaterThan(2 * 256);
    await compare(history, withExclusions(ops, 5));
    // Every unit's rows were written (the departments' join found them).
    expect(sqliteOf(many).prepare('SELECT count(DISTINCT org_unit_id) AS n FROM daily_org_unit_stats').get()).toEqual({ n: 3 });
  });
});
