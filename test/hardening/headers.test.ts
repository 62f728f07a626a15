import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearerFor, makeTestApp, type TestApp } from '../helpers/app.js';
import { makeRating, makeWorld } from '../helpers/factories.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  t = await makeTestApp({ env: { CLIENT_DIR: 'dist/client' } });
  w = await makeWorld(t.db);
});
afterEach(() => t.close());

const MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>=HYPERLINK("http://evil")';

describe('security headers and markup in user text', () => {
  it('every HTML page carries a CSP without unsafe-inline scripts and the helmet headers', async () => {
    const { case: kase } = makeRating(t.services, { codeId: w.codeA.id, score: 1 });
    const token = t.db.$client.prepare('SELECT status_token AS s FROM cases WHERE id = ?').get(kase!.id) as { s: string };
    const pages: Array<[string, Record<string, string>]> = [
      ['/admin/', {}],
      ['/admin/cases/1', {}],
      ['/public', {}],
      [`/r/${w.codeA.id}`, {}],
      [`/s/${token.s}`, {}],
      ['/api/docs', {}],
      [`/api/departments/${w.deptA.id}/posters`, bearerFor(t.app, w.supervisor)],
    ];
    for (const [url, headers] of pages) {
      let res = await t.app.inject({ url, headers });
      if (res.statusCode === 302) res = await t.app.inject({ url: String(res.headers.location).replace(/^https?:\/\/[^/]+/, ''), headers });
      expect(res.statusCode, url).toBe(200);
      const csp = String(res.headers['content-security-policy'] ?? '');
      expect(csp, url).toMatch(/default-src '(self|none)'/);
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
      expect(scriptSrc, url).not.toContain("'unsafe-inline'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBeDefined();
    }
    const api = await t.app.inject({ url: '/api/codes/' + w.codeA.id });
    expect(api.headers['x-content-type-options']).toBe('nosniff');
  });

  it('a comment with markup is stored and returned as plain text in JSON and exports', async () => {
    makeRating(t.services, { codeId: w.codeA.id, score: 2, comment: MARKUP });
    const list = await t.app.inject({ url: '/api/stats/comments', headers: bearerFor(t.app, w.headA) });
    expect(list.statusCode).toBe(200);
    expect(list.headers['content-type']).toContain('application/json');
    expect(JSON.stringify(list.json())).toContain('<script>alert(\\"x\\")</script>');
    const csv = await t.app.inject({ url: '/api/stats/export.csv?sheet=ratings', headers: bearerFor(t.app, w.headA) });
    expect(csv.statusCode).toBe(200);
    // a cell that starts like a formula is neutralised for Excel; the markup itself stays inert text
    expect(csv.body).toContain("<script>alert(\"\"x\"\")</script>");
    expect(csv.body).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});
