import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bearerFor } from '../helpers/app.js';
import { TEST_PASSWORD, useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld();
const login = (username: string, password: string, ip = '127.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

function b64url(obj: object): string {
  return Buffer.from(JSON.stringify(obj)).toString('base64url');
}
function signHs256(payload: object, secret: string): string {
  const head = b64url({ alg: 'HS256', typ: 'JWT' });
  const body = b64url(payload);
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

describe('POST /api/auth/login', () => {
  it('returns a token and the user for correct credentials; the token opens staff routes', async () => {
    const res = await login(w.supervisor.username, TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ id: w.supervisor.id, username: w.supervisor.username, role: 'supervisor' });
    expect(body.user.passwordHash).toBeUndefined();
    const me = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${body.token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().username).toBe(w.supervisor.username);
  });

  it('answers 401 with the same message for a wrong password and an unknown user', async () => {
    const a = await login(w.supervisor.username, 'wrong-password');
    const b = await login('nobody-here', 'wrong-password');
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json()).toEqual(b.json());
    expect(a.json()).toEqual({ error: 'InvalidCredentials', message: '用户名或密码错误' });
  });

  it('refuses disabled users', async () => {
    const { makeUser } = await import('../helpers/factories.js');
    const u = await makeUser(t.db, { role: 'supervisor', orgUnitId: w.county.id, active: false });
    expect((await login(u.username, TEST_PASSWORD)).statusCode).toBe(401);
  });

  it('throttles repeated failures of an account with 429 (details: login-throttle.test.ts)', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await login(w.admin.username, 'nope', '10.9.9.9')).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes[10]).toBe(429);
    const res = await login(w.admin.username, TEST_PASSWORD, '10.9.9.9');
    expect(res.statusCode).toBe(429);
    expect(res.json().error).toBe('TooManyLoginAttempts');
    // The account is locked from every address; other accounts, from that address too, are not.
    expect((await login(w.admin.username, TEST_PASSWORD, '10.9.9.10')).statusCode).toBe(429);
    expect((await login(w.supervisor.username, TEST_PASSWORD, '10.9.9.9')).statusCode).toBe(200);
  });

  it('never counts a successful login: an address signs in again and again', async () => {
    for (let i = 0; i < 20; i++)
      expect((await login(i % 2 ? w.admin.username : w.supervisor.username, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('rejects malformed bodies with 400 JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: '{"username":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    const wrongType = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 5, password: [] } });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error).toBe('ValidationError');
  });
});

describe('tokens', () => {
  const me = (authorization: string) => t.app.inject({ url: '/api/auth/me', headers: { authorization } });

  it('missing, tampered, foreign-secret, alg:none and expired tokens are 401', async () => {
    expect((await t.app.inject({ url: '/api/auth/me' })).statusCode).toBe(401);
    const good = bearerFor(t.app, w.admin).authorization;
    expect((await me(good)).statusCode).toBe(200);
    const [h, p, s] = good.slice(7).split('.');
    const forged = b64url({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: String(w.cityAdmin.id) });
    expect((await me(`Bearer ${h}.${forged}.${s}`)).statusCode).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    expect(
      (
        await me(
          `Bearer ${signHs256({ sub: String(w.admin.id), role: 'admin', iat: now, exp: now + 600 }, 'another-secret-of-sufficient-length!!')}`,
        )
      ).statusCode,
    ).toBe(401);
    const none = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: String(w.admin.id), role: 'admin', iat: now })}.`;
    expect((await me(`Bearer ${none}`)).statusCode).toBe(401);
    const expired = signHs256({ sub: String(w.admin.id), role: 'admin', iat: now - 7200, exp: now - 60 }, t.config.jwtSecret);
    const res = await me(`Bearer ${expired}`);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: 'Unauthorized', message: '未登录或登录已过期' });
  });

  it('tokens carry a 12 h expiry', async () => {
    const res = await login(w.admin.username, TEST_PASSWORD);
    const payload = JSON.parse(Buffer.from(res.json().token.split('.')[1], 'base64url').toString());
    expect(payload.exp - payload.iat).toBe(12 * 3600);
  });
});
