import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makeCode, useTestWorld } from '../helpers/factories.js';
import { makeMatter } from '../helpers/matters.js';

// These tests read the built citizen page (npm test builds the client first).
const { t, w } = useTestWorld({ env: { CLIENT_DIR: 'dist/client' } });
function pageData(html: string): Record<string, unknown> {
  const m = /<script id="page-data" type="application\/json">(.*?)<\/script>/s.exec(html);
  if (!m) throw new Error('no page data');
  return JSON.parse(m[1]!);
}

describe('GET /r/{code} — the citizen page', () => {
  it('is one self-contained HTML response with the code data embedded', async () => {
    const res = await t.app.inject({ url: `/r/${w.codeA.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const html = res.body;
    expect(html).toContain('lang="zh-CN"');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+stylesheet/);
    expect(pageData(html)).toMatchObject({ kind: 'rate', code: w.codeA.id, location: w.codeA.location, departmentName: w.deptA.name });
    // How long the phone's receipt stands in for the form after a rating.
    expect(pageData(html)).toMatchObject({ perCodeMinutes: 30 });
    expect((pageData(html).tags as { bad: string[] }).bad).toContain('服务态度差');
    // Numbers typed into the comment are masked when stored: the citizen is told where one goes.
    expect(html).toContain('留言中的手机号会被隐藏');
  });

  it('serves its service worker at /r/sw.js (revalidated, allowed by the page CSP), not as a code', async () => {
    const res = await t.app.inject({ url: '/r/sw.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/javascript');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('caches.open');
    const pageRes = await t.app.inject({ url: `/r/${w.codeA.id}` });
    expect(String(pageRes.headers['content-security-policy'])).toContain("worker-src 'self'");
    // The page registers the worker of its own folder (/r/sw.js here, /e/sw.js on a 办件's link page).
    expect(pageRes.body).toContain('serviceWorker.register(');
    expect(pageRes.body).toContain('sw.js');
  });

  it('first load (HTML + JS + CSS, gzipped) is at most 12 KB, on a window code and on a 办件 link', async () => {
    const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, taskName: '个体工商户设立登记（含名称自主申报）' });
    for (const url of [`/r/${w.codeA.id}`, `/e/${m.linkToken}`]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(200);
      const gz = gzipSync(res.rawPayload, { level: 9 }).length;
      expect(gz, url).toBeLessThanOrEqual(12 * 1024);
    }
  });

  it('allows its inline script and style by hash under a strict CSP', async () => {
    const res = await t.app.inject({ url: `/r/${w.codeA.id}` });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('unknown codes get a page with 404, disabled codes a page with 410', async () => {
    const unknown = await t.app.inject({ url: '/r/ZZZZZZ' });
    expect(unknown.statusCode).toBe(404);
    expect(pageData(unknown.body)).toMatchObject({ kind: 'missing', reason: 'unknown' });
    const off = await makeCode(t.db, { departmentId: w.deptA.id, active: false });
    const gone = await t.app.inject({ url: `/r/${off.id}` });
    expect(gone.statusCode).toBe(410);
    expect(pageData(gone.body)).toMatchObject({ kind: 'missing', reason: 'disabled', departmentName: w.deptA.name });
  });

  it('embeds hostile department text safely (no script break-out)', async () => {
    const code = await makeCode(t.db, { departmentId: w.deptA.id, location: '</script><script>alert(1)</script>' });
    const res = await t.app.inject({ url: `/r/${code.id}` });
    expect(res.body).not.toContain('<script>alert(1)');
    expect(pageData(res.body).location).toBe('</script><script>alert(1)</script>');
  });
});
