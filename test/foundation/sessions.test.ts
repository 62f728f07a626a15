// Ending sessions (docs/api.md 3): logout ends one token, logout-all, a password change or reset and
// disabling end every token of the user, on every instance of the database; a token must carry an
// expiry, an id and a version.
import { createHmac, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { bearerFor, type TestApp } from '../helpers/app.js';
import { makeUser, TEST_PASSWORD, useTestWorld, useTwoInstances } from '../helpers/factories.js';

const { t, w } = useTestWorld();
const NEW_PASSWORD = 'a-brand-new-passphrase';

async function loginOn(app: TestApp, username: string, password = TEST_PASSWORD): Promise<string> {
  const res = await app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  expect(res.statusCode).toBe(200);
  return `Bearer ${res.json().token}`;
}
const login = (username: string, password?: string) => loginOn(t, username, password);
const meOn = async (app: TestApp, authorization: string) =>
  (await app.app.inject({ url: '/api/auth/me', headers: { authorization } })).statusCode;
const me = (authorization: string) => meOn(t, authorization);
const post = (url: string, authorization: string, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers: { authorization }, ...(payload ? { payload } : {}) });

function signHs256(payload: object, secret: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const body = b64(payload);
  return `${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`;
}

describe('logout', () => {
  it('ends the token it is called with; the user’s other tokens go on', async () => {
    const a = await login(w.supervisor.username);
    const b = await login(w.supervisor.username);
    const res = await post('/api/auth/logout', a);
    expect(res.statusCode).toBe(204);
    expect(await me(a)).toBe(401);
    expect(await me(b)).toBe(200);
    expect((await post('/api/auth/logout', a)).statusCode).toBe(401);
  });

  it('logout-all ends every token of the user, and only theirs', async () => {
    const a = await login(w.supervisor.username);
    const b = await login(w.supervisor.username);
    const other = await login(w.admin.username);
    expect((await post('/api/auth/logout-all', a)).statusCode).toBe(204);
    expect(await me(a)).toBe(401);
    expect(await me(b)).toBe(401);
    expect(await me(other)).toBe(200);
    expect(await me(await login(w.supervisor.username))).toBe(200);
  });

  it('a pruned logout is one whose token has expired anyway', async () => {
    const a = await login(w.supervisor.username);
    await post('/api/auth/logout', a);
    const count = async () => (await rows<{ n: number }>(t.db, sql`SELECT count(*) AS "n" FROM revoked_tokens`))[0]!.n;
    expect(await count()).toBe(1);
    const exp = JSON.parse(Buffer.from(a.split('.')[1]!, 'base64url').toString()).exp as number;
    t.clock.set(exp * 1000 - 1);
    await t.services.auth.prune();
    expect(await count()).toBe(1);
    t.clock.set(exp * 1000 + 1);
    await t.services.jobs.find((j) => j.name === 'auth.prune')!.run();
    expect(await count()).toBe(0);
  });
});

describe('POST /api/auth/password', () => {
  it('changes the password: every earlier token answers 401, the answer’s token works, the new password logs in', async () => {
    const a = await login(w.headA.username);
    const b = await login(w.headA.username);
    const res = await post('/api/auth/password', a, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.statusCode).toBe(200);
    expect(await me(a)).toBe(401);
    expect(await me(b)).toBe(401);
    expect(await me(`Bearer ${res.json().token}`)).toBe(200);
    const old = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: w.headA.username, password: TEST_PASSWORD },
    });
    expect(old.statusCode).toBe(401);
    expect(await me(await login(w.headA.username, NEW_PASSWORD))).toBe(200);
  });

  it('a wrong current password is 400 naming it; the token keeps working', async () => {
    const a = await login(w.headA.username);
    const res = await post('/api/auth/password', a, { currentPassword: 'not-my-password', newPassword: NEW_PASSWORD });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'WrongPassword', message: '当前密码不正确' });
    expect(await me(a)).toBe(200);
  });

  it('a weak or unchanged new password is 400, and nothing changes', async () => {
    const a = await login(w.headA.username);
    const weak = await post('/api/auth/password', a, { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ error: 'ValidationError', message: expect.stringContaining('新密码') });
    const same = await post('/api/auth/password', a, { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD });
    expect(same.statusCode).toBe(400);
    expect(same.json().error).toBe('SamePassword');
    expect(await me(a)).toBe(200);
    expect(await me(await login(w.headA.username))).toBe(200);
  });

  it('guessing the current password with a token counts against the account like failed logins', async () => {
    const a = await login(w.headA.username);
    for (let i = 0; i < 10; i++) {
      expect((await post('/api/auth/password', a, { currentPassword: `guess-${i}`, newPassword: NEW_PASSWORD })).statusCode).toBe(400);
    }
    const res = await post('/api/auth/password', a, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.statusCode).toBe(429);
    expect(res.json().error).toBe('TooManyLoginAttempts');
  });

  it('needs a token', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('admin reset and disable', () => {
  it('an admin resets a user’s password: the user’s tokens answer 401, the new password logs in, audited', async () => {
    const admin = await login(w.admin.username);
    const sup = await login(w.supervisor.username);
    const res = await post(`/api/users/${w.supervisor.id}/password`, admin, { newPassword: NEW_PASSWORD });
    expect(res.statusCode).toBe(204);
    expect(await me(sup)).toBe(401);
    expect(await me(admin)).toBe(200);
    expect(await me(await login(w.supervisor.username, NEW_PASSWORD))).toBe(200);
    const audit = await rows<{ userId: number }>(
      t.db,
      sql`SELECT user_id AS "userId" FROM audit_log WHERE action = 'user.password_reset' AND target_id = ${String(w.supervisor.id)}`,
    );
    expect(audit).toEqual([{ userId: w.admin.id }]);
  });

  it('a reset lifts the lock of the account', async () => {
    for (let i = 0; i < 10; i++) {
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: w.supervisor.username, password: 'x' } });
    }
    const admin = await login(w.admin.username);
    expect((await post(`/api/users/${w.supervisor.id}/password`, admin, { newPassword: NEW_PASSWORD })).statusCode).toBe(204);
    expect(await me(await login(w.supervisor.username, NEW_PASSWORD))).toBe(200);
  });

  it('only an admin, only within their scope, never for themselves', async () => {
    const admin = await login(w.admin.username);
    const outside = await post(`/api/users/${w.otherSupervisor.id}/password`, admin, { newPassword: NEW_PASSWORD });
    expect(outside.statusCode).toBe(404);
    expect((await post(`/api/users/999999/password`, admin, { newPassword: NEW_PASSWORD })).statusCode).toBe(404);
    const self = await post(`/api/users/${w.admin.id}/password`, admin, { newPassword: NEW_PASSWORD });
    expect(self.statusCode).toBe(400);
    expect(self.json().error).toBe('OwnAccount');
    const sup = await login(w.supervisor.username);
    expect((await post(`/api/users/${w.headA.id}/password`, sup, { newPassword: NEW_PASSWORD })).statusCode).toBe(403);
    expect((await post(`/api/users/${w.headA.id}/password`, admin, { newPassword: 'short' })).statusCode).toBe(400);
    // Nothing changed for the users refused.
    expect(await me(await login(w.otherSupervisor.username))).toBe(200);
    expect(await me(await login(w.headA.username))).toBe(200);
  });

  it('disabling a user ends their tokens for good; enabling again does not bring them back', async () => {
    const admin = await login(w.admin.username);
    const head = await login(w.headA.username);
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${w.headA.id}`,
      headers: { authorization: admin },
      payload: { active: false },
    });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ id: w.headA.id, active: false });
    expect(await me(head)).toBe(401);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: w.headA.username, password: TEST_PASSWORD },
    });
    expect(refused.statusCode).toBe(401);
    const on = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${w.headA.id}`,
      headers: { authorization: admin },
      payload: { active: true },
    });
    expect(on.json().active).toBe(true);
    expect(await me(head)).toBe(401);
    expect(await me(await login(w.headA.username))).toBe(200);
    const self = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${w.admin.id}`,
      headers: { authorization: admin },
      payload: { active: false },
    });
    expect(self.statusCode).toBe(400);
    const outside = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${w.otherSupervisor.id}`,
      headers: { authorization: admin },
      payload: { active: false },
    });
    expect(outside.statusCode).toBe(404);
  });
});

describe('token claims', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({ sub: String(w.admin.id), role: 'admin', ver: 0, jti: randomUUID(), iat: now(), exp: now() + 600 });

  it('a token signed with the secret but without exp is 401 (and without jti or ver too)', async () => {
    expect(await me(`Bearer ${signHs256(claims(), t.config.jwtSecret)}`)).toBe(200);
    const { exp: _exp, ...noExp } = claims();
    expect(await me(`Bearer ${signHs256(noExp, t.config.jwtSecret)}`)).toBe(401);
    const { jti: _jti, ...noJti } = claims();
    expect(await me(`Bearer ${signHs256(noJti, t.config.jwtSecret)}`)).toBe(401);
    const { ver: _ver, ...noVer } = claims();
    expect(await me(`Bearer ${signHs256(noVer, t.config.jwtSecret)}`)).toBe(401);
    expect(await me(`Bearer ${signHs256({ ...claims(), ver: '0' }, t.config.jwtSecret)}`)).toBe(401);
  });

  it('a token of an earlier version is 401', async () => {
    const u = await makeUser(t.db, { role: 'supervisor', orgUnitId: w.county.id });
    expect(await me(bearerFor(t.app, u).authorization)).toBe(200);
    await post('/api/auth/logout-all', bearerFor(t.app, u).authorization);
    expect(await me(bearerFor(t.app, { ...u, tokenVersion: 0 }).authorization)).toBe(401);
    expect(await me(bearerFor(t.app, { ...u, tokenVersion: 1 }).authorization)).toBe(200);
  });
});

describe('across instances', () => {
  const twoInstances = useTwoInstances();

  it('a logout or password change on one instance holds on another', async () => {
    const { a, b, w: world } = await twoInstances();
    const one = await loginOn(a, world.supervisor.username);
    const two = await loginOn(b, world.supervisor.username);
    expect(await meOn(b, one)).toBe(200);
    await a.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: one } });
    expect(await meOn(b, one)).toBe(401);
    expect(await meOn(a, two)).toBe(200);
    const res = await b.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { authorization: two },
      payload: { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    expect(await meOn(a, two)).toBe(401);
    expect(await meOn(a, `Bearer ${res.json().token}`)).toBe(200);
  });
});
