// The tablet's live feed: server-sent events from GET /api/k/{token}/events (docs/api.md). EventSource
// reconnects by itself after a dropped stream; after a refused one (an HTTP error: revoked, a proxy's
// 502) it gives up, so the page asks GET /api/k/{token} why: revoked or unknown stops the tablet for
// good, a disabled code is asked about again every minute, anything else is a network problem and the
// stream is opened again.
import type { KioskInfoT, KioskMatterT } from '../../shared/api/kiosks.js';

export type Stopped = 'revoked' | 'unknown' | 'disabled';

export interface FeedHandlers {
  info(info: KioskInfoT): void;
  matter(matter: KioskMatterT): void;
  cleared(projectNo: string): void;
  /** Connected (true) or trying to (false). */
  live(connected: boolean): void;
  stopped(reason: Stopped): void;
  /** The stream is open again: a good moment to send what waited for the network. */
  reconnected(): void;
}

type Check = { kind: 'ok'; info: KioskInfoT } | { kind: 'stopped'; reason: Stopped } | { kind: 'network' };

/** What the server says of this tablet's address. */
export async function checkKiosk(token: string): Promise<Check> {
  try {
    const res = await fetch(`/api/k/${encodeURIComponent(token)}`, { cache: 'no-store' });
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    if (res.status === 200 && body) return { kind: 'ok', info: body as unknown as KioskInfoT };
    if (res.status === 401 && body?.error) return { kind: 'stopped', reason: body.error === 'KioskRevoked' ? 'revoked' : 'unknown' };
    if (res.status === 410 && body?.error) return { kind: 'stopped', reason: 'disabled' };
  } catch {
    /* offline */
  }
  return { kind: 'network' };
}

const parse = <T>(e: Event): T | null => {
  try {
    return JSON.parse((e as MessageEvent<string>).data) as T;
  } catch {
    return null;
  }
};

/** Opens the feed; answers the function that closes it. */
export function openFeed(token: string, on: FeedHandlers): () => void {
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let done = false;

  function stop(reason: Stopped): void {
    source?.close();
    source = null;
    if (reason === 'disabled') {
      // A code is disabled for a while, then maybe enabled again: ask again in a minute.
      on.stopped(reason);
      timer = setTimeout(() => void recheck(), 60_000);
      return;
    }
    done = true;
    on.stopped(reason);
  }

  async function recheck(): Promise<void> {
    if (done) return;
    const check = await checkKiosk(token);
    if (check.kind === 'stopped') return stop(check.reason);
    if (check.kind === 'ok') on.info(check.info);
    // Reachable (or not yet): open the stream again, sooner after fewer failures.
    timer = setTimeout(open, check.kind === 'ok' ? 0 : Math.min(30_000, 1_000 * 2 ** Math.min(failures++, 5)));
  }

  function open(): void {
    if (done) return;
    const es = new EventSource(`/api/k/${encodeURIComponent(token)}/events`);
    source = es;
    es.onopen = () => {
      failures = 0;
      on.live(true);
      on.reconnected();
    };
    es.addEventListener('kiosk', (e) => {
      const info = parse<KioskInfoT>(e);
      if (info) on.info(info);
    });
    es.addEventListener('matter', (e) => {
      const m = parse<KioskMatterT>(e);
      if (m) on.matter(m);
    });
    es.addEventListener('cleared', (e) => {
      const c = parse<{ projectNo: string }>(e);
      if (c) on.cleared(c.projectNo);
    });
    es.addEventListener('closed', (e) => {
      const c = parse<{ reason: string }>(e);
      stop(c?.reason === 'disabled' ? 'disabled' : 'revoked');
    });
    es.onerror = () => {
      if (source !== es) return;
      on.live(false);
      // CONNECTING: EventSource retries by itself. CLOSED: it gave up (an HTTP error): ask why.
      if (es.readyState === EventSource.CLOSED) {
        source = null;
        void recheck();
      }
    };
  }

  open();
  return () => {
    done = true;
    clearTimeout(timer);
    source?.close();
  };
}
