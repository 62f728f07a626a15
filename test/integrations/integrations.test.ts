// Integrations (docs/api.md §11): an administrator makes a key for a business system, shown once and
// stored only as its SHA-256; rotating or revoking it stops the old key at once, on every instance;
// the integration acts within its creator's scope; its calls are counted (4xx as errors) and limited.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { listAuditFor } from '../../db/queries/audit.js';
import { integrations } from '../../db/schema.js';
import { bearerFor, makeTestApp } from '../helpers/app.js';
import { makeUser, makeWorld, useTestWorld, useTwoInstances } from '../helpers/factories.js';
import { getMatter, makeIntegration, matterBody, putMatter } from './keys.js';

const { t, w } = useTestWorld();
const twoInstances = useTwoInstances();

const list = (user: { id: number; role: string }) =>
  t.app.inject({ method: 'GET', url: '/api/integrations', headers: bearerFor(t.app, user) });

describe('integrations: keys', () => {
  it('an admin makes one: the key is shown once, ≥ 256 random bits behind a prefix, and only its SHA-256 is stored', async () => {
    const made = await makeIntegration(t.app, w.admin);
    expect(made.apiKey).toMatch(/^mspy_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(made.apiKey.slice(5), 'base64url')).toHaveLength(32);
    expect(made.keyPrefix).toBe(made.apiKey.slice(0, 12));
    expect(made).toMatchObject({ name: '一窗受理系统', orgUnitId: w.county.id, calls: 0, errors: 0, revokedAt: null });

    const [row] = await t.db.select().from(integrations).where(eq(integrations.id, made.id));
    expect(row!.keyHash).toBe(createHash('sha256').update(made.apiKey).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(made.apiKey.slice(12));
    // Listed without the key.
    const listed = (await list(w.admin)).json().integrations;
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(made.apiKey.slice(12));
    expect(listed[0]).toMatchObject({ id: made.id, keyPrefix: made.keyPrefix, createdBy: { id: w.admin.id } });
    expect((await listAuditFor(t.db, 'integration', String(made.id)))[0]).toMatchObject({
      action: 'integration.create',
      userId: w.admin.id,
    });

    // Two keys differ.
    expect((await makeIntegration(t.app, w.admin, '网上办事大厅')).apiKey).not.toBe(made.apiKey);
  });

  it('only administrators manage integrations; each sees those of the units in their scope', async () => {
    for (const user of [w.supervisor, w.headA]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/integrations', headers: bearerFor(t.app, user), payload: { name: 'x' } });
      expect(res.statusCode).toBe(403);
      expect((await list(user)).statusCode).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/integrations' })).statusCode).toBe(401);
    const county = await makeIntegration(t.app, w.admin);
    const otherAdmin = await makeUser(t.db, { role: 'admin', orgUnitId: w.otherCounty.id });
    const other = await makeIntegration(t.app, otherAdmin, '其他县的系统');
    expect((await list(w.admin)).json().integrations.map((i: { id: number }) => i.id)).toEqual([county.id]);
    expect((await list(otherAdmin)).json().integrations.map((i: { id: number }) => i.id)).toEqual([other.id]);
    // The city's administrator sees both counties'.
    expect((await list(w.cityAdmin)).json().integrations.map((i: { id: number }) => i.id)).toEqual([other.id, county.id]);
    // Another county's integration cannot be rotated or revoked: 404, as if it did not exist.
    const headers = bearerFor(t.app, w.admin);
    expect((await t.app.inject({ method: 'POST', url: `/api/integrations/${other.id}/rotate`, headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/integrations/${other.id}`, headers })).statusCode).toBe(404);
    // An administrator without a scope makes none (it would act everywhere).
    const noScope = await makeUser(t.db, { role: 'admin', orgUnitId: null });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/integrations',
      headers: bearerFor(t.app, noScope),
      payload: { name: 'x' },
    });
    expect(res.statusCode).toBe(403);
    // A blank name names its field.
    const blank = await t.app.inject({ method: 'POST', url: '/api/integrations', headers, payload: { name: '' } });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().message).toContain('name');
  });

  it('an unknown, malformed or missing key answers 401 in JSON', async () => {
    const made = await makeIntegration(t.app, w.admin);
    const unknown = `mspy_${'A'.repeat(43)}`;
    for (const key of [unknown, 'nonsense', '', made.apiKey.slice(0, -1)]) {
      const res = await getMatter(t.app, { 'x-api-key': key }, 'BJ-1');
      expect(res.statusCode, key).toBe(401);
      expect(res.json()).toMatchObject({ error: 'InvalidApiKey', message: expect.stringContaining('密钥') });
    }
    expect((await getMatter(t.app, {}, 'BJ-1')).statusCode).toBe(401);
    // A valid key: the 办件 simply does not exist.
    expect((await getMatter(t.app, { 'x-api-key': made.apiKey }, 'BJ-1')).statusCode).toBe(404);
  });

  it('rotating gives a new key and the old one answers 401 at once; a revoked key answers 401 at once', async () => {
    const made = await makeIntegration(t.app, w.admin);
    const headers = bearerFor(t.app, w.admin);
    expect((await putMatter(t.app, made.apiKey, 'RT-1', matterBody(w.codeA.id))).statusCode).toBe(201);

    const rotated = await t.app.inject({ method: 'POST', url: `/api/integrations/${made.id}/rotate`, headers });
    expect(rotated.statusCode).toBe(200);
    const next = rotated.json();
    expect(next.apiKey).not.toBe(made.apiKey);
    expect(next.rotatedAt).toBe(t.clock.now());
    expect((await getMatter(t.app, { 'x-api-key': made.apiKey }, 'RT-1')).statusCode).toBe(401);
    expect((await getMatter(t.app, { 'x-api-key': next.apiKey }, 'RT-1')).statusCode).toBe(200);

    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/integrations/${made.id}`, headers });
    expect(revoked.statusCode).toBe(204);
    expect((await getMatter(t.app, { 'x-api-key': next.apiKey }, 'RT-1')).statusCode).toBe(401);
    expect((await putMatter(t.app, next.apiKey, 'RT-2', matterBody(w.codeA.id))).statusCode).toBe(401);
    // Revoking again changes nothing; a revoked integration gets no new key.
    expect((await t.app.inject({ method: 'DELETE', url: `/api/integrations/${made.id}`, headers })).statusCode).toBe(204);
    const again = await t.app.inject({ method: 'POST', url: `/api/integrations/${made.id}/rotate`, headers });
    expect(again.statusCode).toBe(409);
    expect((await list(w.admin)).json().integrations[0].revokedAt).toBe(t.clock.now());
    const actions = (await listAuditFor(t.db, 'integration', String(made.id))).map((a) => a.action);
    expect(actions).toEqual(['integration.revoke', 'integration.rotate', 'integration.create']);
  });

  it('a revocation or rotation on one instance holds at once on another', async () => {
    const { a, b, w: world } = await twoInstances();
    const made = await makeIntegration(a.app, world.admin);
    expect((await putMatter(b.app, made.apiKey, 'TWO-1', matterBody(world.codeA.id))).statusCode).toBe(201);
    const rotated = (
      await a.app.inject({ method: 'POST', url: `/api/integrations/${made.id}/rotate`, headers: bearerFor(a.app, world.admin) })
    ).json();
    expect((await getMatter(b.app, { 'x-api-key': made.apiKey }, 'TWO-1')).statusCode).toBe(401);
    expect((await getMatter(b.app, { 'x-api-key': rotated.apiKey }, 'TWO-1')).statusCode).toBe(200);
    await a.app.inject({ method: 'DELETE', url: `/api/integrations/${made.id}`, headers: bearerFor(a.app, world.admin) });
    expect((await getMatter(b.app, { 'x-api-key': rotated.apiKey }, 'TWO-1')).statusCode).toBe(401);
  });

  it('counts calls, and a call answered 4xx as an error with its message', async () => {
    const made = await makeIntegration(t.app, w.admin);
    expect((await putMatter(t.app, made.apiKey, 'CNT-1', matterBody(w.codeA.id))).statusCode).toBe(201);
    expect((await getMatter(t.app, { 'x-api-key': made.apiKey }, 'CNT-1')).statusCode).toBe(200);
    t.clock.advance(60_000);
    const bad = await putMatter(t.app, made.apiKey, 'CNT-2', matterBody(w.codeA.id, { applicantPhone: '12345' }));
    expect(bad.statusCode).toBe(400);
    const [row] = (await list(w.admin)).json().integrations;
    expect(row).toMatchObject({ calls: 3, errors: 1, lastCallAt: t.clock.now(), lastErrorAt: t.clock.now() });
    expect(row.lastError).toContain('400');
    expect(row.lastError).toContain('applicantPhone');
    expect(row.lastError).not.toContain('12345');
  });
});

describe('integrations: limits', () => {
  it('calls are limited per key: past the limit 429, while another key goes on', async () => {
    const limited = await makeTestApp({ env: { INTEGRATION_MAX_REQUESTS_PER_MINUTE: '3' } });
    try {
      const world = await makeWorld(limited.db);
      const one = await makeIntegration(limited.app, world.admin, '甲系统');
      const two = await makeIntegration(limited.app, world.admin, '乙系统');
      for (let i = 0; i < 3; i++) expect((await getMatter(limited.app, { 'x-api-key': one.apiKey }, 'L-1')).statusCode).toBe(404);
      const over = await getMatter(limited.app, { 'x-api-key': one.apiKey }, 'L-1');
      expect(over.statusCode).toBe(429);
      expect(over.json()).toMatchObject({ error: 'IntegrationRateLimit', message: expect.stringContaining('3') });
      expect((await getMatter(limited.app, { 'x-api-key': two.apiKey }, 'L-1')).statusCode).toBe(404);
      // The refusal counts as an error of the integration.
      const rows = (
        await limited.app.inject({ method: 'GET', url: '/api/integrations', headers: bearerFor(limited.app, world.admin) })
      ).json();
      expect(rows.integrations.find((i: { id: number }) => i.id === one.id)).toMatchObject({ calls: 4, errors: 4 });
    } finally {
      await limited.close();
    }
  });
});
