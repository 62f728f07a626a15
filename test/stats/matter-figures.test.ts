// The 办件 figures (docs/domain.md §6): 评价率, 未评价率 and 主动评价好评率 on every figures route, the
// per-经办人 and per-事项 views of a department, the exports and the public page; and the 差评 case
// that knows its 办件.
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { exec, firstRow } from '../../db/client.js';
import { chinaDay } from '../../shared/china-time.js';
import { bearerFor, T0 } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';
import { makeMatter } from '../helpers/matters.js';

const { t, w } = useTestWorld();
const DAY = 86_400_000;
const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };
const PHONE = '13912345678';
let n = 0;
const key = () => `figures-key-${String(++n).padStart(6, '0')}`;

const rateMatter = async (token: string, score: number) => {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/e/${token}/ratings`,
    payload: { score, tags: score <= 2 ? ['服务态度差'] : [], idempotencyKey: key() },
    remoteAddress: '10.9.9.9',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; assessNumber: number };
};

/** The county gives unrated 办件 a default rating of `score` once their link's 7 days are over. */
async function enableDefaults(score: number) {
  const admin = (await t.services.auth.resolveActor(w.admin.id))!;
  await t.services.settings.update(admin, { matters: { linkValidDays: 7, defaultRating: { enabled: true, score }, smsSign: '' } });
}

const T1 = '11410000MB0000000X4000111111000';
const T2 = '11410000MB0000000X4000222222000';
const T3 = '11410000MB0000000X4000333333000';

/**
 * Department A in November: five finished 办件 and one window-code rating.
 *   m1 张敏 事项1 (old name), finished the day before: rated 5
 *   m2 张敏 事项2: rated 2 (差评), then a 追评 of 4 (only the 4 counts)
 *   m3 李强 事项1 (old name), finished the day before: rated 1 (差评, its case stays)
 *   m4 李强 事项1 under its new name: not rated
 *   m5 no 经办人, 事项3, finished 8 days before: not rated by a citizen, so given the default rating (4) when
 *      its link ran out, the day before
 *   and on the window code A: a rating of 3 (not a 办件's)
 */
async function buildMatters() {
  const at = (over: object) => makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, ...over });
  const m1 = await at({ staffName: '张敏', taskCode: T1, taskName: '个体工商户设立登记（个人独资）', finishedAt: T0 - DAY });
  const m2 = await at({ staffName: '张敏', taskCode: T2, taskName: '食品经营许可' });
  const m3 = await at({ staffName: '李强', taskCode: T1, taskName: '个体工商户设立登记（个人独资）', finishedAt: T0 - DAY });
  // Renamed the next day, to a name that sorts first: the latest name is not the largest.
  const m4 = await at({ staffName: '李强', taskCode: T1, taskName: '个体工商户设立登记' });
  const m5 = await at({ staffName: null, taskCode: T3, taskName: '税务登记', finishedAt: T0 - 8 * DAY });
  await t.db.transaction((tx) =>
    exec(
      tx,
      sql`UPDATE matters SET applicant_phone_enc = ${t.services.crypto.encryptPhone(PHONE)}, promised_date = '2026-11-30' WHERE id = ${m3.id}`,
    ),
  );
  const r1 = await rateMatter(m1.linkToken!, 5);
  const r2a = await rateMatter(m2.linkToken!, 2);
  const r2b = await rateMatter(m2.linkToken!, 4);
  const r3 = await rateMatter(m3.linkToken!, 1);
  const window = await t.app.inject({
    method: 'POST',
    url: `/api/codes/${w.codeA.id}/ratings`,
    payload: { score: 3, tags: [], clientId: 'device-figures-0001', idempotencyKey: key() },
    remoteAddress: '10.1.1.1',
  });
  expect(window.statusCode, window.body).toBe(201);
  await t.services.ratings.flush();
  await enableDefaults(4);
  expect(await t.services.ratings.giveDefaultRatings()).toBe(1);
  return { m1, m2, m3, m4, m5, r1, r2a, r2b, r3 };
}

async function get<T = any>(path: string, user: { id: number; role: string }, query: Record<string, string | number> = NOVEMBER) {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const res = await t.app.inject({ method: 'GET', url: `${path}?${qs}`, headers: bearerFor(t.app, user) });
  return { status: res.statusCode, body: res.json() as T, raw: res.body };
}

let m: Awaited<ReturnType<typeof buildMatters>>;
beforeEach(async () => {
  m = await buildMatters();
});

/** The four contract fields and the default-rating count, as department A must show them. */
const A_FIGURES = {
  finishedMatters: 5,
  ratedMatters: 3,
  ratingRate: 0.6,
  defaults: 1,
  // Counted: 5, 4 (the 追评), 1, the window's 3 and the default 4; without the default: 3 good of 4.
  activeGoodRate: 0.75,
  total: 5,
  goodCount: 4,
  goodRate: 0.8,
};
const NO_MATTERS = { finishedMatters: 0, ratedMatters: 0, ratingRate: null, defaults: 0, activeGoodRate: null };

describe('评价率 and 主动评价好评率 on the figures routes', () => {
  it('GET /api/stats/departments: finishedMatters, ratedMatters, ratingRate, activeGoodRate exactly; null without data', async () => {
    const { status, body } = await get('/api/stats/departments', w.supervisor);
    expect(status).toBe(200);
    const a = body.departments.find((d: any) => d.id === w.deptA.id);
    const b = body.departments.find((d: any) => d.id === w.deptB.id);
    expect(a).toMatchObject(A_FIGURES);
    expect(a.byScore).toEqual({ '1': 1, '2': 0, '3': 1, '4': 2, '5': 1 });
    expect(b).toMatchObject({ ...NO_MATTERS, total: 0 });
    expect((await t.services.stats.verifyRollups()).ok).toBe(true);
  });

  it('the summary, its org units, the trend and the per-code figures carry the same fields', async () => {
    const summary = (await get('/api/stats/summary', w.supervisor)).body;
    expect(summary).toMatchObject(A_FIGURES);
    expect(summary.orgUnits.find((u: any) => u.id === w.county.id)).toMatchObject(A_FIGURES);
    const one = (await get('/api/stats/summary', w.headA, { ...NOVEMBER, departmentId: w.deptA.id })).body;
    expect(one).toMatchObject(A_FIGURES);

    // A 办件 counts on the day it finished (m1 and m3 the day before, m2 and m4 on T0's day), a rating on the
    // day it was given (m5's default the day before).
    const trend = (await get('/api/stats/trend', w.supervisor, { from: chinaDay(T0 - DAY), to: chinaDay(T0) })).body;
    expect(trend.points.map((p: any) => [p.finishedMatters, p.ratedMatters, p.ratingRate, p.defaults])).toEqual([
      [2, 2, 1, 1],
      [2, 1, 0.5, 0],
    ]);

    const codes = (await get('/api/stats/codes', w.supervisor, { ...NOVEMBER, departmentId: w.deptA.id })).body;
    expect(codes.codes.find((c: any) => c.codeId === w.codeA.id)).toMatchObject(A_FIGURES);
    const sorted = (await get('/api/stats/codes', w.supervisor, { ...NOVEMBER, sort: 'ratingRate' })).body;
    expect(sorted.codes.map((c: any) => c.ratingRate)).toEqual([0.6, null]);
  });

  it('a head sees their department only: no figures of another department leak', async () => {
    const { body } = await get('/api/stats/departments', w.headB);
    expect(body.departments.map((d: any) => d.id)).toEqual([w.deptB.id]);
    expect(body.departments[0]).toMatchObject(NO_MATTERS);
  });
});

describe('GET /api/stats/matters/staff and /tasks: a department by 经办人 and by 事项', () => {
  const TOTALS = {
    finishedMatters: 5,
    ratedMatters: 3,
    ratingRate: 0.6,
    citizenRatings: 3,
    byScore: { '1': 1, '2': 0, '3': 0, '4': 1, '5': 1 },
    goodCount: 2,
    badCount: 1,
    activeGoodRate: 2 / 3,
    defaults: 1,
  };

  it('per 经办人: most 差评 first, exact figures, the department totals', async () => {
    const { status, body } = await get('/api/stats/matters/staff', w.headA, { ...NOVEMBER, departmentId: w.deptA.id });
    expect(status).toBe(200);
    expect(body).toMatchObject({ ...NOVEMBER, departmentId: w.deptA.id, departmentName: w.deptA.name, total: 3, totals: TOTALS });
    expect(body.staff).toEqual([
      {
        staffName: '李强',
        finishedMatters: 2,
        ratedMatters: 1,
        ratingRate: 0.5,
        citizenRatings: 1,
        byScore: { '1': 1, '2': 0, '3': 0, '4': 0, '5': 0 },
        goodCount: 0,
        badCount: 1,
        activeGoodRate: 0,
        defaults: 0,
      },
      {
        staffName: '张敏',
        finishedMatters: 2,
        ratedMatters: 2,
        ratingRate: 1,
        citizenRatings: 2,
        // The 追评 (4) replaced the 差评 (2).
        byScore: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 1 },
        goodCount: 2,
        badCount: 0,
        activeGoodRate: 1,
        defaults: 0,
      },
      {
        staffName: null,
        finishedMatters: 1,
        ratedMatters: 0,
        ratingRate: 0,
        citizenRatings: 0,
        byScore: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 },
        goodCount: 0,
        badCount: 0,
        activeGoodRate: null,
        defaults: 1,
      },
    ]);
  });

  it('per 事项: under its latest name, sorted and paged as asked', async () => {
    const { body } = await get('/api/stats/matters/tasks', w.supervisor, { ...NOVEMBER, departmentId: w.deptA.id });
    expect(body.totals).toEqual(TOTALS);
    expect(body.tasks.map((x: any) => [x.taskCode, x.taskName, x.finishedMatters, x.ratedMatters, x.badCount, x.defaults])).toEqual([
      [T1, '个体工商户设立登记', 3, 2, 1, 0],
      [T2, '食品经营许可', 1, 1, 0, 0],
      [T3, '税务登记', 1, 0, 0, 1],
    ]);
    const byRate = await get('/api/stats/matters/tasks', w.supervisor, {
      ...NOVEMBER,
      departmentId: w.deptA.id,
      sort: 'ratingRate',
      order: 'asc',
      limit: 2,
      offset: 0,
    });
    expect(byRate.body.total).toBe(3);
    expect(byRate.body.tasks.map((x: any) => x.taskCode)).toEqual([T3, T1]);
    const page2 = await get('/api/stats/matters/tasks', w.supervisor, {
      ...NOVEMBER,
      departmentId: w.deptA.id,
      sort: 'ratingRate',
      order: 'asc',
      limit: 2,
      offset: 2,
    });
    expect(page2.body.tasks.map((x: any) => x.taskCode)).toEqual([T2]);
    const staffByGood = await get('/api/stats/matters/staff', w.supervisor, {
      ...NOVEMBER,
      departmentId: w.deptA.id,
      sort: 'activeGoodRate',
    });
    // A rate without ratings (null) comes last whatever the order.
    expect(staffByGood.body.staff.map((x: any) => x.staffName)).toEqual(['张敏', '李强', null]);
  });

  it('a period without 办件: empty lists, zero totals, null rates', async () => {
    const { body } = await get('/api/stats/matters/staff', w.headA, { from: '2025-01-01', to: '2025-01-31', departmentId: w.deptA.id });
    expect(body).toMatchObject({ total: 0, staff: [], totals: { finishedMatters: 0, ratingRate: null, activeGoodRate: null } });
  });

  it('scoped like every stats route: another department’s head or county gets 404, no department 400, no token 401', async () => {
    for (const path of ['/api/stats/matters/staff', '/api/stats/matters/tasks']) {
      const headB = await get(path, w.headB, { ...NOVEMBER, departmentId: w.deptA.id });
      expect(headB.status, path).toBe(404);
      expect(headB.raw).not.toContain('张敏');
      const other = await get(path, w.otherSupervisor, { ...NOVEMBER, departmentId: w.deptA.id });
      expect(other.status, path).toBe(404);
      expect((await get(path, w.headA, NOVEMBER)).status, path).toBe(400);
      expect((await t.app.inject({ url: `${path}?departmentId=${w.deptA.id}` })).statusCode, path).toBe(401);
      expect((await get(path, w.headB, { ...NOVEMBER, departmentId: w.deptB.id })).status, path).toBe(200);
    }
  });
});

describe('exports and the public page', () => {
  const COLUMNS = ['办结办件数', '已评价办件数', '评价率', '未评价率', '默认评价数', '主动评价好评率'];

  it('export.xlsx and export.csv carry the 办件 columns, exact, and no phone', async () => {
    const xlsx = await t.app.inject({
      url: `/api/stats/export.xlsx?${new URLSearchParams(NOVEMBER)}`,
      headers: bearerFor(t.app, w.supervisor),
    });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('部门指标')!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const rowOf = (name: string) => {
      for (let i = 2; i <= sheet.rowCount; i++) if (sheet.getRow(i).getCell(1).value === name) return sheet.getRow(i);
      throw new Error(`no row ${name}`);
    };
    const cell = (row: ExcelJS.Row, header: string) => row.getCell(headers.indexOf(header) + 1);
    for (const name of [w.deptA.name, '合计']) {
      const row = rowOf(name);
      expect(COLUMNS.map((c) => cell(row, c).value)).toEqual([5, 3, 0.6, 0.4, 1, 0.75]);
      expect(cell(row, '评价率').numFmt).toBe('0.00%');
    }
    expect(COLUMNS.map((c) => cell(rowOf(w.deptB.name), c).value)).toEqual([0, 0, null, null, 0, null]);

    const csv = await t.app.inject({
      url: `/api/stats/export.csv?${new URLSearchParams(NOVEMBER)}`,
      headers: bearerFor(t.app, w.supervisor),
    });
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    const csvHeaders = lines[0]!;
    for (const c of COLUMNS) expect(csvHeaders).toContain(c);
    const a = lines.find((l) => l[0] === w.deptA.name)!;
    expect(COLUMNS.map((c) => a[csvHeaders.indexOf(c)])).toEqual(['5', '3', '60.00%', '40.00%', '1', '75.00%']);
    for (const body of [csv.body, xlsx.rawPayload.toString('latin1')]) expect(body).not.toContain(PHONE);
  });

  it('/api/public/rankings: counts and rates of 办件, never a 经办人 or a 事项', async () => {
    const res = await t.app.inject({ url: '/api/public/rankings?month=2026-11' });
    expect(res.statusCode).toBe(200);
    const a = res.json().departments.find((d: any) => d.name === w.deptA.name);
    expect(a).toMatchObject({ finishedMatters: 5, ratedMatters: 3, ratingRate: 0.6, activeGoodRate: 0.75 });
    for (const forbidden of ['张敏', '李强', '个体工商户', T1, 'staff', 'task', PHONE])
      expect(res.body, forbidden).not.toContain(forbidden);
  });
});

describe('a 差评 case knows its 办件', () => {
  const caseOf = async (ratingId: number) =>
    (await firstRow<{ id: number }>(t.db, sql`SELECT id FROM cases WHERE rating_id = ${ratingId}`))!.id;

  it('GET /api/cases/{id}: the 办件 number, 事项, 经办人, applicant type, dates, channel and assess number; the applicant’s phone masked', async () => {
    const res = await t.app.inject({ url: `/api/cases/${await caseOf(m.r3.id)}`, headers: bearerFor(t.app, w.supervisor) });
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c.rating).toMatchObject({ channel: 'link', channelLabel: '评价链接', assessNumber: 1, superseded: false, score: 1 });
    expect(c.matter).toEqual({
      projectNo: m.m3.projectNo,
      codeId: w.codeA.id,
      taskCode: T1,
      taskName: '个体工商户设立登记（个人独资）',
      staffName: '李强',
      applicantType: 'person',
      applicantTypeLabel: '个人',
      applicantPhoneMasked: '139****5678',
      source: null,
      sourceLabel: null,
      status: 'finished',
      statusLabel: '已办结',
      acceptedAt: T0 - DAY - 3600_000,
      finishedAt: T0 - DAY,
      promisedDate: '2026-11-30',
    });
    expect(res.body).not.toContain(PHONE);
    // A head of the department sees it too; another department's head does not see the case at all.
    expect(
      (await t.app.inject({ url: `/api/cases/${await caseOf(m.r3.id)}`, headers: bearerFor(t.app, w.headA) })).json().matter,
    ).toMatchObject({
      projectNo: m.m3.projectNo,
    });
    expect((await t.app.inject({ url: `/api/cases/${await caseOf(m.r3.id)}`, headers: bearerFor(t.app, w.headB) })).statusCode).toBe(404);
  });

  it('the case of a 差评 its 追评 replaced says so; a window code’s case has no 办件', async () => {
    const superseded = (
      await t.app.inject({ url: `/api/cases/${await caseOf(m.r2a.id)}`, headers: bearerFor(t.app, w.supervisor) })
    ).json();
    expect(superseded.rating).toMatchObject({ channel: 'link', assessNumber: 1, superseded: true, score: 2 });
    expect(superseded.matter).toMatchObject({ projectNo: m.m2.projectNo, staffName: '张敏', applicantPhoneMasked: null });
    const window = await t.app.inject({
      method: 'POST',
      url: `/api/codes/${w.codeA.id}/ratings`,
      payload: { score: 1, tags: ['服务态度差'], clientId: 'device-figures-0002', idempotencyKey: key() },
      remoteAddress: '10.1.1.2',
    });
    expect(window.statusCode, window.body).toBe(201);
    const plain = (
      await t.app.inject({ url: `/api/cases/${await caseOf(window.json().id)}`, headers: bearerFor(t.app, w.supervisor) })
    ).json();
    expect(plain.rating).toMatchObject({ channel: 'qr', channelLabel: '二维码', assessNumber: null, superseded: false });
    expect(plain.matter).toBeNull();
  });
});

describe('the ratings behind a figure', () => {
  it('a 差评 its 追评 replaced is not behind the 差评 figure (the count and the list agree); listed, marked, with includeExcluded', async () => {
    const bad = await get('/api/stats/ratings', w.supervisor, { ...NOVEMBER, departmentId: w.deptA.id, kind: 'bad' });
    expect(bad.body.total).toBe(1);
    expect(bad.body.ratings.map((r: any) => r.id)).toEqual([m.r3.id]);
    expect(bad.body.ratings[0]).toMatchObject({ channel: 'link', assessNumber: 1, superseded: false });
    const all = await get('/api/stats/ratings', w.supervisor, {
      ...NOVEMBER,
      departmentId: w.deptA.id,
      kind: 'bad',
      includeExcluded: 'true',
    });
    expect(all.body.ratings.map((r: any) => [r.id, r.superseded, r.assessNumber])).toEqual([
      [m.r3.id, false, 1],
      [m.r2a.id, true, 1],
    ]);
    const csv = await t.app.inject({
      url: `/api/stats/export.csv?${new URLSearchParams({ ...NOVEMBER, sheet: 'ratings' })}`,
      headers: bearerFor(t.app, w.supervisor),
    });
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    const [head, ...rest] = lines;
    const col = (row: string[], name: string) => row[head!.indexOf(name)];
    const marks = rest.map((r) => [col(r, '评分'), col(r, '渠道'), col(r, '评价次数'), col(r, '已被追评取代')]);
    expect(marks).toEqual(
      expect.arrayContaining([
        ['2', '评价链接', '首次评价', '是'],
        ['4', '评价链接', '追评', ''],
        ['3', '二维码', '', ''],
        // The default rating is its 办件's only rating: assess number 1.
        ['4', '系统默认', '首次评价', ''],
      ]),
    );
    expect(csv.body).not.toContain(PHONE);
  });
});
