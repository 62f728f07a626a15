// The citizen page as ONE response: the built JS and CSS are inlined into the HTML at start, and the
// code's data is embedded, so a phone on one bar of signal needs a single round trip. A strict CSP
// still holds: the inline script and style are allowed by their SHA-256 hashes, nothing else runs.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MissingData, PageData } from '../../../shared/api/citizen-page.js';

export interface CitizenPageTemplate {
  /** Renders the page with its data; `null` when the client was not built. */
  render(data: PageData): string | null;
  /** The Content-Security-Policy for the rendered page. */
  csp: string;
  built: boolean;
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

export function loadCitizenPageTemplate(clientDir: string): CitizenPageTemplate {
  const dir = join(clientDir, 'm');
  const htmlFile = join(dir, 'mobile', 'index.html');
  if (!existsSync(htmlFile)) {
    return { render: () => null, csp: "default-src 'none'", built: false, serviceWorker: null };
  }
  const js = readFileSync(join(dir, 'mobile.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
  const css = existsSync(join(dir, 'mobile.css')) ? readFileSync(join(dir, 'mobile.css'), 'utf8') : '';
  let html = readFileSync(htmlFile, 'utf8');
  html = html
    .replace(/<script type="module"[^>]*src="[^"]*mobile\.js"[^>]*><\/script>\s*/, '')
    .replace(/<link rel="stylesheet"[^>]*mobile\.css"[^>]*>\s*/, '');
  const style = `<style>${css}</style>`;
  const script = `<script type="module">${js}</script>`;
  const [head, tail] = html.split('</head>');
  if (tail === undefined) throw new Error('citizen page template has no </head>');
  const before = `${head}${style}</head>`;
  const [bodyHead, bodyTail] = tail.split('</body>');
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(js)}`,
    `style-src ${sha256(css)}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  const swFile = join(dir, 'sw.js');
  return {
    built: true,
    csp,
    serviceWorker: existsSync(swFile) ? readFileSync(swFile, 'utf8') : null,
    render(data) {
      return `${before}${bodyHead}<script id="page-data" type="application/json">${jsonForScript(data)}</script>${script}</body>${bodyTail ?? ''}`;
    },
  };
}

/** Title and advice of each page that cannot be rated: where else the citizen can turn. */
const MISSING_TEXTS: Record<MissingData['reason'], Pick<MissingData, 'title' | 'advice'>> = {
  unknown: { title: '评议码无效', advice: '未找到该评议码，请核对二维码或咨询窗口工作人员' },
  disabled: { title: '该评议码已停用', advice: '请扫描窗口上的其他评议码，或咨询窗口工作人员。' },
  case: { title: '未找到该案件', advice: '请核对查询链接，或拨打窗口公布的电话咨询。' },
  link: { title: '评价链接无效', advice: '未找到该评价链接，请核对短信或二维码，或扫描窗口的评议码评价。' },
  expired: {
    title: '评价期限已过',
    advice: '该办件的评价期限已过。您仍可扫描窗口的评议码评价，或拨打 12345 政务服务便民热线反映意见。',
  },
};

/**
 * The data of a page that cannot be rated (404, 410): its reason and its words — sent with the page,
 * not built into the page's bundle, which every rating page loads — and where it was, when known.
 */
export function missingPage(
  reason: MissingData['reason'],
  where: { code?: string; departmentName?: string; location?: string } = {},
): MissingData {
  return { kind: 'missing', code: where.code ?? '', reason, ...MISSING_TEXTS[reason], ...where };
}
