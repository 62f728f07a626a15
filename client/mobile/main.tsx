// The citizen page (GET /r/{code}, GET /s/{token}). The server inlines this bundle and its CSS
// into the HTML together with the page data, so the whole page is one request (≤ 12 KB gzipped).
import './style.css';
import { render } from 'preact';
import { loadAllPending, startSending } from './pending';
import { Rate } from './rate';
import { savedBig, setBig, store } from './storage';
import type { PageData } from './types';
import { CaseView, Frame, Missing } from './views';

setBig(savedBig(), false);

function fromPage(): PageData | null {
  const script = document.getElementById('page-data');
  try {
    return script ? (JSON.parse(script.textContent || '') as PageData) : null;
  } catch {
    return null;
  }
}

// Without injected data (vite dev, a bare HTML file) ask the API; `?code=` helps in dev.
function codeFromUrl(): string {
  const match = /^\/r\/([^/?#]+)/.exec(location.pathname);
  return match ? decodeURIComponent(match[1]) : new URLSearchParams(location.search).get('code') || '';
}

async function fromApi(code: string): Promise<PageData> {
  try {
    const res = await fetch(`/api/codes/${encodeURIComponent(code)}`);
    const found = await res.json();
    if (res.ok && found.active !== false) return { kind: 'rate', tags: { good: [], bad: [] }, ...found, code };
    return { kind: 'missing', code, reason: res.ok ? 'disabled' : 'unknown', ...(res.ok ? found : {}) };
  } catch {
    return { kind: 'missing', code, reason: 'unknown' };
  }
}

/** The scan funnel's "opened" event: fire and forget, never in the citizen's way. */
function reportOpened(code: string) {
  const url = `/api/codes/${encodeURIComponent(code)}/opened`;
  try {
    if (navigator.sendBeacon?.(url)) return;
    fetch(url, { method: 'POST', keepalive: true }).catch(() => {});
  } catch {
    /* never block the page */
  }
}

function show(page: PageData | null) {
  const root = document.getElementById('app') as HTMLElement;
  if (!page) {
    render(
      <Frame>
        <h1>评议码无效</h1>
        <p>未找到该评议码，请核对二维码或咨询窗口工作人员</p>
      </Frame>,
      root,
    );
    return;
  }
  const code = page.kind === 'case' ? '' : page.code;
  if (code) reportOpened(code);
  // Ratings left pending on other codes (a phone that lost signal and never came back to that
  // poster) are sent quietly in the background; this code's own is resumed by <Rate> on screen.
  const others = loadAllPending(store);
  for (const other in others)
    if (other !== code || page.kind !== 'rate') startSending(store, others[other], { fetch: (url, init) => fetch(url, init) });
  render(page.kind === 'rate' ? <Rate page={page} /> : page.kind === 'case' ? <CaseView page={page} /> : <Missing page={page} />, root);
}

// Once the page is loaded, the worker keeps the rating pages this phone opened for the next visit,
// with or without signal (client/mobile/sw.ts). Needs HTTPS (or localhost); optional everywhere.
if ('serviceWorker' in navigator && location.pathname.indexOf('/r/') === 0)
  addEventListener('load', () => navigator.serviceWorker.register('/r/sw.js').catch(() => {}));

const data = fromPage();
const code = data ? '' : codeFromUrl();
if (code) void fromApi(code).then(show);
else show(data);
