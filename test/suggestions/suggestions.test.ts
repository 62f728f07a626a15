// 金点子 (docs/domain.md, docs/api.md): submitting without login (bad fields, the per-network limit, the
// contact kept encrypted), staff's answers in scope and their audit, and what the public page shows:
// the answers and the figures, never a contact or a submitter.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow, rows } from '../../db/client.js';
import { bearerFor } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld();

type UserLike = { id: number; role: string };

function submit(payload: Record<string, unknown>, ip = '10.2.2.2') {
  return t.app.inject({ method: 'POST', url: '/api/public/suggestions', payload, remoteAddress: ip });
}

const GOOD = {
  category: '流程优化',
  title: '不动产登记增加自助查询机',
  content: '建议在大厅增设自助查询机，减少排队',
  submitterType: '群众',
};

async function submitted(over: Record<string, unknown> = {}): Promise<number> {
  const res = await submit({ code: w.codeA.id, ...GOOD, ...over });
  expect(res.statusCode, res.body).toBe(201);
  return Number(res.json().suggestionNo.slice(2));
}

const answer = (user: UserLike, id: number, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/suggestions/${id}/answer`, headers: bearerFor(t.app, user), payload });
const get = (user: UserLike, url: string) => t.app.inject({ url, headers: bearerFor(t.app, user) });

describe('POST /api/public/suggestions', () => {
  it('stores a suggestion in the code department, phones in the text masked, the contact encrypted', async () => {
    const res = await submit({
      code: w.codeA.id.toLowerCase(),
      ...GOOD,
      content: '建议增设自助机，有事打 13912345678',
      contact: '139 1234 5678',
      consent: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ suggestionNo: expect.stringMatching(/^JY\d{6}$/) });
    const stored = (await firstRow<Record<string, unknown>>(t.db, sql`SELECT * FROM suggestions`))!;
    expect(stored).toMatchObject({ department_id: w.deptA.id, code_id: w.codeA.id, category: '流程优化', submitter_type: '群众' });
    expect(stored.content).toBe('建议增设自助机，有事打 139****5678');
    expect(JSON.stringify(stored)).not.toContain('13912345678');
    expect(stored.contact_enc).toBeTruthy();
    // Staff see it masked; the full contact through the audited route.
    const list = (await get(w.supervisor, '/api/suggestions')).json();
    expect(list.total).toBe(1);
    expect(list.suggestions[0]).toMatchObject({ contactMasked: '139****5678', decision: null, departmentName: w.deptA.name });
    const contact = await get(w.supervisor, `/api/suggestions/${stored.id}/contact`);
    expect(contact.json()).toEqual({ contact: '13912345678' });
    const audit = await rows<{ action: string }>(t.db, sql`SELECT action FROM audit_log WHERE target_type = 'suggestion'`);
    expect(audit.map((a) => a.action)).toEqual(['suggestion.contact_view']);
  });

  it('takes a department instead of a code, and a name as the contact (masked)', async () => {
    const res = await submit({ departmentId: w.deptB.id, ...GOOD, submitterType: '企业', contact: '王经理', consent: true });
    expect(res.statusCode, res.body).toBe(201);
    const list = (await get(w.headB, '/api/suggestions')).json();
    expect(list.suggestions[0]).toMatchObject({ departmentId: w.deptB.id, codeId: null, submitterType: '企业', contactMasked: '王**' });
  });

  it('answers every bad field with a 400 naming it in Chinese, and stores nothing', async () => {
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [{ ...GOOD }, 400, 'MissingDepartment', /部门/],
      [{ code: w.codeA.id, ...GOOD, category: '乱写' }, 400, 'ValidationError', /类别/],
      [{ code: w.codeA.id, ...GOOD, title: '' }, 400, 'ValidationError', /标题/],
      [{ code: w.codeA.id, ...GOOD, title: '   ' }, 400, 'MissingTitle', /标题/],
      [{ code: w.codeA.id, ...GOOD, title: '长'.repeat(61) }, 400, 'ValidationError', /标题.*过长/],
      [{ code: w.codeA.id, ...GOOD, content: undefined }, 400, 'ValidationError', /建议内容/],
      [{ code: w.codeA.id, ...GOOD, content: '\u0000 \u0001' }, 400, 'MissingContent', /建议内容/],
      [{ code: w.codeA.id, ...GOOD, submitterType: '路人' }, 400, 'ValidationError', /提出人身份/],
      [{ code: w.codeA.id, ...GOOD, contact: '12345', consent: true }, 400, 'InvalidContact', /联系方式/],
      [{ code: w.codeA.id, ...GOOD, contact: '13912345678' }, 400, 'ConsentRequired', /联系方式/],
      [{ code: w.codeA.id, ...GOOD, departmentId: 'x' }, 400, 'ValidationError', /部门/],
      [{ departmentId: 999999, ...GOOD }, 400, 'UnknownDepartment', /部门/],
      [{ code: 'NOPE-CODE', ...GOOD }, 404, 'CodeNotFound', /评议码/],
    ];
    for (const [payload, status, error, message] of cases) {
      const res = await submit(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().error, JSON.stringify(payload)).toBe(error);
      expect(res.json().message, JSON.stringify(payload)).toMatch(message);
      expect(res.json().message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await rows(t.db, sql`SELECT id FROM suggestions`)).toEqual([]);
  });

  it('is limited per network (429 in Chinese), other networks unaffected', async () => {
    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/api/settings',
      headers: bearerFor(t.app, w.cityAdmin),
      payload: { limits: { networkPerMinute: 10 } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await submit({ code: w.codeA.id, ...GOOD, title: `第${i}条` }, '10.9.9.9')).statusCode);
    expect(statuses).toEqual([...Array(10).fill(201), 429]);
    const limited = await submit({ code: w.codeA.id, ...GOOD }, '10.9.9.9');
    expect(limited.json()).toMatchObject({ error: 'NetworkLimit', message: expect.stringMatching(/频繁/) });
    expect((await submit({ code: w.codeA.id, ...GOOD }, '10.9.9.10')).statusCode).toBe(201);
  });
});

describe('answers', () => {
  it('needs a reason, and what was done for 采纳 / 部分采纳; an amended answer is audited with the one it replaced', async () => {
    const id = await submitted();
    for (const [payload, error] of [
      [{ decision: 'adopted', reason: '好建议' }, 'MissingAction'],
      [{ decision: 'partial', reason: '好建议', action: '  ' }, 'MissingAction'],
      [{ decision: 'declined', reason: ' ' }, 'MissingReason'],
      [{ decision: 'maybe', reason: '…' }, 'ValidationError'],
    ] as const) {
      const res = await answer(w.supervisor, id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error).toBe(error);
    }
    const declined = await answer(w.supervisor, id, { decision: 'declined', reason: '场地有限，暂无条件' });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json()).toMatchObject({ decision: 'declined', action: null, answerCount: 1 });
    const amended = await answer(w.headA, id, { decision: 'adopted', reason: '调整了布局', action: '已在一楼增设 2 台自助查询机' });
    expect(amended.statusCode, amended.body).toBe(200);
    expect(amended.json()).toMatchObject({ decision: 'adopted', action: '已在一楼增设 2 台自助查询机', answerCount: 2 });
    const audit = await rows<{ action: string; detail: string }>(
      t.db,
      sql`SELECT action, detail FROM audit_log WHERE target_type = 'suggestion' ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['suggestion.answer', 'suggestion.amend']);
    expect(JSON.parse(audit[1]!.detail)).toEqual({
      before: { decision: 'declined', reason: '场地有限，暂无条件', action: null },
      after: { decision: 'adopted', reason: '调整了布局', action: '已在一楼增设 2 台自助查询机' },
    });
  });

  it('a head answers only their departments; another county sees nothing', async () => {
    const id = await submitted();
    expect((await answer(w.headB, id, { decision: 'declined', reason: '不是本部门' })).statusCode).toBe(404);
    expect((await answer(w.otherSupervisor, id, { decision: 'declined', reason: '—' })).statusCode).toBe(404);
    expect((await get(w.headB, '/api/suggestions')).json()).toEqual({ total: 0, suggestions: [] });
    expect((await get(w.otherSupervisor, `/api/suggestions/${id}`)).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/suggestions' })).statusCode).toBe(401);
  });

  it('lists by status, department and category, one page at a time', async () => {
    const a = await submitted();
    await submitted({ category: '服务态度' });
    await submitted({ code: w.codeB.id });
    await answer(w.supervisor, a, { decision: 'declined', reason: '暂无条件' });
    const q = async (query: string) => (await get(w.supervisor, `/api/suggestions?${query}`)).json();
    expect((await q('')).total).toBe(3);
    expect((await q('status=pending')).total).toBe(2);
    expect((await q('status=answered')).suggestions.map((s: { id: number }) => s.id)).toEqual([a]);
    expect((await q(`departmentId=${w.deptB.id}`)).total).toBe(1);
    expect((await q(encodeURI('category=服务态度'))).total).toBe(1);
    const page = await q('limit=2&offset=2');
    expect(page.total).toBe(3);
    expect(page.suggestions).toHaveLength(1);
  });
});

describe('GET /api/public/suggestions', () => {
  it('publishes the answered ones without any personal data, with counts and adoption rate per department', async () => {
    const a = await submitted({ contact: '13912345678', consent: true, submitterType: '人大代表' });
    const b = await submitted({ contact: '李女士', consent: true });
    const c = await submitted({ code: w.codeB.id, submitterType: '企业' });
    await submitted({ title: '尚未答复的建议' });
    await answer(w.supervisor, a, { decision: 'adopted', reason: '可行', action: '已增设' });
    await answer(w.supervisor, b, { decision: 'declined', reason: '暂无条件' });
    await answer(w.supervisor, c, { decision: 'partial', reason: '部分可行', action: '先试点' });
    const res = await t.app.inject({ url: '/api/public/suggestions' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(3);
    expect(body.suggestions).toHaveLength(3);
    expect(body.suggestions.map((s: { title: string }) => s.title)).not.toContain('尚未答复的建议');
    expect(Object.keys(body.suggestions[0]).sort()).toEqual(
      ['action', 'answeredDay', 'category', 'decision', 'departmentName', 'reason', 'submittedDay', 'suggestionNo', 'title'].sort(),
    );
    const text = JSON.stringify(body);
    for (const secret of ['13912345678', '139****5678', '李女士', 'contact', 'content']) {
      expect(text).not.toContain(secret);
    }
    expect(body.figures).toMatchObject({ total: 4, answered: 3, adopted: 1, partial: 1, declined: 1 });
    expect(body.figures.adoptionRate).toBeCloseTo(2 / 3);
    expect(
      body.figures.submitterTypes.sort((x: { submitterType: string }, y: { submitterType: string }) =>
        x.submitterType.localeCompare(y.submitterType),
      ),
    ).toEqual(
      [
        { submitterType: '人大代表', count: 1 },
        { submitterType: '企业', count: 1 },
        { submitterType: '群众', count: 2 },
      ].sort((x, y) => x.submitterType.localeCompare(y.submitterType)),
    );
    const deptA = body.figures.departments.find((d: { departmentId: number }) => d.departmentId === w.deptA.id);
    expect(deptA).toMatchObject({ total: 3, answered: 2, adopted: 1, partial: 0, declined: 1, adoptionRate: 0.5 });
    const deptB = body.figures.departments.find((d: { departmentId: number }) => d.departmentId === w.deptB.id);
    expect(deptB).toMatchObject({ total: 1, answered: 1, partial: 1, adoptionRate: 1 });
    // The form's list of departments.
    expect(body.departments.map((d: { id: number }) => d.id)).toEqual(expect.arrayContaining([w.deptA.id, w.deptB.id, w.deptC.id]));
    // One department's.
    const onlyB = (await t.app.inject({ url: `/api/public/suggestions?departmentId=${w.deptB.id}` })).json();
    expect(onlyB.total).toBe(1);
    expect(onlyB.figures.total).toBe(1);
  });

  it('erases contacts the retention time after the answer', async () => {
    const id = await submitted({ contact: '13912345678', consent: true });
    await answer(w.supervisor, id, { decision: 'declined', reason: '暂无条件' });
    const days = t.services.settings.get().privacy.phoneRetentionDays;
    expect((await t.services.suggestions.eraseContacts()).erased).toBe(0);
    t.clock.advance((days + 1) * 86_400_000);
    expect((await t.services.suggestions.eraseContacts()).erased).toBe(1);
    const s = (await get(w.supervisor, `/api/suggestions/${id}`)).json();
    expect(s.contactMasked).toBe('已删除');
    expect((await get(w.supervisor, `/api/suggestions/${id}/contact`)).statusCode).toBe(410);
  });
});
