// A REAL provincial receiver for the upward-report tests (docs/api.md Upward reporting): a node:http
// server on 127.0.0.1 that checks every POST the way a province does — Content-Type, the timestamp
// within 5 minutes of its clock, X-Report-Signature over the exact raw body bytes — and keeps what it
// got, so a test can ask what was acknowledged, whether a recordId ever came back changed and whether a
// phone number ever left the server. It can answer 500, hang, go away and come back on the same port.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createSigner, type SignatureMethod, verifySignature } from '../../server/modules/reporting/signing.js';

export interface ReceivedBatch {
  /** Receiver's clock when the body had arrived. */
  at: number;
  /** The X-Report-Timestamp and X-Report-Signature headers as received ('' when missing). */
  timestamp: string;
  signature: string;
  /** Content-Type, timestamp window and signature all good. */
  signatureOk: boolean;
  appId: unknown;
  records: Array<Record<string, unknown>>;
  /** What it answered; 0 while a 'hang' leaves it unanswered. */
  status: number;
}

export interface ReportReceiver {
  readonly url: string;
  /** How it answers the next POSTs: 'ok' → 200 {"code":0}, 'fail' → 500, 'hang' → reads the body, never answers. */
  mode: 'ok' | 'fail' | 'hang';
  /** A province refusing a record it finds wrong: a batch holding a record this matches is answered 422. */
  refuse: ((record: Record<string, unknown>) => boolean) | null;
  readonly batches: ReceivedBatch[];
  /** Records of the batches answered 2xx, de-duplicated by recordId (the first arrival of each). */
  acknowledged(): Map<string, Record<string, unknown>>;
  readonly changed: string[];
  readonly badSignatures: number;
  readonly phoneLeaks: string[];
  /** Goes away: stops listening and destroys open connections (a delivery in flight sees a reset). */
  stop(): Promise<void>;
  /** Comes back on the SAME port. */
  start(): Promise<void>;
  /** Resolves when `pred()` is true (polls every 20 ms), rejects after `timeoutMs` naming what it waited for. */
  waitFor(what: string, pred: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const PATH = '/report';
const MAX_SKEW_MS = 5 * 60_000;

// A mainland mobile the way it may slip through: 1, 3–9, nine more digits (ASCII or full width), up to
// three spaces, dashes or dots between any two of them, not part of a longer run of digits.
const DIGIT = '[0-9\\uFF10-\\uFF19]';
const GAP = '[\\s\\-\\u2010-\\u2015\\u2212\\uFF0D.\\uFF0E\\u00B7]{0,3}';
const PHONE = new RegExp(`(?<![0-9\\uFF10-\\uFF19])[1\\uFF11]${GAP}[3-9\\uFF13-\\uFF19](?:${GAP}${DIGIT}){9}(?![0-9\\uFF10-\\uFF19])`);

/** True when a string or number anywhere inside `value` looks like a mobile number. */
function holdsPhone(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return PHONE.test(String(value));
  if (Array.isArray(value)) return value.some(holdsPhone);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsPhone);
  return false;
}

/** JSON with object keys sorted: the same record sent with its keys in another order is the same record. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name];
  return typeof v === 'string' ? v : '';
}

/** Why the request is not authentic, or null when it is. */
function authProblem(req: IncomingMessage, raw: Buffer, method: SignatureMethod, key: string, now: number): string | null {
  const [mediaType, ...params] = header(req, 'content-type').split(';');
  if (mediaType!.trim().toLowerCase() !== 'application/json') return 'Content-Type must be application/json';
  const charset = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='));
  if (charset !== undefined && charset !== 'charset=utf-8') return 'the body must be UTF-8';
  const timestamp = header(req, 'x-report-timestamp');
  if (!/^[0-9]{1,16}$/.test(timestamp)) return 'X-Report-Timestamp must be ms since epoch';
  if (Math.abs(now - Number(timestamp)) > MAX_SKEW_MS) return 'X-Report-Timestamp is more than 5 minutes off';
  if (!verifySignature(method, key, timestamp, raw, header(req, 'x-report-signature'))) return 'X-Report-Signature does not verify';
  return null;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The body as `{ appId, records: [{ recordId: string, … }] }`, or why not. */
function parseBatch(raw: Buffer): { appId: unknown; records: Array<Record<string, unknown>> } | { problem: string } {
  let body: unknown;
  try {
    body = JSON.parse(STRICT_UTF8.decode(raw));
  } catch {
    return { problem: 'MalformedJson' };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { problem: 'MalformedBatch' };
  const { appId, records } = body as { appId?: unknown; records?: unknown };
  if (!Array.isArray(records)) return { problem: 'MalformedBatch' };
  for (const r of records) {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) return { problem: 'MalformedBatch' };
    const id = (r as { recordId?: unknown }).recordId;
    if (typeof id !== 'string' || id === '') return { problem: 'MalformedBatch' };
  }
  return { appId, records: records as Array<Record<string, unknown>> };
}

function answer(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Starts a receiver on 127.0.0.1 (a free port). `key` is the shared secret (HMAC methods) or the SM2 public
 * key; `appId`, when given, must match the body's (else 400); `now` is its clock for the 5-minute
 * timestamp window (default Date.now — give the app's clock when the sender runs on a manual one).
 * Answers, in this order: not POST /report → 404; bad Content-Type, timestamp or signature → 401
 * (counted in badSignatures); not UTF-8 JSON → 400; not `{ appId, records: [{ recordId }…] }` or another
 * appId → 400; then as `mode` says. Every POST /report is kept in `batches`, whatever it was answered.
 */
export async function startReportReceiver(opts: {
  method?: SignatureMethod;
  key: string;
  appId?: string;
  now?: () => number;
}): Promise<ReportReceiver> {
  const method = opts.method ?? 'hmac-sha256';
  const now = opts.now ?? Date.now;
  const batches: ReceivedBatch[] = [];
  const changed: string[] = [];
  const phoneLeaks: string[] = [];
  /** recordId → canonical JSON of its first authentic arrival. */
  const firstSeen = new Map<string, string>();
  let badSignatures = 0;
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://receiver').pathname !== PATH) {
      req.resume();
      answer(res, 404, { code: 404, message: 'not found' });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const at = now();
      const problem = authProblem(req, raw, method, opts.key, at);
      const parsed = parseBatch(raw);
      const batch: ReceivedBatch = {
        at,
        timestamp: header(req, 'x-report-timestamp'),
        signature: header(req, 'x-report-signature'),
        signatureOk: problem === null,
        appId: 'problem' in parsed ? undefined : parsed.appId,
        records: 'problem' in parsed ? [] : parsed.records,
        status: 0,
      };
      batches.push(batch);
      // Whatever it is answered, a record that reached the receiver has left the server.
      for (const record of batch.records) {
        const id = record.recordId as string;
        if (holdsPhone(record) && !phoneLeaks.includes(id)) phoneLeaks.push(id);
        if (!batch.signatureOk) continue;
        const text = canonical(record);
        const first = firstSeen.get(id);
        if (first === undefined) firstSeen.set(id, text);
        else if (first !== text && !changed.includes(id)) changed.push(id);
      }

      if (problem !== null) {
        badSignatures++;
        batch.status = 401;
        answer(res, 401, { code: 401, error: 'BadSignature', message: problem });
      } else if ('problem' in parsed) {
        batch.status = 400;
        answer(res, 400, { code: 400, error: parsed.problem, message: 'the body is not a report batch' });
      } else if (opts.appId !== undefined && parsed.appId !== opts.appId) {
        batch.status = 400;
        answer(res, 400, { code: 400, error: 'UnknownAppId', message: `appId must be ${opts.appId}` });
      } else if (receiver.mode !== 'hang' && receiver.refuse && parsed.records.some(receiver.refuse)) {
        batch.status = 422;
        answer(res, 422, { code: 422, error: 'RecordRefused', message: 'a record of the batch is refused' });
      } else if (receiver.mode === 'fail') {
        batch.status = 500;
        answer(res, 500, { code: 500, message: 'receiver failing (test mode)' });
      } else if (receiver.mode === 'ok') {
        batch.status = 200;
        answer(res, 200, { code: 0 });
      }
      // 'hang': the body is read, no answer ever comes (until stop() resets the connection).
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });

  await listen(0);
  const port = (server.address() as AddressInfo).port;
  let closed = false;

  const receiver: ReportReceiver = {
    url: `http://127.0.0.1:${port}${PATH}`,
    mode: 'ok',
    refuse: null,
    batches,
    changed,
    phoneLeaks,
    get badSignatures() {
      return badSignatures;
    },
    acknowledged() {
      const acked = new Map<string, Record<string, unknown>>();
      for (const b of batches) {
        if (b.status < 200 || b.status > 299) continue;
        for (const r of b.records) if (!acked.has(r.recordId as string)) acked.set(r.recordId as string, r);
      }
      return acked;
    },
    stop,
    async start() {
      if (closed) throw new Error('report receiver was closed');
      if (!server.listening) await listen(port);
    },
    async waitFor(what, pred, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pred()) {
        if (Date.now() > deadline) {
          const acked = receiver.acknowledged().size;
          throw new Error(
            `report receiver: timed out after ${timeoutMs} ms waiting for ${what} ` +
              `(${batches.length} POSTs received, ${acked} records acknowledged, ${badSignatures} bad signatures, mode ${receiver.mode})`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      closed = true;
      await stop();
    },
  };
  return receiver;
}

/**
 * POSTs `body` (an object is sent as its JSON) to `url` signed as the server signs a batch, stamped now.
 * `init` bends it the ways a test needs: another timestamp, extra or replaced headers (lower-case names:
 * `x-report-signature`, `content-type`…), an AbortSignal (a client-side timeout against a hanging receiver).
 */
export function signedPost(
  url: string,
  method: SignatureMethod,
  secret: string,
  body: string | object,
  init: { timestamp?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const timestamp = init.timestamp ?? String(Date.now());
  return fetch(url, {
    method: 'POST',
    body: text,
    signal: init.signal,
    headers: {
      'content-type': 'application/json',
      'x-report-timestamp': timestamp,
      'x-report-signature': createSigner(method, secret).sign(timestamp, text),
      ...init.headers,
    },
  });
}
