import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CLIENT_ID_KEY,
  clearPending,
  clientIdOf,
  type FetchLike,
  judgeResponse,
  type KeyValueStore,
  loadAllPending,
  loadPending,
  loadReceipt,
  PENDING_KEY,
  type Pending,
  randomId,
  retryDelay,
  savePending,
  saveReceipt,
  startSending,
} from '../../client/mobile/pending';

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => (data.has(k) ? (data.get(k) as string) : null),
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

const brokenStore: KeyValueStore = {
  getItem() {
    throw new Error('SecurityError');
  },
  setItem() {
    throw new Error('QuotaExceededError');
  },
  removeItem() {
    throw new Error('SecurityError');
  },
};

function pending(code = 'ABC234', key = 'k1', score = 2): Pending {
  return {
    code,
    body: { score, tags: ['服务态度差'], clientId: 'c1', idempotencyKey: key },
    savedAt: 1,
  };
}

type Call = { url: string; body: { idempotencyKey: string } };

/** A fetch whose answers are scripted per call: a status+body, a network error, or a hang. */
function scriptedFetch(script: Array<[number, unknown] | 'offline' | 'hang' | 'html'>) {
  const calls: Call[] = [];
  const fetch: FetchLike = (url, init) => {
    calls.push({ url, body: JSON.parse(init.body) });
    const step = script[Math.min(calls.length - 1, script.length - 1)];
    if (step === 'offline') return Promise.reject(new TypeError('Failed to fetch'));
    if (step === 'hang')
      return new Promise((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    if (step === 'html') return Promise.resolve({ status: 200, json: () => Promise.reject(new SyntaxError('not json')) });
    const [status, body] = step;
    return Promise.resolve({ status, json: () => Promise.resolve(body) });
  };
  return { fetch, calls };
}

describe('pending store', () => {
  it('keeps a rating per code and gives it back after a reload', () => {
    const s = memoryStore();
    expect(savePending(s, pending('A', 'k1'))).toBe(true);
    expect(savePending(s, pending('B', 'k2'))).toBe(true);
    expect(loadPending(s, 'A')?.body.idempotencyKey).toBe('k1');
    expect(Object.keys(loadAllPending(s)).sort()).toEqual(['A', 'B']);
    expect(loadPending(s, 'C')).toBeNull();
  });

  it('a new rating on the same code replaces the old pending copy', () => {
    const s = memoryStore();
    savePending(s, pending('A', 'k1'));
    savePending(s, pending('A', 'k2'));
    expect(loadPending(s, 'A')?.body.idempotencyKey).toBe('k2');
  });

  it('clears only the copy sent with the given key, and the key when nothing is left', () => {
    const s = memoryStore();
    savePending(s, pending('A', 'k2'));
    savePending(s, pending('B', 'k3'));
    clearPending(s, 'A', 'k1');
    expect(loadPending(s, 'A')).not.toBeNull();
    clearPending(s, 'A', 'k2');
    expect(loadPending(s, 'A')).toBeNull();
    expect(loadPending(s, 'B')).not.toBeNull();
    clearPending(s, 'B');
    expect(s.data.has(PENDING_KEY)).toBe(false);
  });

  it('survives corrupt or foreign data in storage', () => {
    const s = memoryStore();
    s.setItem(PENDING_KEY, '{not json');
    expect(loadAllPending(s)).toEqual({});
    s.setItem(PENDING_KEY, JSON.stringify({ A: { code: 'A' }, B: pending('B') }));
    expect(Object.keys(loadAllPending(s))).toEqual(['B']);
  });

  it('reports when storage is unavailable instead of throwing', () => {
    expect(savePending(brokenStore, pending())).toBe(false);
    expect(loadPending(brokenStore, 'ABC234')).toBeNull();
    expect(() => clearPending(brokenStore, 'ABC234')).not.toThrow();
  });
});

describe('ids', () => {
  it('randomId is 128 bits of hex and never repeats', () => {
    const a = randomId();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(randomId()).not.toBe(a);
    expect(randomId(4)).toMatch(/^[0-9a-f]{8}$/);
  });

  it('clientId is created once and kept', () => {
    const s = memoryStore();
    const id = clientIdOf(s);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(clientIdOf(s)).toBe(id);
    s.setItem(CLIENT_ID_KEY, '<script>');
    expect(clientIdOf(s)).not.toBe('<script>');
  });

  it('clientId still works without storage', () => {
    expect(clientIdOf(brokenStore)).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('retry policy', () => {
  it('backs off 1 s, 2 s, 4 s, 8 s, then stays at 15 s', () => {
    expect([0, 1, 2, 3, 4, 5, 50, 5000].map((n) => retryDelay(n))).toEqual([1000, 2000, 4000, 8000, 15000, 15000, 15000, 15000]);
  });

  it('a 2xx with the rating id is done, with the follow-up for a 差评', () => {
    const followUp = { caseNo: 'CP20261122-0001', dueDate: '2026-12-14' };
    expect(judgeResponse(201, { id: 'r1', followUp })).toEqual({ kind: 'ok', result: { id: 'r1', followUp } });
    expect(judgeResponse(200, { id: 7, followUp: null })).toEqual({ kind: 'ok', result: { id: 7, followUp: null } });
    expect(judgeResponse(201, { id: 'r1' })).toEqual({ kind: 'ok', result: { id: 'r1', followUp: null } });
  });

  it('a 办件 link answer keeps its assessNumber (1: a 追评 may follow; 2: it was the 追评)', () => {
    expect(judgeResponse(201, { id: 9, assessNumber: 1, followUp: null })).toEqual({
      kind: 'ok',
      result: { id: 9, followUp: null, assessNumber: 1 },
    });
    expect(judgeResponse(200, { id: 9, assessNumber: 'x', followUp: null })).toEqual({ kind: 'ok', result: { id: 9, followUp: null } });
  });

  it('a 2xx that is not our answer (captive portal page) is retried, not taken as done', () => {
    expect(judgeResponse(200, null)).toEqual({ kind: 'retry' });
    expect(judgeResponse(200, { ok: true })).toEqual({ kind: 'retry' });
  });

  it.each([400, 404, 410, 429])('%i from the API is final and shows its message', (status) => {
    expect(judgeResponse(status, { error: 'X', message: '评价过于频繁，请30分钟后再试' })).toEqual({
      kind: 'final',
      status,
      message: '评价过于频繁，请30分钟后再试',
    });
  });

  it('a final answer without a message gets a Chinese one', () => {
    const v = judgeResponse(400, { error: 'Bad' });
    expect(v.kind === 'final' && /[\u4e00-\u9fff]/.test(v.message)).toBe(true);
  });

  it.each([
    [408, { error: 'Timeout', message: 'x' }],
    [500, { error: 'Internal', message: 'x' }],
    [502, null],
    [503, null],
    [511, null],
    [403, null],
    [0, null],
  ])('%i is retried', (status, body) => {
    expect(judgeResponse(status, body)).toEqual({ kind: 'retry' });
  });
});

describe('startSending', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('retries a lost connection with backoff, always with the same idempotencyKey, then forgets the copy', async () => {
    const s = memoryStore();
    const p = pending('ABC234', 'same-key');
    savePending(s, p);
    const { fetch, calls } = scriptedFetch(['offline', [503, null], [201, { id: 'r1', followUp: null }]]);
    const retries: number[] = [];
    const onOk = vi.fn();
    startSending(s, p, { fetch }, { onRetry: (_n, wait) => retries.push(wait), onOk });

    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    expect(loadPending(s, 'ABC234')).not.toBeNull();
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls).toHaveLength(3);

    expect(retries).toEqual([1000, 2000]);
    expect(calls.map((c) => c.body.idempotencyKey)).toEqual(['same-key', 'same-key', 'same-key']);
    expect(calls[0].url).toBe('/api/codes/ABC234/ratings');
    // The receipt kept on the phone: no case (a 好评 or a 差评's answer without one), when, the level.
    expect(onOk).toHaveBeenCalledWith({ score: 2, at: expect.any(Number) });
    expect(loadReceipt(s, 'ABC234')).toMatchObject({ score: 2 });
    expect(loadPending(s, 'ABC234')).toBeNull();
  });

  it('gives up on an attempt that hangs after 15 s and tries again', async () => {
    const s = memoryStore();
    const p = pending();
    savePending(s, p);
    const { fetch, calls } = scriptedFetch(['hang', [201, { id: 'r1', followUp: null }]]);
    const onOk = vi.fn();
    startSending(s, p, { fetch }, { onOk });
    await vi.advanceTimersByTimeAsync(14999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1 + 1000);
    expect(calls).toHaveLength(2);
    expect(onOk).toHaveBeenCalled();
  });

  it('a captive-portal page is not success: the copy is kept and resent', async () => {
    const s = memoryStore();
    const p = pending();
    savePending(s, p);
    const { fetch, calls } = scriptedFetch(['html', [200, { id: 'r1', followUp: null }]]);
    startSending(s, p, { fetch });
    await vi.advanceTimersByTimeAsync(0);
    expect(loadPending(s, p.code)).not.toBeNull();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    expect(loadPending(s, p.code)).toBeNull();
  });

  it('a final refusal (429) drops the copy, reports the message and stops', async () => {
    const s = memoryStore();
    const p = pending();
    savePending(s, p);
    const { fetch, calls } = scriptedFetch([[429, { error: 'TooManyRequests', message: '评价过于频繁' }]]);
    const onFinal = vi.fn();
    const sender = startSending(s, p, { fetch }, { onFinal });
    await vi.advanceTimersByTimeAsync(60000);
    sender.now();
    await vi.advanceTimersByTimeAsync(60000);
    expect(calls).toHaveLength(1);
    expect(onFinal).toHaveBeenCalledWith(429, '评价过于频繁');
    expect(loadPending(s, p.code)).toBeNull();
  });

  it('now() (back online) retries at once instead of waiting out the backoff', async () => {
    const s = memoryStore();
    const p = pending();
    const { fetch, calls } = scriptedFetch(['offline', 'offline', 'offline', 'offline', [201, { id: 1, followUp: null }]]);
    const onOk = vi.fn();
    const sender = startSending(s, p, { fetch }, { onOk });
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000);
    expect(calls).toHaveLength(4);
    sender.now();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(5);
    expect(onOk).toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60000);
    expect(calls).toHaveLength(5);
  });

  it('now() while a request is in flight does not send a second one', async () => {
    const s = memoryStore();
    const { fetch, calls } = scriptedFetch(['hang']);
    const sender = startSending(s, pending(), { fetch });
    sender.now();
    sender.now();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
  });

  it('stop() ends the retries but keeps the copy for the next visit', async () => {
    const s = memoryStore();
    const p = pending();
    savePending(s, p);
    const { fetch, calls } = scriptedFetch(['offline']);
    const sender = startSending(s, p, { fetch });
    await vi.advanceTimersByTimeAsync(0);
    sender.stop();
    await vi.advanceTimersByTimeAsync(60000);
    expect(calls).toHaveLength(1);
    expect(loadPending(s, p.code)).not.toBeNull();
  });

  it('a reopened page resumes the stored copy with its original key (server stores it once)', async () => {
    const s = memoryStore();
    savePending(s, pending('ABC234', 'first-key'));
    // …the phone lost signal, the page was closed; later the citizen scans the code again:
    const resumed = loadPending(s, 'ABC234');
    expect(resumed).not.toBeNull();
    const { fetch, calls } = scriptedFetch([[200, { id: 'r1', followUp: { caseNo: 'CP1', dueDate: '2026-12-14' } }]]);
    const onOk = vi.fn();
    startSending(s, resumed as Pending, { fetch }, { onOk });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls[0].body.idempotencyKey).toBe('first-key');
    expect(onOk).toHaveBeenCalledWith({ caseNo: 'CP1', dueDate: '2026-12-14', anonymous: true, score: 2, at: expect.any(Number) });
  });

  it('a 办件 link rating (key e/{token}) goes to its link route, kept apart from the window codes', async () => {
    const s = memoryStore();
    const link = pending('e/Tok_en-123', 'link-key');
    savePending(s, pending('ABC234', 'code-key'));
    savePending(s, link);
    expect(Object.keys(loadAllPending(s)).sort()).toEqual(['ABC234', 'e/Tok_en-123']);
    const { fetch, calls } = scriptedFetch(['offline', [201, { id: 5, assessNumber: 2, followUp: null }]]);
    const onOk = vi.fn();
    startSending(s, link, { fetch }, { onOk });
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.map((c) => [c.url, c.body.idempotencyKey])).toEqual([
      ['/api/e/Tok_en-123/ratings', 'link-key'],
      ['/api/e/Tok_en-123/ratings', 'link-key'],
    ]);
    expect(onOk).toHaveBeenCalledWith({ score: 2, at: expect.any(Number), assess: 2 });
    expect(Object.keys(loadAllPending(s))).toEqual(['ABC234']);
  });

  it('does not delete a newer rating saved for the same code meanwhile', async () => {
    const s = memoryStore();
    const old = pending('A', 'old');
    const { fetch } = scriptedFetch([[201, { id: 'r1', followUp: null }]]);
    savePending(s, pending('A', 'new'));
    startSending(s, old, { fetch });
    await vi.advanceTimersByTimeAsync(0);
    expect(loadPending(s, 'A')?.body.idempotencyKey).toBe('new');
  });
});

describe('the receipt kept on the phone', () => {
  const caseOf = { caseNo: 'CP20261123-0007', dueDate: '2026-12-14', contactDueDate: '2026-11-24', statusUrl: '/s/t', promise: '…' };

  it("keeps a 差评's case by code, real-name or anonymous, and survives an unreadable store", () => {
    const s = memoryStore();
    const named = pending('ABC234', 'k1', 1);
    named.body.phone = '13812345678';
    saveReceipt(s, named, { id: 1, followUp: caseOf }, 1000);
    saveReceipt(s, pending('e/tok', 'k2', 2), { id: 2, followUp: caseOf, assessNumber: 1 }, 1000);
    expect(loadReceipt(s, 'ABC234')).toEqual({ ...caseOf, anonymous: false, score: 1, at: 1000 });
    expect(loadReceipt(s, 'e/tok')).toEqual({ ...caseOf, anonymous: true, score: 2, at: 1000, assess: 1 });
    expect(loadReceipt(s, 'OTHER1')).toBeNull();
    s.data.set('mspy:done', '{not json');
    expect(loadReceipt(s, 'ABC234')).toBeNull();
  });

  it('a later rating without a case keeps the case before it (差评必查 goes on); entries older than 60 days go', () => {
    const s = memoryStore();
    saveReceipt(s, pending('ABC234', 'k1', 2), { id: 1, followUp: caseOf }, 1000);
    saveReceipt(s, pending('OLD001', 'k2', 5), { id: 2, followUp: null }, 1000);
    const later = 1000 + 61 * 86_400_000;
    saveReceipt(s, pending('ABC234', 'k3', 5), { id: 3, followUp: null }, later);
    expect(loadReceipt(s, 'ABC234')).toMatchObject({ caseNo: caseOf.caseNo, score: 5, at: later });
    expect(loadReceipt(s, 'OLD001')).toBeNull();
  });
});
