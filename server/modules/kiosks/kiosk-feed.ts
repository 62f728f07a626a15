// What the connected 评价器 tablets of this instance are shown, read from the database: a 办件 may be
// finished through any instance sharing it (or written by anything else), so no in-process event
// would see them all. One poller per instance asks, in ONE statement for every connected tablet, about
// the 办件 finished at their windows lately, and tells each tablet when its window's changes.
import type { Db } from '../../../db/client.js';
import * as q from '../../../db/queries/kiosks.js';
import type { KioskMatterT } from '../../../shared/api/kiosks.js';
import type { Clock } from '../../lib/clock.js';
import { type Logger, throttledWarning } from '../../lib/logger.js';

/** What a tablet's stream carries (docs/api.md, GET /api/k/{token}/events). */
export type KioskEvent =
  | { type: 'matter'; matter: KioskMatterT }
  /** The 办件 last sent is no longer to be rated there (rated, through any channel, or no longer recent). */
  | { type: 'cleared'; projectNo: string }
  /** The kiosk was revoked or its window's code disabled: the stream ends, the tablet stops. */
  | { type: 'closed'; reason: 'revoked' | 'disabled' };

export interface KioskListener {
  send(event: KioskEvent): void;
  /** The feed is done with this tablet (after `closed`, or the server is closing). */
  end(): void;
}

export interface KioskFeedOptions {
  /** How often the database is asked (≈ the delivery delay: well within the 2 s of docs/api.md). */
  pollMs?: number;
  /** A 办件 finished longer ago than this is not "just finished": never shown. */
  recentMs?: number;
  /** `last_seen_at` is written at most this often per kiosk. */
  touchEveryMs?: number;
}

/** Poll every 500 ms: a 办件 finished anywhere reaches its window's tablet within about a second. */
const POLL_MS = 500;
/**
 * Only a 办件 finished in the last 5 minutes is shown: the citizen is still at the window (a tablet that
 * reconnects, or a business system that reports 办结 a little late, still shows it); older ones would
 * put someone else's 办件 before the next person.
 */
const KIOSK_RECENT_MS = 5 * 60_000;
const TOUCH_EVERY_MS = 60_000;

interface Connection {
  kioskId: number;
  listener: KioskListener;
  /** The projectNo last sent as `matter`, until it is cleared. */
  shown: string | null;
}

export function createKioskFeed(deps: { db: Db; clock: Clock; log: Logger } & KioskFeedOptions) {
  const { db, clock, log } = deps;
  const pollMs = deps.pollMs ?? POLL_MS;
  const recentMs = deps.recentMs ?? KIOSK_RECENT_MS;
  const touchEveryMs = deps.touchEveryMs ?? TOUCH_EVERY_MS;
  const connections = new Set<Connection>();
  /** When this instance last wrote each connected kiosk's last_seen_at. */
  const touched = new Map<number, number>();
  const warnFailed = throttledWarning();
  let timer: NodeJS.Timeout | null = null;
  let polling = false;
  let closed = false;

  function schedule(ms: number): void {
    if (timer || closed || connections.size === 0) return;
    timer = setTimeout(() => {
      timer = null;
      void pollOnce().finally(() => schedule(pollMs));
    }, ms);
    timer.unref();
  }

  function drop(c: Connection): void {
    if (!connections.delete(c)) return;
    c.listener.end();
  }

  /** The newest 办件 of each kiosk's window in the poll's rows, and whether the kiosk still works. */
  function statesOf(found: q.KioskPollRow[]) {
    const states = new Map<number, { revoked: boolean; active: boolean; newest: q.KioskPollRow | null }>();
    for (const r of found) {
      let s = states.get(r.kioskId);
      if (!s) {
        s = { revoked: r.revokedAt !== null, active: Boolean(r.codeActive), newest: null };
        states.set(r.kioskId, s);
      }
      if (r.matterId === null || r.finishedAt === null) continue;
      const n = s.newest;
      if (!n || r.finishedAt > n.finishedAt! || (r.finishedAt === n.finishedAt && r.matterId > n.matterId!)) s.newest = r;
    }
    return states;
  }

  async function pollOnce(): Promise<void> {
    if (polling || connections.size === 0) return;
    polling = true;
    try {
      const ids = [...new Set([...connections].map((c) => c.kioskId))];
      const now = clock.now();
      const states = statesOf(await q.pollKiosks(db, ids, now - recentMs));
      const asked = new Set(ids);
      for (const c of [...connections]) {
        // Connected while the statement ran: the next poll answers for it.
        if (!asked.has(c.kioskId)) continue;
        const s = states.get(c.kioskId);
        if (!s || s.revoked || !s.active) {
          c.listener.send({ type: 'closed', reason: s && !s.revoked ? 'disabled' : 'revoked' });
          drop(c);
          continue;
        }
        // The window's newest 办件 is the one just finished; once rated (anywhere) it is done, and an
        // older unrated one is not brought back: its citizen has left.
        const current = s.newest && s.newest.ratingCount === 0 ? s.newest : null;
        if (current && current.projectNo !== c.shown) {
          c.shown = current.projectNo!;
          c.listener.send({
            type: 'matter',
            matter: {
              projectNo: current.projectNo!,
              taskName: current.taskName!,
              departmentName: current.departmentName!,
              finishedAt: new Date(current.finishedAt!).toISOString(),
            },
          });
        } else if (!current && c.shown !== null) {
          c.listener.send({ type: 'cleared', projectNo: c.shown });
          c.shown = null;
        }
      }
      await touch(ids, now);
    } catch (err) {
      // The database is away for a moment (PostgreSQL restarting): the tablets keep their streams and
      // the next poll tries again.
      warnFailed((failures) => log.warn({ err, failures }, 'kiosk feed: poll failed; retrying'));
    } finally {
      polling = false;
    }
  }

  /** last_seen_at of the connected kiosks, each at most once a minute, in one statement. */
  async function touch(ids: number[], now: number): Promise<void> {
    const due = ids.filter((id) => now - (touched.get(id) ?? Number.NEGATIVE_INFINITY) >= touchEveryMs);
    for (const id of touched.keys()) if (!ids.includes(id)) touched.delete(id);
    if (due.length === 0) return;
    await db.transaction((tx) => q.touchKiosks(tx, due, now, now - touchEveryMs));
    for (const id of due) touched.set(id, now);
  }

  return {
    /** Starts telling a connected tablet about its window; answers the function that stops it. */
    subscribe(kioskId: number, listener: KioskListener): () => void {
      if (closed) {
        listener.end();
        return () => undefined;
      }
      const c: Connection = { kioskId, listener, shown: null };
      connections.add(c);
      // A tablet that (re)connects is told its window's 办件 at once, not a poll period later.
      schedule(0);
      return () => {
        connections.delete(c);
      };
    },

    /** Ends every stream and stops polling (the server is closing). */
    close(): void {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      for (const c of [...connections]) drop(c);
    },
  };
}
