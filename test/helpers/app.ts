// One fresh in-memory database and app per test, built through the production buildApp.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { type Db, exec, openDb, openPgDb } from '../../db/client.js';
import { migrateDb } from '../../db/migrate.js';
import { buildApp } from '../../server/app.js';
import { type Config, loadConfig } from '../../server/config.js';
import { manualClock, type RandomSource } from '../../server/lib/clock.js';
import type { ResolveHost } from '../../server/modules/notifications/outbound.js';
import { sessionClaims } from '../../server/plugins/auth.js';
import { createServices, type Services } from '../../server/services.js';
import type { Role } from '../../shared/domain.js';
import { TEMPLATE_DB } from '../global-setup.js';

/** 2026-11-23 10:00 China time (a Monday). */
export const T0 = Date.parse('2026-11-23T10:00:00+08:00');

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  services: Services;
  config: Readonly<Config>;
  clock: ReturnType<typeof manualClock>;
  close(): Promise<void>;
}

export function testConfig(env: Record<string, string> = {}): Readonly<Config> {
  return loadConfig({
    NODE_ENV: 'test',
    DB_FILE: ':memory:',
    PUBLIC_BASE_URL: 'http://test.local',
    JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
    DATA_KEY: `${'0'.repeat(63)}1`,
    ...env,
  });
}

export async function makeTestApp(
  opts: {
    env?: Record<string, string>;
    now?: number;
    random?: RandomSource;
    db?: Db;
    closeGraceMs?: number;
    /** Webhook host names resolved by this instead of DNS. */
    resolveHost?: ResolveHost;
  } = {},
): Promise<TestApp> {
  const config = testConfig(opts.env);
  const fresh = opts.db ? null : await freshDatabase();
  const db = opts.db ?? fresh!.db;
  const clock = manualClock(opts.now ?? T0);
  const services = await createServices({ config, db, clock, random: opts.random, resolveHost: opts.resolveHost });
  const app = await buildApp({ services, logger: false, closeGraceMs: opts.closeGraceMs });
  await app.ready();
  return {
    app,
    db,
    services,
    config,
    clock,
    async close() {
      await app.close();
      await db.close();
      await fresh?.drop();
    },
  };
}

/**
 * A bearer header for a user, signed with the app's real secret as a login signs it (at the user's
 * token version: the row's, or 0 as every user starts).
 */
export function bearerFor(app: FastifyInstance, user: { id: number; role: string; tokenVersion?: number }): { authorization: string } {
  const claims = sessionClaims({ id: user.id, role: user.role as Role, tokenVersion: user.tokenVersion ?? 0 });
  return { authorization: `Bearer ${app.jwt.sign(claims)}` };
}

/** Runs a raw SQL write in a transaction of its own (tests that tamper with rows on purpose). */
export function writeSql(db: Db, query: SQL): Promise<void> {
  return db.transaction((tx) => exec(tx, query));
}

/**
 * The storage driver this run tests: PostgreSQL when TEST_DATABASE_URL is set (each app gets a fresh
 * database of that server), SQLite otherwise. Tests of one driver's own mechanics skip on the other.
 */
export const driverUnderTest: 'sqlite' | 'pg' = process.env.TEST_DATABASE_URL ? 'pg' : 'sqlite';

let dbSeq = 0;

/**
 * A migrated database of its own for one test app. SQLite: a file (not :memory:), so the app reads
 * through a read-only connection and writes through another, as in production. PostgreSQL: a database
 * copied from the run's migrated template.
 */
export async function freshDatabase(): Promise<{ db: Db; url: string; drop(): Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), 'msp-test-'));
    const file = join(dir, 'test.db');
    const db = openDb(file);
    await migrateDb(db);
    return { db, url: file, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `msp_t${process.pid}_${++dbSeq}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = openPgDb(u.toString(), { max: 4 });
  return {
    db,
    url: u.toString(),
    async drop() {
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}
