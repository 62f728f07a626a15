// 投诉 (docs/domain.md 4.8, docs/api.md): complaints entered by staff (POST /api/cases/complaints), 12345
// work orders pushed with an integration key (POST /api/work-orders, idempotent by order number), the
// complaint workflow, the citizen's status page and lookup, and the figures (GET /api/stats/complaints).
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow, rows } from '../../db/client.js';
import { verifyRollups } from '../../server/modules/stats/recount.js';
import { bearerFor } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';
import { makeIntegration } from '../integrations/keys.js';
import { getJson, move, type UserLike } from './helpers.js';

const { t, w } = useTestWorld();

const enter = (user: UserLike, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/cases/complaints', headers: bearerFor(t.app, user), payload });

const complaint = (over: Record<string, unknown> = {}) => ({
  channel: 'phone',
  departmentId: w.deptA.id,
  code: w.codeA.id,
  subject: '社保卡补办',
  description: '窗口人员让我跑了三趟，电话 13912345678',
  phone: '13912345678',
  consent: true,
  receivedOn: '2026-11-20',
  ...over,
});

const workOrder = (apiKey: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/work-orders', headers: { 'x-api-key': apiKey }, payload });

const order = (over: Record<string, unknown> = {}) => ({
  orderNo: 'GD2026112300017',
  departmentId: w.deptA.id,
  subject: '营业执照变更',
  description: '来电反映营业执照变更一直没有办好',
  phone: '13812345678',
  receivedAt: '2026-11-23',
  ...over,
});

async function caseCount(): Promise<number> {
  return Number((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM cases`))!.n);
}

describe('POST /api/cases/complaints', () => {
  it('opens a complaint case with its channel, deadlines from the day received, the status page and the lookup', async () => {
    const res = await enter(w.supervisor, complaint());
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.caseNo).toBe('TS20261123-0001');
    const stored = (await firstRow<Record<string, unknown>>(t.db, sql`SELECT * FROM cases WHERE id = ${body.id}`))!;
    expect(stored).toMatchObject({
      kind: 'complaint',
      status: 'open',
      channel: 'phone',
      rating_id: null,
      code_id: w.codeA.id,
      department_id: w.deptA.id,
      rating_day: '2026-11-20',
      // 2 and 15 working days from Friday 2026-11-20.
      contact_due_date: '2026-11-24',
      due_date: '2026-12-11',
      entered_by: w.supervisor.id,
      description: '窗口人员让我跑了三趟，电话 139****5678',
    });
    expect(JSON.stringify(stored)).not.toContain('13912345678');

    const detail = (await getJson(t, w.supervisor, `/api/cases/${body.id}`)).json();
    expect(detail).toMatchObject({ kind: 'complaint', kindLabel: '投诉', statusLabel: '待核实', location: expect.any(String) });
    expect(detail.report).toMatchObject({
      channel: 'phone',
      channelLabel: '投诉电话',
      receivedOn: '2026-11-20',
      phoneMasked: '139****5678',
    });
    expect(detail.allowedMoves.map((m: { action: string }) => m.action)).toEqual(['核实']);

    const page = await t.app.inject({ url: `/api/public/cases/${body.statusUrl.slice(3)}` });
    expect(page.json()).toMatchObject({ caseNo: body.caseNo, caseKind: 'complaint', statusLabel: '待核实' });
    expect(page.json().events[0].label).toContain('投诉');
    const found = await t.app.inject({
      method: 'POST',
      url: '/api/cases/lookup',
      payload: { caseNo: 'ts20261123 0001', phoneLast4: '5678' },
    });
    expect(found.json()).toEqual({ statusUrl: body.statusUrl });

    // In the case list and the department head's to-do list.
    const list = (await getJson(t, w.headA, '/api/cases?actionable=true')).json();
    expect(list.cases.map((c: { caseNo: string }) => c.caseNo)).toContain(body.caseNo);
    expect((await verifyRollups(t.db)).mismatchCount).toBe(0);
  });

  it('takes a complaint without a window; a head enters one for their own department only', async () => {
    const res = await enter(w.headA, complaint({ code: undefined, channel: 'mailbox', phone: undefined, consent: undefined }));
    expect(res.statusCode, res.body).toBe(201);
    const list = (await getJson(t, w.supervisor, '/api/cases?kind=complaint')).json();
    expect(list.cases).toHaveLength(1);
    expect(list.cases[0]).toMatchObject({ codeId: '', location: '', kind: 'complaint', anonymous: true });
    const other = await enter(w.headA, complaint({ departmentId: w.deptB.id, code: w.codeB.id }));
    expect(other.statusCode).toBe(403);
    expect(other.json().error).toBe('DepartmentOutOfScope');
  });

  it('answers every bad field with a 4xx naming it in Chinese, and stores nothing', async () => {
    const bad: [Record<string, unknown>, number, string][] = [
      [complaint({ channel: 'fax' }), 400, 'ValidationError'],
      [complaint({ channel: undefined }), 400, 'ValidationError'],
      [complaint({ departmentId: undefined }), 400, 'ValidationError'],
      [complaint({ departmentId: w.deptC.id, code: w.codeC.id }), 403, 'DepartmentOutOfScope'],
      [complaint({ code: w.codeB.id }), 400, 'InvalidCode'],
      [complaint({ code: 'NOSUCHCODE' }), 400, 'InvalidCode'],
      [complaint({ description: '   ' }), 400, 'MissingDescription'],
      [complaint({ description: 'x'.repeat(1001) }), 400, 'ValidationError'],
      [complaint({ phone: '12345' }), 400, 'InvalidPhone'],
      [complaint({ consent: false }), 400, 'ConsentRequired'],
      [complaint({ receivedOn: '2026-02-30' }), 400, 'InvalidDate'],
      [complaint({ receivedOn: '20261120' }), 400, 'ValidationError'],
      [complaint({ receivedOn: '2026-11-24' }), 400, 'FutureDate'],
      [complaint({ receivedOn: '2026-01-01' }), 400, 'TooOld'],
      [complaint({ channel: '12345' }), 400, 'MissingOrderNo'],
      [complaint({ channel: '12345', orderNo: 'GD 001' }), 400, 'InvalidOrderNo'],
    ];
    for (const [payload, status, error] of bad) {
      const res = await enter(w.supervisor, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().error, JSON.stringify(payload)).toBe(error);
      expect(res.json().message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await caseCount()).toBe(0);
    // Other-county supervisor: not in scope.
    expect((await enter(w.otherSupervisor, complaint())).statusCode).toBe(403);
    // No login: 401.
    expect((await t.app.inject({ method: 'POST', url: '/api/cases/complaints', payload: complaint() })).statusCode).toBe(401);
  });

  it('a second entry of the same 12345 order is a 409 naming the existing case; another channel may reuse the number', async () => {
    const first = await enter(w.supervisor, complaint({ channel: '12345', orderNo: 'GD001' }));
    expect(first.statusCode).toBe(201);
    const again = await enter(w.admin, complaint({ channel: '12345', orderNo: 'GD001', description: '又一次' }));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'DuplicateOrder' });
    expect(again.json().message).toContain(first.json().caseNo);
    expect((await enter(w.supervisor, complaint({ channel: 'letter', orderNo: 'GD001' }))).statusCode).toBe(201);
    expect(await caseCount()).toBe(2);
  });
});

describe('the complaint workflow', () => {
  it('核实 → 整改 → 回访 with satisfaction → 办结; the citizen sees the measures; roles and order are enforced', async () => {
    const { id, statusUrl } = (await enter(w.supervisor, complaint())).json();
    expect((await move(t, w.headA, id, { to: 'rectifying' })).statusCode).toBe(409);
    expect((await move(t, w.headA, id, { to: 'visited' })).statusCode).toBe(400); // 核实情况 required
    expect((await move(t, w.headB, id, { to: 'visited', note: '属实' })).statusCode).toBe(404);
    expect((await move(t, w.headA, id, { to: 'visited', note: '经核实属实' })).statusCode).toBe(200);
    expect((await move(t, w.headA, id, { to: 'rectifying', note: '窗口一次性告知' })).statusCode).toBe(200);
    expect((await move(t, w.headA, id, { to: 'rectified', note: '已对窗口人员批评教育，推行一次性告知' })).statusCode).toBe(200);
    expect((await move(t, w.headA, id, { to: 'answered' })).statusCode).toBe(400); // satisfaction required
    expect((await move(t, w.headA, id, { to: 'answered', satisfaction: 'satisfied' })).statusCode).toBe(200);
    expect((await move(t, w.headA, id, { to: 'closed' })).statusCode).toBe(403); // only the supervisor closes
    const closed = await move(t, w.supervisor, id, { to: 'closed' });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', statusLabel: '办结', satisfaction: 'satisfied' });
    const page = (await t.app.inject({ url: `/api/public/cases/${statusUrl.slice(3)}` })).json();
    expect(page.events.map((e: { label: string }) => e.label)).toEqual([
      expect.stringContaining('投诉'),
      '已核实，正在处理',
      '整改中',
      '已整改',
      '已回访',
      '办结',
    ]);
    expect(page.events[3].note).toContain('一次性告知');
    expect((await verifyRollups(t.db)).mismatchCount).toBe(0);
  });

  it('核实 → 解释说明 goes straight to 回访', async () => {
    const { id } = (await enter(w.supervisor, complaint())).json();
    await move(t, w.supervisor, id, { to: 'visited', note: '诉求无政策依据' });
    const res = await move(t, w.supervisor, id, { to: 'rectified', note: '按规定须本人到场，已向群众解释' });
    expect(res.statusCode).toBe(200);
    expect(res.json().statusLabel).toBe('已整改/说明待回访');
  });
});

describe('POST /api/work-orders', () => {
  it('opens a 12345 case with its order number; a replay answers 200 with the same case, never a duplicate', async () => {
    const { apiKey } = await makeIntegration(t.app, w.admin, '12345 热线系统');
    const res = await workOrder(apiKey, order());
    expect(res.statusCode, res.body).toBe(201);
    expect(Object.keys(res.json()).sort()).toEqual(['caseNo', 'statusUrl']);
    const again = await workOrder(apiKey, order({ description: '重复推送' }));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(res.json());
    const stored = await rows<Record<string, unknown>>(t.db, sql`SELECT * FROM cases`);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ kind: 'complaint', channel: '12345', order_no: 'GD2026112300017', entered_by: null, code_id: null });
    // Audited with the integration named.
    const audit = await rows<{ action: string; detail: string }>(
      t.db,
      sql`SELECT action, detail FROM audit_log WHERE action = 'case.work_order'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toContain('12345 热线系统');
    // Staff entering the same order by hand: 409.
    const typed = await enter(w.supervisor, complaint({ channel: '12345', orderNo: 'GD2026112300017' }));
    expect(typed.statusCode).toBe(409);
  });

  it('refuses bad fields, departments outside the key scope, and a revoked key (401)', async () => {
    const made = await makeIntegration(t.app, w.admin);
    const bad: [Record<string, unknown>, number, string][] = [
      [order({ orderNo: undefined }), 400, 'ValidationError'],
      [order({ orderNo: '' }), 400, 'ValidationError'],
      [order({ orderNo: '工单1' }), 400, 'InvalidOrderNo'],
      [order({ departmentId: w.deptC.id }), 403, 'DepartmentOutOfScope'],
      [order({ departmentId: 'A' }), 400, 'ValidationError'],
      [order({ code: w.codeB.id }), 400, 'InvalidCode'],
      [order({ description: '' }), 400, 'MissingDescription'],
      [order({ phone: '110' }), 400, 'InvalidPhone'],
      [order({ receivedAt: '2026-11-24' }), 400, 'FutureDate'],
      [order({ receivedAt: 'yesterday' }), 400, 'ValidationError'],
    ];
    for (const [payload, status, error] of bad) {
      const res = await workOrder(made.apiKey, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().error, JSON.stringify(payload)).toBe(error);
    }
    expect(await caseCount()).toBe(0);
    expect((await workOrder('zz_not_a_key', order())).statusCode).toBe(401);
    await t.app.inject({ method: 'DELETE', url: `/api/integrations/${made.id}`, headers: bearerFor(t.app, w.admin) });
    const revoked = await workOrder(made.apiKey, order());
    expect(revoked.statusCode).toBe(401);
    // A department head may not push work orders.
    const head = await t.app.inject({ method: 'POST', url: '/api/work-orders', headers: bearerFor(t.app, w.headA), payload: order() });
    expect(head.statusCode).toBe(403);
  });
});

describe('GET /api/stats/complaints', () => {
  it('counts complaints by channel and department, closed on time and satisfied', async () => {
    const a = (await enter(w.supervisor, complaint())).json();
    await enter(w.supervisor, complaint({ channel: '12345', orderNo: 'GD9' }));
    await enter(w.supervisor, complaint({ departmentId: w.deptB.id, code: w.codeB.id, channel: 'letter' }));
    for (const [to, extra] of [
      ['visited', { note: '属实' }],
      ['rectified', { note: '已说明' }],
      ['answered', { satisfaction: 'basic' }],
      ['closed', {}],
    ] as const) {
      expect((await move(t, w.supervisor, a.id, { to, ...extra })).statusCode).toBe(200);
    }
    const res = await getJson(t, w.supervisor, '/api/stats/complaints?from=2026-11-01&to=2026-11-30');
    expect(res.statusCode).toBe(200);
    const f = res.json();
    expect(f.total).toEqual({ complaints: 3, closed: 1, onTime: 1, onTimeRate: 1, satisfied: 1 });
    expect(f.channels.find((c: { channel: string }) => c.channel === '12345')).toMatchObject({ channelLabel: '12345工单', complaints: 1 });
    expect(f.departments.map((d: { departmentId: number; complaints: number }) => [d.departmentId, d.complaints])).toEqual([
      [w.deptA.id, 2],
      [w.deptB.id, 1],
    ]);
    // A head sees their department only.
    const head = (await getJson(t, w.headB, '/api/stats/complaints?from=2026-11-01&to=2026-11-30')).json();
    expect(head.total.complaints).toBe(1);
    expect((await getJson(t, w.supervisor, '/api/stats/complaints?from=2026-11-30&to=2026-11-01')).statusCode).toBe(400);
  });
});
