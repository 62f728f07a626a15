// The other ways in as figures (issue #14): 办不成事, 投诉 and 金点子 per department in the exports'
// 部门指标 (xlsx and CSV, appended after the existing columns), the staff's 金点子 figures of a period
// (GET /api/stats/suggestions), and the public page's 办不成事 counts — all made through the HTTP API.

import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { bearerFor } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld();
type UserLike = { id: number; role: string };

const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };
const get = (user: UserLike, url: string) => t.app.inject({ url, headers: bearerFor(t.app, user) });
const post = (user: UserLike, url: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url, headers: bearerFor(t.app, user), payload });

let ip = 0;
/** A 办不成事 reported by a citizen at a window; its case id. */
async function report(code: string, subject = '不动产登记'): Promise<number> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/public/reports',
    payload: { code, subject, description: '材料齐全但窗口说系统不支持' },
    remoteAddress: `10.9.0.${++ip}`,
  });
  expect(res.statusCode, res.body).toBe(201);
  return (await firstRow<{ id: number }>(t.db, sql`SELECT id FROM cases WHERE case_no = ${res.json().caseNo}`))!.id;
}

/** 不能办: explained, then closed with the citizen's feedback. */
async function closeReport(head: UserLike, id: number, satisfaction: 'satisfied' | 'basic' | 'unsatisfied') {
  for (const body of [
    { to: 'visited', handling: 'cannot' },
    { to: 'rectified', note: '依法须本人到场，可预约延时服务' },
    { to: 'closed', satisfaction },
  ]) {
    const res = await post(head, `/api/cases/${id}/transitions`, body);
    expect(res.statusCode, res.body).toBe(200);
  }
}

async function complaint(departmentId: number, channel: string, receivedOn = '2026-11-20') {
  const res = await post(w.supervisor, '/api/cases/complaints', {
    channel,
    departmentId,
    subject: '社保卡补办',
    description: '窗口人员让我跑了三趟',
    receivedOn,
    ...(channel === '12345' ? { orderNo: `GD${++ip}` } : {}),
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function suggestion(code: string, decision?: 'adopted' | 'partial' | 'declined') {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/public/suggestions',
    payload: { code, category: '流程优化', title: '增加自助查询机', content: '建议在大厅增设自助查询机', submitterType: '群众' },
    remoteAddress: `10.8.0.${++ip}`,
  });
  expect(res.statusCode, res.body).toBe(201);
  if (!decision) return;
  const id = Number(res.json().suggestionNo.slice(2));
  const answered = await post(w.supervisor, `/api/suggestions/${id}/answer`, {
    decision,
    reason: '已研究',
    ...(decision === 'declined' ? {} : { action: '已增设一台' }),
  });
  expect(answered.statusCode, answered.body).toBe(200);
}

/**
 * November in department A: 办不成事 3 (2 closed, 1 solved), 投诉 2, 金点子 3 (2 answered, 1 adopted);
 * in department B: 办不成事 1 (open), 投诉 1, 金点子 1 (partial). Outside November: a complaint
 * received on 10-31 and a suggestion of 12-01 00:00 (China time), both department A's.
 */
async function november() {
  const a1 = await report(w.codeA.id);
  const a2 = await report(w.codeA.id);
  await report(w.codeA.id, '社保转移');
  await report(w.codeB.id);
  await closeReport(w.headA, a1, 'satisfied');
  await closeReport(w.headA, a2, 'unsatisfied');
  await complaint(w.deptA.id, 'phone');
  await complaint(w.deptA.id, '12345');
  await complaint(w.deptB.id, 'mailbox');
  await complaint(w.deptA.id, 'phone', '2026-10-31');
  // The last millisecond of November counts; the first of December does not.
  t.clock.set(Date.parse('2026-11-30T23:59:59.999+08:00'));
  await suggestion(w.codeA.id, 'adopted');
  await suggestion(w.codeA.id, 'declined');
  await suggestion(w.codeA.id);
  await suggestion(w.codeB.id, 'partial');
  t.clock.set(Date.parse('2026-12-01T00:00:00+08:00'));
  await suggestion(w.codeA.id, 'adopted');
}

const NEW_HEADERS = ['办不成事', '办不成事已办结', '已解决', '解决率', '投诉', '金点子', '金点子已答复', '采纳率'];

/** RFC 4180 enough for our own files: quoted fields, doubled quotes, CRLF. */
function parseCsv(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((l) => l !== '')
    .map((line) => {
      const out: string[] = [];
      let field = '';
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const c = line[i]!;
        if (quoted && c === '"' && line[i + 1] === '"') {
          field += '"';
          i++;
        } else if (c === '"') quoted = !quoted;
        else if (c === ',' && !quoted) {
          out.push(field);
          field = '';
        } else field += c;
      }
      out.push(field);
      return out;
    });
}

describe('Exports: 办不成事, 投诉 and 金点子 per department, after the existing columns', () => {
  it('export.csv: exact counts and rates per department and in 合计, for the period only; the old columns first and unchanged', async () => {
    await november();
    const res = await get(w.supervisor, `/api/stats/export.csv?${new URLSearchParams(NOVEMBER)}`);
    expect(res.statusCode).toBe(200);
    const [header, ...rows] = parseCsv(res.body);
    // Scripts read the existing 32 columns by position: they stay where they were.
    expect(header!.slice(0, 3)).toEqual(['部门', '所属县区', '评价数']);
    expect(header![31]).toBe('按期办结率');
    expect(header!.slice(32)).toEqual(NEW_HEADERS);
    const row = (name: string) => rows.find((r) => r[0] === name)!.slice(32);
    expect(row(w.deptA.name)).toEqual(['3', '2', '1', '50.00%', '2', '3', '2', '50.00%']);
    expect(row(w.deptB.name)).toEqual(['1', '0', '0', '', '1', '1', '1', '100.00%']);
    expect(row('合计')).toEqual(['4', '2', '1', '50.00%', '3', '4', '3', '66.67%']);
    // The same 解决率 as the staff page's figures (GET /api/stats/cannot-handle).
    const figures = (await get(w.supervisor, `/api/stats/cannot-handle?${new URLSearchParams(NOVEMBER)}`)).json();
    expect(figures.total).toMatchObject({ reports: 4, closed: 2, solved: 1, solveRate: 0.5 });
  });

  it('export.xlsx: the same figures as numbers, rates formatted as percentages; a head sees their department only', async () => {
    await november();
    const res = await get(w.headA, `/api/stats/export.xlsx?${new URLSearchParams(NOVEMBER)}`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('部门指标')!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers[31]).toBe('按期办结率');
    expect(headers.slice(32)).toEqual(NEW_HEADERS);
    const values = (i: number) => (sheet.getRow(i).values as unknown[]).slice(1);
    const names = Array.from({ length: sheet.rowCount - 1 }, (_, i) => values(i + 2)[0]);
    expect(names).toEqual([w.deptA.name, '合计']);
    expect(values(2).slice(32)).toEqual([3, 2, 1, 0.5, 2, 3, 2, 0.5]);
    expect(values(3).slice(32)).toEqual([3, 2, 1, 0.5, 2, 3, 2, 0.5]);
    expect(sheet.getRow(2).getCell(36).numFmt).toBe('0.00%');
    expect(sheet.getRow(2).getCell(40).numFmt).toBe('0.00%');
  });
});

describe('GET /api/stats/suggestions: the 金点子 of a period, per department of the scope', () => {
  it('counts by submission day (China time), answers and 采纳率; a head sees their department only', async () => {
    await november();
    const all = (await get(w.supervisor, `/api/stats/suggestions?${new URLSearchParams(NOVEMBER)}`)).json();
    expect(all).toMatchObject({ from: '2026-11-01', to: '2026-11-30', total: 4, answered: 3, adopted: 1, partial: 1, declined: 1 });
    expect(all.adoptionRate).toBeCloseTo(2 / 3);
    expect(all.departments).toEqual([
      {
        departmentId: w.deptA.id,
        departmentName: w.deptA.name,
        total: 3,
        answered: 2,
        adopted: 1,
        partial: 0,
        declined: 1,
        adoptionRate: 0.5,
      },
      {
        departmentId: w.deptB.id,
        departmentName: w.deptB.name,
        total: 1,
        answered: 1,
        adopted: 0,
        partial: 1,
        declined: 0,
        adoptionRate: 1,
      },
    ]);
    const head = (await get(w.headB, `/api/stats/suggestions?${new URLSearchParams(NOVEMBER)}`)).json();
    expect(head.departments.map((d: { departmentId: number }) => d.departmentId)).toEqual([w.deptB.id]);
    // December so far (the default period: this month): the one of 12-01 00:00.
    expect((await get(w.supervisor, '/api/stats/suggestions')).json()).toMatchObject({ from: '2026-12-01', total: 1 });
    const bad = await get(w.supervisor, '/api/stats/suggestions?from=2026-11-30&to=2026-11-01');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'InvalidRange', message: expect.stringMatching(/开始日期/) });
    expect((await t.app.inject({ url: '/api/stats/suggestions' })).statusCode).toBe(401);
  });
});

describe('GET /api/public/rankings: 办不成事 counts per department, no personal data', () => {
  it('carries reports, closed and solved of the month, and nothing of the reports themselves', async () => {
    await november();
    const res = await t.app.inject({ url: `/api/public/rankings?month=2026-11&orgUnitId=${w.county.id}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const dept = (name: string) => body.departments.find((d: { name: string }) => d.name === name);
    expect(dept(w.deptA.name)).toMatchObject({ cannotHandleReports: 3, cannotHandleClosed: 2, cannotHandleSolved: 1 });
    expect(dept(w.deptB.name)).toMatchObject({ cannotHandleReports: 1, cannotHandleClosed: 0, cannotHandleSolved: 0 });
    // Counts only: no subject, description, case number or phone anywhere in the answer.
    const text = res.body;
    for (const secret of ['不动产登记', '社保转移', '材料齐全', 'BB2026', '/s/']) expect(text).not.toContain(secret);
    expect(Object.keys(dept(w.deptA.name)).filter((k) => k.startsWith('cannotHandle'))).toEqual([
      'cannotHandleReports',
      'cannotHandleClosed',
      'cannotHandleSolved',
    ]);
    // Another month has none.
    const october = (await t.app.inject({ url: `/api/public/rankings?month=2026-10&orgUnitId=${w.county.id}` })).json();
    for (const d of october.departments) expect(d.cannotHandleReports).toBe(0);
  });
});
