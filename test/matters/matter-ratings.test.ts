import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow, rows } from '../../db/client.js';
import { countWrites } from '../../db/statement-count.js';
import { drive, move } from '../cases/helpers.js';
import { T0 } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';
import { makeMatter } from '../helpers/matters.js';

const { t, w } = useTestWorld();
let n = 0;
const key = () => `matter-key-${String(++n).padStart(6, '0')}`;
const rate = (token: string, body: object) =>
  t.app.inject({ method: 'POST', url: `/api/e/${token}/ratings`, payload: body, remoteAddress: '10.9.9.9' });
const matterOf = () => makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id });
const deptRow = async () =>
  (await firstRow<{ s1: number; s2: number; s4: number; s5: number; submissions: number; finished: number; rated: number }>(
    t.db,
    sql`SELECT sum(s1) AS s1, sum(s2) AS s2, sum(s4) AS s4, sum(s5) AS s5, sum(submissions) AS submissions,
      sum(finished_matters) AS finished, sum(rated_matters) AS rated FROM daily_department_stats WHERE department_id = ${w.deptA.id}`,
  ))!;

describe('一次一评: POST /api/e/{token}/ratings rates the 办件 of a one-time link', () => {
  it('the first rating is assessNumber 1, bound to the 办件 with channel link, and the 办件 counts as rated', async () => {
    const m = await matterOf();
    const res = await rate(m.linkToken!, { score: 5, tags: ['办事高效'], idempotencyKey: key() });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ id: expect.any(Number), assessNumber: 1, followUp: null });
    const r = await firstRow<{ matter_id: number; assess_number: number; channel: string; code_id: string; superseded: number }>(
      t.db,
      sql`SELECT matter_id, assess_number, channel, code_id, superseded FROM ratings WHERE id = ${res.json().id}`,
    );
    expect(r).toEqual({ matter_id: m.id, assess_number: 1, channel: 'link', code_id: w.codeA.id, superseded: 0 });
    expect(await deptRow()).toMatchObject({ s5: 1, submissions: 1, finished: 1, rated: 1 });
    expect((await t.services.stats.verifyRollups()).ok).toBe(true);
  });

  it('追评: a second rating is assessNumber 2 and supersedes the first in every figure; the first stays stored', async () => {
    const m = await matterOf();
    const first = await rate(m.linkToken!, { score: 2, tags: ['服务态度差'], idempotencyKey: key() });
    expect(first.json()).toMatchObject({ assessNumber: 1, followUp: { caseNo: expect.any(String) } });
    expect(await deptRow()).toMatchObject({ s2: 1, s4: 0, rated: 1 });
    const second = await rate(m.linkToken!, { score: 4, idempotencyKey: key() });
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual({ id: expect.any(Number), assessNumber: 2, followUp: null });
    // The 差评 is taken back, the 追评 counts; both are stored; the 办件 is still one rated 办件.
    expect(await deptRow()).toMatchObject({ s2: 0, s4: 1, submissions: 2, finished: 1, rated: 1 });
    const stored = await rows<{ assess_number: number; score: number; superseded: number }>(
      t.db,
      sql`SELECT assess_number, score, superseded FROM ratings WHERE matter_id = ${m.id} ORDER BY assess_number`,
    );
    expect(stored).toEqual([
      { assess_number: 1, score: 2, superseded: 1 },
      { assess_number: 2, score: 4, superseded: 0 },
    ]);
    const matterRow = await firstRow<{ s2: number; s4: number; rated: number; finished: number }>(
      t.db,
      sql`SELECT s2, s4, rated, finished FROM daily_matter_stats WHERE department_id = ${w.deptA.id}`,
    );
    expect(matterRow).toEqual({ s2: 0, s4: 1, rated: 1, finished: 1 });
    expect((await t.services.stats.verifyRollups()).ok).toBe(true);
  });

  it('a third rating is 409 and stores nothing', async () => {
    const m = await matterOf();
    await rate(m.linkToken!, { score: 5, idempotencyKey: key() });
    await rate(m.linkToken!, { score: 3, idempotencyKey: key() });
    const third = await rate(m.linkToken!, { score: 1, idempotencyKey: key() });
    expect(third.statusCode).toBe(409);
    expect(third.json()).toMatchObject({ error: 'AlreadyRated', message: expect.stringContaining('追评') });
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings WHERE matter_id = ${m.id}`))!.n).toBe(2);
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM cases`))!.n).toBe(0);
  });

  it('three ratings arriving together (one batch): two stored, the third 409', async () => {
    const m = await matterOf();
    const answers = await Promise.all([5, 4, 1].map((score) => rate(m.linkToken!, { score, idempotencyKey: key() })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 201, 409]);
    expect(
      answers
        .filter((a) => a.statusCode === 201)
        .map((a) => a.json().assessNumber)
        .sort(),
    ).toEqual([1, 2]);
    expect((await t.services.stats.verifyRollups()).ok).toBe(true);
  });

  it('ratings of many 办件 at once: one insert each decides its assess number, the 办件 counts follow once per batch', async () => {
    const ms = [];
    for (let i = 0; i < 12; i++) ms.push(await matterOf());
    // The arbiter is the ratings' unique index: no claim of the 办件 row per rating, no key looked up
    // before the insert (bench/README.md, issue 13: a 办件's rating as fast as a window code's).
    const updates = countWrites(t.db, { filter: (s) => /^\s*UPDATE matters\b/i.test(s) });
    const lookups = countWrites(t.db, { filter: (s) => /FROM ratings WHERE code_id = \S+ AND idempotency_key = /.test(s) });
    const transactions = countWrites(t.db, { transactions: true });
    let answers: Awaited<ReturnType<typeof rate>>[];
    try {
      answers = await Promise.all(ms.map((m) => rate(m.linkToken!, { score: 5, idempotencyKey: key() })));
    } finally {
      for (const c of [updates, lookups, transactions]) c.stop();
    }
    expect(answers.map((a) => [a.statusCode, a.json().assessNumber])).toEqual(ms.map(() => [201, 1]));
    expect(lookups.count).toBe(0);
    expect(updates.count).toBeLessThanOrEqual(transactions.count);
    expect(updates.count).toBeLessThan(ms.length);
    const counted = await rows<{ rating_count: number; rated: number }>(
      t.db,
      sql`SELECT rating_count, rated FROM matters WHERE link_token IS NOT NULL ORDER BY id`,
    );
    expect(counted).toEqual(ms.map(() => ({ rating_count: 1, rated: 1 })));
    expect(await deptRow()).toMatchObject({ s5: 12, submissions: 12, finished: 12, rated: 12 });
    expect((await t.services.stats.verifyRollups()).ok).toBe(true);
  });

  it('the same rating sent twice at once (one batch) is stored once, both answered with it', async () => {
    const m = await matterOf();
    const body = { score: 4, idempotencyKey: key() };
    const [a, b] = await Promise.all([rate(m.linkToken!, body), rate(m.linkToken!, body)]);
    expect([a!.statusCode, b!.statusCode].sort()).toEqual([200, 201]);
    expect(a!.json()).toEqual(b!.json());
    expect(a!.json().assessNumber).toBe(1);
    const matterRow = await firstRow<{ rating_count: number }>(t.db, sql`SELECT rating_count FROM matters WHERE id = ${m.id}`);
    expect(matterRow).toEqual({ rating_count: 1 });
    expect((await rate(m.linkToken!, { score: 3, idempotencyKey: key() })).json().assessNumber).toBe(2);
    expect((await t.services.stats.verifyRollups()).ok).toBe(true);
  });

  it('the same idempotencyKey again answers 200 with the same id and assessNumber, and claims no 追评', async () => {
    const m = await matterOf();
    const body = { score: 5, idempotencyKey: key() };
    const a = await rate(m.linkToken!, body);
    const b = await rate(m.linkToken!, body);
    expect(b.statusCode).toBe(200);
    expect(b.json()).toEqual(a.json());
    const followUp = await rate(m.linkToken!, { score: 4, idempotencyKey: key() });
    expect(followUp.json().assessNumber).toBe(2);
  });

  it('unknown link 404, expired 410, not yet finished 404 — each with a Chinese message', async () => {
    const unknown = await rate('no-such-token-000000000000', { score: 5 });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'UnknownLink', message: expect.stringMatching(/评价链接/) });
    const m = await matterOf();
    t.clock.set(T0 + 7 * 86_400_000 + 1);
    const expired = await rate(m.linkToken!, { score: 5 });
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ error: 'LinkExpired', message: expect.stringContaining('12345') });
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings`))!.n).toBe(0);
  });

  it('the window-code limits do not apply: one device may rate several 办件 at once (a family, a 评价器)', async () => {
    const a = await matterOf();
    const b = await matterOf();
    const c = await matterOf();
    for (const m of [a, b, c]) {
      const res = await rate(m.linkToken!, { score: 5, clientId: 'same-phone-0001', idempotencyKey: key() });
      expect(res.statusCode).toBe(201);
    }
  });

  it('bad input: tags of the other class, phone without consent, bad score — 400 and nothing stored', async () => {
    const m = await matterOf();
    for (const body of [{ score: 5, tags: ['服务态度差'] }, { score: 2, phone: '13912345678' }, { score: 6 }]) {
      const res = await rate(m.linkToken!, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings`))!.n).toBe(0);
    expect((await firstRow<{ c: number }>(t.db, sql`SELECT rating_count AS c FROM matters WHERE id = ${m.id}`))!.c).toBe(0);
  });

  it('an approved appeal of a bound 差评 takes it out of the 办件 figures too; of a superseded one, out of nothing more', async () => {
    const m = await matterOf();
    await rate(m.linkToken!, { score: 4, idempotencyKey: key() });
    const bad = await rate(m.linkToken!, { score: 1, idempotencyKey: key() });
    expect(bad.json().assessNumber).toBe(2);
    expect(await deptRow()).toMatchObject({ s1: 1, s4: 0 });
    const kase = (await firstRow<{ id: number }>(t.db, sql`SELECT id FROM cases WHERE rating_id = ${bad.json().id}`))!;
    await drive(t, w.supervisor, kase.id, { to: 'visited', classification: 'malicious', note: '经核实为误操作' });
    await move(t, w.headA, kase.id, { to: 'appealed', note: '申请复核' });
    expect((await move(t, w.supervisor, kase.id, { to: 'closed', note: '同意申诉' })).statusCode).toBe(200);
    expect(await deptRow()).toMatchObject({ s1: 0, s4: 0, rated: 1 });
    const matterRow = await firstRow<{ s1: number; s4: number }>(
      t.db,
      sql`SELECT s1, s4 FROM daily_matter_stats WHERE department_id = ${w.deptA.id}`,
    );
    expect(matterRow).toEqual({ s1: 0, s4: 0 });
    expect((await t.services.stats.verifyRollups()).ok).toBe(true);
  });
});
