// The citizen page's service worker (scope /r/). A citizen who has rated once — often an elderly
// regular of the same hall, often on one bar of signal — gets the pages of the codes they opened
// before at once from this phone, even with no signal at all: the page is shown from the cache and
// refreshed in the background; a rating made offline waits in the page's own queue until it can be
// sent. Nothing else is cached: submissions, the status pages and the API always go to the network.

// Type-checked with the WebWorker library (client/mobile/tsconfig.sw.json), not the DOM one.
declare const self: ServiceWorkerGlobalScope;
const sw = self;

const CACHE = 'citizen-pages-v1';
/** Pages kept (the codes a phone opened most recently): a citizen rates a handful of windows. */
const MAX_PAGES = 20;

/** A code's rating page: /r/{code}, not the worker itself. */
function isCodePage(url: URL): boolean {
  return url.origin === sw.location.origin && /^\/r\/[^/]+$/.test(url.pathname) && url.pathname !== '/r/sw.js';
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
      if (cached) {
        // Shown at once; the copy for next time is fetched when the network allows.
        e.waitUntil(fresh.catch(() => undefined));
        return cached;
      }
      return fresh;
    })(),
  );
});

// A module, so that `self` above is this file's own declaration.
export {};
