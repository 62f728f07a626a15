// One fresh in-memory database and app per test, built through the production buildApp.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { type Db, exec, openDb } from '../../db/client.js';
import { migrateDb } from '../../db/migrate.js';
import { buildApp } from '../../server/app.js';
import { type Config, loadConfig } from '../../server/config.js';
import { manualClock, type RandomSource } from '../../server/lib/clock.js';
import { createServices, type Services } from '../../server/services.js';

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
  opts: { env?: Record<string, string>; now?: number; random?: RandomSource; db?: Db; closeGraceMs?: number } = {},
): Promise<TestApp> {
  const config = testConfig(opts.env);
  // A database file of its own (not :memory:): the app reads through a read-only connection and
  // writes through another, as in production.
  const dir = opts.db ? null : mkdtempSync(join(tmpdir(), 'msp-test-'));
  const db = opts.db ?? openDb(join(dir!, 'test.db'));
  if (!opts.db) await migrateDb(db);
  const clock = manualClock(opts.now ?? T0);
  const services = await createServices({ config, db, clock, random: opts.random });
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
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A bearer header for a user, signed with the app's real secret. */
export function bearerFor(app: FastifyInstance, user: { id: number; role: string }): { authorization: string } {
  return { authorization: `Bearer ${app.jwt.sign({ sub: String(user.id), role: user.role as 'admin' })}` };
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
