// The login throttle (docs/api.md 1.4): only failures count, per account (any address) and per address
// (any accounts), in the database so that every instance counts together; a hall's staff behind one
// address logging in at 9:00 never meet it.
import { describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { makeUser, makeWorld, TEST_PASSWORD, useTestWorld, useTwoInstances } from '../helpers/factories.js';

// A small address cap keeps the test quick (each failure checks a scrypt hash); the account rule is the default.
const env = { LOGIN_MAX_FAILURES_PER_ADDRESS: '15' };
const { t, w } = useTestWorld({ env });
const HALL = '10.20.30.40';

const loginOn = (app: TestApp, username: string, password: string, ip = HALL) =>
  app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });
const login = (username: string, password: string, ip = HALL) => loginOn(t, username, password, ip);

describe('login throttle', () => {
  it('50 staff logging in from one address within a minute never get 429, typos included', async () => {
    const staff = [];
    for (let i = 0; i < 50; i++) staff.push(await makeUser(t.db, { role: 'supervisor', orgUnitId: w.county.id }));
    const codes: number[] = [];
    for (const [i, u] of staff.entries()) {
      if (i % 10 === 0) codes.push((await login(u.username, 'typo-of-the-password')).statusCode);
      codes.push((await login(u.username, TEST_PASSWORD)).statusCode);
      t.clock.advance(1000);
    }
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 200)).toHaveLength(50);
    // The same account signing in again and again (a shared office PC) is no failure either.
    for (let i = 0; i < 15; i++) expect((await login(w.admin.username, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('10 failures lock that account for 15 minutes, whatever the addresses; other accounts go on', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) codes.push((await login(w.admin.username, 'wrong-password', `10.0.0.${i + 1}`)).statusCode);
    expect(codes).toEqual(Array(10).fill(401));

    // The right password during the lock: still 429, saying when to come back.
    const locked = await login(w.admin.username, TEST_PASSWORD, '10.0.1.1');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error).toBe('TooManyLoginAttempts');
    expect(locked.json().message).toContain('该账号登录失败次数过多');
    expect(locked.json().message).toContain('10:15（约 15 分钟后）');
    // Another account, from the very addresses that failed: unaffected.
    expect((await login(w.supervisor.username, TEST_PASSWORD, '10.0.0.1')).statusCode).toBe(200);

    t.clock.advance(14 * 60_000);
    const still = await login(w.admin.username, TEST_PASSWORD);
    expect(still.statusCode).toBe(429);
    expect(still.json().message).toContain('约 1 分钟后');
    t.clock.advance(60_000);
    expect((await login(w.admin.username, TEST_PASSWORD)).statusCode).toBe(200);
    // The count starts afresh after a lock.
    expect((await login(w.admin.username, 'wrong-password')).statusCode).toBe(401);
    expect((await login(w.admin.username, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('an unknown username is counted and locked like a real one (a lock tells nothing)', async () => {
    for (let i = 0; i < 10; i++) expect((await login('no-such-user', 'x', `10.0.2.${i}`)).statusCode).toBe(401);
    const res = await login('no-such-user', 'x');
    expect(res.statusCode).toBe(429);
    expect(res.json().message).toContain('该账号登录失败次数过多');
  });

  it('a successful login forgives the account its earlier failures', async () => {
    for (let i = 0; i < 9; i++) expect((await login(w.admin.username, 'wrong-password', `10.0.3.${i}`)).statusCode).toBe(401);
    expect((await login(w.admin.username, TEST_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 9; i++) expect((await login(w.admin.username, 'wrong-password', `10.0.4.${i}`)).statusCode).toBe(401);
    expect((await login(w.admin.username, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('failures from one address across accounts hit a higher cap that locks the address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 15; i++) codes.push((await login(`guess${i}`, 'password1')).statusCode);
    expect(codes).toEqual(Array(15).fill(401));
    const res = await login(w.admin.username, TEST_PASSWORD);
    expect(res.statusCode).toBe(429);
    expect(res.json()).toMatchObject({ error: 'TooManyLoginAttempts', message: expect.stringContaining('此网络登录失败次数过多') });
    // The same account from another address is fine: the account itself has no failure.
    expect((await login(w.admin.username, TEST_PASSWORD, '10.20.30.41')).statusCode).toBe(200);
    t.clock.advance(15 * 60_000);
    expect((await login(w.admin.username, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('the thresholds are settings (LOGIN_MAX_FAILURES_PER_ACCOUNT, LOGIN_LOCK_MINUTES)', async () => {
    const app = await makeTestApp({ env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_LOCK_MINUTES: '5' } });
    try {
      const world = await makeWorld(app.db);
      for (let i = 0; i < 3; i++) expect((await loginOn(app, world.admin.username, 'nope')).statusCode).toBe(401);
      expect((await loginOn(app, world.admin.username, TEST_PASSWORD)).statusCode).toBe(429);
      app.clock.advance(5 * 60_000);
      expect((await loginOn(app, world.admin.username, TEST_PASSWORD)).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('login throttle across instances', () => {
  const twoInstances = useTwoInstances();

  it('two instances on one database count an account’s failures together', async () => {
    const { a, b, w: world } = await twoInstances(env);
    for (let i = 0; i < 5; i++) expect((await loginOn(a, world.supervisor.username, 'nope')).statusCode).toBe(401);
    for (let i = 0; i < 5; i++) expect((await loginOn(b, world.supervisor.username, 'nope')).statusCode).toBe(401);
    expect((await loginOn(a, world.supervisor.username, TEST_PASSWORD)).statusCode).toBe(429);
    expect((await loginOn(b, world.supervisor.username, TEST_PASSWORD)).statusCode).toBe(429);
  });
});
