// The only module that reads the environment (docs/architecture.md). Validated at start: a bad value stops the
// server with a clear message; no secret has a default in production.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import { ensurePrivateFile, tightenMode } from '../db/private-files.js';

export interface Config {
  readonly nodeEnv: 'production' | 'development' | 'test';
  readonly port: number;
  readonly host: string;
  readonly dbFile: string;
  /** `postgres://…`: run on PostgreSQL (several instances may share it) instead of `dbFile`. */
  readonly databaseUrl: string | null;
  readonly publicBaseUrl: string;
  readonly jwtSecret: string;
  /** 32-byte key (hex) for phone encryption at rest and for salting client/network hashes. */
  readonly dataKey: string;
  /** Password of the demo users created on first start; `generated` when we made it up. */
  readonly seedPassword: { value: string; generated: boolean };
  /** Addresses/CIDRs of trusted reverse proxies (X-Forwarded-For), or false. */
  readonly trustProxy: string[] | false;
  readonly logLevel: string;
  /** Where the built client lives (vite build output). */
  readonly clientDir: string;
  /** Whether to seed the demo county on an empty database. */
  readonly seedDemo: boolean;
  /** Whether the seeded demo county also gets two months of example ratings and cases. */
  readonly seedDemoActivity: boolean;
  readonly tokenTtl: string;
  readonly login: LoginLimits;
  /** Calls of one integration key (or staff member) per minute and route of the 办件 API: INTEGRATION_MAX_REQUESTS_PER_MINUTE. */
  readonly integrationMaxRequestsPerMinute: number;
  /** Webhooks may point at loopback, private and link-local addresses (refused unless true). */
  readonly webhookAllowPrivate: boolean;
  /** Worker threads that draw QR PNGs (off the event loop that answers citizens). */
  readonly qrRenderThreads: number;
  /** QR PNGs that may wait for a worker; one more is answered 503. */
  readonly qrRenderQueue: number;
  /** Connection limits against slow and piled-up connections (docs/operations.md, 连接与超时). */
  readonly net: NetLimits;
  /** Load shedding: 503 instead of hanging when the process is overloaded (0 = that check off). */
  readonly shed: { maxEventLoopDelayMs: number; maxHeapUsedMb: number };
  /** Upward reporting to the provincial 好差评 system (REPORT_URL …, docs/operations.md); null: off. */
  readonly report: ReportConfig | null;
}

/** How a report batch is signed: the contract's HMAC-SHA256, or 国密 (HMAC-SM3, an SM2 signature). */
export const REPORT_SIGNATURES = ['hmac-sha256', 'hmac-sm3', 'sm2'] as const;
export type ReportSignature = (typeof REPORT_SIGNATURES)[number];

export interface ReportConfig {
  /** Where batches are POSTed: REPORT_URL. */
  readonly url: string;
  /** REPORT_APP_ID: the `appId` of every batch (the county's account at the province). */
  readonly appId: string;
  /** REPORT_SECRET: the HMAC key, or the SM2 private key (64 hex) with REPORT_SIGNATURE=sm2. */
  readonly secret: string;
  readonly signature: ReportSignature;
  /** Records per POST: REPORT_BATCH_SIZE. */
  readonly batchSize: number;
  /** No answer within this long is a failed attempt: REPORT_TIMEOUT_MS (the contract: 10 s). */
  readonly timeoutMs: number;
  /** A record failing for this long becomes a dead letter (resent by hand): REPORT_DEAD_AFTER_HOURS. */
  readonly deadAfterMs: number;
  /**
   * REPORT_DELIVERY_THREAD (default true): delivery runs in a worker thread with its own database
   * connection, off the event loop that answers citizens. false: on the event loop (as do the tests,
   * whose clock is moved by hand).
   */
  readonly deliveryThread: boolean;
}

/** The staff login's throttle (docs/api.md 1.4): failures only, per account and per address. */
export interface LoginLimits {
  /** Failed logins of one account (any address) that lock it: LOGIN_MAX_FAILURES_PER_ACCOUNT. */
  readonly maxFailuresPerAccount: number;
  /** Failed logins from one address (any accounts) that lock the address: LOGIN_MAX_FAILURES_PER_ADDRESS. */
  readonly maxFailuresPerAddress: number;
  /** The window the failures are counted in, and how long a lock lasts: LOGIN_LOCK_MINUTES. */
  readonly lockMinutes: number;
  /** Login requests of one address per minute, successes included (a flood guard): LOGIN_MAX_REQUESTS_PER_MINUTE. */
  readonly maxRequestsPerMinute: number;
}

export interface NetLimits {
  /** The request line and headers must have arrived within this long of the connection's first byte. */
  headersTimeoutMs: number;
  /** The whole request, body included, must have arrived within this long (slow bodies are cut). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long between two requests. */
  keepAliveTimeoutMs: number;
  /** A connection on which nothing moves in either direction for this long is closed (0 = never). */
  idleTimeoutMs: number;
  /** Open connections in all (0 = no limit); beyond it new ones are closed at once. */
  maxConnections: number;
  /** Open connections from one client address (0 = no limit); TRUST_PROXY addresses are never capped. */
  maxConnectionsPerAddress: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3000;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`PORT must be an integer 0–65535, got "${raw}"`);
  const n = Number(raw);
  if (n > 65535) throw new ConfigError(`PORT must be an integer 0–65535, got "${raw}"`);
  return n;
}

function parseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`PUBLIC_BASE_URL must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`PUBLIC_BASE_URL must use http or https, got "${raw}"`);
  }
  if (url.search || url.hash) throw new ConfigError('PUBLIC_BASE_URL must not carry a query or fragment');
  return url.toString().replace(/\/+$/, '');
}

function parseTrustProxy(raw: string | undefined): string[] | false {
  if (!raw || raw.trim() === '') return false;
  const parts = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of parts) {
    const [addr, bits, extra] = p.split('/');
    const version = isIP(addr ?? '');
    const maxBits = version === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits);
    if (!version || !bitsOk || extra !== undefined) {
      throw new ConfigError(`TRUST_PROXY must list IP addresses or CIDRs separated by commas, got "${p}"`);
    }
  }
  return parts;
}

/** A whole number from the environment, `fallback` when unset, within [min, max]. */
function parseInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be an integer ${min}–${max}, got "${raw}"`);
  }
  return Number(raw);
}

function parseCount(env: Env, name: string, fallback: number, max: number): number {
  return parseInteger(env, name, fallback, 1, max);
}

function parseReport(env: Env): ReportConfig | null {
  const url = env.REPORT_URL;
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`REPORT_URL must be an absolute http(s) URL, got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError(`REPORT_URL must use http or https, got "${url}"`);
  const appId = env.REPORT_APP_ID ?? '';
  if (appId.trim() === '') throw new ConfigError('REPORT_APP_ID is required with REPORT_URL (the appId the province gave the county)');
  const signature = (env.REPORT_SIGNATURE || 'hmac-sha256') as ReportSignature;
  if (!REPORT_SIGNATURES.includes(signature)) {
    throw new ConfigError(`REPORT_SIGNATURE must be one of ${REPORT_SIGNATURES.join(', ')}, got "${env.REPORT_SIGNATURE}"`);
  }
  const secret = env.REPORT_SECRET ?? '';
  if (signature === 'sm2') {
    if (!/^[0-9a-fA-F]{64}$/.test(secret))
      throw new ConfigError('REPORT_SECRET must be the SM2 private key, 64 hex characters, with REPORT_SIGNATURE=sm2');
  } else if (secret.length < 16) {
    throw new ConfigError('REPORT_SECRET is required with REPORT_URL and must be at least 16 characters long');
  }
  const thread = env.REPORT_DELIVERY_THREAD || 'true';
  if (!['true', 'false'].includes(thread)) throw new ConfigError('REPORT_DELIVERY_THREAD must be true or false');
  return Object.freeze({
    url: parsed.toString(),
    appId: appId.trim(),
    secret,
    signature,
    batchSize: parseCount(env, 'REPORT_BATCH_SIZE', 500, 5000),
    timeoutMs: parseInteger(env, 'REPORT_TIMEOUT_MS', 10_000, 100, 120_000),
    deadAfterMs: parseCount(env, 'REPORT_DEAD_AFTER_HOURS', 24, 24 * 30) * 3600_000,
    deliveryThread: thread === 'true',
  });
}

function parseNetLimits(env: Env, behindProxy: boolean): NetLimits {
  const headersTimeoutMs = parseInteger(env, 'HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = parseInteger(env, 'REQUEST_TIMEOUT_MS', 20_000, 100, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('HEADERS_TIMEOUT_MS must not be larger than REQUEST_TIMEOUT_MS (the headers are part of the request)');
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    // Behind a proxy the server must keep an idle connection longer than the proxy does (nginx's
    // upstream keepalive_timeout is 60 s), or the proxy may send a rating on a connection being closed.
    keepAliveTimeoutMs: parseInteger(env, 'KEEP_ALIVE_TIMEOUT_MS', behindProxy ? 75_000 : 5_000, 100, 3_600_000),
    idleTimeoutMs: parseInteger(env, 'IDLE_TIMEOUT_MS', 60_000, 0, 3_600_000),
    maxConnections: parseInteger(env, 'MAX_CONNECTIONS', 10_000, 0, 10_000_000),
    maxConnectionsPerAddress: parseInteger(env, 'MAX_CONNECTIONS_PER_ADDRESS', 100, 0, 10_000_000),
  };
}

/** Reads a secret kept beside the database in development, creating it once. */
function persistedDevSecret(dbFile: string, name: string): string {
  if (dbFile === ':memory:') return randomBytes(32).toString('hex');
  const file = resolve(dirname(dbFile), `.${name}`);
  if (existsSync(file)) {
    const value = readFileSync(file, 'utf8').trim();
    if (value.length >= 32) {
      // One written 0644 by an earlier version is made readable by the owner only.
      tightenMode(file);
      return value;
    }
  }
  ensurePrivateFile(file);
  const value = randomBytes(32).toString('hex');
  writeFileSync(file, `${value}\n`);
  return value;
}

export function loadConfig(env: Env = process.env): Readonly<Config> {
  const nodeEnvRaw = env.NODE_ENV ?? 'development';
  if (!['production', 'development', 'test'].includes(nodeEnvRaw)) {
    throw new ConfigError(`NODE_ENV must be production, development or test, got "${nodeEnvRaw}"`);
  }
  const nodeEnv = nodeEnvRaw as Config['nodeEnv'];
  const production = nodeEnv === 'production';
  const port = parsePort(env.PORT);
  const host = env.HOST && env.HOST !== '' ? env.HOST : '0.0.0.0';
  const dbFile = env.DB_FILE && env.DB_FILE !== '' ? env.DB_FILE : './data/app.db';
  const databaseUrl = env.DATABASE_URL && env.DATABASE_URL !== '' ? env.DATABASE_URL : null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\/[^\s]+$/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a PostgreSQL URL: postgres://user:password@host:5432/dbname');
  }
  // Instances sharing one PostgreSQL database must share the token key and the data key (phones are
  // encrypted, device and network hashes keyed with it): a secret generated per machine would split them.
  const shared = databaseUrl !== null && nodeEnv !== 'test';
  const publicBaseUrl = parseBaseUrl(env.PUBLIC_BASE_URL || `http://localhost:${port}`);

  let jwtSecret = env.JWT_SECRET;
  if (jwtSecret !== undefined && jwtSecret !== '' && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters long');
  }
  if (!jwtSecret) {
    if (production) throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
    if (shared) throw new ConfigError('JWT_SECRET is required with DATABASE_URL: every instance on the database must use the same one');
    jwtSecret = persistedDevSecret(dbFile, 'jwt-secret');
  }

  let dataKey = env.DATA_KEY;
  if (dataKey !== undefined && dataKey !== '' && !/^[0-9a-fA-F]{64}$/.test(dataKey)) {
    throw new ConfigError('DATA_KEY must be 64 hex characters (32 bytes)');
  }
  if (!dataKey) {
    if (production) throw new ConfigError('DATA_KEY is required when NODE_ENV=production (encrypts phone numbers at rest)');
    if (shared) throw new ConfigError('DATA_KEY is required with DATABASE_URL: every instance on the database must use the same one');
    dataKey = persistedDevSecret(dbFile, 'data-key');
  }

  const seedRaw = env.SEED_PASSWORD;
  if (seedRaw !== undefined && seedRaw !== '' && seedRaw.length < 8) {
    throw new ConfigError('SEED_PASSWORD must be at least 8 characters long');
  }
  const seedPassword = seedRaw ? { value: seedRaw, generated: false } : { value: randomBytes(9).toString('base64url'), generated: true };

  // A production database starts empty unless asked; `npm start` (development) shows the demo county.
  const seedDemoRaw = env.SEED_DEMO || (production ? 'false' : 'true');
  if (!['true', 'false'].includes(seedDemoRaw)) throw new ConfigError('SEED_DEMO must be true or false');
  const seedActivityRaw = env.SEED_DEMO_ACTIVITY || 'true';
  if (!['true', 'false'].includes(seedActivityRaw)) throw new ConfigError('SEED_DEMO_ACTIVITY must be true or false');
  const webhookPrivateRaw = env.WEBHOOK_ALLOW_PRIVATE || 'false';
  if (!['true', 'false'].includes(webhookPrivateRaw)) throw new ConfigError('WEBHOOK_ALLOW_PRIVATE must be true or false');

  const trustProxy = parseTrustProxy(env.TRUST_PROXY);

  return Object.freeze({
    nodeEnv,
    port,
    host,
    dbFile,
    databaseUrl,
    publicBaseUrl,
    jwtSecret,
    dataKey: dataKey.toLowerCase(),
    seedPassword,
    trustProxy,
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    clientDir: resolve(env.CLIENT_DIR || 'dist/client'),
    seedDemo: seedDemoRaw === 'true',
    seedDemoActivity: seedActivityRaw === 'true',
    tokenTtl: env.TOKEN_TTL || '12h',
    login: Object.freeze({
      maxFailuresPerAccount: parseCount(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 10, 1000),
      maxFailuresPerAddress: parseCount(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 100, 100_000),
      lockMinutes: parseCount(env, 'LOGIN_LOCK_MINUTES', 15, 24 * 60),
      maxRequestsPerMinute: parseCount(env, 'LOGIN_MAX_REQUESTS_PER_MINUTE', 300, 100_000),
    }),
    integrationMaxRequestsPerMinute: parseCount(env, 'INTEGRATION_MAX_REQUESTS_PER_MINUTE', 1200, 1_000_000),
    webhookAllowPrivate: webhookPrivateRaw === 'true',
    // One worker by default: the server's 2 cores are the event loop's and the database's.
    qrRenderThreads: parseCount(env, 'QR_RENDER_THREADS', 1, 16),
    qrRenderQueue: parseCount(env, 'QR_RENDER_QUEUE', 16, 1000),
    net: parseNetLimits(env, trustProxy !== false),
    shed: {
      // Off by default under NODE_ENV=test only: a test and the app share one process, and a test's
      // own set-up (thousands of rows written synchronously) lags the loop as no production request does.
      maxEventLoopDelayMs: parseInteger(env, 'SHED_MAX_EVENT_LOOP_DELAY_MS', nodeEnv === 'test' ? 0 : 1_000, 0, 600_000),
      maxHeapUsedMb: parseInteger(env, 'SHED_MAX_HEAP_USED_MB', 0, 0, 1_000_000),
    },
    report: parseReport(env),
  });
}
