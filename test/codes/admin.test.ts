import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAuditFor } from '../../db/queries/audit.js';
import { getCode } from '../../db/queries/codes.js';
import { CODE_ID_ALPHABET, CODE_ID_PATTERN } from '../../qr-codes/index.js';
import type { RandomSource } from '../../server/lib/clock.js';
import { bearerFor, makeTestApp, T0, type TestApp } from '../helpers/app.js';
import { makeCode, makeDepartment, makeWorld } from '../helpers/factories.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof makeWorld>>;
type User = { id: number; role: string };
afterEach(() => t.close());

async function setup(opts: { random?: RandomSource } = {}) {
  t = await makeTestApp(opts);
  w = await makeWorld(t.db);
}

const listCodes = async (u: User, query = '') => {
  const res = await t.app.inject({ url: `/api/codes${query}`, headers: bearerFor(t.app, u) });
  return res;
};
const codesOf = async (u: User, query = '') =>
  ((await listCodes(u, query)).json().codes as Array<{ code: string }>).map((c) => c.code).sort();
const patch = (u: User, code: string, payload: object) =>
  t.app.inject({ method: 'PATCH', url: `/api/codes/${code}`, headers: bearerFor(t.app, u), payload });
const bulk = (u: User, departmentId: number, payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/departments/${departmentId}/codes`, headers: bearerFor(t.app, u), payload });

describe('GET /api/codes is scoped (authorization is data scoping)', () => {
  beforeEach(() => setup());

  it('a head sees only their department; a supervisor their county; a city admin every county', async () => {
    expect(await codesOf(w.headA)).toEqual([w.codeA.id]);
    expect(await codesOf(w.headB)).toEqual([w.codeB.id]);
    expect(await codesOf(w.supervisor)).toEqual([w.codeA.id, w.codeB.id].sort());
    expect(await codesOf(w.otherSupervisor)).toEqual([w.codeC.id]);
    expect(await codesOf(w.cityAdmin)).toEqual([w.codeA.id, w.codeB.id, w.codeC.id].sort());
  });

  it('needs a login', async () => {
    expect((await t.app.inject({ url: '/api/codes' })).statusCode).toBe(401);
  });

  it('filters by department (in scope only: other departments are 404) and by active', async () => {
    const extra = await makeCode(t.db, { departmentId: w.deptA.id, active: false });
    expect(await codesOf(w.supervisor, `?departmentId=${w.deptB.id}`)).toEqual([w.codeB.id]);
    expect(await codesOf(w.headA, '?active=false')).toEqual([extra.id]);
    expect(await codesOf(w.headA, '?active=true')).toEqual([w.codeA.id]);
    expect((await listCodes(w.headA, `?departmentId=${w.deptB.id}`)).statusCode).toBe(404);
    expect((await listCodes(w.admin, `?departmentId=${w.deptC.id}`)).statusCode).toBe(404);
    expect((await listCodes(w.admin, '?departmentId=abc')).statusCode).toBe(400);
  });

  it('lists the contract fields with the department name and the QR URL', async () => {
    const [row] = (await listCodes(w.headA)).json().codes;
    expect(row).toEqual({
      code: w.codeA.id,
      departmentId: w.deptA.id,
      departmentName: w.deptA.name,
      location: w.codeA.location,
      staffName: null,
      serviceItems: [],
      active: true,
      createdAt: T0,
      disabledAt: null,
      url: `http://test.local/r/${w.codeA.id}`,
      funnel: {
        opens30d: 0,
        submissions30d: 0,
        opensTotal: 0,
        submissionsTotal: 0,
        lastOpenDay: null,
        lastSubmissionDay: null,
        alert: null,
      },
    });
  });
});

describe('PATCH /api/codes/{code}: only admins change codes; the department never changes', () => {
  beforeEach(() => setup());

  it('an admin disables a code: disabledAt set, audited with before/after, public info says so at once', async () => {
    // Warm the public-info cache first: the change must not be hidden behind it.
    expect((await t.app.inject({ url: `/api/codes/${w.codeA.id}` })).json().active).toBe(true);
    t.clock.advance(60_000);
    const res = await patch(w.admin, w.codeA.id, { active: false });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: w.codeA.id, active: false, disabledAt: T0 + 60_000, departmentId: w.deptA.id });
    expect(await getCode(t.db, w.codeA.id)).toMatchObject({ active: false, disabledAt: T0 + 60_000 });
    expect((await t.app.inject({ url: `/api/codes/${w.codeA.id}` })).json().active).toBe(false);

    const [audit] = await listAuditFor(t.db, 'code', w.codeA.id);
    expect(audit).toMatchObject({ userId: w.admin.id, action: 'code.disable', at: T0 + 60_000 });
    expect(audit!.detail).toEqual({ before: { active: true }, after: { active: false } });

    const enabled = await patch(w.admin, w.codeA.id, { active: true });
    expect(enabled.json()).toMatchObject({ active: true, disabledAt: null });
    expect((await listAuditFor(t.db, 'code', w.codeA.id))[0]).toMatchObject({ action: 'code.enable' });
  });

  it('relabels location and staff name (trimmed; empty staff name clears it), audited', async () => {
    const res = await patch(w.admin, w.codeA.id, { location: '  县政务服务中心 B区 7号窗口 ', staffName: '张三' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ location: '县政务服务中心 B区 7号窗口', staffName: '张三' });
    expect((await listAuditFor(t.db, 'code', w.codeA.id))[0]!.detail).toEqual({
      before: { location: w.codeA.location, staffName: null },
      after: { location: '县政务服务中心 B区 7号窗口', staffName: '张三' },
    });
    expect((await patch(w.admin, w.codeA.id, { staffName: '' })).json().staffName).toBeNull();
    expect((await patch(w.admin, w.codeA.id, { staffName: null })).json().staffName).toBeNull();
    expect((await t.app.inject({ url: `/api/codes/${w.codeA.id}` })).json().location).toBe('县政务服务中心 B区 7号窗口');
  });

  it('a change to the same value writes no audit row', async () => {
    await patch(w.admin, w.codeA.id, { active: true, location: w.codeA.location });
    expect(await listAuditFor(t.db, 'code', w.codeA.id)).toHaveLength(0);
  });

  it('supervisors and heads get 403; an admin of another county gets 404; no login 401', async () => {
    expect((await patch(w.supervisor, w.codeA.id, { active: false })).statusCode).toBe(403);
    expect((await patch(w.headA, w.codeA.id, { active: false })).statusCode).toBe(403);
    expect((await patch(w.admin, w.codeC.id, { active: false })).statusCode).toBe(404);
    const anon = await t.app.inject({ method: 'PATCH', url: `/api/codes/${w.codeA.id}`, payload: { active: false } });
    expect(anon.statusCode).toBe(401);
    expect((await getCode(t.db, w.codeA.id))!.active).toBe(true);
    expect((await getCode(t.db, w.codeC.id))!.active).toBe(true);
    // The city admin's scope holds both counties.
    expect((await patch(w.cityAdmin, w.codeC.id, { active: false })).statusCode).toBe(200);
  });

  it('a body with departmentId is 400 and changes nothing (a code is never re-pointed)', async () => {
    for (const payload of [{ departmentId: w.deptB.id }, { departmentId: w.deptB.id, location: '新位置' }, { departmentId: null }]) {
      const res = await patch(w.admin, w.codeA.id, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe('DepartmentImmutable');
    }
    expect(await getCode(t.db, w.codeA.id)).toMatchObject({ departmentId: w.deptA.id, location: w.codeA.location });
    expect(await listAuditFor(t.db, 'code', w.codeA.id)).toHaveLength(0);
  });

  it('bad bodies and codes are 4xx JSON', async () => {
    const cases: Array<[string, unknown, number]> = [
      [w.codeA.id, {}, 400],
      [w.codeA.id, { location: '' }, 400],
      [w.codeA.id, { location: '   ' }, 400],
      [w.codeA.id, { location: 'x'.repeat(101) }, 400],
      [w.codeA.id, { active: 'no' }, 400],
      [w.codeA.id, { staffName: 5 }, 400],
      [w.codeA.id, '[1,2', 400],
      ['ZZZZZZ', { active: false }, 404],
      ['..%2Fetc', { active: false }, 404],
    ];
    for (const [code, payload, status] of cases) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/codes/${code}`,
        headers: { ...bearerFor(t.app, w.admin), 'content-type': 'application/json' },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    }
    expect(await getCode(t.db, w.codeA.id)).toMatchObject({ active: true, location: w.codeA.location });
  });

  it('lower-case input addresses the same code', async () => {
    const res = await patch(w.admin, w.codeA.id.toLowerCase(), { location: '大厅' });
    expect(res.statusCode).toBe(200);
    expect(res.json().code).toBe(w.codeA.id);
  });
});

/** Bytes that make generateCodeId draw exactly `id`. */
function bytesFor(id: string): Uint8Array {
  return Uint8Array.from([...id].map((c) => CODE_ID_ALPHABET.indexOf(c)));
}

/** Replays scripted ids first, then real randomness. */
function scriptedRandom(ids: string[]): RandomSource {
  const queue = [...ids];
  return {
    bytes(n) {
      const next = queue.shift();
      if (!next) return randomBytes(n);
      const out = new Uint8Array(n);
      out.set(bytesFor(next).slice(0, n));
      return out;
    },
  };
}

describe('POST /api/departments/{id}/codes (bulk creation)', () => {
  it('creates n window codes from the location pattern, unique well-formed ids, audited', async () => {
    await setup();
    const res = await bulk(w.admin, w.deptA.id, {
      count: 12,
      locationPattern: '县政务服务中心 A区 {n}号窗口',
      startAt: 5,
      staffName: '李四',
    });
    expect(res.statusCode).toBe(201);
    const created = res.json().codes as Array<{ code: string; location: string; staffName: string; active: boolean; departmentId: number }>;
    expect(created).toHaveLength(12);
    expect(created.map((c) => c.location)).toEqual(Array.from({ length: 12 }, (_, i) => `县政务服务中心 A区 ${i + 5}号窗口`));
    const ids = created.map((c) => c.code);
    expect(new Set(ids).size).toBe(12);
    for (const c of created) {
      expect(c.code).toMatch(new RegExp(CODE_ID_PATTERN));
      expect(c).toMatchObject({ staffName: '李四', active: true, departmentId: w.deptA.id });
      expect(await getCode(t.db, c.code)).toBeDefined();
    }
    const [audit] = await listAuditFor(t.db, 'department', String(w.deptA.id));
    expect(audit).toMatchObject({ action: 'code.create', userId: w.admin.id });
    expect((audit!.detail as { codes: string[] }).codes.sort()).toEqual([...ids].sort());
    // The new codes work at once, publicly.
    expect((await t.app.inject({ url: `/api/codes/${ids[0]}` })).json()).toMatchObject({ location: '县政务服务中心 A区 5号窗口' });
  });

  it('ids are never reused: a disabled code’s id and ids drawn twice are drawn again', async () => {
    await setup({ random: scriptedRandom(['QFF234', 'QFF234', 'HJK789', 'HJK789']) });
    await makeCode(t.db, { departmentId: w.deptB.id, id: 'QFF234', active: false });
    const res = await bulk(w.admin, w.deptA.id, { count: 3, locationPattern: '{n}号窗口' });
    expect(res.statusCode).toBe(201);
    const ids = (res.json().codes as Array<{ code: string }>).map((c) => c.code);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect(ids).not.toContain('QFF234');
    expect(ids).toContain('HJK789');
    expect(await getCode(t.db, 'QFF234')).toMatchObject({ departmentId: w.deptB.id, active: false });
  });

  it('without {n} only a single code may be made; expanded locations must fit 100 characters', async () => {
    await setup();
    expect((await bulk(w.admin, w.deptA.id, { count: 2, locationPattern: '综合窗口' })).statusCode).toBe(400);
    const one = await bulk(w.admin, w.deptA.id, { count: 1, locationPattern: '综合窗口' });
    expect(one.statusCode).toBe(201);
    expect(one.json().codes[0].location).toBe('综合窗口');
    const long = await bulk(w.admin, w.deptA.id, { count: 2, locationPattern: `${'窗'.repeat(97)}{n}`, startAt: 9999 });
    expect(long.statusCode).toBe(400);
  });

  it('only admins, only in scope; bad bodies are 400', async () => {
    await setup();
    const ok = { count: 1, locationPattern: '{n}号窗口' };
    expect((await bulk(w.supervisor, w.deptA.id, ok)).statusCode).toBe(403);
    expect((await bulk(w.headA, w.deptA.id, ok)).statusCode).toBe(403);
    expect((await bulk(w.admin, w.deptC.id, ok)).statusCode).toBe(404);
    expect((await bulk(w.admin, 999999, ok)).statusCode).toBe(404);
    for (const body of [
      { count: 0, locationPattern: '{n}' },
      { count: 201, locationPattern: '{n}' },
      { count: 1.5, locationPattern: '{n}' },
      { count: '3', locationPattern: '{n}' },
      { count: 3 },
      { count: 3, locationPattern: '' },
      { count: 3, locationPattern: '{n}', startAt: -1 },
    ]) {
      const res = await bulk(w.admin, w.deptA.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect(await codesOf(w.headA)).toEqual([w.codeA.id]);
  });

  it('a department of another county cannot get codes even by id guessing', async () => {
    await setup();
    const foreign = await makeDepartment(t.db, { orgUnitId: w.otherCounty.id });
    expect((await bulk(w.admin, foreign.id, { count: 1, locationPattern: 'x' })).statusCode).toBe(404);
  });
});
