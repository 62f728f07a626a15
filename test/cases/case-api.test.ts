import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { bearerFor } from '../helpers/app.js';
import { makeRating, useTestWorld } from '../helpers/factories.js';
import { badCase, drive, getJson, move, PHONE } from './helpers.js';

const { t, w } = useTestWorld();
const ids = (body: { cases: { id: number }[] }) => body.cases.map((c) => c.id);

describe('GET /api/cases is scoped like stats, newest first, phones masked', () => {
  it('a head sees their department, a supervisor their county, never another county', async () => {
    const a1 = (await badCase(t, w, { createdAt: t.clock.now() - 2000 })).kase;
    const b1 = (await badCase(t, w, { codeId: w.codeB.id, createdAt: t.clock.now() - 1000 })).kase;
    const c1 = (await badCase(t, w, { codeId: w.codeC.id })).kase;
    const list = async (u: { id: number; role: string }, q = '') => (await getJson(t, u, `/api/cases${q}`)).json();
    expect(ids(await list(w.headA))).toEqual([a1.id]);
    expect(ids(await list(w.headB))).toEqual([b1.id]);
    expect(ids(await list(w.supervisor))).toEqual([b1.id, a1.id]);
    expect(ids(await list(w.otherSupervisor))).toEqual([c1.id]);
    expect(ids(await list(w.cityAdmin))).toEqual([c1.id, b1.id, a1.id]);
    // Asking for another department's cases by id yields nothing, not an error that confirms them.
    expect((await list(w.headA, `?departmentId=${w.deptB.id}`)).cases).toEqual([]);
    const body = await list(w.supervisor);
    expect(body.total).toBe(2);
    expect(body.cases[1]).toMatchObject({
      caseNo: a1.caseNo,
      kind: 'bad_rating',
      status: 'open',
      statusLabel: '待回访',
      departmentId: w.deptA.id,
      departmentName: w.deptA.name,
      codeId: w.codeA.id,
      location: w.codeA.location,
      score: 1,
      scoreLabel: '非常不满意',
      dueDate: a1.dueDate,
      contactDueDate: a1.contactDueDate,
      overdue: false,
      contactOverdue: false,
      ratingId: a1.ratingId,
      anonymous: false,
      phoneMasked: '139****5678',
    });
    expect(JSON.stringify(body)).not.toContain(PHONE);
  });

  it('filters by status list, kind, department and paginates', async () => {
    const a = (await badCase(t, w)).kase;
    const b = (await badCase(t, w, { codeId: w.codeB.id })).kase;
    await drive(t, w.supervisor, a.id, { to: 'visited', classification: 'valid' });
    const q = async (s: string) => (await getJson(t, w.supervisor, `/api/cases?${s}`)).json();
    expect(ids(await q('status=visited'))).toEqual([a.id]);
    expect(ids(await q('status=open,visited&sort=queue'))).toHaveLength(2);
    expect(ids(await q(`departmentId=${w.deptB.id}`))).toEqual([b.id]);
    expect(ids(await q('kind=spot_check'))).toEqual([]);
    const page = await q('limit=1&offset=1');
    expect(page.total).toBe(2);
    expect(page.cases).toHaveLength(1);
    expect((await getJson(t, w.supervisor, '/api/cases?status=nonsense')).statusCode).toBe(400);
    expect((await getJson(t, w.supervisor, '/api/cases?limit=0')).statusCode).toBe(400);
  });

  it("actionable=true is the head's 待整改 list: only cases they have a move on", async () => {
    const open = (await badCase(t, w)).kase;
    const appealed = (await badCase(t, w)).kase;
    await drive(t, w.supervisor, appealed.id, { to: 'visited', classification: 'malicious' });
    await drive(t, w.headA, appealed.id, { to: 'appealed', note: '恶意' });
    const rect = (await badCase(t, w)).kase;
    await drive(t, w.supervisor, rect.id, { to: 'visited', classification: 'valid' });
    await drive(t, w.headA, rect.id, { to: 'rectifying' });
    const head = (await getJson(t, w.headA, '/api/cases?actionable=true&sort=queue')).json();
    expect(ids(head).sort()).toEqual([open.id, rect.id].sort());
    const sup = (await getJson(t, w.supervisor, '/api/cases?actionable=true')).json();
    expect(ids(sup).sort()).toEqual([open.id, appealed.id, rect.id].sort());
    // Once the head asks for review, the case waits on the supervisor, not on the head.
    expect(ids(head)).not.toContain(appealed.id);
  });
});

describe('GET /api/cases/{id}', () => {
  it('shows the rating (masked), the timeline oldest first with names, and what this actor may do', async () => {
    const { kase } = await badCase(t, w, { comment: '等了两小时 <b>没人</b>，请回电 13812345678' });
    t.clock.advance(60_000);
    await drive(t, w.supervisor, kase.id, { to: 'visited', classification: 'valid', note: '已电话回访' });
    const res = await getJson(t, w.supervisor, `/api/cases/${kase.id}`);
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c).toMatchObject({
      id: kase.id,
      caseNo: kase.caseNo,
      kind: 'bad_rating',
      status: 'visited',
      dueDate: kase.dueDate,
      overdue: false,
      canViewPhone: true,
    });
    expect(c.rating).toMatchObject({
      score: 1,
      scoreLabel: '非常不满意',
      tags: ['服务态度差'],
      phoneMasked: '139****5678',
      excluded: false,
      flagged: false,
      location: w.codeA.location,
    });
    // A number typed into the comment is masked too; markup is returned as text for the page to escape.
    expect(c.rating.comment).toBe('等了两小时 <b>没人</b>，请回电 138****5678');
    expect(c.events.map((e: { type: string }) => e.type)).toEqual(['opened', 'visited']);
    expect(c.events[1]).toMatchObject({
      from: 'open',
      to: 'visited',
      by: w.supervisor.id,
      byName: w.supervisor.displayName,
      note: '已电话回访',
      data: { classification: 'valid', classificationLabel: '有效差评', contact: '电话回访' },
    });
    expect(c.events[0].at).toBeLessThan(c.events[1].at);
    expect(c.allowedMoves).toEqual([
      {
        to: 'rectifying',
        event: 'rectifying',
        action: '开始整改',
        fields: [{ name: 'note', type: 'text', required: false, label: '整改安排', hint: '仅内部可见：群众只看到“整改中”' }],
      },
    ]);
    expect(JSON.stringify(c)).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);

    const head = (await getJson(t, w.headA, `/api/cases/${kase.id}`)).json();
    expect(head.canViewPhone).toBe(false);
    expect(head.allowedMoves.map((m: { action: string }) => m.action)).toEqual(['开始整改']);
    const admin = (await getJson(t, w.admin, `/api/cases/${kase.id}`)).json();
    expect(admin.allowedMoves).toEqual([]);
    expect(admin.canAssign).toBe(true);
    for (const outsider of [w.headB, w.otherSupervisor]) {
      const r = await getJson(t, outsider, `/api/cases/${kase.id}`);
      expect(r.statusCode).toBe(404);
      expect(r.body).not.toContain(kase.caseNo);
    }
    expect((await t.app.inject({ url: `/api/cases/${kase.id}` })).statusCode).toBe(401);
  });

  it('匿名差评: the visit needs the internal verification and records "匿名，无法回访"', async () => {
    const { kase } = await badCase(t, w, { anonymous: true });
    const open = (await getJson(t, w.headA, `/api/cases/${kase.id}`)).json();
    expect(open.anonymous).toBe(true);
    expect(open.rating.phoneMasked).toBeNull();
    expect(open.allowedMoves[0].fields).toEqual([
      expect.objectContaining({ name: 'classification', required: true }),
      expect.objectContaining({ name: 'note', required: true, label: '内部核实情况' }),
    ]);
    const missing = await move(t, w.headA, kase.id, { to: 'visited', classification: 'valid' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toBe('MissingField');
    const ok = await move(t, w.headA, kase.id, { to: 'visited', classification: 'valid', note: '调取监控，窗口人员确有离岗' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().events.at(-1)).toMatchObject({
      type: 'visited',
      note: '调取监控，窗口人员确有离岗',
      data: { contact: '匿名，无法回访' },
    });
  });

  it('rejects fields the move does not take, and bad values', async () => {
    const { kase } = await badCase(t, w);
    expect((await move(t, w.supervisor, kase.id, { to: 'visited', classification: 'valid', satisfaction: 'satisfied' })).json().error).toBe(
      'UnexpectedField',
    );
    expect((await move(t, w.supervisor, kase.id, { to: 'visited', classification: 'bogus' as 'valid' })).statusCode).toBe(400);
    expect((await move(t, w.supervisor, kase.id, { to: 'nowhere' as 'open' })).statusCode).toBe(400);
    expect((await move(t, w.supervisor, kase.id, { to: 'visited', classification: 'valid', note: 'x'.repeat(2001) })).statusCode).toBe(400);
    expect((await move(t, w.supervisor, 999_999, { to: 'visited', classification: 'valid' })).statusCode).toBe(404);
  });
});

describe('assignment and the full phone number', () => {
  it('only a supervisor in scope or the assigned officer sees the number; each view is audited', async () => {
    const { kase } = await badCase(t, w);
    const phone = (u: { id: number; role: string }) => getJson(t, u, `/api/cases/${kase.id}/phone`);
    const sup = await phone(w.supervisor);
    expect(sup.statusCode).toBe(200);
    expect(sup.json()).toEqual({ phone: PHONE });
    expect(sup.headers['cache-control']).toBe('no-store');
    expect((await phone(w.headA)).statusCode).toBe(403);
    expect((await phone(w.admin)).statusCode).toBe(403);
    expect((await phone(w.headB)).statusCode).toBe(404);
    expect((await phone(w.otherSupervisor)).statusCode).toBe(404);

    const assign = (u: { id: number; role: string }, officerId: number) =>
      t.app.inject({ method: 'POST', url: `/api/cases/${kase.id}/assign`, headers: bearerFor(t.app, u), payload: { officerId } });
    expect((await assign(w.headA, w.headA.id)).statusCode).toBe(403);
    expect((await assign(w.supervisor, w.headB.id)).json().error).toBe('InvalidOfficer');
    expect((await assign(w.supervisor, w.otherSupervisor.id)).statusCode).toBe(400);
    expect((await assign(w.supervisor, w.admin.id)).statusCode).toBe(400);
    expect((await assign(w.otherSupervisor, w.headA.id)).statusCode).toBe(404);
    const assignees = (await getJson(t, w.supervisor, `/api/cases/${kase.id}/assignees`)).json().users.map((u: { id: number }) => u.id);
    expect(assignees.sort()).toEqual([w.supervisor.id, w.headA.id].sort());

    const assigned = await assign(w.supervisor, w.headA.id);
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json()).toMatchObject({ officerId: w.headA.id, officerName: w.headA.displayName });
    expect((await phone(w.headA)).json()).toEqual({ phone: PHONE });
    expect((await getJson(t, w.headA, `/api/cases/${kase.id}`)).json().canViewPhone).toBe(true);
    // Reassignment is an event; the former officer loses access.
    const re = (await assign(w.admin, w.supervisor.id)).json();
    expect(
      re.events.filter((e: { type: string }) => e.type === 'assigned').map((e: { data: { officerId: number } }) => e.data.officerId),
    ).toEqual([w.headA.id, w.supervisor.id]);
    expect((await phone(w.headA)).statusCode).toBe(403);

    const audit = await rows<{ user_id: number; action: string; target_type: string; target_id: string; at: number }>(
      t.db,
      sql`SELECT user_id, action, target_type, target_id, at FROM audit_log WHERE action = 'case.phone_view' ORDER BY id`,
    );
    expect(audit).toEqual([
      { user_id: w.supervisor.id, action: 'case.phone_view', target_type: 'case', target_id: String(kase.id), at: t.clock.now() },
      { user_id: w.headA.id, action: 'case.phone_view', target_type: 'case', target_id: String(kase.id), at: t.clock.now() },
    ]);
  });

  it('an anonymous rating has no number to show', async () => {
    const { kase } = await badCase(t, w, { anonymous: true });
    const res = await getJson(t, w.supervisor, `/api/cases/${kase.id}/phone`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('NoPhone');
  });

  it('a closed case cannot be assigned', async () => {
    const { kase } = await badCase(t, w);
    await drive(t, w.supervisor, kase.id, { to: 'visited', classification: 'no_basis' });
    await drive(t, w.headA, kase.id, { to: 'answered', note: '解释' });
    await drive(t, w.supervisor, kase.id, { to: 'closed' });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${kase.id}/assign`,
      headers: bearerFor(t.app, w.supervisor),
      payload: { officerId: w.headA.id },
    });
    expect(res.statusCode).toBe(409);
  });
});

describe("the citizen's status link", () => {
  it('shows public steps and the notes addressed to the citizen, nothing else', async () => {
    const { kase } = await badCase(t, w);
    await drive(t, w.supervisor, kase.id, { to: 'visited', classification: 'valid', note: '内部：当事窗口人员张三' });
    await t.services.cases.assign((await t.services.auth.resolveActor(w.supervisor.id))!, kase.id, w.headA.id);
    await drive(t, w.headA, kase.id, { to: 'rectifying', note: '内部整改安排' });
    await drive(t, w.headA, kase.id, { to: 'rectified', note: '已增设取号引导员，缩短等候时间' });
    const res = await t.app.inject({ url: `/api/public/cases/${kase.statusToken}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({
      caseNo: kase.caseNo,
      caseKind: 'bad_rating',
      status: 'rectified',
      statusLabel: '已整改待反馈',
      // Where and what was rated, as the citizen wrote it; both deadlines.
      departmentName: w.deptA.name,
      location: w.codeA.location,
      score: 1,
      scoreLabel: '非常不满意',
      tags: ['服务态度差'],
      comment: '窗口人员态度冷淡',
      subject: null,
      description: null,
      anonymous: false,
      contactDueDate: kase.contactDueDate,
      dueDate: kase.dueDate,
      createdAt: kase.createdAt,
      events: [
        { at: expect.any(Number), label: '已受理，等待回访', note: null },
        { at: expect.any(Number), label: '已回访核实', note: null },
        { at: expect.any(Number), label: '整改中', note: null },
        { at: expect.any(Number), label: '已整改', note: '已增设取号引导员，缩短等候时间' },
      ],
    });
    for (const secret of ['张三', '内部', w.supervisor.displayName, w.headA.displayName, 'valid', PHONE, '139****5678']) {
      expect(res.body).not.toContain(secret);
    }
    const { departmentId, ...status } = (await t.services.cases.publicStatus(kase.statusToken))!;
    expect(departmentId).toBe(w.deptA.id);
    expect(status).toEqual(body);
  });

  it('staff are told exactly what the citizen sees: the steps (by their public words) and the notes marked 群众可见', async () => {
    const { kase } = await badCase(t, w, { comment: '等了很久，电话 13812345678' });
    await drive(t, w.supervisor, kase.id, { to: 'visited', classification: 'valid', note: '内部：当事窗口人员张三' });
    await t.services.cases.assign((await t.services.auth.resolveActor(w.supervisor.id))!, kase.id, w.headA.id);
    await drive(t, w.headA, kase.id, { to: 'rectifying', note: '内部整改安排' });
    await drive(t, w.headA, kase.id, { to: 'rectified', note: '已增设取号引导员' });
    const staff = (await getJson(t, w.supervisor, `/api/cases/${kase.id}`)).json();
    const told = staff.events
      .filter((e: { public: boolean }) => e.public)
      .map((e: { publicLabel: string; notePublic: boolean; note: string | null }) => ({
        label: e.publicLabel,
        note: e.notePublic ? e.note : null,
      }));
    const shown = (await t.app.inject({ url: `/api/public/cases/${kase.statusToken}` }))
      .json()
      .events.map((e: { label: string; note: string | null }) => ({ label: e.label, note: e.note }));
    expect(shown).toEqual(told);
    expect(told.map((e: { note: string | null }) => e.note)).toEqual([null, null, null, '已增设取号引导员']);
    // The visit's note was written on a step the citizen sees: staff are told it stays inside.
    const visited = staff.events.find((e: { type: string }) => e.type === 'visited');
    expect(visited).toMatchObject({ public: true, publicLabel: '已回访核实', notePublic: false, note: '内部：当事窗口人员张三' });
    // The comment as stored: the number masked.
    expect((await t.services.cases.publicStatus(kase.statusToken))!.comment).toBe('等了很久，电话 138****5678');
    // An assignment is not a public step: no public words.
    expect(staff.events.find((e: { type: string }) => e.type === 'assigned')).toMatchObject({ public: false, publicLabel: null });
  });

  it('an anonymous 差评 is told its case is verified by the department, not that a call will come', async () => {
    const { kase } = await badCase(t, w, { anonymous: true });
    const body = (await t.app.inject({ url: `/api/public/cases/${kase.statusToken}` })).json();
    expect(body).toMatchObject({ anonymous: true, events: [{ label: '已受理，由部门核实处理', note: null }] });
    // Its status says the same: 待核实, not 待回访 (nobody will call).
    expect(body).toMatchObject({ status: 'open', statusLabel: '待核实' });
  });

  it('an unknown token is a 404 in Chinese', async () => {
    const res = await t.app.inject({ url: '/api/public/cases/not-a-real-token' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'CaseNotFound', message: expect.stringMatching(/未找到/) });
    expect(await t.services.cases.publicStatus('not-a-real-token')).toBeNull();
  });
});

describe('good ratings open no case', () => {
  it('a 3–5 rating is not in the case list', async () => {
    await makeRating(t.services, { codeId: w.codeA.id, score: 4, phone: PHONE });
    expect((await getJson(t, w.supervisor, '/api/cases')).json().total).toBe(0);
  });
});
