// Part 4 — the citizen page: bytes of its first load (gzipped as a reverse proxy would send them)
// and time to interactive on Chromium under DevTools' "Slow 3G" network preset, measured from
// navigation start to the moment the five level buttons exist and are enabled.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHROMIUM, launchBrowser } from '../test/helpers/chromium.js';
import { listen, makeBenchApp, tempDir } from './lib/fixture.js';
import { percentile, type Row, row } from './lib/results.js';

export interface PageOptions {
  runs: number;
  log: (msg: string) => void;
}

/**
 * Chrome DevTools' "Slow 3G" preset (renamed "3G" in 2024), front_end/core/sdk/NetworkManager.ts:
 * download/upload 500 * 1000 / 8 * .8 bytes/s, latency 400 * 5 ms (RTT 400 ms × 5: the request-level
 * emulation charges connection set-up and slow start to the first response).
 */
export const SLOW_3G = {
  offline: false,
  downloadThroughput: ((500 * 1000) / 8) * 0.8,
  uploadThroughput: ((500 * 1000) / 8) * 0.8,
  latency: 400 * 5,
};
/** The same bandwidth with one plain 400 ms round trip per request (the preset's target RTT). */
export const SLOW_3G_RTT = { ...SLOW_3G, latency: 400 };

/** Injected through the DevTools protocol (the page's strict CSP does not apply to it). */
const TTI_PROBE = `(() => {
  const check = () => {
    const radios = document.querySelectorAll('input[type=radio][name=score]');
    if (window.__tti === undefined && radios.length === 5 && Array.from(radios).every((r) => !r.disabled)) window.__tti = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
})();`;

declare global {
  interface Window {
    __tti?: number;
  }
}

export async function runPage(opts: PageOptions): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  if (!existsSync('dist/client/m/mobile/index.html')) {
    opts.log('page: dist/client/m is missing, running npm run build');
    execSync('npm run build', { stdio: 'inherit' });
  }
  if (!existsSync(CHROMIUM)) {
    return { rows: [row('page', 'citizen page', 'skipped', null, '', null, `no Chromium at ${CHROMIUM}`)], raw: {} };
  }
  const rows: Row[] = [];
  const tmp = tempDir('page');
  const t = await makeBenchApp({ dbFile: join(tmp.dir, 'app.db'), logger: 'production', logFile: join(tmp.dir, 'server.log') });
  const base = await listen(t.app);
  const url = `${base}/r/${t.codes[0]!.id}`;
  const browser = await launchBrowser();
  try {
    const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', deviceScaleFactor: 2 } as const;
    const load = async (conditions: typeof SLOW_3G | null) => {
      // A first visit: the service worker (registered after load) plays no part in it.
      const context = await browser.newContext({ ...phone, serviceWorkers: 'block' });
      const page = await context.newPage();
      // Injected through the DevTools protocol, so the page's strict CSP does not apply to it.
      // A string, not a function: tsx would wrap a function's inner functions in a helper the page lacks.
      await page.addInitScript(TTI_PROBE);
      const responses: { url: string; status: number; bytes: number; gzip: number }[] = [];
      page.on('response', (res) => {
        void res.body().then(
          (body) =>
            responses.push({
              url: res.url().replace(base, ''),
              status: res.status(),
              bytes: body.length,
              gzip: body.length ? gzipSync(body).length : 0,
            }),
          () => undefined,
        );
      });
      if (conditions) {
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', conditions);
      }
      await page.goto(url, { waitUntil: 'load' });
      await page.getByRole('radio', { name: '非常满意' }).waitFor({ state: 'visible' });
      await page.waitForFunction(() => window.__tti !== undefined);
      const timing = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return { tti: window.__tti!, responseStart: nav.responseStart, responseEnd: nav.responseEnd, dcl: nav.domContentLoadedEventEnd };
      });
      await page.waitForTimeout(200);
      await context.close();
      return { timing, responses };
    };

    const plain = await load(null);
    const doc = plain.responses.find((r) => r.url.startsWith('/r/'));
    const totalGzip = plain.responses.reduce((n, r) => n + r.gzip, 0);
    const totalRaw = plain.responses.reduce((n, r) => n + r.bytes, 0);
    opts.log(`page: first load ${plain.responses.length} responses, ${totalRaw} B raw, ${totalGzip} B gzipped`);
    rows.push(row('page', 'GET /r/{code}: document', 'bytes (uncompressed)', doc?.bytes ?? null, 'B'));
    rows.push(
      row(
        'page',
        'GET /r/{code}: first load, all responses',
        'gzipped bytes',
        totalGzip,
        'B',
        { op: '<=', limit: 12 * 1024, unit: ' B' },
        `${plain.responses.length} responses`,
      ),
    );

    const runs: Record<string, number[]> = { slow3g: [], rtt: [] };
    const details: unknown[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const a = await load(SLOW_3G);
      const b = await load(SLOW_3G_RTT);
      runs.slow3g!.push(a.timing.tti);
      runs.rtt!.push(b.timing.tti);
      details.push({ slow3g: a.timing, rtt400: b.timing });
    }
    // A repeat visit: the phone opened this code's page before (online), its service worker kept the
    // page; the next scan happens under the same Slow 3G preset.
    const repeat = async () => {
      const context = await browser.newContext(phone);
      const background: { url: string; navigation: boolean; gzip: number }[] = [];
      // Every response of the context, the worker's own fetches included, in the order they came.
      context.on('response', (res) => {
        const entry = { url: res.url().replace(base, ''), navigation: res.request().isNavigationRequest(), gzip: 0 };
        background.push(entry);
        void res.body().then(
          (b) => (entry.gzip = b.length ? gzipSync(b).length : 0),
          () => undefined,
        );
      });
      const page = await context.newPage();
      await page.addInitScript(TTI_PROBE);
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForFunction(
        async () => navigator.serviceWorker.controller !== null && (await caches.match(location.href)) !== undefined,
        undefined,
        { timeout: 30_000 },
      );
      await page.waitForTimeout(200);
      const firstVisit = background.splice(0);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForFunction(() => window.__tti !== undefined);
      const tti = await page.evaluate(() => window.__tti!);
      await context.close();
      return { tti, firstVisit };
    };
    const repeats: number[] = [];
    let backgroundBytes = 0;
    for (let i = 0; i < opts.runs; i++) {
      const r = await repeat();
      repeats.push(r.tti);
      if (i === 0) {
        // What the first visit fetches after it is usable: the worker script and the page's kept copy.
        const doc = r.firstVisit.findIndex((x) => x.navigation);
        const after = r.firstVisit.filter((_, i) => i !== doc);
        opts.log(`page: first visit, after load: ${after.map((x) => `${x.url} ${x.gzip} B`).join(', ')}`);
        backgroundBytes = after.reduce((n, x) => n + x.gzip, 0);
      }
    }

    const med = (xs: number[]) =>
      Math.round(
        percentile(
          [...xs].sort((x, y) => x - y),
          50,
        ),
      );
    opts.log(`page: TTI slow 3G ${runs.slow3g!.map(Math.round).join(', ')} ms; with 400 ms RTT ${runs.rtt!.map(Math.round).join(', ')} ms`);
    rows.push(
      row('page', 'citizen page, DevTools "Slow 3G" (2000 ms latency)', `TTI median of ${opts.runs}`, med(runs.slow3g!), 'ms', {
        op: '<=',
        limit: 1500,
      }),
    );
    rows.push(row('page', 'citizen page, Slow 3G bandwidth, 400 ms RTT', `TTI median of ${opts.runs}`, med(runs.rtt!), 'ms'));
    rows.push(
      row(
        'page',
        'citizen page, DevTools "Slow 3G", repeat visit',
        `TTI median of ${opts.runs}`,
        med(repeats),
        'ms',
        { op: '<=', limit: 1500 },
        'page kept by the service worker',
      ),
    );
    rows.push(
      row(
        'page',
        'citizen page, first visit, after load',
        'gzipped bytes',
        backgroundBytes,
        'B',
        null,
        'service worker script + the kept copy of the page',
      ),
    );
    return {
      rows,
      raw: {
        url: url.replace(base, ''),
        responses: plain.responses,
        conditions: { SLOW_3G, SLOW_3G_RTT },
        runs: details,
        repeatVisitTti: repeats,
      },
    };
  } finally {
    await browser.close();
    await t.close();
    tmp.remove();
  }
}
