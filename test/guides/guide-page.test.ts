// The citizen's 办事指南 pages: /g/{id} and a window's list /g/?code=X, in the status bundle (read from
// the built client: npm test builds it first), within the 12 KB first-load budget.
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

/** A long, realistic guide: the budget must hold for the longest guides, not the demo's shortest. */
async function longGuide(codes: string[]) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/guides',
    headers: bearerFor(t.app, w.admin),
    payload: {
      departmentId: w.deptA.id,
      taskCode: null,
      taskName: '企业设立登记（有限责任公司、股份有限公司及其分公司，含名称自主申报、印章刻制、涉税事项办理）',
      materials: Array.from(
        { length: 20 },
        (_, i) => `第 ${i + 1} 项材料：法定代表人签署的《公司登记（备案）申请书》原件一份，须加盖公章并由经办人签字确认`,
      ),
      steps: Array.from(
        { length: 10 },
        (_, i) => `第 ${i + 1} 步：申请人通过“一网通办”平台或窗口提交材料，窗口工作人员当场核验并出具受理通知书`,
      ),
      legalDays: 15,
      promisedDays: 1,
      fees: '不收费',
      legalBasis:
        '《中华人民共和国公司法》第二十九条；《中华人民共和国市场主体登记管理条例》第三条、第十九条；《中华人民共和国市场主体登记管理条例实施细则》第二十六条。'.repeat(
          3,
        ),
      location: '县政务服务中心 F区 1–16号窗口（企业开办专区）',
      hours: '周一至周五 上午 9:00–12:00，下午 13:30–17:00（法定节假日除外）',
      phone: '0339-8210601',
      codes,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number };
}

describe('GET /g/{id} — a 办事指南 page', () => {
  it('is one self-contained HTML response with the guide embedded, within 12 KB gzipped even for a long guide', async () => {
    const g = await longGuide([w.codeA.id]);
    const res = await t.app.inject({ url: `/g/${g.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).not.toMatch(/<script[^>]+src=/);
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(pageData(res.body)).toMatchObject({ kind: 'guide', code: w.codeA.id, guide: { id: g.id, departmentName: w.deptA.name } });
    expect(gzipSync(res.rawPayload, { level: 9 }).length).toBeLessThanOrEqual(12 * 1024);
    // The service worker keeping a copy for weak signal, in the page's own scope.
    const sw = await t.app.inject({ url: '/g/sw.js' });
    expect(sw.statusCode).toBe(200);
    expect(sw.body).toContain('caches.open');
    expect(res.body).toContain('/g/sw.js');
  });

  it('names the window it was opened from for the rating and 办不成事 links, else its first', async () => {
    const g = await longGuide([w.codeA.id, w.codeB.id]);
    expect(pageData((await t.app.inject({ url: `/g/${g.id}?code=${w.codeB.id}` })).body).code).toBe(w.codeB.id);
    expect(pageData((await t.app.inject({ url: `/g/${g.id}?code=ZZZZ` })).body).code).toBe(w.codeA.id);
  });

  it('unknown or malformed ids get a page with 404', async () => {
    for (const url of ['/g/99999', '/g/abc', `/g/${'9'.repeat(30)}`]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(pageData(res.body)).toMatchObject({ kind: 'missing', reason: 'guide', title: '未找到该办事指南' });
    }
  });
});

describe('GET /g/?code=X — a window’s guides', () => {
  it('lists the guides of the window; an unknown window is a page with 404', async () => {
    const g = await longGuide([w.codeA.id]);
    const res = await t.app.inject({ url: `/g/?code=${w.codeA.id}` });
    expect(res.statusCode).toBe(200);
    expect(pageData(res.body)).toMatchObject({ kind: 'guides', code: w.codeA.id, guides: [{ id: g.id }] });
    expect(pageData((await t.app.inject({ url: `/g/?code=${w.codeB.id}` })).body)).toMatchObject({ kind: 'guides', guides: [] });
    expect((await t.app.inject({ url: '/g/?code=ZZZZZZ' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/g/' })).statusCode).toBe(404);
  });

  it('the rating page links to it (one short link) and stays within its 12 KB budget', async () => {
    const res = await t.app.inject({ url: `/r/${w.codeA.id}` });
    expect(res.body).toContain('/g/?code=');
    expect(gzipSync(res.rawPayload, { level: 9 }).length).toBeLessThanOrEqual(12 * 1024);
  });
});
