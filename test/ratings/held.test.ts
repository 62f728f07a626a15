// Held ratings (docs/domain.md, Rating: held ratings): a rating a hold rule flags is stored and answered
// as usual, and counts nowhere until a supervisor's decision; the burst that led up to it is taken back.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow, rows } from '../../db/client.js';
import { bearerFor } from '../helpers/app.js';
import { makeCode, makeRating, useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld();
let device = 0;
const fresh = () => `attacker${String(++device).padStart(8, '0')}`;
const post = (code: string, payload: object, ip = '10.9.9.9') =>
  t.app.inject({ method: 'POST', url: `/api/codes/${code}/ratings`, payload, remoteAddress: ip });
const get = (url: string, user = w.supervisor) => t.app.inject({ url, headers: bearerFor(t.app, user) });
const decide = (payload: object, user = w.supervisor) =>
  t.app.inject({ method: 'POST', url: '/api/ratings/decisions', headers: bearerFor(t.app, user), payload });

const month = '2026-11';
const rankings = async () => (await t.app.inject({ url: `/api/public/rankings?month=${month}` })).json();
const departmentRow = async (departmentId: number) => {
  const res = await get(`/api/stats/departments?from=2026-11-01&to=2026-11-30`);
  expect(res.statusCode).toBe(200);
  return (res.json().departments as Array<{ id: number; total: number; held: number; score: number | null }>).find(
    (d) => d.id === departmentId,
  )!;
};
const verify = async () => expect((await t.services.stats.verifyRollups()).ok).toBe(true);
const heldIds = async () => (await rows<{ id: number }>(t.db, sql`SELECT id FROM ratings WHERE held = 1 ORDER BY id`)).map((r) => r.id);

/** A department with some honest history: enough to be ranked (ranking.minSample 10). */
async function honestHistory() {
  for (let i = 0; i < 12; i++)
    await makeRating(t.services, { codeId: w.codeA.id, score: i % 3 === 0 ? 2 : 4, createdAt: t.clock.now() - 3600_000 });
  for (let i = 0; i < 12; i++) await makeRating(t.services, { codeId: w.codeB.id, score: 5, createdAt: t.clock.now() - 3600_000 });
}

describe('the attack replayed: one machine cannot move a department', () => {
  it('1,200 5★ in a minute from one address with fresh client ids: ranks and figures unchanged, held shown; a bulk release counts them exactly', async () => {
    await honestHistory();
    const before = await rankings();
    const rowBefore = await departmentRow(w.deptA.id);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1200; i++) {
      const res = await post(w.codeA.id, { score: 5, tags: ['办事高效'], clientId: fresh() });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      t.clock.advance(50);
    }
    // The per-network limit refuses what passes 600 a minute; every rating it let in was answered 201.
    const accepted = statuses.get(201) ?? 0;
    expect(accepted).toBeGreaterThan(500);
    expect(accepted + (statuses.get(429) ?? 0)).toBe(1200);
    expect(await rankings()).toEqual(before);
    const rowAfter = await departmentRow(w.deptA.id);
    expect(rowAfter.total).toBe(rowBefore.total);
    expect(rowAfter.score).toBe(rowBefore.score);
    expect(rowAfter.held).toBe(accepted);
    expect((await heldIds()).length).toBe(accepted);
    await verify();

    // The queue: one burst, every rating of it, with totals.
    const groups = (await get('/api/ratings/held/groups')).json();
    expect(groups.total).toBe(1);
    expect(groups.held).toBe(accepted);
    expect(groups.groups[0]).toMatchObject({ rule: 'network_burst', subjectKind: 'network', heldCount: accepted, ratingCount: accepted });
    const page = (await get('/api/ratings/held?limit=20')).json();
    expect(page.total).toBe(accepted);
    expect(page.ratings).toHaveLength(20);
    expect(page.ratings[0].flagLabels).toContain('同一网络短时大量评价');

    // One decision releases the burst: every figure counts it, exactly once.
    const released = await decide({ groupIds: [groups.groups[0].id], decision: 'release', reason: '核实为大厅活动现场集中评价' });
    expect(released.json()).toEqual({ affected: accepted });
    const rowReleased = await departmentRow(w.deptA.id);
    expect(rowReleased.total).toBe(rowBefore.total + accepted);
    expect(rowReleased.held).toBe(0);
    await verify();
    expect((await get('/api/ratings/held/groups')).json()).toMatchObject({ total: 0, held: 0, groups: [] });
  });

  it('the same at one rating every 3 s for 10 minutes: all 200 held, the first 60 taken back', async () => {
    await honestHistory();
    const before = await rankings();
    for (let i = 0; i < 200; i++) {
      expect((await post(w.codeA.id, { score: 5, tags: ['办事高效'], clientId: fresh() })).statusCode).toBe(201);
      t.clock.advance(3000);
    }
    expect(await rankings()).toEqual(before);
    expect((await departmentRow(w.deptA.id)).held).toBe(200);
    await verify();
  });

  it('a burst arriving all at once (one group-commit batch) is held whole', async () => {
    const answers = await Promise.all(Array.from({ length: 150 }, () => post(w.codeA.id, { score: 5, clientId: fresh() })));
    expect(answers.every((a) => a.statusCode === 201)).toBe(true);
    expect((await heldIds()).length).toBe(150);
    expect((await departmentRow(w.deptA.id)).total).toBe(0);
    await verify();
  });

  it('a flood of 差评 from one network opens one grouped case per flood start and one notice, not hundreds', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: bearerFor(t.app, w.admin),
      payload: { name: '督查群', kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc', events: ['bad_rating'] },
    });
    const receipts: string[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await post(w.codeA.id, { score: 1, tags: ['服务态度差'], clientId: fresh() }, '10.6.6.6');
      expect(res.statusCode).toBe(201);
      receipts.push(res.json().followUp.caseNo);
      t.clock.advance(100);
    }
    const cases = await rows<{ case_no: string }>(t.db, sql`SELECT case_no FROM cases ORDER BY id`);
    // burstBadPerNetwork 2: the first two opened their case before the flood showed; the rest attach to the first.
    expect(cases).toHaveLength(2);
    expect(new Set(receipts)).toEqual(new Set(cases.map((c) => c.case_no)));
    expect(receipts.slice(2).every((n) => n === cases[0]!.case_no)).toBe(true);
    const notices = await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM notification_deliveries`);
    expect(notices!.n).toBe(2);
    expect((await heldIds()).length).toBe(100);
    const groups = (await get('/api/ratings/held/groups')).json();
    expect(groups.groups[0]).toMatchObject({ rule: 'network_bad_flood', caseNo: cases[0]!.case_no, heldCount: 100 });
    // The grouped case says what it stands for.
    const caseId = groups.groups[0].caseId as number;
    const detail = (await get(`/api/cases/${caseId}`)).json();
    expect(detail.caseNo).toBe(cases[0]!.case_no);
    expect(detail.flood).toEqual({ groupId: groups.groups[0].id, ratingCount: 100, heldCount: 100 });
    expect(
      (await get(`/api/cases/${(await rows<{ id: number }>(t.db, sql`SELECT id FROM cases ORDER BY id`))[1]!.id}`)).json().flood,
    ).toBeNull();
    await verify();

    // Released (a real incident, not an attack): each 差评 counts and is followed up on its own, its
    // deadlines counted from the day of the release; the two opened before the flood showed keep theirs.
    t.clock.advance(2 * 86_400_000);
    const released = await decide({ groupIds: [groups.groups[0].id], decision: 'release', reason: '核实为系统故障引发的真实差评' });
    expect(released.json()).toEqual({ affected: 100 });
    const after = await rows<{ rating_id: number; contact_due_date: string }>(
      t.db,
      sql`SELECT rating_id, contact_due_date FROM cases ORDER BY id`,
    );
    expect(after).toHaveLength(100);
    expect(new Set(after.map((c) => c.rating_id)).size).toBe(100);
    // Opened on Wednesday 2026-11-25: one working day to call back, Thursday 2026-11-26.
    expect(after.at(-1)!.contact_due_date).toBe('2026-11-26');
    expect((await departmentRow(w.deptA.id)).total).toBe(100);
    await verify();
  });
});

describe('legitimate halls are not punished', () => {
  it('60 citizens rating from one hall Wi-Fi over a morning, each from their own phone, are not held', async () => {
    // The department's usual volume: about 40 ratings a day over the last four weeks.
    const day = 86_400_000;
    for (let d = 1; d <= 28; d++)
      for (let i = 0; i < 40; i++) await makeRating(t.services, { codeId: w.codeA.id, score: 4, createdAt: t.clock.now() - d * day });
    const extra = await makeCode(t.db, { departmentId: w.deptA.id });
    t.clock.set(Date.parse('2026-11-23T08:30:00+08:00'));
    for (let i = 0; i < 60; i++) {
      const kind = i % 5;
      const body =
        kind === 0
          ? { score: 5 }
          : kind === 1
            ? { score: 5, tags: ['态度热情'] }
            : kind === 2
              ? { score: 4, comment: '排队有点久，但办得很快' }
              : kind === 3
                ? { score: 5, tags: ['办事高效', '一次办成'] }
                : { score: i % 10 === 4 ? 2 : 3, tags: i % 10 === 4 ? ['办事效率低/等候时间长'] : [] };
      const res = await post(i % 2 ? w.codeA.id : extra.id, { ...body, clientId: `citizen-phone-${i}` }, '36.112.5.20');
      expect(res.statusCode).toBe(201);
      t.clock.advance(4 * 60_000);
    }
    expect(await heldIds()).toEqual([]);
    const flagged = await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings WHERE flagged = 1`);
    expect(flagged!.n).toBe(0);
  });
});

describe('decisions', () => {
  async function burst(n: number, ip = '10.9.9.9', code = w.codeA.id) {
    for (let i = 0; i < n; i++) {
      await post(code, { score: i % 2 ? 5 : 4, tags: i % 2 ? ['办事高效'] : [], clientId: fresh() }, ip);
      t.clock.advance(1000);
    }
  }

  it('excluded ratings never count; released ones count exactly; both recorded on the rating and audited', async () => {
    await burst(70);
    const ids = await heldIds();
    expect(ids).toHaveLength(70);
    const excluded = await decide({ ids: ids.slice(0, 30), decision: 'exclude', reason: '同一网络刷评' });
    expect(excluded.json()).toEqual({ affected: 30 });
    expect(await departmentRow(w.deptA.id)).toMatchObject({ total: 0, held: 40 });
    await verify();
    const released = await decide({ filter: { departmentId: w.deptA.id }, decision: 'release', reason: '核实为真实评价' });
    expect(released.json()).toEqual({ affected: 40 });
    expect(await departmentRow(w.deptA.id)).toMatchObject({ total: 40, held: 0 });
    await verify();
    // Deciding again changes nothing.
    expect((await decide({ ids, decision: 'release', reason: '重复' })).json()).toEqual({ affected: 0 });
    expect((await departmentRow(w.deptA.id)).total).toBe(40);

    const history = (await get(`/api/ratings/${ids[0]}/history`)).json();
    expect(history.rating).toMatchObject({ held: false, excluded: true, flagLabels: ['同一网络短时大量评价'] });
    expect(history.decisions).toEqual([
      expect.objectContaining({ kind: 'exclude', reason: '同一网络刷评', decidedByName: expect.any(String) }),
    ]);
    const audit = await rows<{ action: string }>(t.db, sql`SELECT action FROM audit_log WHERE action LIKE 'ratings.%' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['ratings.exclude', 'ratings.release', 'ratings.release']);
  });

  it('bulk by network, code and time span; outside the scope nothing moves', async () => {
    await burst(65, '10.9.9.9');
    await burst(65, '10.8.8.8', w.codeB.id);
    const all = (await get('/api/ratings/held?limit=1')).json();
    expect(all.total).toBe(130);
    const one = (await get(`/api/ratings/held?limit=1&codeId=${w.codeB.id}`)).json();
    expect(one.total).toBe(65);
    const network = one.ratings[0].network as string;
    expect((await get(`/api/ratings/held?network=${network}`)).json().total).toBe(65);
    // Another county's supervisor decides nothing here.
    expect((await decide({ filter: {}, decision: 'exclude', reason: '越权' }, w.otherSupervisor)).json()).toEqual({ affected: 0 });
    expect((await decide({ filter: { network }, decision: 'exclude', reason: '同一网络刷评' })).json()).toEqual({ affected: 65 });
    const span = await decide({ filter: { from: '2026-11-23', to: '2026-11-23' }, decision: 'release', reason: '当日核实' });
    expect(span.json()).toEqual({ affected: 65 });
    await verify();
  });

  it('refuses what is unclear, in Chinese, and only supervisors decide', async () => {
    const none = await decide({ decision: 'release', reason: '理由' });
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toContain('请指定');
    const blank = await decide({ ids: [1], decision: 'release', reason: '   ' });
    expect(blank.statusCode).toBe(400);
    expect((await decide({ ids: [1], decision: 'keep', reason: 'x' })).statusCode).toBe(400);
    const badDay = await decide({ filter: { from: '2026-02-30' }, decision: 'release', reason: 'x' });
    expect(badDay.statusCode).toBe(400);
    expect(badDay.json().message).toContain('from');
    expect((await decide({ ids: [1], decision: 'release', reason: 'x' }, w.admin)).statusCode).toBe(403);
    expect((await get('/api/ratings/held', w.headA)).statusCode).toBe(403);
    expect((await get(`/api/ratings/held?departmentId=${w.deptC.id}`)).statusCode).toBe(403);
  });
});
