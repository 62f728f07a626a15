// 监督报告 (docs/domain.md 4.9, docs/api.md): an invited observer (特邀监督员) files what they saw at a
// window; it opens an `observation` case in that department; the head answers, a supervisor closes it;
// the observer follows it on their own report and sees nothing else. A staff member's report is a
// 一把手走流程 and follows the same workflow.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { verifyRollups } from '../../server/modules/stats/recount.js';
import { bearerFor } from '../helpers/app.js';
import { makeUser, useTestWorld } from '../helpers/factories.js';
import { getJson, move, type UserLike } from './helpers.js';

const { t, w } = useTestWorld();

const post = (user: UserLike, url: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, headers: bearerFor(t.app, user), payload: payload as Record<string, unknown> });

// The test clock's today is 2026-11-23 (China time).
const good = () => ({ departmentId: w.deptA.id, code: w.codeA.id, observedOn: '2026-11-20', description: '窗口无人值守二十分钟' });

async function observer() {
  return makeUser(t.db, { role: 'observer', orgUnitId: w.county.id });
}

describe('observation reports', () => {
  it('an observer files a report: an observation case in the department, masked text, the observer’s name on the staff list', async () => {
    const obs = await observer();
    const res = await post(obs, '/api/observations', { ...good(), description: '窗口让我打 13912345678 问' });
    expect(res.statusCode, res.body).toBe(201);
    const { id, caseNo } = res.json();
    expect(caseNo).toBe('JD20261123-0001');
    const stored = (await firstRow<Record<string, unknown>>(t.db, sql`SELECT * FROM cases WHERE id = ${id}`))!;
    expect(stored).toMatchObject({
      kind: 'observation',
      status: 'open',
      department_id: w.deptA.id,
      reported_by: obs.id,
      observed_day: '2026-11-20',
      rating_id: null,
    });
    expect(stored.description).toBe('窗口让我打 139****5678 问');
    expect(Boolean(stored.walkthrough)).toBe(false);

    const list = (await getJson(t, w.supervisor, '/api/cases?kind=observation')).json();
    expect(list.total).toBe(1);
    expect(list.cases[0]).toMatchObject({
      id,
      kind: 'observation',
      kindLabel: '监督报告',
      reporterName: obs.displayName,
      walkthrough: false,
    });
    // The department's head sees it too (its answer is theirs to give).
    expect((await getJson(t, w.headA, '/api/cases?kind=observation')).json().total).toBe(1);
    expect((await getJson(t, w.headB, '/api/cases?kind=observation')).json().total).toBe(0);
    await verifyRollups(t.db);
  });

  it('every bad field is a 400 naming it', async () => {
    const obs = await observer();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ departmentId: w.deptC.id, code: w.codeC.id }, 'InvalidDepartment', 'departmentId'],
      [{ departmentId: 999999 }, 'InvalidDepartment', 'departmentId'],
      [{ code: w.codeB.id }, 'InvalidCode', 'code'],
      [{ code: 'NOPE0000' }, 'InvalidCode', 'code'],
      [{ observedOn: '2026-11-24' }, 'InvalidDate', 'observedOn'],
      [{ observedOn: '2026-10-23' }, 'InvalidDate', 'observedOn'],
      [{ observedOn: '2026-02-30' }, 'InvalidDate', 'observedOn'],
      [{ observedOn: '20261120' }, '', 'observedOn'],
      [{ description: '   ' }, 'MissingDescription', 'description'],
      [{ description: 'x'.repeat(2001) }, '', 'description'],
      [{ projectNo: 'NO-SUCH-1' }, 'UnknownProjectNo', 'projectNo'],
    ];
    for (const [over, error, field] of cases) {
      const res = await post(obs, '/api/observations', { ...good(), ...over });
      expect(res.statusCode, `${JSON.stringify(over)} ${res.body}`).toBe(400);
      const body = res.json();
      if (error) expect(body.error).toBe(error);
      expect(body.message, JSON.stringify(over)).toContain(field);
    }
    // Missing fields: named by their Chinese description (the validation plugin's wording).
    for (const [f, name] of [
      ['departmentId', '部门'],
      ['observedOn', 'observedOn'],
      ['description', 'description'],
    ] as const) {
      const { [f]: _, ...rest } = good();
      const res = await post(obs, '/api/observations', rest);
      expect(res.statusCode, f).toBe(400);
      expect(res.json().message, f).toContain(name);
    }
    // Nothing was stored.
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM cases`))!.n).toBe(0);
    // The oldest day allowed (30 days back) is accepted.
    expect((await post(obs, '/api/observations', { ...good(), observedOn: '2026-10-24' })).statusCode).toBe(201);
  });

  it('the window is optional: a report without `code` opens a case with no window; a window of another department is still 400', async () => {
    const obs = await observer();
    const { code: _, ...noWindow } = good();
    const res = await post(obs, '/api/observations', { ...noWindow, description: '大厅整体巡查：取号机故障无人处理' });
    expect(res.statusCode, res.body).toBe(201);
    const { id, caseNo } = res.json();
    expect(caseNo).toMatch(/^JD20261123-/);
    const stored = (await firstRow<Record<string, unknown>>(t.db, sql`SELECT * FROM cases WHERE id = ${id}`))!;
    expect(stored).toMatchObject({ kind: 'observation', department_id: w.deptA.id, code_id: null, reported_by: obs.id });
    // Staff see it in the department's list and detail; the observer sees it as their own, with no window.
    expect((await getJson(t, w.headA, '/api/cases?kind=observation')).json().total).toBe(1);
    expect((await getJson(t, w.supervisor, `/api/cases/${id}`)).statusCode).toBe(200);
    const mine = (await getJson(t, obs, '/api/observations')).json();
    expect(mine.reports[0]).toMatchObject({ id, caseNo, location: '', departmentName: w.deptA.name });

    const other = await post(obs, '/api/observations', { ...good(), code: w.codeB.id });
    expect(other.statusCode, other.body).toBe(400);
    expect(other.json().error).toBe('InvalidCode');
    const empty = await post(obs, '/api/observations', { ...good(), code: '' });
    expect(empty.statusCode, empty.body).toBe(400);
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM cases`))!.n).toBe(1);
    await verifyRollups(t.db);
  });

  it('a known 办件 number is accepted', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/matters/OBS-0001',
      headers: bearerFor(t.app, w.admin),
      payload: { code: w.codeA.id, taskCode: 'T1', taskName: '营业执照', status: 'accepted', acceptedAt: '2026-11-20T09:00:00+08:00' },
    });
    expect(put.statusCode, put.body).toBe(201);
    const res = await post(await observer(), '/api/observations', { ...good(), projectNo: 'OBS-0001' });
    expect(res.statusCode, res.body).toBe(201);
    expect((await getJson(t, w.supervisor, `/api/cases/${res.json().id}`)).json().projectNo).toBe('OBS-0001');
  });

  it('workflow: the head answers, the supervisor closes; the observer sees the answer but not internal notes', async () => {
    const obs = await observer();
    const { id } = (await post(obs, '/api/observations', good())).json();
    // The observer cannot work it, nor open it as a case.
    expect((await move(t, obs, id, { to: 'rectified', note: 'x' })).statusCode).toBe(403);
    expect((await getJson(t, obs, `/api/cases/${id}`)).statusCode).toBe(403);
    // The supervisor cannot close before the department answers.
    expect((await move(t, w.supervisor, id, { to: 'closed' })).statusCode).toBe(409);
    const answered = await move(t, w.headA, id, { to: 'rectified', note: '已安排 AB 岗，窗口不再空岗' });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json().statusLabel).toBe('已答复待办结');
    // Sent back once, answered again, closed with an internal note.
    expect((await move(t, w.headA, id, { to: 'open', note: 'x' })).statusCode).toBe(403);
    expect((await move(t, w.supervisor, id, { to: 'open', note: '请说明排班表' })).statusCode).toBe(200);
    expect((await move(t, w.headA, id, { to: 'rectified', note: '已调整排班：午间两人轮岗' })).statusCode).toBe(200);
    const closed = await move(t, w.supervisor, id, { to: 'closed', note: 'INTERNAL 内部意见' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().status).toBe('closed');

    const mine = (await getJson(t, obs, '/api/observations')).json();
    expect(mine.reports).toHaveLength(1);
    const r = mine.reports[0];
    expect(r).toMatchObject({ id, status: 'closed', statusLabel: '办结', walkthrough: false, observedOn: '2026-11-20' });
    const text = JSON.stringify(r);
    expect(text).toContain('已安排 AB 岗');
    expect(text).toContain('午间两人轮岗');
    expect(text).not.toContain('INTERNAL');
    expect(text).not.toContain('请说明排班表');
    await verifyRollups(t.db);
  });

  it('an observer sees only their own reports, and every other case route answers 403', async () => {
    const obs = await observer();
    const other = await observer();
    await post(obs, '/api/observations', good());
    const theirs = (await post(other, '/api/observations', { ...good(), description: 'OTHER 别人的报告' })).json();
    const mine = (await getJson(t, obs, '/api/observations')).json();
    expect(mine.reports).toHaveLength(1);
    expect(JSON.stringify(mine)).not.toContain('OTHER');
    for (const url of ['/api/cases', `/api/cases/${theirs.id}`, '/api/stats/departments', '/api/codes', '/api/departments', '/api/home']) {
      const res = await getJson(t, obs, url);
      expect(res.statusCode, url).toBe(403);
    }
    // What they may do: their own account, the report choices of their county.
    expect((await getJson(t, obs, '/api/auth/me')).statusCode).toBe(200);
    const options = (await getJson(t, obs, '/api/observations/options')).json();
    expect(options.departments.map((d: { id: number }) => d.id).sort()).toEqual([w.deptA.id, w.deptB.id].sort());
    expect(options.departments.find((d: { id: number }) => d.id === w.deptA.id).windows[0].code).toBe(w.codeA.id);
  });

  it('一把手走流程: a head files the same report, shown as such, in their department only', async () => {
    const res = await post(w.headA, '/api/observations', { ...good(), description: '以群众身份办理营业执照，取号等候 40 分钟' });
    expect(res.statusCode, res.body).toBe(201);
    expect((await post(w.headA, '/api/observations', { ...good(), departmentId: w.deptB.id, code: w.codeB.id })).statusCode).toBe(400);
    const list = (await getJson(t, w.supervisor, '/api/cases?kind=observation')).json();
    expect(list.cases[0]).toMatchObject({ walkthrough: true, reporterName: w.headA.displayName });
    const mine = (await getJson(t, w.headA, '/api/observations')).json();
    expect(mine.reports[0]).toMatchObject({ walkthrough: true });
    // Same workflow.
    const id = res.json().id;
    expect((await move(t, w.headA, id, { to: 'rectified', note: '已增设取号引导' })).statusCode).toBe(200);
    expect((await move(t, w.supervisor, id, { to: 'closed' })).statusCode).toBe(200);
    const figures = (await getJson(t, w.supervisor, '/api/stats/observations?from=2026-11-01&to=2026-11-30')).json();
    expect(figures.departments).toEqual([
      { departmentId: w.deptA.id, departmentName: w.deptA.name, reports: 1, walkthroughs: 1, closed: 1 },
    ]);
    await verifyRollups(t.db);
  });

  it('an administrator creates an observer scoped to an org unit, who logs in like staff', async () => {
    const created = await post(w.admin, '/api/users', {
      username: 'jiandu01',
      displayName: '王监督',
      password: 'observer-pass-1',
      role: 'observer',
      orgUnitId: w.county.id,
    });
    expect(created.statusCode, created.body).toBe(201);
    const noUnit = await post(w.admin, '/api/users', {
      username: 'jiandu02',
      displayName: '李监督',
      password: 'observer-pass-1',
      role: 'observer',
    });
    expect(noUnit.statusCode).toBe(400);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'jiandu01', password: 'observer-pass-1' },
    });
    expect(login.statusCode, login.body).toBe(200);
    const me = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${login.json().token}` } });
    expect(me.json()).toMatchObject({ role: 'observer', username: 'jiandu01' });
  });
});
