import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'cfg-'));

describe('loadConfig', () => {
  it('applies the docs/api.md defaults', () => {
    const dir = tmp();
    const c = loadConfig({ DB_FILE: join(dir, 'app.db') });
    expect(c.port).toBe(3000);
    expect(c.host).toBe('0.0.0.0');
    expect(c.publicBaseUrl).toBe('http://localhost:3000');
    expect(c.trustProxy).toBe(false);
    expect([c.qrRenderThreads, c.qrRenderQueue]).toEqual([1, 16]);
    expect(Object.isFrozen(c)).toBe(true);
    expect(loadConfig({}).dbFile).toBe('./data/app.db');
    expect(c.login).toEqual({ maxFailuresPerAccount: 10, maxFailuresPerAddress: 100, lockMinutes: 15, maxRequestsPerMinute: 300 });
  });

  it('generates the development JWT secret once and keeps it beside the database', () => {
    const dir = tmp();
    const a = loadConfig({ DB_FILE: join(dir, 'app.db') });
    const b = loadConfig({ DB_FILE: join(dir, 'app.db') });
    expect(a.jwtSecret).toHaveLength(64);
    expect(b.jwtSecret).toBe(a.jwtSecret);
    expect(readFileSync(join(dir, '.jwt-secret'), 'utf8').trim()).toBe(a.jwtSecret);
    expect(existsSync(join(dir, '.data-key'))).toBe(true);
  });

  it('refuses to start in production without secrets', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_KEY: 'a'.repeat(64) })).toThrow(/JWT_SECRET is required/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(/DATA_KEY is required/);
    const ok = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), DATA_KEY: 'a'.repeat(64) });
    expect(ok.jwtSecret).toBe('x'.repeat(40));
  });

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ PUBLIC_BASE_URL: 'not a url' }, /PUBLIC_BASE_URL/],
    [{ PUBLIC_BASE_URL: 'ftp://x.cn' }, /PUBLIC_BASE_URL/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET/],
    [{ DATA_KEY: 'xyz' }, /DATA_KEY/],
    [{ SEED_PASSWORD: 'short' }, /SEED_PASSWORD/],
    [{ TRUST_PROXY: '10.0.0.1,banana' }, /TRUST_PROXY/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
    [{ LOGIN_MAX_FAILURES_PER_ACCOUNT: '0' }, /LOGIN_MAX_FAILURES_PER_ACCOUNT/],
    [{ LOGIN_LOCK_MINUTES: '15m' }, /LOGIN_LOCK_MINUTES/],
    [{ QR_RENDER_THREADS: '0' }, /QR_RENDER_THREADS/],
    [{ QR_RENDER_THREADS: 'two' }, /QR_RENDER_THREADS/],
    [{ QR_RENDER_QUEUE: '-1' }, /QR_RENDER_QUEUE/],
    [{ HEADERS_TIMEOUT_MS: '10s' }, /HEADERS_TIMEOUT_MS/],
    [{ REQUEST_TIMEOUT_MS: '50' }, /REQUEST_TIMEOUT_MS/],
    [{ HEADERS_TIMEOUT_MS: '30000', REQUEST_TIMEOUT_MS: '20000' }, /HEADERS_TIMEOUT_MS must not be larger/],
    [{ MAX_CONNECTIONS_PER_ADDRESS: '-1' }, /MAX_CONNECTIONS_PER_ADDRESS/],
    [{ SHED_MAX_EVENT_LOOP_DELAY_MS: 'off' }, /SHED_MAX_EVENT_LOOP_DELAY_MS/],
  ])('rejects bad value %o with a clear message', (env, pattern) => {
    expect(() => loadConfig({ DB_FILE: ':memory:', ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DB_FILE: ':memory:', ...env })).toThrow(pattern);
  });

  it('with DATABASE_URL, instances must share their secrets: refuses to start without JWT_SECRET or DATA_KEY', () => {
    const dir = tmp();
    const url = 'postgres://app:secret@db.example:5432/pingyi';
    const both = { JWT_SECRET: 'j'.repeat(40), DATA_KEY: 'a'.repeat(64) };
    expect(loadConfig({ DATABASE_URL: url, ...both }).databaseUrl).toBe(url);
    expect(() => loadConfig({ DB_FILE: join(dir, 'app.db'), DATABASE_URL: url, DATA_KEY: both.DATA_KEY })).toThrow(
      /JWT_SECRET is required with DATABASE_URL/,
    );
    expect(() => loadConfig({ DB_FILE: join(dir, 'app.db'), DATABASE_URL: url, JWT_SECRET: both.JWT_SECRET })).toThrow(
      /DATA_KEY is required with DATABASE_URL/,
    );
    // No secret was generated beside the SQLite file for a PostgreSQL deployment.
    expect(existsSync(join(dir, '.jwt-secret'))).toBe(false);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x@y/z', ...both })).toThrow(ConfigError);
    expect(loadConfig({}).databaseUrl).toBeNull();
  });

  it('parses TRUST_PROXY lists and trims the base URL', () => {
    const c = loadConfig({ DB_FILE: ':memory:', TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1', PUBLIC_BASE_URL: 'https://pj.example.cn/x/' });
    expect(c.trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(c.publicBaseUrl).toBe('https://pj.example.cn/x');
  });

  it('has connection limits and load shedding on by default; a proxy gets the longer keep-alive', () => {
    const direct = loadConfig({ DB_FILE: ':memory:', NODE_ENV: 'development' });
    expect(direct.net).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 20_000,
      keepAliveTimeoutMs: 5_000,
      idleTimeoutMs: 60_000,
      maxConnections: 10_000,
      maxConnectionsPerAddress: 100,
    });
    expect(direct.shed).toEqual({ maxEventLoopDelayMs: 1_000, maxHeapUsedMb: 0 });
    expect(loadConfig({ DB_FILE: ':memory:', TRUST_PROXY: '10.0.0.2' }).net.keepAliveTimeoutMs).toBe(75_000);
    expect(loadConfig({ DB_FILE: ':memory:', NODE_ENV: 'test' }).shed.maxEventLoopDelayMs).toBe(0);
    const set = loadConfig({ DB_FILE: ':memory:', MAX_CONNECTIONS_PER_ADDRESS: '0', KEEP_ALIVE_TIMEOUT_MS: '65000' });
    expect(set.net.maxConnectionsPerAddress).toBe(0);
    expect(set.net.keepAliveTimeoutMs).toBe(65_000);
  });

  it('upward reporting delivers from its own thread unless REPORT_DELIVERY_THREAD=false; any other value is refused', () => {
    const env = {
      DB_FILE: ':memory:',
      REPORT_URL: 'http://province.example/report',
      REPORT_APP_ID: 'county',
      REPORT_SECRET: 'x'.repeat(16),
    };
    expect(loadConfig(env).report?.deliveryThread).toBe(true);
    expect(loadConfig({ ...env, REPORT_DELIVERY_THREAD: 'false' }).report?.deliveryThread).toBe(false);
    expect(() => loadConfig({ ...env, REPORT_DELIVERY_THREAD: 'no' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, REPORT_DELIVERY_THREAD: 'no' })).toThrow(/REPORT_DELIVERY_THREAD must be true or false/);
  });
});
