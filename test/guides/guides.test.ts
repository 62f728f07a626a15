// 办事指南 (#14 item 4): the public list, guide and QR (no login), the administrators' edits within
// their scope with every version kept, restores, and the 二维码墙 sheet.
import { describe, expect, it } from 'vitest';
import { bearerFor } from '../helpers/app.js';
import { makeCode, makeUser, useTestWorld } from '../helpers/factories.js';
import { decodeSvg } from '../helpers/qr-decode.js';

const BASE = 'https://pingyi.example.gov.cn/county';
const { t, w } = useTestWorld({ env: { PUBLIC_BASE_URL: BASE } });
type User = { id: number; role: string };

const body = (over: Record<string, unknown> = {}) => ({
  departmentId: w.deptA.id,
  taskCode: '11339821MB0000000X4000111004000',
  taskName: '居民身份证换领',
  materials: ['居民户口簿', '原居民身份证'],
  steps: ['窗口受理并采集人像', '审核', '制证并领取'],
  legalDays: 60,
  promisedDays: 20,
  fees: '20 元（工本费）',
  legalBasis: '《中华人民共和国居民身份证法》第十一条',
  location: '县政务服务中心 A区 1号窗口',
  hours: '周一至周五 9:00–12:00，13:30–17:00',
  phone: '0339-8210101',
  codes: [w.codeA.id],
  ...over,
});
const send = (u: User | null, method: 'POST' | 'PUT' | 'GET', url: string, payload?: object) =>
  t.app.inject({ method, url, payload, headers: u ? bearerFor(t.app, u) : {} });

async function create(over: Record<string, unknown> = {}) {
  const res = await send(w.admin, 'POST', '/api/guides', body(over));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; version: number };
}

describe('public guide routes (no login)', () => {
  it('GET /api/guides lists every guide, by department or window, with { id, taskName, departmentId }', async () => {
    const a = await create();
    const b = await create({ taskName: '户口迁移', codes: [] });
    const c = await create({ taskName: '营业执照', departmentId: w.deptB.id, codes: [w.codeB.id] });
    const all = await send(null, 'GET', '/api/guides');
    expect(all.statusCode).toBe(200);
    expect(all.json().guides.map((g: { id: number }) => g.id)).toEqual([a.id, b.id, c.id]);
    expect(all.json().guides[0]).toMatchObject({
      id: a.id,
      taskName: '居民身份证换领',
      departmentId: w.deptA.id,
      departmentName: w.deptA.name,
    });
    const ofB = await send(null, 'GET', `/api/guides?departmentId=${w.deptB.id}`);
    expect(ofB.json().guides.map((g: { id: number }) => g.id)).toEqual([c.id]);
    const ofWindow = await send(null, 'GET', `/api/guides?code=${w.codeA.id.toLowerCase()}`);
    expect(ofWindow.json().guides.map((g: { id: number }) => g.id)).toEqual([a.id]);
    const limited = await send(null, 'GET', '/api/guides?limit=2');
    expect(limited.json().guides).toHaveLength(2);
    expect((await send(null, 'GET', '/api/guides?limit=0')).statusCode).toBe(400);
  });

  it('GET /api/guides/{id} is the guide with its active windows; unknown ids are 404 JSON', async () => {
    const off = await makeCode(t.db, { departmentId: w.deptA.id, active: false });
    const g = await create({ codes: [w.codeA.id, off.id] });
    const res = await send(null, 'GET', `/api/guides/${g.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      taskName: '居民身份证换领',
      materials: ['居民户口簿', '原居民身份证'],
      promisedDays: 20,
      version: 1,
    });
    expect(res.json().windows.map((x: { code: string }) => x.code)).toEqual([w.codeA.id]);
    const missing = await send(null, 'GET', '/api/guides/99999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'GuideNotFound', message: '办事指南不存在' });
  });

  it('GET /api/guides/{id}/qr.svg decodes to {PUBLIC_BASE_URL}/g/{id}; cached by ETag; 404 for none', async () => {
    const g = await create();
    const res = await send(null, 'GET', `/api/guides/${g.id}/qr.svg`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(decodeSvg(res.body)).toBe(`${BASE}/g/${g.id}`);
    const again = await t.app.inject({ url: `/api/guides/${g.id}/qr.svg`, headers: { 'if-none-match': String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
    const none = await send(null, 'GET', '/api/guides/424242/qr.svg');
    expect(none.statusCode).toBe(404);
    expect(none.json().error).toBe('GuideNotFound');
  });
});

describe('editing guides (administrators, within scope)', () => {
  it('only administrators write: 401 without login, 403 for a supervisor or a head', async () => {
    expect((await send(null, 'POST', '/api/guides', body())).statusCode).toBe(401);
    for (const u of [w.supervisor, w.headA]) {
      const res = await send(u, 'POST', '/api/guides', body());
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toBe('Forbidden');
    }
  });

  it('an administrator of another county can neither create in, edit, see the history of nor restore a guide of this one', async () => {
    const outsider = await makeUser(t.db, { role: 'admin', orgUnitId: w.otherCounty.id });
    const refused = await send(outsider, 'POST', '/api/guides', body());
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toBe('UnknownDepartment');
    const g = await create();
    const put = await send(outsider, 'PUT', `/api/guides/${g.id}`, { ...body({ departmentId: w.deptC.id, codes: [] }), version: 1 });
    expect(put.statusCode).toBe(404);
    expect((await send(outsider, 'GET', `/api/guides/${g.id}/versions`)).statusCode).toBe(404);
    expect((await send(outsider, 'POST', `/api/guides/${g.id}/versions/1/restore`)).statusCode).toBe(404);
    // A window of another county cannot be tied to a guide of this one.
    const foreign = await send(w.admin, 'POST', '/api/guides', body({ codes: [w.codeA.id, w.codeC.id] }));
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({ error: 'UnknownCode' });
    expect(foreign.json().message).toContain(w.codeC.id);
  });

  it('every edit keeps the previous version, with who and when; a stale edit is 409; a restore saves an old text as the newest', async () => {
    const g = await create();
    const edited = await send(w.admin, 'PUT', `/api/guides/${g.id}`, { ...body({ promisedDays: 10, fees: '不收费' }), version: 1 });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ version: 2, promisedDays: 10, fees: '不收费' });
    const stale = await send(w.cityAdmin, 'PUT', `/api/guides/${g.id}`, { ...body({ promisedDays: 5 }), version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'GuideChanged' });
    const history = await send(w.admin, 'GET', `/api/guides/${g.id}/versions`);
    expect(history.statusCode).toBe(200);
    const versions = history.json().versions as Array<{
      version: number;
      editedByName: string;
      guide: { promisedDays: number; fees: string };
    }>;
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[1]!.guide).toMatchObject({ promisedDays: 20, fees: '20 元（工本费）', codes: [w.codeA.id] });
    expect(versions[0]!.editedByName).toBeTruthy();
    const restored = await send(w.cityAdmin, 'POST', `/api/guides/${g.id}/versions/1/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ version: 3, promisedDays: 20, fees: '20 元（工本费）' });
    expect((await send(null, 'GET', `/api/guides/${g.id}`)).json()).toMatchObject({ version: 3, promisedDays: 20 });
    const after = (await send(w.admin, 'GET', `/api/guides/${g.id}/versions`)).json().versions;
    expect(after.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect((await send(w.admin, 'POST', `/api/guides/${g.id}/versions/9/restore`)).statusCode).toBe(404);
  });

  it('refuses bad input with 400 and a Chinese message', async () => {
    for (const bad of [{ taskName: '' }, { taskName: '   ' }, { legalDays: -1 }, { materials: 'x' }, { departmentId: 0 }]) {
      const res = await send(w.admin, 'POST', '/api/guides', body(bad));
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().message).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('GET /api/departments/{id}/guide-wall (二维码墙)', () => {
  it('an A4 sheet with each guide’s QR (decoding to its /g/ URL) and 事项 name; within scope only', async () => {
    const a = await create();
    const b = await create({ taskName: '户口迁移' });
    const res = await send(w.headA, 'GET', `/api/departments/${w.deptA.id}/guide-wall`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('@page { size: A4');
    expect(res.body).toContain('居民身份证换领');
    expect(res.body).toContain('户口迁移');
    const svgs = [...res.body.matchAll(/<div class="qr"[^>]*>(<svg[\s\S]*?<\/svg>)<\/div>/g)].map((m) => m[1]!);
    expect(svgs.map((svg) => decodeSvg(svg))).toEqual([`${BASE}/g/${a.id}`, `${BASE}/g/${b.id}`]);
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec(res.body)?.[1];
    expect((await t.app.inject({ url: href! })).statusCode).toBe(200);
    expect((await send(w.headB, 'GET', `/api/departments/${w.deptA.id}/guide-wall`)).statusCode).toBe(404);
    expect((await send(null, 'GET', `/api/departments/${w.deptA.id}/guide-wall`)).statusCode).toBe(401);
  });
});
