// Issue 12, finding 9: a case's status link (/s/{token}, /api/public/cases/{token}) is the citizen's
// key to the case; the access log must not keep it, nor any part of it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { buildApp } from '../../server/app.js';
import { createLogger } from '../../server/lib/logger.js';
import { createServices } from '../../server/services.js';
import { freshDatabase, testConfig } from '../helpers/app.js';
import { makeRating, makeWorld } from '../helpers/factories.js';
import { makeMatter } from '../helpers/matters.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** The production app and logger (level info, as main.ts makes it), writing its log to a file. */
async function loggedApp() {
  const dir = mkdtempSync(join(tmpdir(), 'msp-log-'));
  const file = join(dir, 'server.log');
  const config = testConfig({ LOG_LEVEL: 'info' });
  const fresh = await freshDatabase();
  const services = await createServices({ config, db: fresh.db });
  const logger = createLogger('info', file);
  const app = await buildApp({ services, logger });
  await app.ready();
  closers.push(async () => {
    await app.close();
    await fresh.db.close();
    await fresh.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  // The destination writes asynchronously: wait until the file holds an answer line for each request.
  const lines = async (requests: number) => {
    logger.flush();
    const read = () => readFileSync(file, 'utf8').split('\n').filter(Boolean);
    await expect.poll(() => read().filter((l) => l.includes('"request completed"')).length).toBe(requests);
    return read();
  };
  return { app, services, db: fresh.db, lines };
}

describe('access log', () => {
  it('logs a visit to a case-status page or its API without the token', async () => {
    const { app, services, db, lines } = await loggedApp();
    const w = await makeWorld(db);
    const { case: kase } = await makeRating(services, { codeId: w.codeA.id, score: 1 });
    const token = (await firstRow<{ s: string }>(db, sql`SELECT status_token AS s FROM cases WHERE id = ${kase!.id}`))!.s;
    expect(token.length).toBeGreaterThanOrEqual(16);
    const urls = [
      `/s/${token}`,
      `/s/${token}?from=sms`,
      `/api/public/cases/${token}`,
      `//s/${token}`,
      `/S/${token}`,
      `/s/${token.slice(0, 12)}`,
    ];
    for (const url of urls) await app.inject({ url });

    const logged = await lines(urls.length);
    const requests = logged.map((l) => JSON.parse(l) as { msg?: string; req?: { url?: string } }).filter((l) => l.req?.url);
    // Every request was logged, with the route still recognisable…
    expect(requests.map((l) => l.req!.url)).toEqual([
      '/s/[redacted]',
      '/s/[redacted]?from=sms',
      '/api/public/cases/[redacted]',
      '//s/[redacted]',
      '/S/[redacted]',
      '/s/[redacted]',
    ]);
    // …and no line holds the token or a piece of it.
    for (const line of logged) {
      expect(line).not.toContain(token.slice(0, 8));
      expect(line).not.toContain(token.slice(-8));
    }
  });

  it('logs a visit to a 办件 rating link (page or API) without the link token', async () => {
    const { app, db, lines } = await loggedApp();
    const w = await makeWorld(db);
    const token = (await makeMatter(db, { codeId: w.codeA.id, departmentId: w.deptA.id })).linkToken!;
    const urls = [`/e/${token}`, `/e/${token}?from=sms`, `//E/${token}`, `/api/e/${token}/ratings`];
    for (const url of urls) await app.inject({ url });
    const logged = await lines(urls.length);
    const requests = logged.map((l) => JSON.parse(l) as { req?: { url?: string } }).filter((l) => l.req?.url);
    expect(requests.map((l) => l.req!.url)).toEqual([
      '/e/[redacted]',
      '/e/[redacted]?from=sms',
      '//E/[redacted]',
      '/api/e/[redacted]/ratings',
    ]);
    for (const line of logged) {
      expect(line).not.toContain(token.slice(0, 8));
      expect(line).not.toContain(token.slice(-8));
    }
  });

  it('logs a 评价器 (kiosk) address without its token, the credential of the tablet', async () => {
    const { app, lines } = await loggedApp();
    const token = 'kioskTokenAbcdefghijklmnopqrstuvwx';
    // (Its stream and its ratings are logged only when they fail, like the citizens' ratings.)
    const urls = [`/k/${token}`, `/api/k/${token}`, `//K/${token}?x=1`];
    for (const url of urls) await app.inject({ url });
    const logged = await lines(urls.length);
    const requests = logged.map((l) => JSON.parse(l) as { req?: { url?: string } }).filter((l) => l.req?.url);
    expect(requests.map((l) => l.req!.url)).toEqual(['/k/[redacted]', '/api/k/[redacted]', '//K/[redacted]?x=1']);
    for (const line of logged) expect(line).not.toContain(token.slice(0, 8));
  });
});
