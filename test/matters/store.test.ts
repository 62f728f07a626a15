// The 办件 store (docs/api.md §11, docs/domain.md 办件): PUT by 办件编号 with every field checked and
// named, status moves accepted → finished | rejected only, a replayed PUT changing nothing, a 办结
// counted in the rollups exactly, scope for integrations and staff, the applicant's mobile encrypted
// at rest, masked in answers and erased after the retention period.
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows, statement } from '../../db/client.js';
import { listAuditFor } from '../../db/queries/audit.js';
import { matterPageSql } from '../../db/queries/matters.js';
import { matters } from '../../db/schema.js';
import { MS_PER_DAY } from '../../shared/china-time.js';
import { bearerFor, driverUnderTest, T0, writeSql } from '../helpers/app.js';
import { makeCode, makeUser, useTestWorld, useTwoInstances } from '../helpers/factories.js';
import { getMatter, makeIntegration, matterBody, putMatter } from '../integrations/keys.js';

const { t, w } = useTestWorld();
const twoInstances = useTwoInstances();

const FINISHED = { status: 'finished', finishedAt: '2026-11-23T09:30:00+08:00' };

async function storedRow(projectNo: string) {
  const [row] = await t.db.select().from(matters).where(eq(matters.projectNo, projectNo));
  return row!;
}

async function auditCount(): Promise<number> {
  const [r] = await rows<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM audit_log`);
  return Number(r!.n);
}

async function finishedMatters(departmentId: number, day: string): Promise<number> {
  const [r] = await rows<{ n: number | null }>(
    t.db,
    sql`SELECT finished_matters AS n FROM daily_department_stats WHERE department_id = ${departmentId} AND day = ${day}`,
  );
  return Number(r?.n ?? 0);
}

describe('PUT /api/matters/{projectNo}', () => {
  it('creates (201), answers the same PUT again with 200 and changes nothing, updates (200)', async () => {
    const { apiKey, id } = await makeIntegration(t.app, w.admin);
    const body = matterBody(w.codeA.id, { promisedDate: '2026-12-01', source: 'window' });
    const created = await putMatter(t.app, apiKey, 'BJ2026-0001', body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      projectNo: 'BJ2026-0001',
      status: 'accepted',
      code: w.codeA.id,
      departmentId: w.deptA.id,
      taskName: '城乡居民基本养老保险参保登记',
      staffName: '张三',
      acceptedAt: Date.parse('2026-11-23T09:00:00+08:00'),
      finishedAt: null,
      promisedDate: '2026-12-01',
      source: 'window',
      ratings: [],
    });
    expect((await storedRow('BJ2026-0001')).integrationId).toBe(id);

    const row = await storedRow('BJ2026-0001');
    const audits = await auditCount();
    t.clock.advance(60_000);
    const replay = await putMatter(t.app, apiKey, 'BJ2026-0001', body);
    expect(replay.statusCode).toBe(200);
    expect(await storedRow('BJ2026-0001')).toEqual(row);
    expect(await auditCount()).toBe(audits);

    const updated = await putMatter(t.app, apiKey, 'BJ2026-0001', { ...body, staffName: '李四' });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ staffName: '李四', updatedAt: t.clock.now() });
    const [audit] = await listAuditFor(t.db, 'matter', String(row.id));
    expect(audit).toMatchObject({ action: 'matter.update', userId: null });
    expect(audit!.detail).toMatchObject({ changes: { staffName: { from: '张三', to: '李四' } }, integrationId: id });
  });

  it('an administrator may push with a token; other staff may not', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/matters/ADM-1',
      headers: bearerFor(t.app, w.admin),
      payload: matterBody(w.codeA.id),
    });
    expect(res.statusCode).toBe(201);
    expect((await listAuditFor(t.db, 'matter', String((await storedRow('ADM-1')).id)))[0]).toMatchObject({ userId: w.admin.id });
    for (const user of [w.supervisor, w.headA]) {
      const r = await t.app.inject({
        method: 'PUT',
        url: '/api/matters/ADM-2',
        headers: bearerFor(t.app, user),
        payload: matterBody(w.codeA.id),
      });
      expect(r.statusCode).toBe(403);
    }
  });

  it('status moves only from accepted; finished and rejected are final (409 in Chinese)', async () => {
    const { apiKey } = await makeIntegration(t.app, w.admin);
    const body = matterBody(w.codeA.id);
    await putMatter(t.app, apiKey, 'MV-1', body);
    expect((await putMatter(t.app, apiKey, 'MV-1', { ...body, ...FINISHED })).statusCode).toBe(200);
    for (const over of [{ status: 'accepted', finishedAt: null }, { status: 'rejected' }]) {
      const back = await putMatter(t.app, apiKey, 'MV-1', { ...body, ...FINISHED, ...over });
      expect(back.statusCode).toBe(409);
      expect(back.json()).toMatchObject({ error: 'IllegalTransition', message: expect.stringMatching(/办件已办结/) });
    }
    await putMatter(t.app, apiKey, 'MV-2', { ...body, status: 'rejected' });
    for (const over of [FINISHED, { status: 'accepted' }]) {
      const res = await putMatter(t.app, apiKey, 'MV-2', { ...body, ...over });
      expect(res.statusCode).toBe(409);
      expect(res.json().message).toContain('不予受理');
    }
    expect((await storedRow('MV-1')).status).toBe('finished');
    expect((await storedRow('MV-2')).status).toBe('rejected');
  });

  it('once finished, the fields the figures are keyed by stay; harmless ones may be corrected', async () => {
    const { apiKey } = await makeIntegration(t.app, w.admin);
    const other = await makeCode(t.db, { departmentId: w.deptA.id });
    const body = matterBody(w.codeA.id, FINISHED);
    await putMatter(t.app, apiKey, 'FZ-1', body);
    for (const [field, value] of [
      ['code', other.id],
      ['taskCode', 'OTHER'],
      ['staffName', '王五'],
      ['finishedAt', '2026-11-23T09:45:00+08:00'],
    ] as const) {
      const res = await putMatter(t.app, apiKey, 'FZ-1', { ...body, [field]: value });
      expect(res.statusCode, field).toBe(409);
      expect(res.json()).toMatchObject({ error: 'MatterFinalized', message: expect.stringContaining(field) });
    }
    const fixed = await putMatter(t.app, apiKey, 'FZ-1', {
      ...body,
      taskName: '城乡居民养老保险参保登记',
      promisedDate: '2026-11-30',
      applicantPhone: '13800138000',
      applicantType: 'legal',
    });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json()).toMatchObject({ taskName: '城乡居民养老保险参保登记', promisedDate: '2026-11-30', applicantType: 'legal' });
    expect((await t.services.stats.verifyRollups()).ok).toBe(true);
  });

  it('a 办结 is counted once in the rollups, on the China day it finished, and the recount agrees', async () => {
    const { apiKey } = await makeIntegration(t.app, w.admin);
    const day = '2026-11-23';
    expect(await finishedMatters(w.deptA.id, day)).toBe(0);
    // Accepted then finished; new as finished; finished just after midnight China time (a UTC day earlier).
    await putMatter(t.app, apiKey, 'RU-1', matterBody(w.codeA.id));
    await putMatter(t.app, apiKey, 'RU-1', matterBody(w.codeA.id, FINISHED));
    await putMatter(t.app, apiKey, 'RU-1', matterBody(w.codeA.id, FINISHED));
    await putMatter(t.app, apiKey, 'RU-2', matterBody(w.codeA.id, { ...FINISHED, staffName: null }));
    await putMatter(
      t.app,
      apiKey,
      'RU-3',
      matterBody(w.codeB.id, { acceptedAt: '2026-11-22T16:00:00Z', ...FINISHED, finishedAt: '2026-11-22T16:05:00Z' }),
    );
    // Not counted: accepted, rejected, refused.
    await putMatter(t.app, apiKey, 'RU-4', matterBody(w.codeA.id));
    await putMatter(t.app, apiKey, 'RU-5', matterBody(w.codeA.id, { status: 'rejected' }));
    await putMatter(t.app, apiKey, 'RU-1', matterBody(w.codeA.id, { status: 'accepted' }));
    expect(await finishedMatters(w.deptA.id, day)).toBe(2);
    expect(await finishedMatters(w.deptB.id, day)).toBe(1);
    expect((await storedRow('RU-3')).finishedDay).toBe(day);
    const [byStaff] = await rows<{ n: number }>(
      t.db,
      sql`SELECT finished AS n FROM daily_matter_stats WHERE department_id = ${w.deptA.id} AND day = ${day} AND staff_name = ''`,
    );
    expect(Number(byStaff!.n)).toBe(1);
    expect(await t.services.stats.verifyRollups()).toMatchObject({ ok: true, mismatchCount: 0 });
  });

  it('every refused field is named in Chinese and by its JSON name', async () => {
    const { apiKey } = await makeIntegration(t.app, w.admin);
    const future = new Date(T0 + 2 * MS_PER_DAY).toISOString();
    const cases: Array<[string, Record<string, unknown>]> = [
      ['code', { code: undefined }],
      ['code', { code: '   ' }],
      ['taskCode', { taskCode: '' }],
      ['taskCode', { taskCode: 'x'.repeat(65) }],
      ['taskName', { taskName: undefined }],
      ['taskName', { taskName: '事'.repeat(201) }],
      ['staffName', { staffName: '名'.repeat(31) }],
      ['applicantType', { applicantType: 'company' }],
      ['applicantPhone', { applicantPhone: '12345' }],
      ['applicantPhone', { applicantPhone: 13800138000 }],
      ['status', { status: 'done' }],
      ['status', { status: undefined }],
      ['acceptedAt', { acceptedAt: 'yesterday' }],
      ['acceptedAt', { acceptedAt: '2026-02-30T10:00:00+08:00' }],
      ['acceptedAt', { acceptedAt: future }],
      ['acceptedAt', { acceptedAt: 1763860000000 }],
      ['finishedAt', { status: 'finished' }],
      ['finishedAt', { status: 'finished', finishedAt: '2026-11-23T08:00:00+08:00' }],
      ['finishedAt', { status: 'accepted', finishedAt: '2026-11-23T09:30:00+08:00' }],
      ['finishedAt', { status: 'finished', finishedAt: '2026-11-23T25:00:00+08:00' }],
      ['promisedDate', { promisedDate: '2026-02-30' }],
      ['promisedDate', { promisedDate: '30/11/2026' }],
      ['source', { source: 'fax' }],
    ];
    for (const [field, over] of cases) {
      const res = await putMatter(t.app, apiKey, 'VAL-1', matterBody(w.codeA.id, over));
      expect(res.statusCode, `${field} ${JSON.stringify(over)}`).toBe(400);
      expect(res.json().message, `${field} ${JSON.stringify(over)}`).toContain(field);
    }
    for (const projectNo of ['a b', '.hidden', 'x'.repeat(65), 'a?b']) {
      const res = await t.app.inject({
        method: 'PUT',
        url: `/api/matters/${encodeURIComponent(projectNo)}`,
        headers: { 'x-api-key': apiKey },
        payload: matterBody(w.codeA.id),
      });
      expect(res.statusCode, projectNo).toBe(400);
      expect(res.json().message).toContain('projectNo');
    }
    // Chinese, digits and - _ . are 办件编号 characters; times without an offset are China time.
    const ok = await putMatter(t.app, apiKey, '粤2026_01.a-9', matterBody(w.codeA.id, { acceptedAt: '2026-11-23 09:00:00' }));
    expect(ok.statusCode).toBe(201);
    expect(ok.json().acceptedAt).toBe(Date.parse('2026-11-23T09:00:00+08:00'));
    expect(await t.db.select().from(matters)).toHaveLength(1);
  });

  it('malformed JSON is 400, an oversized body 413', async () => {
    const { apiKey } = await makeIntegration(t.app, w.admin);
    const headers = { 'x-api-key': apiKey, 'content-type': 'application/json' };
    const bad = await t.app.inject({ method: 'PUT', url: '/api/matters/J-1', headers, payload: '{"code": ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('JSON');
    const big = await t.app.inject({
      method: 'PUT',
      url: '/api/matters/J-1',
      headers,
      payload: JSON.stringify(matterBody(w.codeA.id, { taskName: '事'.repeat(20_000) })),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toBe('PayloadTooLarge');
  });

  it('a code unknown or outside the caller’s scope is 404; another scope’s 办件 cannot be overwritten (403)', async () => {
    const county = await makeIntegration(t.app, w.admin);
    const otherAdmin = await makeUser(t.db, { role: 'admin', orgUnitId: w.otherCounty.id });
    const other = await makeIntegration(t.app, otherAdmin, '其他县系统');
    const unknown = await putMatter(t.app, county.apiKey, 'SC-1', matterBody('ZZZZ9999'));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'CodeNotFound', message: expect.stringContaining('code') });
    const outside = await putMatter(t.app, county.apiKey, 'SC-1', matterBody(w.codeC.id));
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error).toBe('CodeNotFound');
    expect(await t.db.select().from(matters)).toHaveLength(0);

    expect((await putMatter(t.app, other.apiKey, 'SC-2', matterBody(w.codeC.id))).statusCode).toBe(201);
    const taken = await putMatter(t.app, county.apiKey, 'SC-2', matterBody(w.codeA.id));
    expect(taken.statusCode).toBe(403);
    expect((await storedRow('SC-2')).codeId).toBe(w.codeC.id);
    expect((await getMatter(t.app, { 'x-api-key': county.apiKey }, 'SC-2')).statusCode).toBe(404);
    expect((await getMatter(t.app, { 'x-api-key': other.apiKey }, 'SC-2')).statusCode).toBe(200);
  });

  it('a disabled code takes no new 办件, but one already accepted there may still finish', async () => {
    const { apiKey } = await makeIntegration(t.app, w.admin);
    await putMatter(t.app, apiKey, 'DIS-1', matterBody(w.codeA.id));
    const headers = bearerFor(t.app, w.admin);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/codes/${w.codeA.id}`, headers, payload: { active: false } })).statusCode).toBe(
      200,
    );
    const fresh = await putMatter(t.app, apiKey, 'DIS-2', matterBody(w.codeA.id));
    expect(fresh.statusCode).toBe(409);
    expect(fresh.json().error).toBe('CodeDisabled');
    expect((await putMatter(t.app, apiKey, 'DIS-1', matterBody(w.codeA.id, FINISHED))).statusCode).toBe(200);
  });
});

describe('GET /api/matters/{projectNo} and the list', () => {
  it('staff of every role see the 办件 of their scope only, with its ratings (a superseded first one included)', async () => {
    const { apiKey } = await makeIntegration(t.app, w.admin);
    await putMatter(t.app, apiKey, 'G-A', matterBody(w.codeA.id, FINISHED));
    await putMatter(t.app, apiKey, 'G-B', matterBody(w.codeB.id));
    const m = await storedRow('G-A');
    for (const [n, superseded, score, channel] of [
      [1, 1, 2, 'link'],
      [2, 0, 5, 'link'],
    ] as const) {
      await writeSql(
        t.db,
        sql`INSERT INTO ratings (code_id, department_id, score, tags, channel, created_at, day, matter_id, assess_number, superseded)
          VALUES (${w.codeA.id}, ${w.deptA.id}, ${score}, '[]', ${channel}, ${T0 + n}, '2026-11-23', ${m.id}, ${n}, ${superseded})`,
      );
    }
    for (const user of [w.admin, w.supervisor, w.headA]) {
      const res = await getMatter(t.app, bearerFor(t.app, user), 'G-A');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        projectNo: 'G-A',
        status: 'finished',
        code: w.codeA.id,
        departmentId: w.deptA.id,
        departmentName: expect.any(String),
        ratings: [
          { score: 2, assessNumber: 1, channel: 'link', superseded: true, createdAt: T0 + 1 },
          { score: 5, assessNumber: 2, channel: 'link', superseded: false },
        ],
      });
    }
    expect((await getMatter(t.app, bearerFor(t.app, w.headB), 'G-A')).statusCode).toBe(404);
    expect((await getMatter(t.app, bearerFor(t.app, w.otherSupervisor), 'G-A')).statusCode).toBe(404);

    const list = async (user: { id: number; role: string }, query = '') =>
      (await t.app.inject({ method: 'GET', url: `/api/matters${query}`, headers: bearerFor(t.app, user) })).json();
    expect((await list(w.admin)).matters.map((x: { projectNo: string }) => x.projectNo)).toEqual(['G-B', 'G-A']);
    expect(await list(w.headA)).toMatchObject({ total: 1, matters: [{ projectNo: 'G-A', ratingCount: 0 }] });
    expect((await list(w.otherSupervisor)).total).toBe(0);
    expect((await list(w.admin, '?status=finished')).matters.map((x: { projectNo: string }) => x.projectNo)).toEqual(['G-A']);
    expect((await list(w.admin, '?from=2026-11-23&to=2026-11-23')).total).toBe(1);
    expect((await list(w.admin, '?from=2026-11-24')).total).toBe(0);
    expect((await list(w.admin, `?departmentId=${w.deptB.id}&limit=1`)).matters[0].projectNo).toBe('G-B');
    const outOfScope = await t.app.inject({
      method: 'GET',
      url: `/api/matters?departmentId=${w.deptB.id}`,
      headers: bearerFor(t.app, w.headA),
    });
    expect(outOfScope.statusCode).toBe(404);
  });

  it('pages the list newest first across departments, each department read from its index range', async () => {
    const { apiKey } = await makeIntegration(t.app, w.admin);
    // Ten 办件 pushed in turn to two departments, every third one not finished yet; the 4th to 7th
    // finished on the 23rd, the others on the 24th.
    const pushed: string[] = [];
    for (let i = 1; i <= 10; i++) {
      const code = i % 2 ? w.codeA.id : w.codeB.id;
      const day = i >= 4 && i <= 7 ? '2026-11-23' : '2026-11-24';
      const body = i % 3 === 0 ? matterBody(code) : matterBody(code, { status: 'finished', finishedAt: `${day}T09:30:00+08:00` });
      expect((await putMatter(t.app, apiKey, `P-${i}`, body)).statusCode).toBe(201);
      pushed.push(`P-${i}`);
    }
    const newest = [...pushed].reverse();
    const page = async (query: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/matters?${query}`, headers: bearerFor(t.app, w.admin) });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { total: number; matters: Array<{ projectNo: string }> };
      return { total: body.total, ids: body.matters.map((m) => m.projectNo) };
    };
    for (const offset of [0, 3, 6, 9, 12])
      expect(await page(`limit=3&offset=${offset}`)).toEqual({ total: 10, ids: newest.slice(offset, offset + 3) });
    const finished = newest.filter((p) => Number(p.slice(2)) % 3 !== 0);
    expect(await page('status=finished&limit=4&offset=2')).toEqual({ total: 7, ids: finished.slice(2, 6) });
    const on23 = finished.filter((p) => Number(p.slice(2)) >= 4 && Number(p.slice(2)) <= 7);
    expect(await page('from=2026-11-23&to=2026-11-23&limit=2&offset=1')).toEqual({ total: on23.length, ids: on23.slice(1, 3) });
    expect(await page(`departmentId=${w.deptB.id}&limit=2&offset=1`)).toEqual({
      total: 5,
      ids: newest.filter((p) => Number(p.slice(2)) % 2 === 0).slice(1, 3),
    });
    if (driverUnderTest === 'pg') return;
    // SQLite's plan: a department's newest first is one range of an index, never every 办件 of the
    // scope sorted (12 s for a county's 10 M); with a period, the period's range.
    const planOf = async (f: Parameters<typeof matterPageSql>[1]) =>
      (
        await statement(t.db, `EXPLAIN QUERY PLAN ${matterPageSql(t.db, f)}`).all<{ detail: string }>({
          ids: '[1,2]',
          status: 'finished',
          from: '2026-11-01',
          to: '2026-11-30',
          n: 3,
          limit: 3,
          offset: 0,
        })
      ).map((r) => r.detail);
    const departmentIds = [w.deptA.id, w.deptB.id];
    expect(await planOf({ departmentIds })).toContain('SEARCH x USING COVERING INDEX matters_dept_id_idx (department_id=?)');
    expect(await planOf({ departmentIds, status: 'finished' })).toContain(
      'SEARCH x USING COVERING INDEX matters_dept_id_idx (department_id=?)',
    );
    expect(await planOf({ departmentIds, from: '2026-11-01', to: '2026-11-30' })).toContain(
      'SEARCH x USING COVERING INDEX matters_dept_finished_idx (department_id=? AND finished_day>? AND finished_day<?)',
    );
  });

  it('the totals without a period follow each 办件 as it is finished or moved to another department, and the recount agrees', async () => {
    const { apiKey } = await makeIntegration(t.app, w.admin);
    for (const [no, code] of [
      ['T-1', w.codeA.id],
      ['T-2', w.codeA.id],
      ['T-3', w.codeB.id],
    ] as const)
      expect((await putMatter(t.app, apiKey, no, matterBody(code))).statusCode).toBe(201);
    const total = async (query: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/matters?${query}`, headers: bearerFor(t.app, w.admin) })).json().total as number;
    const totals = async () => ({
      all: await total(''),
      accepted: await total('status=accepted'),
      finished: await total('status=finished'),
      a: await total(`departmentId=${w.deptA.id}`),
      b: await total(`departmentId=${w.deptB.id}`),
      bAccepted: await total(`departmentId=${w.deptB.id}&status=accepted`),
    });
    expect(await totals()).toEqual({ all: 3, accepted: 3, finished: 0, a: 2, b: 1, bAccepted: 1 });
    // T-1 finished; T-2 moved to a window of department B while still accepted; the same push again
    // changes nothing.
    expect((await putMatter(t.app, apiKey, 'T-1', matterBody(w.codeA.id, FINISHED))).statusCode).toBe(200);
    expect((await putMatter(t.app, apiKey, 'T-2', matterBody(w.codeB.id))).statusCode).toBe(200);
    expect((await putMatter(t.app, apiKey, 'T-2', matterBody(w.codeB.id))).statusCode).toBe(200);
    expect(await totals()).toEqual({ all: 3, accepted: 2, finished: 1, a: 1, b: 2, bAccepted: 2 });
    // A finished 办件 cannot change status: the refused push leaves the counts as they were.
    expect((await putMatter(t.app, apiKey, 'T-1', matterBody(w.codeA.id))).statusCode).toBe(409);
    expect(await totals()).toEqual({ all: 3, accepted: 2, finished: 1, a: 1, b: 2, bAccepted: 2 });
    // The same figures as counting the 办件 themselves, in a period that holds them all.
    expect(await total('from=2026-01-01&status=finished')).toBe(1);
    const verified = await t.services.stats.verifyRollups();
    expect(verified.ok, JSON.stringify(verified.mismatches)).toBe(true);
    expect(verified.checked).toMatchObject({ matter_status_counts: 3 });
  });

  it('the applicant’s mobile is encrypted at rest, masked in every answer, and erased after the retention period', async () => {
    const { apiKey } = await makeIntegration(t.app, w.admin);
    const body = matterBody(w.codeA.id, { ...FINISHED, applicantPhone: '+86 138-0013-8000' });
    const created = await putMatter(t.app, apiKey, 'PH-1', body);
    expect(created.json().applicantPhone).toBe('138****8000');
    expect(created.body).not.toContain('13800138000');
    const row = await storedRow('PH-1');
    expect(row.applicantPhoneEnc).not.toBeNull();
    expect(row.applicantPhoneEnc).not.toContain('13800138000');
    expect(row.applicantPhoneEnc).not.toContain('8000');
    expect(t.services.crypto.decryptPhone(row.applicantPhoneEnc!)).toBe('13800138000');
    const read = await getMatter(t.app, { 'x-api-key': apiKey }, 'PH-1');
    expect(read.json()).toMatchObject({ applicantPhone: '138****8000', applicantPhoneErased: false });
    expect(read.body).not.toContain('13800138000');
    // The audit log says a number was given, never which.
    expect(JSON.stringify(await listAuditFor(t.db, 'matter', String(row.id)))).not.toContain('0013');
    // The same number pushed again is no change.
    const audits = await auditCount();
    expect((await putMatter(t.app, apiKey, 'PH-1', { ...body, applicantPhone: '13800138000' })).statusCode).toBe(200);
    expect(await auditCount()).toBe(audits);

    // Not yet due: 180 days after 办结 by default.
    t.clock.set(Date.parse('2026-11-23T09:30:00+08:00') + 179 * MS_PER_DAY);
    expect(await t.services.matters.erasePhones()).toEqual({ erased: 0 });
    t.clock.advance(2 * MS_PER_DAY);
    expect(await t.services.matters.erasePhones()).toEqual({ erased: 1 });
    const erased = await storedRow('PH-1');
    expect(erased).toMatchObject({ applicantPhoneEnc: null, applicantPhoneErasedAt: t.clock.now() });
    expect((await getMatter(t.app, { 'x-api-key': apiKey }, 'PH-1')).json()).toMatchObject({
      applicantPhone: null,
      applicantPhoneErased: true,
    });
    // A later push carrying the number does not bring it back.
    expect((await putMatter(t.app, apiKey, 'PH-1', body)).statusCode).toBe(200);
    expect((await storedRow('PH-1')).applicantPhoneEnc).toBeNull();
  });
});

describe('several instances', () => {
  it('the same new 办件 pushed to two instances at once is stored once and counted once', async () => {
    const { a, b, w: world } = await twoInstances();
    const { apiKey } = await makeIntegration(a.app, world.admin);
    const body = matterBody(world.codeA.id, FINISHED);
    const answers = await Promise.all([
      putMatter(a.app, apiKey, 'RACE-1', body),
      putMatter(b.app, apiKey, 'RACE-1', body),
      putMatter(a.app, apiKey, 'RACE-1', body),
      putMatter(b.app, apiKey, 'RACE-1', body),
    ]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 201]);
    expect(await a.db.select().from(matters)).toHaveLength(1);
    expect(await a.services.stats.verifyRollups()).toMatchObject({ ok: true });
    const [r] = await rows<{ n: number }>(a.db, sql`SELECT sum(finished_matters) AS n FROM daily_department_stats`);
    expect(Number(r!.n)).toBe(1);
  });
});
