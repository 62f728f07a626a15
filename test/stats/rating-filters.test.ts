// The 评价 page's list (GET /api/stats/ratings): every filter of the page (period, level, code, tag,
// comment, held/flagged, channel, 办件-bound), newest first by the time rated, paged with its total,
// scoped to the caller, and a bad value answered 400 in Chinese naming the parameter.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { ratingListQuery } from '../../db/queries/stats.js';
import { bearerFor, driverUnderTest, T0 } from '../helpers/app.js';
import { makeCity, makeCode, makeDepartment, makeRating, useTestWorld } from '../helpers/factories.js';
import { makeMatter } from '../helpers/matters.js';

const { t, w } = useTestWorld();
const HOUR = 3600_000;
const DAY = 'from=2026-11-20&to=2026-11-23';

type Row = { id: number; createdAt: number; score: number; channel: string; held: boolean; flagged: boolean; tags: string[] };
const get = async (q: string, user: { id: number; role: string } = w.supervisor) => {
  const res = await t.app.inject({ url: `/api/stats/ratings?${DAY}&${q}`, headers: bearerFor(t.app, user) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { total: number; totalCapped: boolean; limit: number; offset: number; ratings: Row[] };
};

/** Department A: ratings of every kind the filters tell apart. */
async function seed() {
  const r = t.services.ratings;
  // Stored out of time order: a paper form typed in later carries the time it was filled in.
  const late = await makeRating(t.services, { codeId: w.codeA.id, score: 5, createdAt: T0 - 2 * HOUR, tags: ['态度热情'] });
  const early = await makeRating(t.services, { codeId: w.codeA.id, score: 4, createdAt: T0 - 5 * HOUR, comment: '很快' });
  const bad = await makeRating(t.services, {
    codeId: w.codeA.id,
    score: 1,
    createdAt: T0 - 1 * HOUR,
    tags: ['服务态度差', '工作纪律不严'],
    comment: '等了很久',
    phone: '13800000001',
  });
  const older = await makeRating(t.services, { codeId: w.codeA.id, score: 3, createdAt: T0 - 2 * 24 * HOUR, tags: ['服务态度差'] });
  const kiosk = await r.recordAt({ code: w.codeA.id, score: 5, createdAt: T0 - 3 * HOUR, channel: 'kiosk' });
  // A 办件's link: channel link, bound to the 办件.
  const matter = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, finishedAt: T0 - 24 * HOUR });
  const linked = await t.app.inject({
    method: 'POST',
    url: `/api/e/${matter.linkToken}/ratings`,
    payload: { score: 2, tags: ['工作纪律不严'] },
  });
  expect(linked.statusCode, linked.body).toBe(201);
  // Department B's rating: never in department A's head's list.
  await makeRating(t.services, { codeId: w.codeB.id, score: 1, createdAt: T0 - HOUR, tags: ['服务态度差'] });
  return { late, early, bad, older, kiosk, linkedId: (linked.json() as { id: number }).id };
}

describe('the 评价 list: filters, order, paging', () => {
  it('is newest first by the time rated (not by when the row was stored), paged with its total', async () => {
    const s = await seed();
    const all = await get('', w.headA);
    expect(all.total).toBe(6);
    const times = all.ratings.map((r) => r.createdAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(all.ratings.map((r) => r.id).slice(0, 5)).toEqual([
      s.linkedId,
      s.bad.rating.id,
      s.late.rating.id,
      s.kiosk.id,
      s.early.rating.id,
    ]);
    const page = await get('limit=2&offset=2', w.headA);
    expect(page).toMatchObject({ total: 6, limit: 2, offset: 2 });
    expect(page.ratings.map((r) => r.id)).toEqual([s.late.rating.id, s.kiosk.id]);
    // The supervisor sees both departments of the county.
    expect((await get('')).total).toBe(7);
  });

  it('filters by level, code, tag, comment, channel and 办件', async () => {
    const s = await seed();
    const ids = async (q: string) => {
      const body = await get(q, w.headA);
      expect(body.total, q).toBe(body.ratings.length);
      return body.ratings.map((r) => r.id);
    };
    expect(await ids('score=1')).toEqual([s.bad.rating.id]);
    expect(await ids('kind=bad')).toEqual([s.linkedId, s.bad.rating.id]);
    expect(await ids(`codeId=${w.codeA.id}&score=5`)).toEqual([s.late.rating.id, s.kiosk.id]);
    expect(await ids(`tag=${encodeURIComponent('服务态度差')}`)).toEqual([s.bad.rating.id, s.older.rating.id]);
    expect(await ids(`tag=${encodeURIComponent('工作纪律不严')}&kind=bad`)).toEqual([s.linkedId, s.bad.rating.id]);
    // A tag is matched whole, not as part of another.
    expect(await ids(`tag=${encodeURIComponent('服务态度')}`)).toEqual([]);
    expect(await ids('hasComment=true')).toEqual([s.bad.rating.id, s.early.rating.id]);
    expect(await ids('hasComment=false')).toHaveLength(4);
    expect(await ids('channel=kiosk')).toEqual([s.kiosk.id]);
    expect(await ids('channel=link')).toEqual([s.linkedId]);
    expect(await ids('channel=default')).toEqual([]);
    expect(await ids('bound=true')).toEqual([s.linkedId]);
    expect(await ids('bound=false')).toHaveLength(5);
    expect(await ids('realName=true')).toEqual([s.bad.rating.id]);
    expect(await ids('flagged=false')).toHaveLength(6);
  });

  it('lists the held ratings when asked (they are in no figure), and the flagged ones', async () => {
    await seed();
    for (let i = 0; i < 70; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/codes/${w.codeA.id}/ratings`,
        payload: { score: 5, tags: ['态度热情'], clientId: `filters${String(i).padStart(8, '0')}` },
        remoteAddress: '10.7.7.8',
      });
      expect(res.statusCode).toBe(201);
    }
    const counted = await get('', w.headA);
    expect(counted.total).toBe(6);
    const held = await get('held=true&limit=200', w.headA);
    expect(held.total).toBeGreaterThan(0);
    expect(held.total).toBe(held.ratings.length);
    expect(held.ratings.every((r) => r.held && r.flagged)).toBe(true);
    const flagged = await get('flagged=true&includeExcluded=true&limit=200', w.headA);
    expect(flagged.total).toBeGreaterThanOrEqual(held.total);
    expect(flagged.ratings.every((r) => r.flagged)).toBe(true);
    expect((await get('held=false', w.headA)).total).toBe(6);
    // A tag's total (from the tag rollup) counts the counted ratings only, as its list shows them: the
    // held ones carry the tag too.
    const tagged = await get(`tag=${encodeURIComponent('态度热情')}&limit=200`, w.headA);
    expect(tagged.ratings.map((r) => r.held)).toEqual([false]);
    expect(tagged.total).toBe(1);
    expect((await get(`tag=${encodeURIComponent('态度热情')}&held=true&limit=200`, w.headA)).total).toBe(held.total);
  });

  it('of the top of the whole tree, lists without a department condition, and never a second top-level unit’s', async () => {
    // w.cityAdmin holds every department there is (Actor.everyDepartment): the list leaves out its
    // department filter (RatingFilter.everyDepartment) and must still list exactly the scope's ratings.
    await seed();
    const c = await makeRating(t.services, { codeId: w.codeC.id, score: 2, createdAt: T0 - 4 * HOUR, tags: ['服务态度差'], comment: '慢' });
    const queries = ['limit=200', 'tag=服务态度差&limit=200', 'hasComment=true&limit=200', 'kind=bad&limit=200'];
    const listed = async () =>
      Promise.all(queries.map(async (q) => (await get(q, w.cityAdmin)).ratings.map((r) => r.id).sort((a, b) => a - b)));
    const before = await listed();
    // Without the second unit: every rating of the period, by its filters.
    const stored = (await rows<{ id: number }>(t.db, sql`SELECT id FROM ratings WHERE day BETWEEN '2026-11-20' AND '2026-11-23'`)).map(
      (r) => Number(r.id),
    );
    expect(stored).toContain(c.rating.id);
    expect(before[0]).toEqual(stored.sort((a, b) => a - b));
    expect(before[1]).toContain(c.rating.id);
    // A second top-level unit, whose rating matches every one of the filters.
    const other = await makeCity(t.db);
    const dept = await makeDepartment(t.db, { orgUnitId: other.id });
    const code = await makeCode(t.db, { departmentId: dept.id });
    const outside = await makeRating(t.services, { codeId: code.id, score: 1, createdAt: T0 - HOUR, tags: ['服务态度差'], comment: '差' });
    const after = await listed();
    expect(after.flat()).not.toContain(outside.rating.id);
    expect(after).toEqual(before);
  });

  it('a head asking for another department’s code is told it does not exist', async () => {
    await seed();
    const res = await t.app.inject({ url: `/api/stats/ratings?${DAY}&codeId=${w.codeB.id}`, headers: bearerFor(t.app, w.headA) });
    expect(res.statusCode).toBe(404);
  });

  it('a bad value is a 400 in Chinese naming the parameter', async () => {
    const cases: [string, string][] = [
      ['channel=sms', '渠道'],
      ['held=maybe', '暂扣筛选'],
      ['flagged=2', '标记筛选'],
      ['bound=yes', '办件筛选'],
      ['hasComment=x', '留言筛选'],
      [`tag=${'长'.repeat(31)}`, '理由标签'],
      ['tag=', '理由标签'],
      ['score=6', '评价等级'],
      ['from=2026-13-01', '开始日期'],
      ['codeId=%E4%B8%AD', '评议码'],
      ['offset=-1', '起始位置'],
    ];
    for (const [q, name] of cases) {
      const res = await t.app.inject({ url: `/api/stats/ratings?${q}`, headers: bearerFor(t.app, w.headA) });
      expect(res.statusCode, q).toBe(400);
      const body = res.json() as { error: string; message: string };
      expect(body.error, q).toBe('ValidationError');
      expect(body.message, q).toContain(name);
    }
  });
});

describe.skipIf(driverUnderTest === 'pg')('the query plan at scale', () => {
  const plan = async (
    departmentIds: number[],
    over: { held?: boolean; flagged?: boolean; channel?: string; everyDepartment?: boolean } = {},
  ) =>
    (
      await rows<{ detail: string }>(
        t.db,
        sql`EXPLAIN QUERY PLAN ${ratingListQuery(t.db, { departmentIds, from: '2026-10-28', to: '2026-11-26', ...over }, 50, 0)}`,
      )
    ).map((r) => r.detail);

  it("one department's page is read in index order, newest first, never the period sorted", async () => {
    // A department given as a list of one made SQLite sort the whole period first (86 ms at 10 M
    // ratings); an index without the time sorted each day (2.5 ms a page of a busy department).
    const one = await plan([w.deptA.id]);
    expect(one).toContain('SEARCH r USING INDEX ratings_dept_day_time_idx (department_id=? AND day>? AND day<?)');
    expect(one.filter((d) => d.startsWith('USE TEMP B-TREE'))).toEqual([]);
    // Several: the day index newest first, the departments checked on the way.
    const several = await plan([w.deptA.id, w.deptB.id]);
    expect(several.some((d) => d.includes('ratings_day_time_idx'))).toBe(true);
    expect(several.filter((d) => d.startsWith('USE TEMP B-TREE'))).toEqual([]);
    // Every department there is, without the department filter: the same walk, no list of ids.
    const every = await plan([w.deptA.id, w.deptB.id, w.deptC.id], { everyDepartment: true });
    expect(every.filter((d) => d.includes('ratings_day_time_idx'))).toEqual(several.filter((d) => d.includes('ratings_day_time_idx')));
    expect(every.filter((d) => d.startsWith('USE TEMP B-TREE') || d.startsWith('LIST SUBQUERY'))).toEqual([]);
  });

  it('held or flagged ones asked for are read from their partial index, one department or several', async () => {
    // Found by walking the period newest first instead: 0.4 s for a county's month at 10 M ratings.
    for (const ids of [[w.deptA.id], [w.deptA.id, w.deptB.id]]) {
      expect((await plan(ids, { held: true }))[0]).toMatch(/^SCAN r USING (COVERING )?INDEX ratings_held_idx/);
      expect((await plan(ids, { flagged: true }))[0]).toMatch(/^SCAN r USING INDEX ratings_flagged_idx/);
    }
    const every = [w.deptA.id, w.deptB.id, w.deptC.id];
    expect((await plan(every, { held: true, everyDepartment: true }))[0]).toMatch(/^SCAN r USING (COVERING )?INDEX ratings_held_idx/);
    expect((await plan(every, { flagged: true, everyDepartment: true }))[0]).toMatch(/^SCAN r USING INDEX ratings_flagged_idx/);
  });

  it('paper forms, 12345 return calls and the 评价器 asked for are read from their partial index', async () => {
    // Found by reading the whole period instead: 0.45 s for a county's month at 10 M ratings (0.4 s to
    // find no 评价器 rating in a county without tablets).
    for (const ids of [[w.deptA.id], [w.deptA.id, w.deptB.id]]) {
      for (const channel of ['paper', '12345', 'kiosk']) {
        expect((await plan(ids, { channel })).some((d) => d.includes('USING INDEX ratings_few_channels_idx'))).toBe(true);
        // Of every department there is, as well: that index is keyed by department, so the list stays.
        const every = await plan([w.deptA.id, w.deptB.id, w.deptC.id], { channel, everyDepartment: true });
        expect(every.some((d) => d.includes('USING INDEX ratings_few_channels_idx'))).toBe(true);
      }
      // The scanned and linked ones are not in it: the period newest first, as without a filter.
      for (const channel of ['qr', 'link'])
        expect((await plan(ids, { channel })).some((d) => d.includes('ratings_few_channels_idx'))).toBe(false);
    }
  });
});
