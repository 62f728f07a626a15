// 办不成事 from a rejected 办件 (docs/domain.md 4.7, docs/api.md §11): POST
// /api/matters/{projectNo}/report-link gives a rejected 办件's one-time link (valid for linkValidDays
// from the rejection); GET /e/{token} is then the 办不成事 form with the 事项; POST /api/public/reports
// with `matterToken` opens the cannot_handle case in the 办件's department, bound to it, once.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow, rows } from '../../db/client.js';
import { MS_PER_DAY } from '../../shared/china-time.js';
import { bearerFor, T0 } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';
import { decodeSvg } from '../helpers/qr-decode.js';
import { makeIntegration, matterBody, putMatter } from '../integrations/keys.js';

// The /e/ page tests read the built citizen page (npm test builds the client first).
const { t, w } = useTestWorld({ env: { CLIENT_DIR: 'dist/client' } });

const REJECTED_AT = Date.parse('2026-11-23T09:30:00+08:00');
const REJECTED = { status: 'rejected', finishedAt: '2026-11-23T09:30:00+08:00', taskName: '食品经营许可（新办）' };

const reportLink = (headers: Record<string, string>, projectNo: string) =>
  t.app.inject({ method: 'POST', url: `/api/matters/${projectNo}/report-link`, headers });
const ratingLink = (headers: Record<string, string>, projectNo: string) =>
  t.app.inject({ method: 'POST', url: `/api/matters/${projectNo}/rating-link`, headers });
const report = (payload: Record<string, unknown>, ip = '10.1.1.1') =>
  t.app.inject({ method: 'POST', url: '/api/public/reports', payload, remoteAddress: ip });

function pageData(html: string): Record<string, unknown> {
  const m = /<script id="page-data" type="application\/json">(.*?)<\/script>/s.exec(html);
  if (!m) throw new Error('no page data');
  return JSON.parse(m[1]!);
}

/** A rejected 办件 pushed by an integration, and its 办不成事 link. */
async function rejectedWithLink(projectNo: string, over: Record<string, unknown> = {}) {
  const { apiKey } = await makeIntegration(t.app, w.admin);
  const key = { 'x-api-key': apiKey };
  const put = await putMatter(t.app, apiKey, projectNo, matterBody(w.codeA.id, { ...REJECTED, ...over }));
  expect(put.statusCode, put.body).toBe(201);
  const res = await reportLink(key, projectNo);
  expect(res.statusCode, res.body).toBe(200);
  return { apiKey, key, link: res.json() as { url: string; token: string; expiresAt: number; qrSvg: string; smsText: string } };
}

describe('POST /api/matters/{projectNo}/report-link', () => {
  it('is given for a rejected 办件 only: the same link while valid, until rejection + 7 days, audited once', async () => {
    const { apiKey, key, link } = await rejectedWithLink('RJ-1');
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(link.url).toBe(`http://test.local/e/${link.token}`);
    expect(link.expiresAt).toBe(REJECTED_AT + 7 * MS_PER_DAY);
    expect(decodeSvg(link.qrSvg)).toBe(link.url);
    expect(link.smsText).toMatch(/^【.+政务服务】您申请的「食品经营许可（新办）」未能办理。如您认为属于"办不成事"/);
    expect(link.smsText).toContain(`${link.url}（`);
    // Asked again, by a supervisor in scope: the same link; one audit row.
    const again = await reportLink(bearerFor(t.app, w.supervisor), 'RJ-1');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ token: link.token, expiresAt: link.expiresAt });
    const audits = await rows<{ detail: string }>(t.db, sql`SELECT detail FROM audit_log WHERE action = 'matter.link'`);
    expect(audits).toHaveLength(1);
    expect(JSON.parse(audits[0]!.detail)).toMatchObject({ projectNo: 'RJ-1', purpose: 'report', expiresAt: link.expiresAt });

    // A rejected 办件 is not rated: its rating link stays 409.
    const rating = await ratingLink(key, 'RJ-1');
    expect(rating.statusCode).toBe(409);
    expect(rating.json()).toMatchObject({ error: 'MatterNotFinished', message: expect.stringContaining('不予受理') });

    // Accepted or finished 办件: 409 MatterNotRejected.
    await putMatter(t.app, apiKey, 'RJ-2', matterBody(w.codeA.id));
    await putMatter(t.app, apiKey, 'RJ-3', matterBody(w.codeA.id, { status: 'finished', finishedAt: '2026-11-23T09:30:00+08:00' }));
    for (const projectNo of ['RJ-2', 'RJ-3']) {
      const res = await reportLink(key, projectNo);
      expect(res.statusCode, projectNo).toBe(409);
      expect(res.json()).toMatchObject({ error: 'MatterNotRejected', message: expect.stringMatching(/不予受理/) });
    }
    // Past its period: 410.
    t.clock.set(link.expiresAt);
    expect((await reportLink(key, 'RJ-1')).json()).toMatchObject({ error: 'LinkExpired' });
  });

  it('needs a key or staff in scope: none 401, a head 403, another scope 404, unknown 404', async () => {
    await rejectedWithLink('RJ-4');
    expect((await reportLink({}, 'RJ-4')).statusCode).toBe(401);
    expect((await reportLink(bearerFor(t.app, w.headA), 'RJ-4')).statusCode).toBe(403);
    const other = await reportLink(bearerFor(t.app, w.otherSupervisor), 'RJ-4');
    expect(other.statusCode).toBe(404);
    expect(other.json().error).toBe('MatterNotFound');
    expect((await reportLink(bearerFor(t.app, w.admin), 'RJ-NONE')).statusCode).toBe(404);
  });

  it('counts from the rejection when the push gave no time, whatever later pushes change', async () => {
    const { apiKey } = await makeIntegration(t.app, w.admin);
    const body = matterBody(w.codeA.id, { status: 'rejected' });
    expect((await putMatter(t.app, apiKey, 'RJ-5', body)).statusCode).toBe(201);
    const rejectedAt = t.clock.now();
    // Two days later the business system corrects the 事项's name: the period does not move.
    t.clock.advance(2 * MS_PER_DAY);
    expect((await putMatter(t.app, apiKey, 'RJ-5', { ...body, taskName: '食品经营许可（变更）' })).statusCode).toBe(200);
    // An accepted 办件 rejected later counts from that later push.
    await putMatter(t.app, apiKey, 'RJ-6', matterBody(w.codeA.id));
    t.clock.advance(MS_PER_DAY);
    await putMatter(t.app, apiKey, 'RJ-6', matterBody(w.codeA.id, { status: 'rejected' }));
    const rejected6 = t.clock.now();
    t.clock.advance(MS_PER_DAY);
    await putMatter(t.app, apiKey, 'RJ-6', matterBody(w.codeA.id, { status: 'rejected', staffName: null, source: 'online' }));
    const key = { 'x-api-key': apiKey };
    expect((await reportLink(key, 'RJ-5')).json().expiresAt).toBe(rejectedAt + 7 * MS_PER_DAY);
    expect((await reportLink(key, 'RJ-6')).json().expiresAt).toBe(rejected6 + 7 * MS_PER_DAY);
  });
});

describe('GET /e/{token} of a rejected 办件', () => {
  it('is the 办不成事 form with the 事项 and the department; its rating POST is 409; expired 410, unknown 404', async () => {
    const { link } = await rejectedWithLink('RJ-7');
    const res = await t.app.inject({ url: `/e/${link.token}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('食品经营许可（新办）');
    expect(res.body).toContain(w.deptA.name);
    expect(pageData(res.body)).toMatchObject({
      kind: 'report',
      code: w.codeA.id,
      token: link.token,
      departmentName: w.deptA.name,
      location: w.codeA.location,
      subject: '食品经营许可（新办）',
    });
    expect(res.body).toContain('<title>办不成事反映');

    const rated = await t.app.inject({
      method: 'POST',
      url: `/api/e/${link.token}/ratings`,
      payload: { score: 1, tags: ['服务态度差'] },
      remoteAddress: '10.9.9.9',
    });
    expect(rated.statusCode).toBe(409);
    expect(rated.json()).toMatchObject({ error: 'MatterNotRated', message: expect.stringContaining('办不成事') });
    expect(await rows(t.db, sql`SELECT id FROM ratings`)).toEqual([]);

    expect((await t.app.inject({ url: '/e/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).statusCode).toBe(404);
    t.clock.set(link.expiresAt + 1);
    const expired = await t.app.inject({ url: `/e/${link.token}` });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain(w.deptA.name);
  });
});

describe('POST /api/public/reports with matterToken', () => {
  it('opens a cannot_handle case in the 办件 department, bound to it, subject defaulting to its 事项; once', async () => {
    const { link } = await rejectedWithLink('RJ-8');
    const res = await report({
      matterToken: link.token,
      description: '材料齐全却被退回，说缺一份证明',
      phone: '13912345678',
      consent: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const { caseNo, statusUrl } = res.json();
    expect(caseNo).toMatch(/^BB\d{8}-\d{4}$/);
    const stored = (await firstRow<Record<string, unknown>>(t.db, sql`SELECT * FROM cases WHERE case_no = ${caseNo}`))!;
    expect(stored).toMatchObject({
      kind: 'cannot_handle',
      status: 'open',
      rating_id: null,
      department_id: w.deptA.id,
      code_id: w.codeA.id,
      project_no: 'RJ-8',
      subject: '食品经营许可（新办）',
    });
    // The citizen's status page.
    const page = await t.app.inject({ url: `/api/public/cases/${statusUrl.slice(3)}` });
    expect(page.json()).toMatchObject({ caseNo, caseKind: 'cannot_handle', subject: '食品经营许可（新办）' });

    // A second report of the same 办件: 409 naming the case.
    const again = await report({ matterToken: link.token, description: '再反映一次', subject: '别的事' }, '10.1.1.2');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'AlreadyReported', message: expect.stringContaining(caseNo) });
    expect(await rows(t.db, sql`SELECT id FROM cases`)).toHaveLength(1);

    // The staff see the 办件 on the case, and the case on the 办件.
    const detail = (await t.app.inject({ url: `/api/cases/${stored.id}`, headers: bearerFor(t.app, w.supervisor) })).json();
    expect(detail.matter).toMatchObject({
      projectNo: 'RJ-8',
      taskName: '食品经营许可（新办）',
      status: 'rejected',
      statusLabel: '不予受理',
    });
    const matter = (await t.app.inject({ url: '/api/matters/RJ-8', headers: bearerFor(t.app, w.supervisor) })).json();
    expect(matter.reportCase).toEqual({ id: stored.id, caseNo });
  });

  it('a subject given is kept; an expired link is 410, an unknown one 404, a finished 办件’s link 404', async () => {
    const { link } = await rejectedWithLink('RJ-9');
    const res = await report({ matterToken: link.token, description: '退回理由说不清', subject: '食品经营许可' });
    expect(res.statusCode).toBe(201);
    const [row] = await rows<{ subject: string }>(t.db, sql`SELECT subject FROM cases`);
    expect(row!.subject).toBe('食品经营许可');

    const late = await rejectedWithLink('RJ-10');
    t.clock.set(late.link.expiresAt + 1);
    const expired = await report({ matterToken: late.link.token, description: '晚了' });
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ error: 'LinkExpired', message: expect.stringMatching(/[\u4e00-\u9fff]/) });

    const unknown = await report({ matterToken: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', description: '办不了' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'UnknownLink', message: expect.stringContaining('matterToken') });

    const { apiKey } = await makeIntegration(t.app, w.admin, '另一系统');
    t.clock.set(T0);
    await putMatter(t.app, apiKey, 'RJ-11', matterBody(w.codeA.id, { status: 'finished', finishedAt: '2026-11-23T09:30:00+08:00' }));
    const rating = (await ratingLink({ 'x-api-key': apiKey }, 'RJ-11')).json();
    const finished = await report({ matterToken: rating.token, description: '办不了' });
    expect(finished.statusCode).toBe(404);
    expect(await rows(t.db, sql`SELECT id FROM cases`)).toHaveLength(1);
  });

  it('answers bad bodies with 400 naming the fields, and stores nothing', async () => {
    const { link } = await rejectedWithLink('RJ-12');
    const bad: [Record<string, unknown>, string, RegExp][] = [
      [{ description: '办不了' }, 'CodeOrMatterToken', /code.*matterToken/],
      [{ code: w.codeA.id, matterToken: link.token, description: '办不了' }, 'CodeOrMatterToken', /code.*matterToken/],
      [{ matterToken: '', description: '办不了' }, 'ValidationError', /matterToken/],
      [{ matterToken: 'x'.repeat(129), description: '办不了' }, 'ValidationError', /matterToken/],
      [{ matterToken: 5, description: '办不了' }, 'ValidationError', /matterToken/],
      [{ matterToken: link.token }, 'ValidationError', /description/],
      [{ matterToken: link.token, description: '  ' }, 'MissingDescription', /description/],
      [{ matterToken: link.token, description: '办不了', phone: '13912345678' }, 'ConsentRequired', /consent/],
    ];
    for (const [payload, error, names] of bad) {
      const res = await report(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error, JSON.stringify(payload)).toBe(error);
      expect(res.json().message, JSON.stringify(payload)).toMatch(names);
    }
    expect(await rows(t.db, sql`SELECT id FROM cases`)).toEqual([]);
  });
});
