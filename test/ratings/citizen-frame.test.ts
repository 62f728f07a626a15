// Trust on the citizen pages (#12, item 5): who issues the page (settings citizen.authority, per county)
// in the header and the <title>, where else to turn on a dead code or link (citizen.hotline), and the
// icon and web app manifest the pages link to.
import { describe, expect, it } from 'vitest';
import { bearerFor } from '../helpers/app.js';
import { makeCode, makeRating, useTestWorld } from '../helpers/factories.js';
import { makeMatter } from '../helpers/matters.js';

// These tests read the built citizen pages (npm test builds the client first).
const { t, w } = useTestWorld({ env: { CLIENT_DIR: 'dist/client' } });

const AUTHORITY = '示例县政务服务和大数据管理局';
const COUNTY_HOTLINE = '0531-12345 县政务服务热线';

function pageData(html: string): Record<string, unknown> {
  const m = /<script id="page-data" type="application\/json">(.*?)<\/script>/s.exec(html);
  if (!m) throw new Error('no page data');
  return JSON.parse(m[1]!);
}
const titleOf = (html: string) => /<title>(.*?)<\/title>/s.exec(html)?.[1];

async function setCountyCitizen(citizen: { authority: string; hotline: string }) {
  const res = await t.app.inject({
    method: 'PATCH',
    url: `/api/settings?orgUnitId=${w.county.id}`,
    headers: bearerFor(t.app, w.admin),
    payload: { citizen },
  });
  expect(res.statusCode).toBe(200);
}

describe('who issues the citizen page', () => {
  it('names the county authority in the page data and the title with the department and window', async () => {
    await setCountyCitizen({ authority: AUTHORITY, hotline: COUNTY_HOTLINE });
    const res = await t.app.inject({ url: `/r/${w.codeA.id}` });
    expect(res.statusCode).toBe(200);
    expect(pageData(res.body)).toMatchObject({ kind: 'rate', authority: AUTHORITY });
    expect(titleOf(res.body)).toBe(`评价 · ${w.deptA.name} · ${w.codeA.location} — ${AUTHORITY}`);
    // Another county's code: its own (unset) authority, the product's name instead.
    const other = await t.app.inject({ url: `/r/${w.codeC.id}` });
    expect(pageData(other.body)).toMatchObject({ authority: '' });
    expect(titleOf(other.body)).toBe(`评价 · ${w.deptC.name} · ${w.codeC.location} — 码上评议`);

    const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id });
    const link = await t.app.inject({ url: `/e/${m.linkToken}` });
    expect(pageData(link.body)).toMatchObject({ kind: 'matter', authority: AUTHORITY });
    expect(titleOf(link.body)).toBe(`评价 · ${w.deptA.name} · ${w.codeA.location} — ${AUTHORITY}`);

    const { case: kase } = await makeRating(t.services, { codeId: w.codeA.id, score: 1, phone: '13912345678' });
    const status = await t.app.inject({ url: `/s/${kase!.statusToken}` });
    expect(status.statusCode).toBe(200);
    expect(pageData(status.body)).toMatchObject({ kind: 'case', authority: AUTHORITY, departmentName: w.deptA.name });
    expect(titleOf(status.body)).toBe(`处理进度 · ${kase!.caseNo} · ${w.deptA.name} — ${AUTHORITY}`);
  });

  it('escapes the title', async () => {
    const code = await makeCode(t.db, { departmentId: w.deptA.id, location: '</title><script>alert(1)</script>' });
    const res = await t.app.inject({ url: `/r/${code.id}` });
    expect(titleOf(res.body)).toBe(`评价 · ${w.deptA.name} · &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; — 码上评议`);
    expect(res.body).not.toContain('<script>alert(1)');
  });
});

describe('dead codes and links offer another channel, with their statuses kept', () => {
  it('a disabled code (410) names its county hotline; an unknown code (404), which has no county, the platform one', async () => {
    await setCountyCitizen({ authority: AUTHORITY, hotline: COUNTY_HOTLINE });
    const off = await makeCode(t.db, { departmentId: w.deptA.id, active: false });
    const gone = await t.app.inject({ url: `/r/${off.id}` });
    expect(gone.statusCode).toBe(410);
    expect(pageData(gone.body)).toMatchObject({ kind: 'missing', reason: 'disabled', authority: AUTHORITY, hotline: COUNTY_HOTLINE });
    expect(titleOf(gone.body)).toBe(`该评议码已停用 · ${w.deptA.name} · ${off.location} — ${AUTHORITY}`);

    const unknown = await t.app.inject({ url: '/r/ZZZZZZ' });
    expect(unknown.statusCode).toBe(404);
    expect(pageData(unknown.body)).toMatchObject({ kind: 'missing', reason: 'unknown', authority: '', hotline: '12345 政务服务便民热线' });
    expect(titleOf(unknown.body)).toBe('评议码无效 — 码上评议');
  });

  it('an expired 办件 link (410) and an unknown case link (404) say where else to turn', async () => {
    await setCountyCitizen({ authority: AUTHORITY, hotline: COUNTY_HOTLINE });
    const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, linkValidMs: 1000 });
    t.clock.set(t.clock.now() + 60_000);
    const expired = await t.app.inject({ url: `/e/${m.linkToken}` });
    expect(expired.statusCode).toBe(410);
    expect(pageData(expired.body)).toMatchObject({ reason: 'expired', authority: AUTHORITY, hotline: COUNTY_HOTLINE });

    const noCase = await t.app.inject({ url: '/s/not-a-real-token' });
    expect(noCase.statusCode).toBe(404);
    expect(pageData(noCase.body)).toMatchObject({ kind: 'missing', reason: 'case', hotline: '12345 政务服务便民热线' });
  });

  it('an empty hotline is not offered', async () => {
    await setCountyCitizen({ authority: '', hotline: '' });
    const off = await makeCode(t.db, { departmentId: w.deptA.id, active: false });
    expect(pageData((await t.app.inject({ url: `/r/${off.id}` })).body)).toMatchObject({ hotline: '' });
  });
});

describe('the lookup page (GET /s/)', () => {
  it('is served by the status bundle with the platform authority and hotline', async () => {
    for (const url of ['/s/', '/s']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(pageData(res.body)).toEqual({ kind: 'lookup', authority: '', hotline: '12345 政务服务便民热线' });
      expect(titleOf(res.body)).toBe('查询处理进度 — 码上评议');
      expect(String(res.headers['content-security-policy'])).toMatch(/script-src 'sha256-/);
    }
  });
});

describe('icon and web app manifest', () => {
  it('every citizen page links them, and its CSP allows the manifest', async () => {
    const { case: kase } = await makeRating(t.services, { codeId: w.codeA.id, score: 1, phone: '13912345678' });
    for (const url of [`/r/${w.codeA.id}`, `/s/${kase!.statusToken}`, '/s/', '/r/ZZZZZZ']) {
      const res = await t.app.inject({ url });
      expect(res.body, url).toContain('<link rel="icon" href="/favicon.svg">');
      expect(res.body, url).toContain('<link rel="manifest" href="/manifest.webmanifest">');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("manifest-src 'self'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
    }
  });

  it('serves a valid manifest and the SVG icon (also at /favicon.ico)', async () => {
    const res = await t.app.inject({ url: '/manifest.webmanifest' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/manifest+json');
    const manifest = res.json();
    expect(manifest).toMatchObject({
      name: expect.stringContaining('码上评议'),
      short_name: '码上评议',
      start_url: '/s/',
      display: 'standalone',
    });
    expect(manifest.icons).toEqual([expect.objectContaining({ src: '/favicon.svg', type: 'image/svg+xml', sizes: 'any' })]);
    for (const url of ['/favicon.svg', '/favicon.ico', manifest.icons[0].src]) {
      const icon = await t.app.inject({ url });
      expect(icon.statusCode, url).toBe(200);
      expect(icon.headers['content-type']).toContain('image/svg+xml');
      expect(icon.body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    }
  });
});
