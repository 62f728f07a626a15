// GET /api/codes one page at a time (docs/api.md §1.6): limit/offset/sort/order and total, and without
// limit every code in scope in the list's own order, as scripts written before paging expect.
import { beforeEach, describe, expect, it } from 'vitest';
import type { StaffCodeViewT } from '../../shared/api/codes.js';
import { bearerFor, T0 } from '../helpers/app.js';
import { makeRating, useTestWorld } from '../helpers/factories.js';

const DAY = 86_400_000;
const { t, w } = useTestWorld();
type User = { id: number; role: string };
type Listed = { codes: StaffCodeViewT[]; total: number };

const get = (u: User, query = '') => t.app.inject({ url: `/api/codes${query ? `?${query}` : ''}`, headers: bearerFor(t.app, u) });
async function list(u: User, query = ''): Promise<Listed> {
  const res = await get(u, query);
  expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
  return res.json();
}
const ids = (l: Listed) => l.codes.map((c) => c.code);

/** Every page of `limit` codes, fetched one after the other and put end to end. */
async function allPages(u: User, query: string, limit: number): Promise<{ codes: StaffCodeViewT[]; totals: number[] }> {
  const codes: StaffCodeViewT[] = [];
  const totals: number[] = [];
  for (let offset = 0; ; offset += limit) {
    const page = await list(u, `${query}${query ? '&' : ''}limit=${limit}&offset=${offset}`);
    expect(page.codes.length).toBeLessThanOrEqual(limit);
    totals.push(page.total);
    codes.push(...page.codes);
    if (page.codes.length < limit) return { codes, totals };
  }
}

// The world's codes, made in this order (print order within a department is creation order).
let batchA1: string[];
let batchA2: string[];
let batchB: string[];
let disabled: string;

async function bulk(departmentId: number, count: number, locationPattern: string, startAt = 1): Promise<string[]> {
  t.clock.advance(60_000);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/departments/${departmentId}/codes`,
    headers: bearerFor(t.app, w.admin),
    payload: { count, locationPattern, startAt },
  });
  expect(res.statusCode).toBe(201);
  return (res.json().codes as StaffCodeViewT[]).map((c) => c.code);
}

beforeEach(async () => {
  batchA1 = await bulk(w.deptA.id, 12, '县政务服务中心 A区 {n}号窗口');
  batchA2 = await bulk(w.deptA.id, 3, '县政务服务中心 A区 {n}号窗口', 13);
  batchB = await bulk(w.deptB.id, 5, '市民中心 B区 {n}号窗口');
  disabled = batchA1[4]!;
  expect(
    (await t.app.inject({ method: 'PATCH', url: `/api/codes/${disabled}`, headers: bearerFor(t.app, w.admin), payload: { active: false } }))
      .statusCode,
  ).toBe(200);

  // Scans and ratings on three days, so that every figure has ties and differences: old opens only
  // (outside the 30 days), recent opens with and without ratings, and codes never scanned.
  const scope = [w.codeA.id, ...batchA1, ...batchA2, w.codeB.id, ...batchB].filter((c) => c !== disabled);
  const openTimes = async (code: string, n: number) => {
    for (let i = 0; i < n; i++) await t.services.codes.recordOpen(code);
  };
  for (const [i, code] of scope.entries()) await openTimes(code, i % 4 === 0 ? 2 : 0);
  t.clock.advance(20 * DAY);
  for (const [i, code] of scope.entries()) {
    await openTimes(code, (i * 7) % 5);
    if (i % 3 === 0) await makeRating(t.services, { codeId: code, score: 5 });
  }
  t.clock.advance(11 * DAY);
  for (const [i, code] of scope.entries()) {
    await openTimes(code, i % 6 === 1 ? 6 : i % 5 === 2 ? 1 : 0);
    if (i % 7 === 3) await makeRating(t.services, { codeId: code, score: 4 });
  }
});

const ALERT_RANK = { no_opens_30d: 2, opens_without_submissions: 1 } as const;
const locations = new Intl.Collator('zh-CN', { numeric: true });
type Key = (c: StaffCodeViewT) => number | string | null;
const KEYS: Record<string, Key> = {
  code: (c) => c.code,
  createdAt: (c) => c.createdAt,
  opens30d: (c) => c.funnel.opens30d,
  submissions30d: (c) => c.funnel.submissions30d,
  opensTotal: (c) => c.funnel.opensTotal,
  lastOpenDay: (c) => c.funnel.lastOpenDay,
  lastSubmissionDay: (c) => c.funnel.lastSubmissionDay,
  alert: (c) => (c.funnel.alert ? ALERT_RANK[c.funnel.alert] : 0),
};
const compare = (a: number | string | null, b: number | string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);

/** The list sorted here: a stable sort of the print-order list, so ties stay in print order. */
function sortedHere(printOrder: StaffCodeViewT[], sort: string, order: 'asc' | 'desc'): string[] {
  const sign = order === 'asc' ? 1 : -1;
  const by =
    sort === 'location'
      ? (a: StaffCodeViewT, b: StaffCodeViewT) => sign * locations.compare(a.location, b.location)
      : (a: StaffCodeViewT, b: StaffCodeViewT) => sign * compare(KEYS[sort]!(a), KEYS[sort]!(b));
  return [...printOrder].sort(by).map((c) => c.code);
}

describe('GET /api/codes without limit: every code in scope, as before paging', () => {
  it('answers every code in print order (department, then creation order) and total = their number', async () => {
    const all = await list(w.admin);
    expect(ids(all)).toEqual([w.codeA.id, ...batchA1, ...batchA2, w.codeB.id, ...batchB]);
    expect(all.total).toBe(all.codes.length);
    expect(all.codes.find((c) => c.code === batchA1[1])!.location).toBe('县政务服务中心 A区 2号窗口');
  });

  it('ignores an offset given without limit, and takes a sort', async () => {
    expect(ids(await list(w.admin, 'offset=5'))).toEqual(ids(await list(w.admin)));
    const byCode = await list(w.admin, 'sort=code');
    expect(ids(byCode)).toEqual(ids(await list(w.admin)).sort());
    expect(byCode.total).toBe(22);
  });
});

describe('GET /api/codes with limit: pages', () => {
  for (const query of [
    '',
    'sort=code&order=desc',
    'sort=location',
    'sort=opens30d',
    'sort=alert',
    'active=true&sort=lastOpenDay&order=asc',
  ]) {
    it(`pages put end to end are the whole list, no code twice or missing (${query || 'default order'})`, async () => {
      const whole = await list(w.admin, query);
      for (const limit of [1, 5, 7, 200]) {
        const pages = await allPages(w.admin, query, limit);
        // The very same codes with the very same figures: a page reads only its own funnel figures.
        expect(pages.codes, `limit ${limit}`).toEqual(whole.codes);
        expect(new Set(pages.codes.map((c) => c.code)).size).toBe(whole.codes.length);
        expect(new Set(pages.totals)).toEqual(new Set([whole.total]));
      }
    });
  }

  it('a page past the end is empty and still tells the total', async () => {
    expect(await list(w.admin, 'limit=10&offset=22')).toEqual({ codes: [], total: 22 });
    expect(await list(w.admin, 'limit=10&offset=1000&sort=opens30d')).toEqual({ codes: [], total: 22 });
    const last = await list(w.admin, 'limit=10&offset=20');
    expect(ids(last)).toEqual(batchB.slice(3));
  });

  const SORTS: Array<[string, 'asc' | 'desc']> = [
    ['code', 'asc'],
    ['location', 'asc'],
    ['createdAt', 'desc'],
    ['opens30d', 'desc'],
    ['submissions30d', 'desc'],
    ['opensTotal', 'desc'],
    ['lastOpenDay', 'desc'],
    ['lastSubmissionDay', 'desc'],
    ['alert', 'desc'],
  ];
  for (const [sort, defaultOrder] of SORTS) {
    it(`sort=${sort} in both orders (default ${defaultOrder}) is the order sorted here, ties in print order`, async () => {
      const printOrder = (await list(w.admin)).codes;
      for (const order of ['asc', 'desc'] as const) {
        const expected = sortedHere(printOrder, sort, order);
        expect(ids(await list(w.admin, `sort=${sort}&order=${order}`)), order).toEqual(expected);
        expect(
          (await allPages(w.admin, `sort=${sort}&order=${order}`, 6)).codes.map((c) => c.code),
          order,
        ).toEqual(expected);
      }
      expect(ids(await list(w.admin, `sort=${sort}&limit=200`))).toEqual(sortedHere(printOrder, sort, defaultOrder));
    });
  }

  it('the figures differ and tie, so the sorts above prove something', async () => {
    const { codes } = await list(w.admin);
    for (const key of ['opens30d', 'opensTotal', 'lastOpenDay', 'alert']) {
      const values = codes.map((c) => KEYS[key]!(c));
      expect(new Set(values).size, key).toBeGreaterThan(2);
      expect(new Set(values).size, key).toBeLessThan(values.length);
    }
    expect(codes.some((c) => c.funnel.lastOpenDay === null)).toBe(true);
    expect(new Set(codes.map((c) => c.funnel.alert))).toEqual(new Set([null, 'no_opens_30d', 'opens_without_submissions']));
  });

  it('orders locations as people read them: 2号窗口 before 10号窗口', async () => {
    const locs = (await list(w.headA, 'sort=location&limit=20')).codes.map((c) => c.location);
    expect(locs.indexOf('县政务服务中心 A区 2号窗口')).toBeLessThan(locs.indexOf('县政务服务中心 A区 10号窗口'));
  });

  it('department order: departments turned around by desc, each one still in creation order', async () => {
    expect(ids(await list(w.admin, 'sort=department&limit=200'))).toEqual(ids(await list(w.admin)));
    expect(ids(await list(w.admin, 'sort=department&order=desc&limit=200'))).toEqual([
      w.codeB.id,
      ...batchB,
      w.codeA.id,
      ...batchA1,
      ...batchA2,
    ]);
    // A batch shares its createdAt: newest batch first, its windows in order.
    expect(ids(await list(w.admin, 'sort=createdAt&limit=8'))).toEqual([...batchB, ...batchA2]);
  });

  it('filters by department, state and alert, total counting the matches', async () => {
    const b = await list(w.supervisor, `departmentId=${w.deptB.id}&limit=4&sort=code`);
    expect(b.total).toBe(6);
    expect(ids(b)).toEqual([w.codeB.id, ...batchB].sort().slice(0, 4));
    expect((await allPages(w.supervisor, `departmentId=${w.deptB.id}`, 4)).codes.every((c) => c.departmentId === w.deptB.id)).toBe(true);

    expect(await list(w.admin, 'active=false&limit=5')).toMatchObject({ total: 1, codes: [{ code: disabled }] });
    expect((await list(w.admin, 'active=true&limit=5')).total).toBe(21);

    const whole = (await list(w.admin)).codes;
    const alerted = whole.filter((c) => c.funnel.alert !== null).map((c) => c.code);
    const quiet = whole.filter((c) => c.funnel.alert === null).map((c) => c.code);
    expect((await allPages(w.admin, 'alerted=true', 3)).codes.map((c) => c.code)).toEqual(alerted);
    expect((await list(w.admin, 'alerted=true&limit=3')).total).toBe(alerted.length);
    expect(ids(await list(w.admin, 'alerted=false'))).toEqual(quiet);
    expect(ids(await list(w.admin, 'alerted=true&sort=code&order=desc&limit=200'))).toEqual([...alerted].sort().reverse());
  });
});

describe('paging keeps the scope', () => {
  it("a head's pages never show another department's code, and total counts only theirs", async () => {
    const own = [w.codeA.id, ...batchA1, ...batchA2];
    for (const query of ['', 'sort=opens30d', 'sort=code&order=desc', 'sort=location', 'alerted=true']) {
      const pages = await allPages(w.headA, query, 4);
      expect(
        pages.codes.every((c) => c.departmentId === w.deptA.id),
        query,
      ).toBe(true);
      const expected = (await list(w.headA, query)).codes.map((c) => c.code);
      expect(pages.codes.map((c) => c.code)).toEqual(expected);
      expect(new Set(pages.totals)).toEqual(new Set([expected.length]));
    }
    expect((await list(w.headA, 'limit=200')).total).toBe(own.length);
    expect(ids(await list(w.headA, 'limit=200')).sort()).toEqual([...own].sort());
    // Another department is out of scope, paged or not: 404, as before.
    expect((await get(w.headA, `departmentId=${w.deptB.id}&limit=5`)).statusCode).toBe(404);
    expect((await get(w.admin, `departmentId=${w.deptC.id}&limit=5&sort=opens30d`)).statusCode).toBe(404);
  });

  it('the other county stays out of the admin pages', async () => {
    const pages = await allPages(w.admin, 'sort=code', 5);
    expect(pages.codes.map((c) => c.code)).not.toContain(w.codeC.id);
    expect(pages.totals[0]).toBe(22);
    expect((await list(w.otherSupervisor, 'limit=5')).total).toBe(1);
  });
});

describe('wrong paging values are 400 with a Chinese message', () => {
  it.each([
    ['limit=0', '每页条数'],
    ['limit=201', '每页条数'],
    ['limit=abc', '每页条数'],
    ['limit=5&offset=-1', '起始位置'],
    ['sort=score', '排序'],
    ['sort=opens30d&order=up', '排序方向'],
    ['alerted=maybe', '提示筛选'],
  ])('%s', async (query, field) => {
    const res = await get(w.admin, query);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error).toBe('ValidationError');
    expect(body.message).toContain(field);
    expect(body.message).toMatch(/[\u4e00-\u9fff]/);
  });
});

// The fixture is meant to have codes created before the 30-day window: check the premise once.
it('the fixture is 31 days after the codes were made', () => {
  expect(t.clock.now() - T0).toBeGreaterThan(30 * DAY);
});
