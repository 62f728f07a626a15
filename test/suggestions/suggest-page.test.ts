// The citizen's 金点子 form: /i/{code} (a window's department) and /i/ (a department from the list), in
// the status bundle (read from the built client: npm test builds it first), within the 12 KB budget;
// the rating page links to it, written by the server into the page.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bearerFor } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld({ env: { CLIENT_DIR: 'dist/client' } });
function pageData(html: string): Record<string, unknown> {
  const m = /<script id="page-data" type="application\/json">(.*?)<\/script>/s.exec(html);
  if (!m) throw new Error('no page data');
  return JSON.parse(m[1]!);
}

describe('GET /i/{code}, GET /i/ — the 金点子 form', () => {
  it('names the window and its department, within 12 KB gzipped', async () => {
    const res = await t.app.inject({ url: `/i/${w.codeA.id.toLowerCase()}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(pageData(res.body)).toMatchObject({
      kind: 'suggest',
      code: w.codeA.id,
      departmentName: w.deptA.name,
      departments: [],
      categories: ['流程优化', '服务态度', '环境设施', '信息化', '其他'],
      submitterTypes: ['群众', '企业', '人大代表', '政协委员', '其他'],
    });
    expect(gzipSync(res.rawPayload, { level: 9 }).length).toBeLessThanOrEqual(12 * 1024);
  });

  it('without a code lists the departments; an unknown or disabled code is a page with 404', async () => {
    const all = await t.app.inject({ url: '/i/' });
    expect(all.statusCode).toBe(200);
    const data = pageData(all.body) as { kind: string; code: string; departments: { id: number }[] };
    expect(data.kind).toBe('suggest');
    expect(data.code).toBe('');
    expect(data.departments.map((d) => d.id)).toEqual(expect.arrayContaining([w.deptA.id, w.deptB.id]));
    const unknown = await t.app.inject({ url: '/i/NOPE' });
    expect(unknown.statusCode).toBe(404);
    expect(pageData(unknown.body)).toMatchObject({ kind: 'missing', reason: 'unknown' });
    await t.app.inject({
      method: 'PATCH',
      url: `/api/codes/${w.codeA.id}`,
      headers: bearerFor(t.app, w.admin),
      payload: { active: false },
    });
    expect((await t.app.inject({ url: `/i/${w.codeA.id}` })).statusCode).toBe(404);
  });

  it('the rating page links to the window form, and stays within its 12 KB budget', async () => {
    const res = await t.app.inject({ url: `/r/${w.codeA.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<a href="/i/${w.codeA.id}">我有金点子</a>`);
    expect(gzipSync(res.rawPayload, { level: 9 }).length).toBeLessThanOrEqual(12 * 1024);
  });
});
