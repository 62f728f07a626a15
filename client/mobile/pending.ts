// The pending-submission store and the retry policy of the citizen page.
// Why: citizens rate on one bar of signal; a rating is written to the phone BEFORE it is sent and
// only forgotten once the server has answered for good, always re-sent with the same
// idempotencyKey so the server stores it once (docs/api.md, POST /api/codes/{code}/ratings and
// POST /api/e/{token}/ratings).
// Pure: storage, fetch and timers are injected, so vitest runs it without a DOM.

/** The slice of the Web Storage API this module needs (localStorage in the browser). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface RatingBody {
  score: number;
  tags: string[];
  comment?: string;
  phone?: string;
  consent?: boolean;
  clientId: string;
  idempotencyKey: string;
}

export interface FollowUp {
  caseNo: string;
  /** The whole case's deadline (办结), YYYY-MM-DD. */
  dueDate: string;
  /** The 回访 deadline, YYYY-MM-DD. */
  contactDueDate?: string;
  statusUrl?: string;
  /** What will happen by when, in the server's words (a call only when a phone was left). */
  promise?: string;
}

export interface RatingResult {
  id: string | number;
  followUp: FollowUp | null;
  /** A 办件's rating: 1 its first (a 追评 may follow), 2 its 追评. */
  assessNumber?: number;
}

export interface Pending {
  /** What is rated: a window code, or `e/{token}` for a 办件's one-time link (pendingKey in rate.tsx). */
  code: string;
  body: RatingBody;
  savedAt: number;
}

export const PENDING_KEY = 'mspy:pending';
/** The receipts of the ratings this phone made, by code (or `e/{token}`): shown again on reload, Back, rescan. */
export const RECEIPTS_KEY = 'mspy:done';
export const CLIENT_ID_KEY = 'mspy:cid';

// Storage may throw (Safari private mode, quota, cookies blocked): the page must still work.
function read(store: KeyValueStore, key: string): string | null {
  try {
    return store.getItem(key);
  } catch {
    return null;
  }
}

function write(store: KeyValueStore, key: string, value: string): boolean {
  try {
    store.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

function isPending(value: unknown): value is Pending {
  const pending = value as Pending | null;
  return (
    !!pending &&
    typeof pending.code === 'string' &&
    !!pending.body &&
    typeof pending.body.idempotencyKey === 'string' &&
    typeof pending.body.score === 'number'
  );
}

/** Every pending rating on this phone, by code (a corrupt entry is skipped, never thrown). */
export function loadAllPending(store: KeyValueStore): Record<string, Pending> {
  const out: Record<string, Pending> = {};
  try {
    const all = JSON.parse(read(store, PENDING_KEY) || '{}') as Record<string, unknown>;
    for (const code in all) if (isPending(all[code])) out[code] = all[code] as Pending;
  } catch {
    /* unreadable: treat as empty */
  }
  return out;
}

export function loadPending(store: KeyValueStore, code: string): Pending | null {
  return loadAllPending(store)[code] || null;
}

/** Keeps the rating on the phone; false when storage is unavailable (the page then says so). */
export function savePending(store: KeyValueStore, pending: Pending): boolean {
  const all = loadAllPending(store);
  all[pending.code] = pending;
  return write(store, PENDING_KEY, JSON.stringify(all));
}

/** Forgets the pending rating of `code`, but only if it is still the one sent with `key`. */
export function clearPending(store: KeyValueStore, code: string, key?: string): void {
  const all = loadAllPending(store);
  const pending = all[code];
  if (!pending || (key && pending.body.idempotencyKey !== key)) return;
  delete all[code];
  try {
    if (Object.keys(all).length) store.setItem(PENDING_KEY, JSON.stringify(all));
    else store.removeItem(PENDING_KEY);
  } catch {
    /* nothing more to do */
  }
}

/**
 * What the phone keeps of a rating it made: when, the level, for a 差评 its case (number, deadlines, status
 * link) and whether it was anonymous (no phone: no call), for a 办件 its assess number (1, 2 the 追评).
 */
export interface Receipt extends Partial<FollowUp> {
  score: number;
  at: number;
  anonymous?: boolean;
  assess?: number;
}

function allReceipts(store: KeyValueStore): Record<string, Receipt> {
  try {
    return JSON.parse(read(store, RECEIPTS_KEY) || '{}') || {};
  } catch {
    return {};
  }
}

export function loadReceipt(store: KeyValueStore, code: string): Receipt | null {
  const r = allReceipts(store)[code];
  return r && typeof r.at === 'number' ? r : null;
}

/**
 * Keeps the receipt of a rating the server accepted. A rating without a case (a 好评, a good 追评) keeps
 * the case of the one before it: that case goes on (差评必查). Receipts older than 60 days are dropped.
 */
export function saveReceipt(store: KeyValueStore, pending: Pending, result: RatingResult, now = Date.now()): Receipt {
  const all = allReceipts(store);
  const before = all[pending.code];
  const followUp = result.followUp;
  const receipt: Receipt = {
    ...(followUp ? { ...followUp, anonymous: !pending.body.phone } : before && before.caseNo ? before : {}),
    score: pending.body.score,
    at: now,
    assess: result.assessNumber,
  };
  all[pending.code] = receipt;
  for (const code in all) if (!(all[code].at > now - 60 * 86_400_000)) delete all[code];
  write(store, RECEIPTS_KEY, JSON.stringify(all));
  return receipt;
}

/** Random hex id (128 bits by default) from the platform CSPRNG. */
export function randomId(bytes = 16): string {
  const random = crypto.getRandomValues(new Uint8Array(bytes));
  let hex = '';
  for (let i = 0; i < random.length; i++) hex += (random[i] + 256).toString(16).slice(1);
  return hex;
}

/** This phone's stable anonymous id, created on first use (used by the server's per-device limits). */
export function clientIdOf(store: KeyValueStore): string {
  let id = read(store, CLIENT_ID_KEY);
  if (!id || !/^[0-9a-f]{16,64}$/.test(id)) {
    id = randomId();
    write(store, CLIENT_ID_KEY, id);
  }
  return id;
}

/** Wait before retry number `retry` (0-based): 1 s, 2 s, 4 s … capped at 15 s. */
export function retryDelay(retry: number, baseMs = 1000, capMs = 15000): number {
  return Math.min(capMs, baseMs * 2 ** Math.min(retry, 30));
}

export type Verdict = { kind: 'ok'; result: RatingResult } | { kind: 'final'; status: number; message: string } | { kind: 'retry' };

const RETRY: Verdict = { kind: 'retry' };

/**
 * What an answer means for the pending copy. Only the API's own answers are trusted: a 2xx that is
 * not our JSON (a captive portal's login page on hall Wi-Fi) or a 4xx without our error body (a
 * proxy) is retried, never taken as done — dropping the rating would be the worse mistake.
 */
export function judgeResponse(status: number, body: unknown): Verdict {
  const answer = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (status >= 200 && status < 300) {
    if (typeof answer.id !== 'string' && typeof answer.id !== 'number') return RETRY;
    const given = answer.followUp as FollowUp | null | undefined;
    const followUp = given && typeof given.caseNo === 'string' ? given : null;
    const assessNumber = typeof answer.assessNumber === 'number' ? answer.assessNumber : undefined;
    return { kind: 'ok', result: { id: answer.id, followUp, assessNumber } };
  }
  if (status >= 400 && status < 500 && status !== 408 && typeof answer.error === 'string') {
    const message = typeof answer.message === 'string' && answer.message ? answer.message : '提交失败，请稍后再试或咨询窗口工作人员';
    return { kind: 'final', status, message };
  }
  return RETRY;
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ status: number; json(): Promise<unknown> }>;

/**
 * POSTs a rating's JSON and judges the answer (judgeResponse); no answer at all (offline, reset, the
 * caller's timeout) is a retry. The citizen page and the 评价器 send their ratings through it.
 */
export async function postRating(send: FetchLike, url: string, body: string, signal?: AbortSignal): Promise<Verdict> {
  try {
    const res = await send(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal });
    let data: unknown = null;
    try {
      data = await res.json();
    } catch {
      /* not JSON: judged below */
    }
    return judgeResponse(res.status, data);
  } catch {
    return RETRY;
  }
}

export interface SenderDeps {
  fetch: FetchLike;
  /** Give up on one attempt after this long (weak signal: a request can hang for minutes). */
  timeoutMs?: number;
  delay?: (retry: number) => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface SenderEvents {
  /** A retry is scheduled: `retry` counts the failed attempts so far. */
  onRetry?(retry: number, waitMs: number): void;
  /** Accepted; its receipt is kept on the phone (saveReceipt). */
  onOk?(receipt: Receipt): void;
  onFinal?(status: number, message: string): void;
}

export interface Sender {
  /** Try again now (the `online` event, the citizen's 立即重试 button). No-op while a try is running. */
  now(): void;
  stop(): void;
}

/** Where a pending rating goes: its window code's route, or its 办件 link's (`e/{token}`; a code has no `/`). */
export const ratingUrl = (code: string) =>
  code.indexOf('e/') ? `/api/codes/${encodeURIComponent(code)}/ratings` : `/api/e/${encodeURIComponent(code.slice(2))}/ratings`;

/**
 * Sends a pending rating until the server answers for good. The copy in `store` is dropped on a
 * 2xx or a final 4xx, and kept on everything else, so a reload resumes with the same key.
 */
export function startSending(store: KeyValueStore, pending: Pending, deps: SenderDeps, events: SenderEvents = {}): Sender {
  const setTimer = deps.setTimer || ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = deps.clearTimer || ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const delay = deps.delay || retryDelay;
  const timeoutMs = deps.timeoutMs || 15000;
  const send = deps.fetch;
  let retry = 0;
  let timer: unknown;
  let busy = false;
  let stopped = false;

  async function attempt(): Promise<void> {
    if (stopped || busy) return;
    clearTimer(timer);
    busy = true;
    const ctrl = typeof AbortController === 'function' ? new AbortController() : undefined;
    const guard = setTimer(() => ctrl && ctrl.abort(), timeoutMs);
    const verdict = await postRating(send, ratingUrl(pending.code), JSON.stringify(pending.body), ctrl && ctrl.signal);
    clearTimer(guard);
    busy = false;
    if (stopped) return;
    if (verdict.kind === 'retry') {
      const wait = delay(retry++);
      timer = setTimer(attempt, wait);
      if (events.onRetry) events.onRetry(retry, wait);
      return;
    }
    stopped = true;
    clearPending(store, pending.code, pending.body.idempotencyKey);
    if (verdict.kind === 'ok') {
      const receipt = saveReceipt(store, pending, verdict.result);
      if (events.onOk) events.onOk(receipt);
    } else if (events.onFinal) events.onFinal(verdict.status, verdict.message);
  }

  void attempt();
  return {
    now: () => void attempt(),
    stop() {
      stopped = true;
      clearTimer(timer);
    },
  };
}
