// The tablet's outbox: a rating is written to localStorage at the tap, before anything is sent, and
// forgotten only once the server has answered for good; it is always re-sent with the same
// idempotencyKey, so the network failing at any moment stores it once, never twice (docs/api.md,
// POST /api/k/{token}/ratings). A rating is "held" while the citizen may still add reasons.
import { postRating, type RatingResult, retryDelay } from '../mobile/pending';

export interface Outgoing {
  /** The kiosk's credential (a tablet provisioned anew drops what the old address could not send). */
  token: string;
  projectNo: string;
  score: number;
  tags: string[];
  idempotencyKey: string;
  /** Still open to reasons: not sent yet. */
  held: boolean;
}

export type Outcome = { kind: 'ok'; result: RatingResult } | { kind: 'final'; message: string } | { kind: 'waiting' };

const OUTBOX_KEY = 'mspy:kiosk:outbox';

function load(): Outgoing[] {
  try {
    const all = JSON.parse(localStorage.getItem(OUTBOX_KEY) || '[]') as Outgoing[];
    return Array.isArray(all) ? all.filter((o) => o && typeof o.idempotencyKey === 'string' && typeof o.projectNo === 'string') : [];
  } catch {
    return [];
  }
}

function save(all: Outgoing[]): void {
  try {
    if (all.length) localStorage.setItem(OUTBOX_KEY, JSON.stringify(all));
    else localStorage.removeItem(OUTBOX_KEY);
  } catch {
    /* storage unavailable: the rating is still sent from memory */
  }
}

/**
 * The outbox of this tablet. `onOutcome` hears what became of each rating (by its key): sent, refused
 * for good (the message the server gave), or waiting for the network.
 */
export function createOutbox(onOutcome: (key: string, outcome: Outcome) => void) {
  let memory = load();
  let busy = false;
  let retry = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const write = () => save(memory);

  async function sendOne(o: Outgoing): Promise<'done' | 'retry'> {
    const ctrl = new AbortController();
    const guard = setTimeout(() => ctrl.abort(), 15_000);
    const verdict = await postRating(
      fetch,
      `/api/k/${encodeURIComponent(o.token)}/ratings`,
      JSON.stringify({ projectNo: o.projectNo, score: o.score, tags: o.tags, idempotencyKey: o.idempotencyKey }),
      ctrl.signal,
    );
    clearTimeout(guard);
    if (verdict.kind === 'retry') {
      onOutcome(o.idempotencyKey, { kind: 'waiting' });
      return 'retry';
    }
    memory = memory.filter((m) => m.idempotencyKey !== o.idempotencyKey);
    write();
    onOutcome(
      o.idempotencyKey,
      verdict.kind === 'ok' ? { kind: 'ok', result: verdict.result } : { kind: 'final', message: verdict.message },
    );
    return 'done';
  }

  /** Sends every released rating, oldest first; on a failure waits (1 s, 2 s … 15 s) and tries again. */
  async function flush(): Promise<void> {
    if (busy) return;
    busy = true;
    clearTimeout(timer);
    try {
      // One at a time, until none is left: each answered one leaves the outbox, and a rating released
      // meanwhile is found on the next turn.
      for (let o = memory.find((m) => !m.held); o; o = memory.find((m) => !m.held)) {
        if ((await sendOne(o)) === 'retry') {
          timer = setTimeout(() => void flush(), retryDelay(retry++));
          return;
        }
      }
      retry = 0;
    } finally {
      busy = false;
    }
  }

  // A page reloaded (or a tablet restarted) sends what it held: the tap was the rating.
  if (memory.some((m) => m.held)) {
    for (const m of memory) m.held = false;
    write();
  }

  return {
    /** The tap: the rating is kept on the tablet from this moment. */
    hold(o: Omit<Outgoing, 'held'>): void {
      memory.push({ ...o, held: true });
      write();
    },
    /** The reasons chosen so far, kept with the held rating. */
    setTags(key: string, tags: string[]): void {
      const o = memory.find((m) => m.idempotencyKey === key);
      if (!o) return;
      o.tags = tags;
      write();
    },
    /** Sends it (the reasons are done). */
    release(key: string): void {
      const o = memory.find((m) => m.idempotencyKey === key);
      if (o) {
        o.held = false;
        write();
      }
      retry = 0;
      void flush();
    },
    /** Tries again now (back online, the stream reconnected). */
    flush: () => {
      retry = 0;
      void flush();
    },
  };
}

const SEEN_KEY = 'mspy:kiosk:seen';
const SEEN_MAX = 50;

/**
 * The 办件 this tablet has shown already (rated or left): a stream that reconnects, or a page reloaded,
 * is told its window's 办件 again, and must not put it before the next person.
 */
export function createSeen() {
  let list: string[] = [];
  try {
    const stored = JSON.parse(localStorage.getItem(SEEN_KEY) || '[]') as unknown;
    if (Array.isArray(stored)) list = stored.filter((s): s is string => typeof s === 'string');
  } catch {
    /* start empty */
  }
  return {
    has: (projectNo: string) => list.includes(projectNo),
    add(projectNo: string) {
      if (list.includes(projectNo)) return;
      list = [...list, projectNo].slice(-SEEN_MAX);
      try {
        localStorage.setItem(SEEN_KEY, JSON.stringify(list));
      } catch {
        /* memory only */
      }
    },
  };
}
