// POST /api/matters/{projectNo}/rating-link (docs/api.md §11): only for a finished 办件; an unguessable
// token valid until 办结 + the configured days; the same link while valid; its QR decodes to the url;
// an SMS text for the business system's own gateway.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { matters } from '../../db/schema.js';
import { MS_PER_DAY } from '../../shared/china-time.js';
import { bearerFor } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';
import { decodeSvg } from '../helpers/qr-decode.js';
import { makeIntegration, matterBody, putMatter } from '../integrations/keys.js';

const { t, w } = useTestWorld();

const FINISHED_AT = Date.parse('2026-11-23T09:30:00+08:00');
const FINISHED = { status: 'finished', finishedAt: '2026-11-23T09:30:00+08:00' };

const link = (headers: Record<string, string>, projectNo: string) =>
  t.app.inject({ method: 'POST', url: `/api/matters/${projectNo}/rating-link`, headers });

describe('rating links', () => {
  it('are given for a finished 办件 only: the same link while valid, ≥ 128 random bits, until 办结 + 7 days', async () => {
    const { apiKey } = await makeIntegration(t.app, w.admin);
    const key = { 'x-api-key': apiKey };
    await putMatter(t.app, apiKey, 'LK-1', matterBody(w.codeA.id));
    const early = await link(key, 'LK-1');
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: 'MatterNotFinished', message: expect.stringContaining('办件尚未办结') });
    await putMatter(t.app, apiKey, 'LK-2', matterBody(w.codeA.id, { status: 'rejected' }));
    expect((await link(key, 'LK-2')).statusCode).toBe(409);

    await putMatter(t.app, apiKey, 'LK-1', matterBody(w.codeA.id, { ...FINISHED, taskName: '个体工商户设立登记' }));
    const first = await link(key, 'LK-1');
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(Buffer.from(body.token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(body.url).toBe(`http://test.local/e/${body.token}`);
    expect(body.expiresAt).toBe(FINISHED_AT + 7 * MS_PER_DAY);
    expect(decodeSvg(body.qrSvg)).toBe(body.url);
    expect(body.smsText).toContain(body.url);
    expect(body.smsText).toContain('个体工商户设立登记');
    expect(body.smsText).toMatch(/^【.+政务服务】/);
    expect(body.smsText.replace(body.url, '').length).toBeLessThanOrEqual(70);
    const [row] = await t.db.select().from(matters).where(eq(matters.projectNo, 'LK-1'));
    expect(row).toMatchObject({ linkToken: body.token, linkExpiresAt: body.expiresAt });

    // Again, from the staff side too: the same link.
    t.clock.advance(3 * MS_PER_DAY);
    const again = (await link(bearerFor(t.app, w.supervisor), 'LK-1')).json();
    expect(again).toMatchObject({ token: body.token, url: body.url, expiresAt: body.expiresAt });
    expect(again.smsText).toContain('4日内有效');
    // Another 办件 has another token.
    await putMatter(t.app, apiKey, 'LK-3', matterBody(w.codeA.id, FINISHED));
    expect((await link(key, 'LK-3')).json().token).not.toBe(body.token);

    // Past the validity: 410.
    t.clock.set(body.expiresAt);
    const late = await link(key, 'LK-1');
    expect(late.statusCode).toBe(410);
    expect(late.json().error).toBe('LinkExpired');
  });

  it('follow the configured validity and SMS sign of the 办件’s unit; heads and other scopes get none', async () => {
    const headers = bearerFor(t.app, w.admin);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/settings',
      headers,
      payload: { matters: { linkValidDays: 3, defaultRating: { enabled: false, score: 4 }, smsSign: '示例县政务服务中心' } },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const { apiKey } = await makeIntegration(t.app, w.admin);
    await putMatter(t.app, apiKey, 'LK-9', matterBody(w.codeA.id, FINISHED));
    const res = (await link({ 'x-api-key': apiKey }, 'LK-9')).json();
    expect(res.expiresAt).toBe(FINISHED_AT + 3 * MS_PER_DAY);
    expect(res.smsText).toMatch(/^【示例县政务服务中心】/);
    expect((await link(bearerFor(t.app, w.headA), 'LK-9')).statusCode).toBe(403);
    expect((await link(bearerFor(t.app, w.otherSupervisor), 'LK-9')).statusCode).toBe(404);
    // Out-of-range settings are refused.
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/api/settings',
      headers,
      payload: { matters: { linkValidDays: 31, defaultRating: { enabled: false, score: 4 }, smsSign: '' } },
    });
    expect(bad.statusCode).toBe(400);
  });
});
