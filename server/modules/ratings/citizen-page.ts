// The citizen page as ONE response: the built JS and CSS are inlined into the HTML at start, and the
// code's data is embedded, so a phone on one bar of signal needs a single round trip. A strict CSP
// still holds: the inline script and style are allowed by their SHA-256 hashes, nothing else runs.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MissingData, PageData } from '../../../shared/api/citizen-page.js';

export interface CitizenPageTemplate {
  /**
   * Renders a page with its data and <title>, and the page's Content-Security-Policy: the rating pages
   * (rate, matter) with the rating bundle, the others (status, lookup, missing) with the small status
   * bundle. `null` when the client was not built.
   */
  render(data: PageData, title: string): { html: string; csp: string } | null;
  /** The page's service worker script (client/mobile/sw.ts), served at /r/sw.js and /e/sw.js. */
  serviceWorker: string | null;
}

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** JSON safe inside <script>: no `</script>`, no HTML comment openers, no JS line separators. */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The page's title: what it is and where, then who issues it (the product's name when nobody is set). */
export function pageTitle(parts: ReadonlyArray<string | null | undefined>, authority: string): string {
  return `${parts.filter(Boolean).join(' · ')} — ${authority || '码上评议'}`;
}

/** The icon: a white tick on the header's blue (the page's theme colour). */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#0b4f9c"/><path d="M8.5 16.5l5 5 10-11" fill="none" stroke="#fff" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/></svg>';

/**
 * The web app manifest the citizen pages link to. A phone that adds the page to its home screen opens
 * the lookup of a case's progress (/s/): the one citizen page that needs no code or link.
 */
export const WEB_MANIFEST = JSON.stringify({
  name: '码上评议 · 政务服务评价',
  short_name: '码上评议',
  lang: 'zh-CN',
  start_url: '/s/',
  scope: '/',
  display: 'standalone',
  background_color: '#f2f4f7',
  theme_color: '#0b4f9c',
  icons: [{ src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
});

// The icon and the web app manifest, served by the server (ratings.routes.ts): two short links in the
// head, nothing in the bundle.
const HEAD_LINKS = '<link rel="icon" href="/favicon.svg"><link rel="manifest" href="/manifest.webmanifest">';

type Render = (data: PageData, title: string) => { html: string; csp: string };

/** One built page (dist/client/{dir}/mobile/{html}) with its JS and CSS inlined; null when not built. */
function loadBundle(dir: string, htmlName: string, name: string): Render | null {
  const htmlFile = join(dir, 'mobile', htmlName);
  if (!existsSync(htmlFile)) return null;
  const js = readFileSync(join(dir, `${name}.js`), 'utf8').replace(/<\/script/gi, '<\\/script');
  const cssFile = join(dir, `${name}.css`);
  const css = existsSync(cssFile) ? readFileSync(cssFile, 'utf8') : '';
  let html = readFileSync(htmlFile, 'utf8');
  html = html
    // The template's indentation between tags is bytes on a weak signal, nothing else.
    .replace(/>\s+</g, '><')
    .replace(new RegExp(`<script type="module"[^>]*src="[^"]*${name}\\.js"[^>]*></script>\\s*`), '')
    .replace(new RegExp(`<link rel="stylesheet"[^>]*${name}\\.css"[^>]*>\\s*`), '');
  const style = `<style>${css}</style>`;
  const script = `<script type="module">${js}</script>`;
  const [head, tail] = html.split('</head>');
  if (tail === undefined) throw new Error('citizen page template has no </head>');
  const [titleBefore, titleAfter] = `${head}${HEAD_LINKS}${style}</head>`.split(/<title>[^<]*<\/title>/);
  if (titleAfter === undefined) throw new Error('citizen page template has no <title>');
  const [bodyHead, bodyTail] = tail.split('</body>');
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(js)}`,
    `style-src ${sha256(css)}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return (data, title) => ({
    csp,
    html: `${titleBefore}<title>${escapeHtml(title)}</title>${titleAfter}${bodyHead}${reportLink(data)}<script id="page-data" type="application/json">${jsonForScript(data)}</script>${script}</body>${bodyTail ?? ''}`,
  });
}

/**
 * 办不成事 (docs/domain.md): a window code's rating page links to the report form (/b/{code}). Written
 * into the page, not the bundle: the 办件 link's page (/e/) shares the bundle and its 12 KB budget.
 */
function reportLink(data: PageData): string {
  const code = encodeURIComponent(data.kind === 'rate' ? data.code : '');
  // 金点子 (docs/domain.md): the suggestion form of the same window, beside it.
  return data.kind === 'rate' ? `<footer><a href="/b/${code}">办不成事？点此反映</a> · <a href="/i/${code}">我有金点子</a></footer>` : '';
}

export function loadCitizenPageTemplate(clientDir: string): CitizenPageTemplate {
  // The rating pages' bundle (vite --mode mobile) and the status pages' (--mode status): a citizen who
  // only checks a case, or meets a dead code, loads no rating form.
  const rate = loadBundle(join(clientDir, 'm'), 'index.html', 'mobile');
  const status = loadBundle(join(clientDir, 's'), 'status.html', 'status');
  const swFile = join(clientDir, 'm', 'sw.js');
  return {
    serviceWorker: rate && existsSync(swFile) ? readFileSync(swFile, 'utf8') : null,
    render(data, title) {
      const bundle = data.kind === 'rate' || data.kind === 'matter' ? rate : status;
      return bundle ? bundle(data, title) : null;
    },
  };
}

/** Title and advice of each page that cannot be rated: where else the citizen can turn. */
const MISSING_TEXTS: Record<MissingData['reason'], Pick<MissingData, 'title' | 'advice'>> = {
  unknown: { title: '评议码无效', advice: '未找到该评议码，请核对二维码或咨询窗口工作人员。' },
  disabled: { title: '该评议码已停用', advice: '请扫描窗口上的其他评议码，或咨询窗口工作人员。' },
  case: { title: '未找到该案件', advice: '请核对查询链接是否完整，或用受理编号和手机号后四位查询。' },
  link: { title: '评价链接无效', advice: '未找到该评价链接，请核对短信或二维码，或扫描窗口的评议码评价。' },
  expired: { title: '评价期限已过', advice: '该办件的评价期限已过。您仍可扫描窗口的评议码评价。' },
  guide: { title: '未找到该办事指南', advice: '该指南可能已调整，请扫描窗口的二维码查看，或咨询窗口工作人员。' },
};

/**
 * The data of a page that cannot be rated (404, 410): its reason and its words — sent with the page,
 * not built into the page's bundle — where it was, when known, who issues the page and where else the
 * citizen can turn (settings citizen, of the place's county; the platform's when the place is unknown).
 */
export function missingPage(
  reason: MissingData['reason'],
  citizen: { authority: string; hotline: string },
  where: { code?: string; departmentName?: string; location?: string } = {},
): MissingData {
  return {
    kind: 'missing',
    authority: citizen.authority,
    hotline: citizen.hotline,
    code: where.code ?? '',
    reason,
    ...MISSING_TEXTS[reason],
    ...where,
  };
}
