// The citizen's rating page (GET /r/{code}, GET /e/{token}). The server inlines this bundle and its CSS
// into the HTML together with the page data, so the whole page is one request (≤ 12 KB gzipped).
import './style.css';
import { render } from 'preact';
import { loadAllPending, startSending } from './pending';
import { pendingKey, Rate } from './rate';
import { savedBig, setBig, store } from './storage';
import type { PageData } from './types';
import { setIssuer } from './views';

setBig(savedBig(), false);

function fromPage(): PageData | null {
  const script = document.getElementById('page-data');
  try {
    return script ? (JSON.parse(script.textContent || '') as PageData) : null;
  } catch {
    return null;
  }
}

/**
 * The scan funnel's "opened" event: fire and forget, never in the citizen's way. A browser without
 * sendBeacon goes uncounted (the staff pages say scan counts can fall short).
 */
function reportOpened(code: string) {
  try {
    navigator.sendBeacon(`/api/codes/${encodeURIComponent(code)}/opened`);
  } catch {
    /* never block the page */
  }
}

function show(page: PageData | null) {
  const root = document.getElementById('app') as HTMLElement;
  // Only the rating pages come with this bundle; the others with the status bundle (status.tsx).
  if (!page || (page.kind !== 'rate' && page.kind !== 'matter')) {
    // No page data (a bare HTML file): nothing can be rated here.
    render(<h1>页面无效，请重新扫码</h1>, root);
    return;
  }
  // The scan funnel counts the window code's page (a 办件's link is no scan of it).
  if (page.kind === 'rate') reportOpened(page.code);
  const own = pendingKey(page);
  // Ratings left pending on other codes and links (a phone that lost signal and never came back to
  // that poster) are sent quietly in the background; this page's own is resumed by <Rate> on screen.
  const others = loadAllPending(store);
  for (const other in others) if (other !== own) startSending(store, others[other], { fetch: (url, init) => fetch(url, init) });
  setIssuer(page.authority);
  render(<Rate page={page} />, root);
}

// Once the page is loaded, the worker keeps the rating pages this phone opened for the next visit,
// with or without signal (client/mobile/sw.ts): served in /r/ and in /e/, as a worker's scope is
// its own folder. Needs HTTPS (or localhost); optional everywhere.
const scope = location.pathname.slice(0, 3);
if ('serviceWorker' in navigator && (scope === '/r/' || scope === '/e/'))
  addEventListener('load', () => navigator.serviceWorker.register(`${scope}sw.js`).catch(() => {}));

show(fromPage());
