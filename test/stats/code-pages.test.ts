// GET /api/stats/codes one page at a time (limit/offset/sort/order, docs/api.md §1.6): without limit
// the whole list in scope in the order it always had (scripts rely on it); pages of any size put back
// together give that list; every sort is checked against a sort done here; scope holds on every page.
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { bearerFor } from '../helpers/app.js';
import { makeCode, makeRating, useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld({ now: Date.parse('2026-12-05T12:00:00+08:00') });
const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };

interface Row {
  codeId: string;
  departmentId: number;
  location: string;
  active: boolean;
  total: number;
  goodCount: number;
  badCount: number;
  realNameCount: number;
  goodRate: number | null;
  badRate: number | null;
  score: number | null;
  submissions: number;
  opens: number;
}
interface Answer {
  from: string;
  to: string;
  total: number;
  codes: Row[];
}

/** A small deterministic generator (the set must be the same on every run). */
function lcg(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return Math.floor(((s >>> 8) / 2 ** 24) * n);
  };
}

// Few locations, so many codes share one (ties broken by the code id); few ratings a code, so figures
// tie often; some codes never rated in November (their rates are null).
const LOCATIONS = [
  '县政务服务中心 A区 1号窗口',
  '县政务服务中心 A区 2号窗口',
  '县政务服务中心 A区 10号窗口',
  '县政务服务中心 A区 12号窗口',
  '县政务服务中心 B区 综合窗口',
  '不动产登记大厅',
  '24小时自助区',
  // Byte order and a Chinese locale's order disagree on these: 一 (U+4E00) comes before 二 (U+4E8C) in
  // bytes, after it in pinyin (yi, er); B (0x42) before a (0x61) in bytes, after it in the locale. The
  // list is in byte order on both drivers (PostgreSQL: migration 0035, on a test database whose default
  // collation is zh-Hans-CN).
  '一楼 a区',
  '二楼 B区',
];

beforeEach(async () => {
  const pick = lcg(20261205);
  const departmentIds = [
    ...Array.from({ length: 16 }, () => w.deptA.id),
    ...Array.from({ length: 10 }, () => w.deptB.id),
    ...Array.from({ length: 4 }, () => w.deptC.id),
  ];
  const extra = [];
  for (const [i, departmentId] of departmentIds.entries()) {
    extra.push(
      await makeCode(t.db, {
        departmentId,
        location: LOCATIONS[pick(LOCATIONS.length)]!,
        active: i % 7 !== 3,
        staffName: i % 3 ? null : `张${i}`,
      }),
    );
  }
  const codes = [w.codeA, w.codeB, w.codeC, ...extra];
  for (const code of codes) {
    const n = [0, 0, 1, 1, 2, 3, 5, 8][pick(8)]!;
    for (let i = 0; i < n; i++) {
      const score = [1, 2, 3, 4, 5, 5, 5, 4][pick(8)]!;
      const createdAt = Date.parse('2026-11-01T09:00:00+08:00') + pick(29) * 86_400_000 + pick(8 * 3_600_000);
      await makeRating(t.services, { codeId: code.id, score, createdAt, phone: pick(3) === 0 ? '13700001111' : null });
    }
    // Outside the period: a code may have ratings, none of them in November.
    if (pick(4) === 0) await makeRating(t.services, { codeId: code.id, score: 5, createdAt: Date.parse('2026-10-20T10:00:00+08:00') });
    for (let i = pick(12); i > 0; i--)
      await t.services.stats.recordOpen(t.db, code.id, code.departmentId, `2026-11-${String(1 + pick(30)).padStart(2, '0')}`);
  }
});

type Query = Record<string, string | number>;

async function call(user: { id: number; role: string }, query: Query = {}) {
  const qs = new URLSearchParams(Object.entries({ ...NOVEMBER, ...query }).map(([k, v]) => [k, String(v)]));
  return t.app.inject({ url: `/api/stats/codes?${qs}`, headers: bearerFor(t.app, user) });
}

async function get(query: Query = {}, user: { id: number; role: string } = w.supervisor): Promise<Answer> {
  const res = await call(user, query);
  expect(res.statusCode, `${JSON.stringify(query)}: ${res.body}`).toBe(200);
  return res.json() as Answer;
}

/** Strings as SQLite compares them (BINARY: UTF-8 bytes; the same as UTF-16 units below U+D800). */
const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Locations as a person reads them (docs/api.md): Chinese by pinyin, runs of digits by value (2号窗口 before 10号窗口). */
const reading = new Intl.Collator('zh-CN', { numeric: true }).compare;

/** The codes of the departments, straight from the table, in the order the list always had. */
async function codesOf(departmentIds: number[]) {
  return (
    await rows<{ codeId: string; departmentId: number; location: string }>(
      t.db,
      sql`SELECT id AS "codeId", department_id AS "departmentId", location FROM codes`,
    )
  )
    .filter((c) => departmentIds.includes(c.departmentId))
    .sort((a, b) => a.departmentId - b.departmentId || text(a.location, b.location) || text(a.codeId, b.codeId));
}

const FIGURES = ['total', 'goodCount', 'badCount', 'realNameCount', 'goodRate', 'badRate', 'score', 'submissions', 'opens'] as const;

/** A sort done here: by the figure, nulls last in both orders, ties by code id. */
function sortedBy(rows: Row[], figure: (typeof FIGURES)[number], order: 'asc' | 'desc'): Row[] {
  return [...rows].sort((a, b) => {
    const x = a[figure];
    const y = b[figure];
    if (x === null || y === null) return x === y ? text(a.codeId, b.codeId) : x === null ? 1 : -1;
    return (order === 'asc' ? x - y : y - x) || text(a.codeId, b.codeId);
  });
}

/** Every page of `size` of the query, put back together, checking each page's total and length. */
async function allPages(size: number, query: Query = {}, user = w.supervisor) {
  const out: Row[] = [];
  let total = -1;
  for (let offset = 0; ; offset += size) {
    const page = await get({ ...query, limit: size, offset }, user);
    if (total === -1) total = page.total;
    expect(page.total, `offset ${offset}`).toBe(total);
    expect(page.codes.length, `offset ${offset}`).toBe(Math.max(0, Math.min(size, total - offset)));
    out.push(...page.codes);
    if (page.codes.length < size) break;
  }
  return { total, rows: out };
}

const ids = (rows: { codeId: string }[]) => rows.map((r) => r.codeId);

describe('GET /api/stats/codes without limit: every code in scope, as before paging', () => {
  it('the county’s codes, in department, location, code id order, with total', async () => {
    const all = await get();
    const expected = await codesOf([w.deptA.id, w.deptB.id]);
    expect(expected.length).toBe(28);
    expect(ids(all.codes)).toEqual(ids(expected));
    expect(all.total).toBe(28);
    // The list's locations are in byte order, which is not the order of a Chinese locale.
    const locations = all.codes.filter((c) => c.departmentId === w.deptA.id).map((c) => c.location);
    expect(new Set(locations).size).toBeGreaterThanOrEqual(6);
    expect([...new Set(locations)].sort(new Intl.Collator('zh-Hans-CN').compare)).not.toEqual([...new Set(locations)]);
    // Several codes share a location: the code id decides between them.
    expect(new Set(expected.map((c) => `${c.departmentId}|${c.location}`)).size).toBeLessThan(expected.length);
    // Figures as before: the counted ratings of the period (r.excluded = 0, none excluded here).
    const counted = await rows<{ codeId: string; n: number }>(
      t.db,
      sql`
      SELECT code_id AS "codeId", count(*) AS n FROM ratings WHERE day BETWEEN ${NOVEMBER.from} AND ${NOVEMBER.to} GROUP BY code_id`,
    );
    for (const c of all.codes) expect(c.total, c.codeId).toBe(counted.find((x) => x.codeId === c.codeId)?.n ?? 0);
  });

  it('one department, and a head’s own codes, likewise', async () => {
    const a = await get({ departmentId: w.deptA.id });
    expect(ids(a.codes)).toEqual(ids(await codesOf([w.deptA.id])));
    expect(a.total).toBe(17);
    const head = await get({}, w.headB);
    expect(ids(head.codes)).toEqual(ids(await codesOf([w.deptB.id])));
    expect(head.total).toBe(11);
  });

  it('offset alone changes nothing (it goes with limit); sort and order apply to the whole list', async () => {
    const all = await get();
    expect(await get({ offset: 5 })).toEqual(all);
    const byScore = await get({ sort: 'score' });
    expect(byScore.total).toBe(28);
    expect(ids(byScore.codes)).toEqual(ids(sortedBy(all.codes, 'score', 'desc')));
  });
});

describe('GET /api/stats/codes one page at a time', () => {
  it('pages of any size concatenate to the whole list: no gap, no duplicate', async () => {
    const all = await get();
    for (const size of [1, 4, 7, 28, 200]) {
      const paged = await allPages(size);
      expect(paged.total).toBe(28);
      // The same rows, figures included, in the same order.
      expect(paged.rows, `limit ${size}`).toEqual(all.codes);
    }
    for (const query of [{ sort: 'score' }, { sort: 'location', order: 'desc' }, { sort: 'opens', order: 'asc' }] as Query[]) {
      const whole = await get(query);
      expect((await allPages(5, query)).rows, JSON.stringify(query)).toEqual(whole.codes);
    }
  });

  it('a page past the end is empty and still tells the total', async () => {
    const page = await get({ limit: 10, offset: 28 });
    expect(page).toMatchObject({ total: 28, codes: [], ...NOVEMBER });
    expect((await get({ limit: 10, offset: 1000, sort: 'goodRate' })).codes).toEqual([]);
  });

  it('sort by every figure, both orders: as sorted here, unrated codes’ rates last', async () => {
    const all = (await get()).codes;
    // Some codes have no counted rating in November: null rates.
    expect(all.filter((c) => c.goodRate === null).length).toBeGreaterThan(2);
    for (const figure of FIGURES) {
      for (const order of ['asc', 'desc'] as const) {
        const expected = sortedBy(all, figure, order);
        expect(ids((await get({ sort: figure, order })).codes), `${figure} ${order}`).toEqual(ids(expected));
        expect(ids((await get({ sort: figure, order, limit: 6, offset: 6 })).codes), `${figure} ${order} page 2`).toEqual(
          ids(expected.slice(6, 12)),
        );
      }
    }
    for (const figure of ['goodRate', 'badRate', 'score'] as const) {
      for (const order of ['asc', 'desc']) {
        const rows = (await get({ sort: figure, order })).codes;
        const firstNull = rows.findIndex((r) => r[figure] === null);
        expect(firstNull, `${figure} ${order}`).toBeGreaterThan(0);
        expect(rows.slice(firstNull).every((r) => r[figure] === null)).toBe(true);
      }
    }
    // Figures sort highest first unless told otherwise.
    expect(await get({ sort: 'score', limit: 10 })).toEqual(await get({ sort: 'score', order: 'desc', limit: 10 }));
  });

  it('sort by code or location (numbers in it by value), both orders; texts sort A to Z unless told otherwise', async () => {
    const all = (await get()).codes;
    const byCode = [...all].sort((a, b) => text(a.codeId, b.codeId));
    expect(ids((await get({ sort: 'code' })).codes)).toEqual(ids(byCode));
    expect(ids((await get({ sort: 'code', order: 'desc' })).codes)).toEqual(ids([...byCode].reverse()));
    // Locations by the numbers in them (2号 before 10号), unlike the list's own order (byte order).
    const byLocation = (order: 1 | -1) => [...all].sort((a, b) => order * reading(a.location, b.location) || text(a.codeId, b.codeId));
    expect(ids((await get({ sort: 'location' })).codes)).toEqual(ids(byLocation(1)));
    const seen = [...new Set((await get({ sort: 'location' })).codes.map((c) => c.location))];
    expect(seen.indexOf('县政务服务中心 A区 2号窗口')).toBeGreaterThan(-1);
    expect(seen.indexOf('县政务服务中心 A区 2号窗口')).toBeLessThan(seen.indexOf('县政务服务中心 A区 10号窗口'));
    expect(seen.indexOf('县政务服务中心 A区 10号窗口')).toBeLessThan(seen.indexOf('县政务服务中心 A区 12号窗口'));
    // 二 (er) before 一 (yi) by pinyin; the list's own order has them the other way round (byte order).
    expect(seen.indexOf('二楼 B区')).toBeGreaterThan(-1);
    expect(seen.indexOf('二楼 B区')).toBeLessThan(seen.indexOf('一楼 a区'));
    const own = (d: number) => [...new Set(all.filter((c) => c.departmentId === d).map((c) => c.location))];
    const both = [w.deptA.id, w.deptB.id].filter((d) => own(d).includes('一楼 a区') && own(d).includes('二楼 B区'));
    expect(both.length).toBeGreaterThan(0);
    for (const d of both) expect(own(d).indexOf('一楼 a区')).toBeLessThan(own(d).indexOf('二楼 B区'));
    expect(ids((await get({ sort: 'location', order: 'desc', limit: 9, offset: 9 })).codes)).toEqual(ids(byLocation(-1).slice(9, 18)));
    // Without sort, order turns the usual order round.
    expect(ids((await get({ order: 'desc' })).codes)).toEqual(ids(all).reverse());
    // A page of a text sort is the same rows, figures included, as in the whole list.
    const page = await get({ sort: 'location', limit: 5, offset: 5 });
    expect(page.codes).toEqual(byLocation(1).slice(5, 10));
  });

  it('departmentId with paging: that department’s codes only, and their count', async () => {
    const expected = await codesOf([w.deptB.id]);
    const paged = await allPages(4, { departmentId: w.deptB.id });
    expect(paged.total).toBe(expected.length);
    expect(ids(paged.rows)).toEqual(ids(expected));
    const top = await get({ departmentId: w.deptA.id, sort: 'total', limit: 3 });
    expect(top.total).toBe(17);
    expect(top.codes.every((c) => c.departmentId === w.deptA.id)).toBe(true);
    const a = (await get({ departmentId: w.deptA.id })).codes;
    expect(ids(top.codes)).toEqual(ids(sortedBy(a, 'total', 'desc').slice(0, 3)));
  });

  it('a head’s pages hold only their codes and total counts only theirs', async () => {
    const mine = await codesOf([w.deptA.id]);
    for (const query of [
      {},
      { sort: 'score' },
      { sort: 'code', order: 'desc' },
      { departmentId: w.deptA.id, sort: 'badRate' },
    ] as Query[]) {
      const paged = await allPages(5, query, w.headA);
      expect(paged.total, JSON.stringify(query)).toBe(mine.length);
      expect(new Set(ids(paged.rows))).toEqual(new Set(ids(mine)));
    }
    const other = await call(w.headA, { departmentId: w.deptB.id, limit: 5 });
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ error: 'NotFound' });
    // Another county's supervisor: only department C, whatever the page.
    const c = await get({ limit: 2, sort: 'opens' }, w.otherSupervisor);
    expect(c.total).toBe(5);
    expect(c.codes.every((x) => x.departmentId === w.deptC.id)).toBe(true);
  });

  it('bad limit, offset, sort or order: 400 with the usual error body', async () => {
    for (const query of [
      { limit: 0 },
      { limit: 201 },
      { limit: -1 },
      { limit: 'ten' },
      { limit: 2.5 },
      { limit: 10, offset: -1 },
      { offset: 'x' },
      { sort: 'codeId' },
      { sort: 'nope' },
      { sort: 'score', order: 'up' },
    ] as Query[]) {
      const res = await call(w.supervisor, query);
      expect(res.statusCode, JSON.stringify(query)).toBe(400);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['error', 'message']);
      expect(body.error).toBe('ValidationError');
      expect(body.message).toEqual(expect.any(String));
    }
    expect((await call(w.supervisor, { limit: 200 })).statusCode).toBe(200);
    expect((await call(w.supervisor, { limit: 1 })).statusCode).toBe(200);
  });
});
