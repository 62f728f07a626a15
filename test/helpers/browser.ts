// Debian's chromium through playwright-core (never a downloaded browser), at a phone viewport.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { makeTestApp, type TestApp } from './app.js';
import { hasChromium, launchBrowser } from './chromium.js';
import { makeWorld, TEST_PASSWORD, type World } from './factories.js';

export { hasChromium, launchBrowser };

export function phoneContext(browser: Browser, opts: { serviceWorkers?: 'allow' | 'block' } = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    deviceScaleFactor: 2,
    ...opts,
  });
}

/** A test app listening on loopback with the built client, for browser tests. */
export async function startServer(opts: { env?: Record<string, string>; now?: number } = {}): Promise<TestApp & { url: string }> {
  const t = await makeTestApp({ env: { CLIENT_DIR: 'dist/client', ...opts.env }, now: opts.now });
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return Object.assign(t, { url: address });
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2.1 A/AA) on the page and returns the violations, described. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's strict CSP would block an added <script>.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: object,
          ) => Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown }> }> }>;
        };
      }
    ).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return result.violations.map((v) => `${v.id}: ${v.help} @ ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/** Logs a staff user in through the real login form of the staff app. */
export async function loginAs(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('navigation', { name: '主导航' }).waitFor();
}

/**
 * A staff member logged in on a page of this width: below 768 px a phone (touch, mobile viewport). The
 * page's script errors are collected, for a test to assert there were none.
 */
export async function staffPage(s: BrowserWorld, width: number, username: string): Promise<{ page: Page; errors: string[] }> {
  const phone = width < 768;
  const context = await s.browser.newContext({
    locale: 'zh-CN',
    viewport: { width, height: phone ? 844 : 900 },
    isMobile: phone,
    hasTouch: phone,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await loginAs(page, s.t.url, username);
  return { page, errors };
}

export interface BrowserWorld {
  browser: Browser;
  t: TestApp & { url: string };
  w: World;
}

/**
 * The hooks of a browser test file: one chromium for the file, and for each test a fresh server on
 * loopback with the standard world. The returned object's fields are set when the tests run.
 */
export function useBrowserWorld(opts: { now?: () => number } = {}): BrowserWorld {
  const s = {} as BrowserWorld;
  beforeAll(async () => {
    if (!hasChromium) throw new Error('Debian chromium is required for browser tests (.ci/run installs it)');
    s.browser = await launchBrowser();
  });
  afterAll(() => s.browser?.close());
  beforeEach(async () => {
    s.t = await startServer({ now: opts.now?.() });
    s.w = await makeWorld(s.t.db);
  });
  afterEach(async () => {
    // The pages' connections go with their contexts; then the server closes with nothing left open.
    await Promise.all((s.browser?.contexts() ?? []).map((c) => c.close()));
    await s.t?.close();
  });
  return s;
}
