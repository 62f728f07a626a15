// 办不成事 (docs/domain.md, docs/api.md): the citizen's report (POST /api/public/reports), its case of
// kind cannot_handle in the code's department, the three classifications and their moves, the
// coordination of 不好办 across departments, and its figures. Nothing of it counts as a 差评.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow, rows } from '../../db/client.js';
import { verifyRollups } from '../../server/modules/stats/recount.js';
import { bearerFor } from '../helpers/app.js';
import { makeDepartment, makeRating, makeUser, useTestWorld } from '../helpers/factories.js';
import { getJson, move, type UserLike } from './helpers.js';

const { t, w } = useTestWorld();

function report(payload: Record<string, unknown>, ip = '10.1.1.1') {
  return t.app.inject({ method: 'POST', url: '/api/public/reports', payload, remoteAddress: ip });
}

async function reported(over: Record<string, unknown> = {}) {
  const res = await report({ code: w.codeA.id, subject: '不动产登记', description: '材料齐全但窗口说系统不支持，让我下周再来', ...over });
  expect(res.statusCode).toBe(201);
  const { caseNo, statusUrl } = res.json();
  const row = (await firstRow<{ id: number }>(t.db, sql`SELECT id FROM cases WHERE case_no = ${caseNo}`))!;
  return { id: row.id, caseNo: caseNo as string, statusUrl: statusUrl as string };
}

const post = (user: UserLike, url: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, headers: bearerFor(t.app, user), payload: payload as Record<string, unknown> });

describe('POST /api/public/reports', () => {
  it('opens a cannot_handle case in the code department with a case number and the status page', async () => {
    const res = await report({
      code: w.codeA.id.toLowerCase(),
      subject: '不动产登记',
      description: '窗口说办不了，电话 13912345678 找我',
      phone: '139 1234 5678',
      consent: true,
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['caseNo', 'statusUrl']);
    expect(body.caseNo).toMatch(/^BB20261123-0001$/);
    expect(body.statusUrl).toMatch(/^\/s\/[A-Za-z0-9_-]{24}$/);
    const stored = (await firstRow<Record<string, unknown>>(t.db, sql`SELECT * FROM cases WHERE case_no = ${body.caseNo}`))!;
    expect(stored).toMatchObject({
      kind: 'cannot_handle',
      status: 'open',
      rating_id: null,
      department_id: w.deptA.id,
      subject: '不动产登记',
    });
    // The phone is stored encrypted only; the description masked like a comment.
    expect(JSON.stringify(stored)).not.toContain('13912345678');
    expect(stored.description).toBe('窗口说办不了，电话 139****5678 找我');
    expect(stored.phone_enc).toBeTruthy();

    // The citizen's status page (the same as a 差评's).
    const page = await t.app.inject({ url: `/api/public/cases/${body.statusUrl.slice(3)}` });
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({
      caseNo: body.caseNo,
      caseKind: 'cannot_handle',
      statusLabel: '待分类',
      score: null,
      subject: '不动产登记',
      departmentName: w.deptA.name,
    });
    expect(page.json().events[0].label).toContain('办不成事');
    expect(JSON.stringify(page.json())).not.toContain('13912345678');
    // The staff see it, phone masked.
    const detail = (await getJson(t, w.supervisor, `/api/cases/${stored.id}`)).json();
    expect(detail).toMatchObject({ kind: 'cannot_handle', kindLabel: '办不成事', rating: null, score: null, phoneMasked: '139****5678' });
    expect(detail.report).toMatchObject({ subject: '不动产登记', phoneMasked: '139****5678', phoneErased: false });
    // The 受理编号 + last four digits lookup finds it too.
    const found = await t.app.inject({ method: 'POST', url: '/api/cases/lookup', payload: { caseNo: body.caseNo, phoneLast4: '5678' } });
    expect(found.json()).toEqual({ statusUrl: body.statusUrl });
  });

  it('answers every bad field with a 4xx naming it in Chinese, and stores nothing', async () => {
    const bad: [Record<string, unknown>, number, string, RegExp][] = [
      [{ description: '办不了' }, 400, 'CodeOrMatterToken', /code/],
      [{ code: w.codeA.id }, 400, 'ValidationError', /description/],
      [{ code: w.codeA.id, description: '   ' }, 400, 'MissingDescription', /description/],
      [{ code: w.codeA.id, description: 'x'.repeat(1001) }, 400, 'ValidationError', /description/],
      [{ code: w.codeA.id, description: '办不了', subject: 'x'.repeat(101) }, 400, 'ValidationError', /subject/],
      [{ code: w.codeA.id, description: '办不了', phone: '12345', consent: true }, 400, 'InvalidPhone', /phone/],
      [{ code: w.codeA.id, description: '办不了', phone: '13912345678' }, 400, 'ConsentRequired', /consent/],
      [{ code: w.codeA.id, description: '办不了', phone: '13912345678', consent: false }, 400, 'ConsentRequired', /consent/],
      [{ code: w.codeA.id, description: 5 }, 400, 'ValidationError', /description/],
      [{ code: 'NOPE-CODE', description: '办不了' }, 404, 'CodeNotFound', /code/],
    ];
    for (const [payload, status, error, names] of bad) {
      const res = await report(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      const b = res.json();
      expect(b.error, JSON.stringify(payload)).toBe(error);
      expect(b.message).toMatch(/[\u4e00-\u9fff]/);
      expect(b.message, JSON.stringify(payload)).toMatch(names);
    }
    expect(await rows(t.db, sql`SELECT id FROM cases`)).toEqual([]);
  });

  it('a phone with consent is kept; consent without a phone keeps nothing (anonymous)', async () => {
    const { id } = await reported({ consent: true });
    const row = (await firstRow<{ phone_enc: string | null; anonymous: number }>(
      t.db,
      sql`SELECT phone_enc, anonymous FROM cases WHERE id = ${id}`,
    ))!;
    expect(row.phone_enc).toBeNull();
    expect(Boolean(row.anonymous)).toBe(true);
  });

  it('a disabled code answers 410', async () => {
    await t.app.inject({
      method: 'PATCH',
      url: `/api/codes/${w.codeA.id}`,
      headers: bearerFor(t.app, w.admin),
      payload: { active: false },
    });
    const res = await report({ code: w.codeA.id, description: '办不了' });
    expect(res.statusCode).toBe(410);
    expect(res.json().error).toBe('CodeDisabled');
  });

  it('is limited per network like the rating routes (429 in Chinese), other networks unaffected', async () => {
    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/api/settings',
      headers: bearerFor(t.app, w.cityAdmin),
      payload: { limits: { networkPerMinute: 10 } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await report({ code: w.codeA.id, description: `第${i}次` }, '10.9.9.9')).statusCode);
    expect(statuses).toEqual([...Array(10).fill(201), 429]);
    const last = await report({ code: w.codeA.id, description: '再来' }, '10.9.9.9');
    expect(last.json()).toMatchObject({ error: 'NetworkLimit', message: expect.stringContaining('频繁') });
    expect((await report({ code: w.codeA.id, description: '别的网络' }, '10.9.9.10')).statusCode).toBe(201);
  });
});

describe('the 办不成事 workflow', () => {
  it('不能办: classified, explained (the citizen reads it), closed with the citizen feedback', async () => {
    const c = await reported();
    expect((await move(t, w.headA, c.id, { to: 'visited' })).json().error).toBe('MissingField');
    // The 差评 classification is not this one.
    expect((await move(t, w.headA, c.id, { to: 'visited', classification: 'valid' })).statusCode).toBe(400);
    const classified = await move(t, w.headA, c.id, { to: 'visited', handling: 'cannot', note: '核实：该事项依法须本人到场' });
    expect(classified.statusCode).toBe(200);
    expect(classified.json()).toMatchObject({ handling: 'cannot', handlingLabel: '不能办', statusLabel: '已分类' });
    expect(classified.json().allowedMoves.map((m: { action: string }) => m.action)).toEqual(['解释说明']);
    // Illegal from here: 协调 and 督办 are other classifications' moves; closing skips the explanation.
    expect((await move(t, w.supervisor, c.id, { to: 'rectifying' })).statusCode).toBe(409);
    expect((await move(t, w.supervisor, c.id, { to: 'closed', satisfaction: 'satisfied' })).statusCode).toBe(409);
    expect(
      (await move(t, w.headA, c.id, { to: 'rectified', note: '依据《不动产登记暂行条例》须本人到场，可预约延时服务' })).statusCode,
    ).toBe(200);
    const closed = await move(t, w.headA, c.id, { to: 'closed', satisfaction: 'basic' });
    expect(closed.statusCode).toBe(200);
    expect(closed.json().status).toBe('closed');
    const page = (await t.app.inject({ url: `/api/public/cases/${c.statusUrl.slice(3)}` })).json();
    expect(page.statusLabel).toBe('办结');
    expect(page.events.map((e: { label: string; note: string | null }) => [e.label, e.note])).toEqual([
      [expect.stringContaining('已受理'), null],
      ['已核实，正在处理', null],
      ['已解释说明', '依据《不动产登记暂行条例》须本人到场，可预约延时服务'],
      ['办结', '回访满意度：基本满意'],
    ]);
  });

  it('不给办: 督办 by the supervisor only, escalated at once, on the supervisor queue until solved', async () => {
    const c = await reported();
    await move(t, w.headA, c.id, { to: 'visited', handling: 'refused' });
    const byHead = await move(t, w.headA, c.id, { to: 'rectifying' });
    expect(byHead.statusCode).toBe(403);
    const sup = await move(t, w.supervisor, c.id, { to: 'rectifying', note: '责令三日内办理' });
    expect(sup.statusCode).toBe(200);
    expect(sup.json()).toMatchObject({ escalated: true, statusLabel: '办理中' });
    const queue = (await getJson(t, w.supervisor, '/api/cases?actionable=true')).json();
    expect(queue.cases.map((x: { id: number }) => x.id)).toContain(c.id);
    const home = (await getJson(t, w.supervisor, '/api/home')).json();
    expect(JSON.stringify(home)).toBeTruthy();
    expect((await move(t, w.headA, c.id, { to: 'rectified', note: '已当场办结' })).statusCode).toBe(200);
    expect((await move(t, w.supervisor, c.id, { to: 'closed', satisfaction: 'satisfied' })).statusCode).toBe(200);
  });

  it('不好办: another department is added, its head sees the case and records its part; a third department cannot', async () => {
    const c = await reported();
    await move(t, w.headA, c.id, { to: 'visited', handling: 'hard' });
    // Not coordinating yet: no departments can be added.
    expect((await post(w.headA, `/api/cases/${c.id}/departments`, { departmentId: w.deptB.id })).statusCode).toBe(409);
    expect((await move(t, w.headA, c.id, { to: 'rectifying', note: '需与规划部门协调' })).statusCode).toBe(200);
    // Head B cannot see it yet.
    expect((await getJson(t, w.headB, `/api/cases/${c.id}`)).statusCode).toBe(404);
    const deptD = await makeDepartment(t.db, { orgUnitId: w.county.id });
    const headD = await makeUser(t.db, { role: 'dept_head', departmentIds: [deptD.id] });
    // A department of another county cannot be added; the case's own neither.
    expect((await post(w.supervisor, `/api/cases/${c.id}/departments`, { departmentId: w.deptC.id })).statusCode).toBe(400);
    expect((await post(w.headA, `/api/cases/${c.id}/departments`, { departmentId: w.deptA.id })).statusCode).toBe(400);
    const added = await post(w.supervisor, `/api/cases/${c.id}/departments`, { departmentId: w.deptB.id });
    expect(added.statusCode).toBe(200);
    expect(added.json().parts).toMatchObject([{ departmentId: w.deptB.id, departmentName: w.deptB.name, note: null }]);
    expect((await post(w.supervisor, `/api/cases/${c.id}/departments`, { departmentId: w.deptB.id })).statusCode).toBe(409);
    // The result cannot be recorded while a part is missing.
    const early = await move(t, w.headA, c.id, { to: 'rectified', note: '已办结' });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain('协办部门');

    // Head B sees the case (and lists it), records B's part, and can do nothing else with it.
    const seen = await getJson(t, w.headB, `/api/cases/${c.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ partDepartmentIds: [w.deptB.id], allowedMoves: [], canCoordinate: false });
    expect((await getJson(t, w.headB, '/api/cases')).json().cases.map((x: { id: number }) => x.id)).toContain(c.id);
    expect((await move(t, w.headB, c.id, { to: 'rectified', note: '越权' })).statusCode).toBe(404);
    expect((await post(w.headB, `/api/cases/${c.id}/departments`, { departmentId: w.deptB.id })).statusCode).toBe(403);
    // A third department sees nothing and records nothing.
    expect((await getJson(t, headD, `/api/cases/${c.id}`)).statusCode).toBe(404);
    expect((await getJson(t, headD, '/api/cases')).json().cases).toEqual([]);
    expect((await post(headD, `/api/cases/${c.id}/parts`, { departmentId: w.deptB.id, note: '冒充' })).statusCode).toBe(404);
    // Head A cannot record B's part.
    expect((await post(w.headA, `/api/cases/${c.id}/parts`, { departmentId: w.deptB.id, note: '代写' })).statusCode).toBe(403);
    const part = await post(w.headB, `/api/cases/${c.id}/parts`, { departmentId: w.deptB.id, note: '已出具规划核实意见' });
    expect(part.statusCode).toBe(200);
    expect(part.json().parts[0]).toMatchObject({ note: '已出具规划核实意见', byName: expect.any(String), at: expect.any(Number) });

    expect((await move(t, w.headA, c.id, { to: 'rectified', note: '两部门协调后已办结' })).statusCode).toBe(200);
    const closed = await move(t, w.supervisor, c.id, { to: 'closed', satisfaction: 'satisfied' });
    expect(closed.statusCode).toBe(200);
    const events = closed.json().events.map((e: { type: string }) => e.type);
    expect(events).toEqual(['opened', 'classified', 'coordinating', 'department_added', 'part_recorded', 'resolved', 'closed']);
  });

  it('uses its own deadlines (settings cannotHandle) and escalates when the answer is late', async () => {
    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/api/settings',
      headers: bearerFor(t.app, w.admin),
      payload: { cannotHandle: { answerWorkingDays: 1, caseWorkingDays: 3 } },
    });
    expect(patched.statusCode).toBe(200);
    const c = await reported();
    const detail = (await getJson(t, w.supervisor, `/api/cases/${c.id}`)).json();
    // 2026-11-23 is a Monday.
    expect(detail).toMatchObject({ contactDueDate: '2026-11-24', dueDate: '2026-11-26' });
    t.clock.set(Date.parse('2026-11-25T10:00:00+08:00'));
    expect((await t.services.cases.escalateOverdue()).escalated).toBe(1);
    expect((await getJson(t, w.supervisor, `/api/cases/${c.id}`)).json()).toMatchObject({ escalated: true, contactOverdue: true });
  });
});

describe('figures', () => {
  it('the case list filters by 事项 (subject): exactly that 事项, or with an empty one the reports naming none', async () => {
    const a = await reported({ subject: '不动产登记' });
    const b = await reported({ subject: '社会保障卡补办' });
    const c = await reported({ subject: undefined });
    const list = async (qs: string) => {
      const res = await t.app.inject({ url: `/api/cases?kind=cannot_handle&${qs}`, headers: bearerFor(t.app, w.supervisor) });
      expect(res.statusCode, res.body).toBe(200);
      return {
        nos: res
          .json()
          .cases.map((x: { caseNo: string }) => x.caseNo)
          .sort(),
        total: res.json().total,
      };
    };
    expect(await list(`subject=${encodeURIComponent('不动产登记')}`)).toEqual({ nos: [a.caseNo], total: 1 });
    expect(await list(`subject=${encodeURIComponent('社会保障卡补办')}&sort=queue`)).toEqual({ nos: [b.caseNo], total: 1 });
    expect(await list('subject=')).toEqual({ nos: [c.caseNo], total: 1 });
    expect((await list('')).total).toBe(3);
    const tooLong = await t.app.inject({ url: `/api/cases?subject=${'事'.repeat(101)}`, headers: bearerFor(t.app, w.supervisor) });
    expect(tooLong.statusCode).toBe(400);
  });

  it('reports, 解决率 and classifications by department and 事项; the 差评 figures and rollups count none of it', async () => {
    const a = await reported({ subject: '不动产登记' });
    const b = await reported({ subject: '不动产登记' });
    await reported({ subject: undefined });
    await move(t, w.supervisor, b.id, { to: 'visited', handling: 'refused' });
    const close = async (id: number, satisfaction: 'satisfied' | 'basic' | 'unsatisfied') => {
      await move(t, w.headA, id, { to: 'visited', handling: 'cannot' });
      await move(t, w.headA, id, { to: 'rectified', note: '解释' });
      await move(t, w.headA, id, { to: 'closed', satisfaction });
    };
    await close(a.id, 'satisfied');
    const figures = (await getJson(t, w.supervisor, '/api/stats/cannot-handle?from=2026-11-01&to=2026-11-30')).json();
    // By classification too: one 不能办 (closed), one 不给办, one not classified yet.
    expect(figures.total).toEqual({ reports: 3, closed: 1, solved: 1, solveRate: 1, cannot: 1, hard: 0, refused: 1 });
    expect(figures.departments).toEqual([
      {
        departmentId: w.deptA.id,
        departmentName: w.deptA.name,
        reports: 3,
        closed: 1,
        solved: 1,
        solveRate: 1,
        cannot: 1,
        hard: 0,
        refused: 1,
      },
    ]);
    expect(figures.subjects).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ subject: '不动产登记', reports: 2, closed: 1, solved: 1, cannot: 1, refused: 1 }),
        expect.objectContaining({ subject: null, reports: 1, closed: 0, solveRate: null }),
      ]),
    );
    // Head B's scope has none of department A's reports.
    expect((await getJson(t, w.headB, '/api/stats/cannot-handle')).json().total.reports).toBe(0);
    // Not a 差评: the case indicators count no case.
    const daily = await rows(t.db, sql`SELECT * FROM daily_case_stats`);
    expect(daily).toEqual([]);
    expect((await verifyRollups(t.db)).mismatches).toEqual([]);
  });
});

describe("a head's case list with the cases their department coordinates on", () => {
  /**
   * Department A's head lists A's own cases and B's 不好办 cases A coordinates on, interleaved in
   * time; the list reads them as two branches merged to the page, so every page, total and filter is
   * checked against the cases as made.
   */
  async function interleaved() {
    const made: { id: number; createdAt: number; own: boolean; status: string }[] = [];
    for (let i = 0; i < 12; i++) {
      t.clock.advance(60_000);
      if (i % 3 === 1) {
        // B's report, coordinated with A (every second one) or not.
        const res = await report(
          { code: w.codeB.id, subject: '不动产登记', description: '两个部门互相推诿，材料一直办不下来' },
          `10.2.0.${i}`,
        );
        expect(res.statusCode, res.body).toBe(201);
        const id = (await firstRow<{ id: number }>(t.db, sql`SELECT id FROM cases WHERE case_no = ${res.json().caseNo}`))!.id;
        if (i % 2 === 1) {
          await move(t, w.headB, id, { to: 'visited', handling: 'hard' });
          expect((await move(t, w.headB, id, { to: 'rectifying', note: '需与A部门协调' })).statusCode).toBe(200);
          expect((await post(w.supervisor, `/api/cases/${id}/departments`, { departmentId: w.deptA.id })).statusCode).toBe(200);
          made.push({ id, createdAt: t.clock.now(), own: false, status: 'rectifying' });
        } else made.push({ id, createdAt: t.clock.now(), own: false, status: 'open' });
      } else {
        const { case: kase } = await makeRating(t.services, { codeId: w.codeA.id, score: 1, createdAt: t.clock.now() });
        made.push({ id: kase!.id, createdAt: t.clock.now(), own: true, status: kase!.status });
      }
    }
    return made;
  }

  const list = async (user: UserLike, qs: string) => {
    const res = await getJson(t, user, `/api/cases?${qs}`);
    expect(res.statusCode, res.body).toBe(200);
    return { ids: res.json().cases.map((x: { id: number }) => x.id) as number[], total: res.json().total as number };
  };

  it('newest first: every page of both parts in one order, the total counting each case once', async () => {
    const made = await interleaved();
    const coordinatedOnA = made.filter((m) => !m.own && m.status === 'rectifying');
    expect(coordinatedOnA.length).toBe(2);
    const expected = made
      .filter((m) => m.own || m.status === 'rectifying')
      .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
      .map((m) => m.id);
    expect(expected.length).toBe(10);
    const pages: number[] = [];
    for (let offset = 0; offset < 12; offset += 3) {
      const page = await list(w.headA, `limit=3&offset=${offset}`);
      expect(page.total).toBe(10);
      pages.push(...page.ids);
    }
    expect(pages).toEqual(expected);
    // Filters apply to both parts: by status, and by one that needs the cases themselves.
    expect(await list(w.headA, 'status=rectifying')).toEqual({ ids: coordinatedOnA.map((m) => m.id).reverse(), total: 2 });
    const since = coordinatedOnA[1]!.createdAt;
    const after = expected.filter((id) => made.find((m) => m.id === id)!.createdAt >= since);
    expect(await list(w.headA, `openedSince=${since}`)).toEqual({ ids: after, total: after.length });
    // The queue holds the same cases (all unclosed), each once.
    const queue = await list(w.headA, 'sort=queue&limit=100');
    expect(queue.total).toBe(10);
    expect([...queue.ids].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
    // B's head sees B's own four, the coordinated ones among them, and none of A's.
    expect((await list(w.headB, 'limit=100')).total).toBe(4);
  });

  it('a head of both departments sees a coordinated case once, as their own', async () => {
    const made = await interleaved();
    const headAB = await makeUser(t.db, { role: 'dept_head', departmentIds: [w.deptA.id, w.deptB.id] });
    const all = await list(headAB, 'limit=100');
    expect(all.total).toBe(12);
    expect(all.ids).toEqual([...made].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id).map((m) => m.id));
    const queue = await list(headAB, 'sort=queue&limit=5&offset=10');
    expect(queue.total).toBe(12);
    expect(queue.ids.length).toBe(2);
  });
});
