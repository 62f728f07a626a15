import type { Db } from '../db/client.js';
import type { Config } from './config.js';
import { type Clock, cryptoRandom, type RandomSource, systemClock } from './lib/clock.js';
import { createDataCrypto } from './lib/crypto.js';
import { createCacheSync, type Job, pruneRateLimits } from './lib/instances.js';
import { type Logger, silentLogger } from './lib/logger.js';
import { maskStoredText } from './lib/mask-stored-text.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createCasesService } from './modules/cases/cases.service.js';
import { createHome } from './modules/cases/home.js';
import { createCodesService } from './modules/codes/codes.service.js';
import { createPngRenderer } from './modules/codes/png-renderer.js';
import { createGuidesService } from './modules/guides/guides.service.js';
import { createIntegrationsService } from './modules/integrations/integrations.service.js';
import { createKiosksService } from './modules/kiosks/kiosks.service.js';
import { createMatterSummaries } from './modules/matters/matter-summaries.js';
import { createMattersService } from './modules/matters/matters.service.js';
import { createNotificationsService } from './modules/notifications/notifications.service.js';
import type { ResolveHost } from './modules/notifications/outbound.js';
import { createOrgService } from './modules/org/org.service.js';
import { createHeldRatings } from './modules/ratings/held-ratings.js';
import { createRatingRecords } from './modules/ratings/rating-records.js';
import { createRatingsService } from './modules/ratings/ratings.service.js';
import { createReportDelivery, type DeliveryRun } from './modules/reporting/delivery.js';
import { createDeliveryThread, type DeliveryThreadStats } from './modules/reporting/delivery-thread.js';
import { createReportOutbox } from './modules/reporting/outbox.js';
import { createReportingService } from './modules/reporting/reporting.service.js';
import { createSettingsService } from './modules/settings/settings.service.js';
import { createStatsService } from './modules/stats/stats.service.js';
import { createSuggestionsService } from './modules/suggestions/suggestions.service.js';

/** Upward reporting's delivery job, on this event loop or in its thread. */
export interface ReportDelivery {
  deliverDue(): Promise<DeliveryRun>;
  close(): Promise<void> | void;
  /** In its thread: the thread's id once started, and what it has cost the main writing connection. */
  threadId?(): number | null;
  stats?(): DeliveryThreadStats;
}

export interface ServiceDeps {
  config: Readonly<Config>;
  db: Db;
  clock?: Clock;
  random?: RandomSource;
  /** Where services log (pino: fastify's logger or the one it is given); nothing is logged without it. */
  logger?: Logger;
  /** How webhook host names are resolved (tests: a fixed table instead of DNS). */
  resolveHost?: ResolveHost;
}

/** Builds every service once, wiring their dependencies explicitly (no container, no globals). */
export async function createServices(deps: ServiceDeps) {
  const { config, db } = deps;
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? cryptoRandom;
  const logger = deps.logger ?? silentLogger;
  const crypto = createDataCrypto(config.dataKey);
  // Upward reporting's outbox: the rating, case, hold and code paths write to it in their own transactions.
  const reportOutbox = createReportOutbox({ enabled: config.report !== null });
  const org = createOrgService({ db, clock, report: reportOutbox });
  const settings = createSettingsService({ db, clock, org, report: reportOutbox });
  const auth = createAuthService({ db, clock, org, limits: config.login });
  const stats = createStatsService({ db, clock, settings, org, crypto });
  const notifications = createNotificationsService({
    db,
    clock,
    org,
    crypto,
    log: logger,
    allowPrivate: config.webhookAllowPrivate,
    resolveHost: deps.resolveHost,
  });
  // Ratings and cases need each other: the rating records (read, excluded, erased by cases) come
  // before cases, the submission service (which opens cases) after.
  const ratingRecords = createRatingRecords({ db, stats });
  // The 办件 a bound rating rates, as the case page shows it.
  const matterSummaries = createMatterSummaries({ db, crypto });
  const cases = createCasesService({
    db,
    clock,
    random,
    crypto,
    settings,
    stats,
    org,
    notifications,
    auth,
    ratings: ratingRecords,
    matters: matterSummaries,
    report: reportOutbox,
  });
  // Worker threads for QR PNGs, started on the first image; buildApp closes them with the server.
  const pngRenderer = createPngRenderer({ threads: config.qrRenderThreads, queue: config.qrRenderQueue });
  const codes = createCodesService({ db, clock, random, org, stats, publicBaseUrl: config.publicBaseUrl, pngRenderer });
  const ratings = createRatingsService({ db, clock, random, crypto, settings, org, stats, cases, codes, report: reportOutbox });
  const heldRatings = createHeldRatings({ db, clock, stats, cases, report: reportOutbox });
  const integrations = createIntegrationsService({ db, clock, random, org, log: logger });
  // The home page's work queue: counts of the lists behind each of its links.
  const home = createHome({ db, clock, cases, heldRatings, integrations, settings, auth });
  const matters = createMattersService({
    db,
    clock,
    random,
    crypto,
    settings,
    stats,
    codes,
    cases,
    publicBaseUrl: config.publicBaseUrl,
  });
  // Upward reporting: the records of a month as files, the operator view; with REPORT_URL, the delivery job.
  const reporting = createReportingService({ db, clock, org, settings, report: config.report });
  // In a worker thread of its own (off the event loop that answers citizens) when it runs on the wall
  // clock and a database another connection can open; on this event loop under a clock moved by hand
  // (tests), for an in-memory database, or with REPORT_DELIVERY_THREAD=false.
  const reportDelivery: ReportDelivery | null = !config.report
    ? null
    : config.report.deliveryThread && clock === systemClock && db.file !== ':memory:'
      ? createDeliveryThread({ db, config: config.report, log: logger })
      : createReportDelivery({ db, clock, config: config.report, settings, log: logger });
  // One SQLite process: a delivery cut short by a crash is retried at once, not after its lease.
  if (reportDelivery && db.driver === 'sqlite') await reporting.releaseLeases();
  const kiosks = createKiosksService({ db, clock, random, log: logger, codes, settings, ratings, publicBaseUrl: config.publicBaseUrl });
  // 办事指南: the guides of the 事项, their history and QRs.
  const guides = createGuidesService({ db, clock, codes, publicBaseUrl: config.publicBaseUrl });
  // 金点子: suggestions, their answers and what the public page shows of them.
  const suggestions = createSuggestionsService({ db, clock, crypto, settings });
  // The caches the hot paths read synchronously, and the recent submissions the limits look back on.
  await settings.load();
  await ratings.load();
  /** Periodic work started by main.ts (never by tests, which call `run` themselves). */
  const syncCaches = createCacheSync(db, {
    settings: () => settings.refresh(),
    // The settings snapshot resolves each department's settings through the org tree.
    org: () => settings.refresh(),
    codes: () => codes.forgetCachedCodes(),
    webhooks: () => notifications.forgetWebhooks(),
  });
  await syncCaches();
  const jobs: Job[] = [];
  jobs.push(
    // Every instance, every second: a change made on another instance is seen within a second.
    { name: 'caches.sync', everyMs: 1000, perInstance: true, run: syncCaches },
    { name: 'cases.escalateOverdue', everyMs: 5 * 60_000, run: () => cases.escalateOverdue() },
    { name: 'notifications.deliverDue', everyMs: 10_000, run: () => notifications.deliverDue() },
    { name: 'reporting.sweep', everyMs: 3600_000, run: () => reporting.sweep() },
    { name: 'cases.erasePhones', everyMs: 3600_000, run: () => cases.erasePhones() },
    { name: 'ratings.giveDefaultRatings', everyMs: 10 * 60_000, run: () => ratings.giveDefaultRatings() },
    { name: 'matters.erasePhones', everyMs: 3600_000, run: () => matters.erasePhones() },
    { name: 'rateLimits.prune', everyMs: 3600_000, run: () => pruneRateLimits(db, clock) },
    { name: 'auth.prune', everyMs: 3600_000, run: () => auth.prune() },
    // Once: the free text stored before numbers were masked at input (then a no-op).
    { name: 'migration.maskStoredText', everyMs: 10 * 60_000, run: () => maskStoredText(db, clock) },
    { name: 'suggestions.eraseContacts', everyMs: 3600_000, run: () => suggestions.eraseContacts() },
  );
  if (reportDelivery) jobs.push({ name: 'reporting.deliverDue', everyMs: 2_000, run: () => reportDelivery.deliverDue() });
  return {
    config,
    db,
    clock,
    random,
    crypto,
    settings,
    org,
    auth,
    stats,
    notifications,
    cases,
    codes,
    pngRenderer,
    ratings,
    heldRatings,
    integrations,
    home,
    matters,
    kiosks,
    reporting,
    reportDelivery,
    jobs,
    guides,
    suggestions,
  };
}

export type Services = Awaited<ReturnType<typeof createServices>>;
