// The citizen page's service worker, served at /r/sw.js and at /e/sw.js (a worker's scope is its
// own folder: one registration for the window codes' pages, one for the 办件 links'). A citizen who
// has rated once — often an elderly regular of the same hall, often on one bar of signal — gets the
// pages of the codes they opened before at once from this phone, even with no signal at all: the
// page is shown from the cache and refreshed in the background. A 办件's link page (/e/{token})
// changes with its ratings (the 追评, then no form): it is asked of the network first, and the kept
// copy shown only when the network does not answer. A rating made offline waits in the page's own
// queue until it can be sent. Nothing else is cached: submissions, the status pages and the API
// always go to the network.

// Type-checked with the WebWorker library (client/mobile/tsconfig.sw.json), not the DOM one.
declare const self: ServiceWorkerGlobalScope;
const sw = self;

const CACHE = 'citizen-pages-v1';
/** Pages kept (the codes a phone opened most recently): a citizen rates a handful of windows. */
const MAX_PAGES = 20;

/** How long a 办件's link page waits for the network before the kept copy is shown. */
const LINK_WAIT_MS = 4000;

/**
 * A code's rating page (/r/{code}), a 办件's link page (/e/{token}), a 办事指南 (/g/{id}) or a window's
 * list of them (/g/?code=), not the worker itself.
 */
function isCodePage(url: URL): boolean {
  return url.origin === sw.location.origin && /^\/([re]\/[^/]+|g\/[^/]*)$/.test(url.pathname) && !/\/sw\.js$/.test(url.pathname);
}

async function remember(req: Request | string, res: Response): Promise<void> {
  const cache = await caches.open(CACHE);
  // A code that was disabled or removed must not keep offering its form from the cache.
  if (res.status === 404 || res.status === 410) await cache.delete(req);
  if (res.status !== 200) return;
  await cache.put(req, res);
  const keys = await cache.keys();
  // Oldest first: Cache Storage keeps insertion order.
  for (let i = 0; i < keys.length - MAX_PAGES; i++) await cache.delete(keys[i]);
}

async function refresh(req: Request | string): Promise<Response> {
  const res = await fetch(req, { cache: 'no-store' });
  await remember(req, res.clone());
  return res;
}

sw.addEventListener('install', (e) => e.waitUntil(sw.skipWaiting()));

sw.addEventListener('activate', (e) =>
  e.waitUntil(
    (async () => {
      const old = (await caches.keys()).filter((name) => name !== CACHE);
      await Promise.all(old.map((name) => caches.delete(name)));
      await sw.clients.claim();
      // The page that registered the worker was loaded before it existed: keep it too.
      for (const client of await sw.clients.matchAll({ type: 'window' })) {
        const url = new URL(client.url);
        url.hash = '';
        if (isCodePage(url)) await refresh(url.href).catch(() => undefined);
      }
    })(),
  ),
);

sw.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET' || req.mode !== 'navigate') return;
  const url = new URL(req.url);
  if (!isCodePage(url)) return;
  e.respondWith(
    (async () => {
      const key = url.origin + url.pathname + url.search;
      const cached = await caches.match(key);
      const fresh = refresh(key);
      if (!cached) return fresh;
      // Either way the copy for next time is fetched when the network allows.
      e.waitUntil(fresh.catch(() => undefined));
      // A code's page is shown at once. A link's shows what the server says now (rated, 追评, none
      // left), and a guide its newest text, unless the network fails or keeps it waiting.
      if (url.pathname[1] === 'r') return cached;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<Response>((resolve) => {
        timer = setTimeout(() => resolve(cached), LINK_WAIT_MS);
      });
      try {
        const res = await Promise.race([fresh, late]);
        // A proxy's or a restarting server's error page is no better than the kept copy.
        return res.status >= 500 ? cached : res;
      } catch {
        return cached;
      } finally {
        clearTimeout(timer);
      }
    })(),
  );
});

// A module, so that `self` above is this file's own declaration.
export {};
