import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { bearerFor } from '../helpers/app.js';
import { makeCode, useTestWorld } from '../helpers/factories.js';
import { decodeSvg } from '../helpers/qr-decode.js';

const { t, w } = useTestWorld({ env: { PUBLIC_BASE_URL: 'https://pingyi.example.gov.cn/county' } });
type User = { id: number; role: string };
const get = (u: User | null, url: string) => t.app.inject({ url, headers: u ? bearerFor(t.app, u) : {} });
const posterCodes = (html: string) => [...html.matchAll(/<article class="poster" data-code="([^"]+)">/g)].map((m) => m[1]);

describe('GET /api/departments/{id}/posters', () => {
  it('one poster per active code, each with its QR inline (decoding to the contract URL); disabled codes left out', async () => {
    const second = await makeCode(t.db, { departmentId: w.deptA.id, location: '县政务服务中心 A区 2号窗口', staffName: '王五' });
    const disabled = await makeCode(t.db, { departmentId: w.deptA.id, active: false });
    const res = await get(w.headA, `/api/departments/${w.deptA.id}/posters`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body;
    expect(posterCodes(html)).toEqual([w.codeA.id, second.id]);
    expect(html).not.toContain(disabled.id);
    for (const text of ['扫码评议', w.deptA.name, w.codeA.location, '县政务服务中心 A区 2号窗口', '服务人员：王五', '差评必回访']) {
      expect(html).toContain(text);
    }
    const svgs = [...html.matchAll(/<div class="qr"[^>]*>(<svg[\s\S]*?<\/svg>)<\/div>/g)].map((m) => m[1]!);
    expect(svgs.map((svg) => decodeSvg(svg))).toEqual([
      `https://pingyi.example.gov.cn/county/r/${w.codeA.id}`,
      `https://pingyi.example.gov.cn/county/r/${second.id}`,
    ]);
  });

  it('carries its own CSP: the sheet’s <style> is allowed by a fresh nonce, nothing else is loosened', async () => {
    const res = await get(w.admin, `/api/departments/${w.deptA.id}/posters`);
    const csp = res.headers['content-security-policy'] as string;
    const nonce = /<style nonce="([^"]+)">/.exec(res.body)?.[1];
    expect(nonce).toMatch(/^[0-9a-f]{32}$/);
    const styleSrc = csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('style-src '));
    expect(styleSrc).toBe(`style-src 'self' 'nonce-${nonce}'`);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("object-src 'none'");
    const again = await get(w.admin, `/api/departments/${w.deptA.id}/posters`);
    expect(/<style nonce="([^"]+)">/.exec(again.body)?.[1]).not.toBe(nonce);
    expect(res.headers['cache-control']).toBe('private, no-store');
  });

  it('links the print CSS as a same-origin file too (a sheet opened from a blob: URL inherits the staff app’s CSP)', async () => {
    const res = await get(w.admin, `/api/departments/${w.deptA.id}/posters`);
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec(res.body)?.[1];
    expect(href).toMatch(/^\/api\/posters\.css\?v=[0-9a-f]+$/);
    const css = await t.app.inject({ url: href! });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).toContain('@page { size: A4');
    expect(res.body).toContain(css.body);
  });

  it('a head prints only their own department; other departments and counties are 404; no login 401', async () => {
    expect((await get(w.headA, `/api/departments/${w.deptB.id}/posters`)).statusCode).toBe(404);
    expect((await get(w.admin, `/api/departments/${w.deptC.id}/posters`)).statusCode).toBe(404);
    expect((await get(w.supervisor, `/api/departments/${w.deptB.id}/posters`)).statusCode).toBe(200);
    expect((await get(null, `/api/departments/${w.deptA.id}/posters`)).statusCode).toBe(401);
    const bad = await get(w.admin, '/api/departments/abc/posters');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBeDefined();
  });

  it('a department without active codes gets a sheet that says there is nothing to print', async () => {
    await t.app.inject({
      method: 'PATCH',
      url: `/api/codes/${w.codeB.id}`,
      headers: bearerFor(t.app, w.admin),
      payload: { active: false },
    });
    const res = await get(w.headB, `/api/departments/${w.deptB.id}/posters`);
    expect(res.statusCode).toBe(200);
    expect(posterCodes(res.body)).toEqual([]);
    expect(res.body).toContain('没有可打印的评议码');
  });
});

describe('GET /api/org-units/{id}/posters (a whole county)', () => {
  it('holds every active code of the county’s departments in scope, none of another county', async () => {
    const disabled = await makeCode(t.db, { departmentId: w.deptB.id, active: false });
    for (let i = 0; i < 30; i++) await makeCode(t.db, { departmentId: i % 2 ? w.deptA.id : w.deptB.id });
    const res = await get(w.admin, `/api/org-units/${w.county.id}/posters`);
    expect(res.statusCode).toBe(200);
    const codes = posterCodes(res.body);
    expect(codes).toHaveLength(32);
    expect(codes).toContain(w.codeA.id);
    expect(codes).toContain(w.codeB.id);
    expect(codes).not.toContain(w.codeC.id);
    expect(codes).not.toContain(disabled.id);
    expect(res.headers['content-security-policy']).toContain("'nonce-");

    const city = posterCodes((await get(w.cityAdmin, `/api/org-units/${w.city.id}/posters`)).body);
    expect(city).toHaveLength(33);
  });

  it('is for admins and supervisors of that unit only', async () => {
    expect((await get(w.supervisor, `/api/org-units/${w.county.id}/posters`)).statusCode).toBe(200);
    expect((await get(w.otherSupervisor, `/api/org-units/${w.county.id}/posters`)).statusCode).toBe(404);
    expect((await get(w.admin, `/api/org-units/${w.city.id}/posters`)).statusCode).toBe(404);
    expect((await get(w.headA, `/api/org-units/${w.county.id}/posters`)).statusCode).toBe(403);
  });
});

describe('GET /api/departments/{id}/codes.zip', () => {
  it('one SVG per active code (each decoding to its URL) and a CSV list', async () => {
    const second = await makeCode(t.db, { departmentId: w.deptA.id, location: '=cmd|"/c calc"!A1', staffName: '赵六' });
    const disabled = await makeCode(t.db, { departmentId: w.deptA.id, active: false });
    const res = await get(w.headA, `/api/departments/${w.deptA.id}/codes.zip`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent(`${w.deptA.name}-评议码.zip`));
    const zip = await JSZip.loadAsync(res.rawPayload);
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual(['评议码清单.csv', `${w.codeA.id}.svg`, `${second.id}.svg`].sort());
    for (const code of [w.codeA.id, second.id]) {
      expect(decodeSvg(await zip.file(`${code}.svg`)!.async('string'))).toBe(`https://pingyi.example.gov.cn/county/r/${code}`);
    }
    const csv = await zip.file('评议码清单.csv')!.async('string');
    expect(csv.startsWith('\uFEFF评议码,部门,位置,服务人员,二维码网址\r\n')).toBe(true);
    expect(csv).toContain(`${second.id},${w.deptA.name},"=cmd|""/c calc""!A1",赵六,https://pingyi.example.gov.cn/county/r/${second.id}`);
    expect(csv).not.toContain(disabled.id);
  });

  it('is scoped like the posters', async () => {
    expect((await get(w.headA, `/api/departments/${w.deptB.id}/codes.zip`)).statusCode).toBe(404);
    expect((await get(null, `/api/departments/${w.deptA.id}/codes.zip`)).statusCode).toBe(401);
  });
});
