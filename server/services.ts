import type { Config } from './config.js';
import type { Db } from '../db/client.js';
import { cryptoRandom, systemClock, type Clock, type RandomSource } from './lib/clock.js';
import { createDataCrypto } from './lib/crypto.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createOrgService } from './modules/org/org.service.js';
import { createSettingsService } from './modules/settings/settings.service.js';
import { createStatsService } from './modules/stats/stats.service.js';
import { createCasesService } from './modules/cases/cases.service.js';

export interface Job {
  name: string;
  everyMs: number;
  run(): Promise<unknown> | unknown;
}

export interface ServiceDeps {
  config: Readonly<Config>;
  db: Db;
  clock?: Clock;
  random?: RandomSource;
}

/** Builds every service once, wiring their dependencies explicitly (no container, no globals). */
export function createServices(deps: ServiceDeps) {
  const { config, db } = deps;
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? cryptoRandom;
  const crypto = createDataCrypto(config.dataKey);
  const settings = createSettingsService({ db, clock });
  const org = createOrgService({ db, clock });
  const auth = createAuthService({ db, clock, org });
  const stats = createStatsService({ db, clock });
  const cases = createCasesService({ db, clock, random, settings, stats });
  /** Periodic work started by main.ts (never by tests, which call `run` themselves). */
  const jobs: Job[] = [];
  return { config, db, clock, random, crypto, settings, org, auth, stats, cases, jobs };
}

export type Services = ReturnType<typeof createServices>;
