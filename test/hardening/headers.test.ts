import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { bearerFor } from '../helpers/app.js';
import { makeRating, useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld({ env: { CLIENT_DIR: 'dist/client' } });
const MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>=HYPERLINK("http://evil")';

describe('security headers and markup in user text', () => {
  it('every HTML page carries a CSP without unsafe-inline scripts and the helmet headers', async () => {
    const { case: kase } = await makeRating(t.services, { codeId: w.codeA.id, score: 1 });
    const token = (await firstRow<{ s: string }>(t.db, sql`SELECT status_token AS s FROM cases WHERE id = ${kase!.id}`))!;
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
    const api = await t.app.inject({ url: `/api/codes/${w.codeA.id}` });
    expect(api.headers['x-content-type-options']).toBe('nosniff');
  });

  it('JSON answers, errors and the rating route carry the same helmet headers as the pages', async () => {
    const page = await t.app.inject({ url: '/public' });
    const expected = [
      'content-security-policy',
      'strict-transport-security',
      'x-content-type-options',
      'x-frame-options',
      'referrer-policy',
      'cross-origin-opener-policy',
      'cross-origin-resource-policy',
      'origin-agent-cluster',
    ];
    const answers = [
      await t.app.inject({
        method: 'POST',
        url: `/api/codes/${w.codeA.id}/ratings`,
        payload: { score: 5, clientId: 'client-0001', idempotencyKey: 'key-00000001' },
      }),
      await t.app.inject({ method: 'POST', url: `/api/codes/${w.codeA.id}/ratings`, payload: { score: 9 } }),
      await t.app.inject({ url: '/api/stats/summary', headers: bearerFor(t.app, w.headA) }),
      await t.app.inject({ url: '/api/stats/summary' }),
      await t.app.inject({ url: '/no/such/page' }),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([201, 400, 200, 401, 404]);
    for (const res of answers) {
      for (const h of expected) expect(res.headers[h], `${h} on ${res.statusCode}`).toBe(page.headers[h]);
    }
    expect(page.headers['cross-origin-resource-policy']).toBe('same-site');
    expect(String(page.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  });

  it('the app pages are revalidated on every visit, their hashed assets kept a year', async () => {
    for (const url of ['/admin/', '/admin/cases/1', '/public']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
    const asset = /src="\/assets\/([^"]+\.js)"/.exec((await t.app.inject({ url: '/admin/' })).body)?.[1];
    expect(asset).toBeDefined();
    const res = await t.app.inject({ url: `/assets/${asset}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('a comment with markup is stored and returned as plain text in JSON and exports', async () => {
    await makeRating(t.services, { codeId: w.codeA.id, score: 2, comment: MARKUP });
    const list = await t.app.inject({ url: '/api/stats/comments', headers: bearerFor(t.app, w.headA) });
    expect(list.statusCode).toBe(200);
    expect(list.headers['content-type']).toContain('application/json');
    expect(JSON.stringify(list.json())).toContain('<script>alert(\\"x\\")</script>');
    const csv = await t.app.inject({ url: '/api/stats/export.csv?sheet=ratings', headers: bearerFor(t.app, w.headA) });
    expect(csv.statusCode).toBe(200);
    // a cell that starts like a formula is neutralised for Excel; the markup itself stays inert text
    expect(csv.body).toContain('<script>alert(""x"")</script>');
    expect(csv.body).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});
