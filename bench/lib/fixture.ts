// The production app, built in this process exactly as server/main.ts builds it, on a FILE database
// (WAL) in a temp dir, or on a PostgreSQL database (`databaseUrl`), with the demo county seeded.
// Benchmarks measure this, never a special app.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { closeDb, type Db, openDatabase } from '../../db/client.js';
import { migrateDb } from '../../db/migrate.js';
import { findUserByUsername } from '../../db/queries/users.js';
import { codes as codesTable } from '../../db/schema.js';
import { DEMO_USERS, seedDemo } from '../../db/seed.js';
import { buildApp } from '../../server/app.js';
import { type Config, loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/lib/logger.js';
import type { Actor } from '../../server/modules/auth/actor.js';
import { sessionClaims } from '../../server/plugins/auth.js';
import { createServices, type Services } from '../../server/services.js';
import { seedProvince } from './province.js';

const cleanUps = new Set<() => void>();
let hooked = false;

/**
 * Runs `clean` when the bench exits, also on Ctrl-C (temp dirs, the PostgreSQL cluster, server
 * processes). It must be synchronous. Returns a function that runs it now and forgets it.
 */
export function atExit(clean: () => void): () => void {
  cleanUps.add(clean);
  if (!hooked) {
    hooked = true;
    const runAll = () => {
      for (const c of [...cleanUps].reverse()) {
        try {
          c();
        } catch {
          // the next one still runs
        }
      }
      cleanUps.clear();
    };
    process.once('exit', runAll);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        runAll();
        process.exit(130);
      });
    }
  }
  return () => {
    if (cleanUps.delete(clean)) clean();
  };
}

/** A temp directory removed at exit, also on Ctrl-C (the 10 M-rating database is gigabytes). */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `mspy-bench-${prefix}-`));
  return { dir, remove: atExit(() => rmSync(dir, { recursive: true, force: true })) };
}

export function benchConfig(dbFile: string, env: Record<string, string> = {}): Readonly<Config> {
  return loadConfig({
    NODE_ENV: 'production',
    DB_FILE: dbFile,
    PUBLIC_BASE_URL: 'https://pingyi.example.gov.cn',
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_KEY: randomBytes(32).toString('hex'),
    CLIENT_DIR: 'dist/client',
    LOG_LEVEL: 'info',
    ...env,
  });
}

export interface BenchApp {
  app: FastifyInstance;
  db: Db;
  services: Services;
  admin: Actor;
  /** Authorization header of the seeded admin (city scope: every department). */
  auth: { authorization: string };
  codes: { id: string; departmentId: number }[];
  close(): Promise<void>;
}

/** The organisation a bench database holds: the demo county, or a province (3,000 codes, 400 departments). */
export type BenchOrg = 'county' | 'province';

export interface BenchAppOptions {
  /** The SQLite file, or a postgres:// URL (the app then runs on PostgreSQL, as with DATABASE_URL). */
  dbFile: string;
  /** 'production': the production logger settings writing to `logFile`; false: no logger. */
  logger: 'production' | false;
  logFile?: string;
  /** Skip seeding (the database was generated already). */
  seeded?: boolean;
  /** What to seed: the demo county (default) or a province-sized organisation (lib/province.ts). */
  org?: BenchOrg;
  env?: Record<string, string>;
}

/** Limits raised so that the load generator's single address is not what gets measured. */
export const BENCH_LIMITS = {
  perCodeMinutes: 30,
  perDevicePerDay: 20,
  networkPerMinute: 100_000,
  burstWindowMinutes: 10,
  burstPerNetwork: 100_000,
  burstPerDevice: 5,
  // The hold rules over a network's day too: the load generator is one address.
  burstBadPerNetwork: 100_000,
  networkDayMin: 100_000,
  bareDevicesMin: 100_000,
};

export async function makeBenchApp(opts: BenchAppOptions): Promise<BenchApp> {
  const pg = /^postgres(ql)?:\/\//.test(opts.dbFile);
  const config = benchConfig(pg ? 'unused.db' : opts.dbFile, { ...(pg ? { DATABASE_URL: opts.dbFile } : {}), ...opts.env });
  const db = openDatabase(config.databaseUrl ?? config.dbFile);
  await migrateDb(db);
  // The demo password is never used: the bench signs tokens itself.
  if (!opts.seeded) {
    const seed = opts.org === 'province' ? seedProvince : seedDemo;
    await seed(db, { passwordHash: 'bench-no-login', now: Date.now() });
  }
  const services = await createServices({ config, db });
  // stdout of the real server goes to a file or journald; here to a file in the temp dir.
  const logger = opts.logger === 'production' ? createLogger(config.logLevel, opts.logFile) : false;
  const app = await buildApp({ services, logger });
  await app.ready();
  const adminRow = await findUserByUsername(db, DEMO_USERS.admin.username);
  const admin = adminRow ? await services.auth.resolveActor(adminRow.id) : null;
  if (!admin) throw new Error('seeded admin missing');
  await services.settings.update(admin, { limits: BENCH_LIMITS });
  const codes: BenchApp['codes'] = await db
    .select({ id: codesTable.id, departmentId: codesTable.departmentId })
    .from(codesTable)
    .where(eq(codesTable.active, true))
    .orderBy(asc(codesTable.id));
  const auth = { authorization: `Bearer ${app.jwt.sign(sessionClaims(adminRow!))}` };
  return {
    app,
    db,
    services,
    admin,
    auth,
    codes,
    async close() {
      await app.close();
      await services.ratings.flush();
      await closeDb(db);
    },
  };
}

/**
 * Lets the event loop turn once. Call it between two app.inject requests (outside the timed part): a
 * real server turns its loop for every request it reads, but a loop of awaited injects never does,
 * and each inject leaves a setImmediate holding its request and answer. 200 requests of a 130 KB
 * answer then keep ~60 MB alive, and the garbage collector's work on it lands in the timings.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Listens on an ephemeral loopback port; returns the base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}
