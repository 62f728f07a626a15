// A minimal provincial receiver for the `report` bench, in its own process (it never shares the
// server's event loop): POST /report, Content-Type and timestamp (±5 min) checked, X-Report-Signature
// verified over the raw body as a province does (signing.ts verifySignature), the batch parsed, 200
// {"code":0}. It keeps per recordId a 32-bit hash of the record as received, so the bench can ask how
// many distinct records were acknowledged, whether one came twice and whether one came back changed —
// for 1 M records in ~100 MB, where test/helpers/report-receiver.ts keeps every batch whole.
// Receives { key, appId, method } over IPC, answers { url } once listening; then 'stats' and 'reset'.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SignatureMethod, verifySignature } from '../../server/modules/reporting/signing.js';
import type { ReceiverStats } from './report-receiver.js';

const MAX_SKEW_MS = 5 * 60_000;

/** FNV-1a over the UTF-16 code units: cheap, and two different records colliding is ~2⁻³². */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function start(opts: { key: string; appId: string; method: SignatureMethod }) {
  const seen = new Map<string, number>();
  const fresh = () => ({ posts: 0, records: 0, duplicates: 0, changed: 0, refused: 0, bytes: 0, handleMs: 0, maxRecords: 0 });
  let s = fresh();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const t0 = performance.now();
      const raw = Buffer.concat(chunks);
      const answer = (status: number, body: object) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
        res.end(text);
        s.handleMs += performance.now() - t0;
      };
      s.posts++;
      s.bytes += raw.length;
      const timestamp = String(req.headers['x-report-timestamp'] ?? '');
      const signature = String(req.headers['x-report-signature'] ?? '');
      const typeOk = String(req.headers['content-type'] ?? '').startsWith('application/json');
      if (
        req.method !== 'POST' ||
        req.url !== '/report' ||
        !typeOk ||
        !/^[0-9]{1,16}$/.test(timestamp) ||
        Math.abs(Date.now() - Number(timestamp)) > MAX_SKEW_MS ||
        !verifySignature(opts.method, opts.key, timestamp, raw, signature)
      ) {
        s.refused++;
        return answer(401, { code: 401, error: 'BadSignature' });
      }
      let batch: { appId?: unknown; records?: unknown };
      try {
        batch = JSON.parse(raw.toString('utf8'));
      } catch {
        s.refused++;
        return answer(400, { code: 400, error: 'MalformedJson' });
      }
      const records = batch.records;
      if (batch.appId !== opts.appId || !Array.isArray(records)) {
        s.refused++;
        return answer(400, { code: 400, error: 'MalformedBatch' });
      }
      for (const r of records as Array<{ recordId?: unknown }>) {
        const h = hash(JSON.stringify(r));
        const id = String(r.recordId);
        const before = seen.get(id);
        if (before === undefined) seen.set(id, h);
        else {
          s.duplicates++;
          if (before !== h) s.changed++;
        }
      }
      s.records += records.length;
      s.maxRecords = Math.max(s.maxRecords, records.length);
      answer(200, { code: 0 });
    });
  });

  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.send!({ url: `http://127.0.0.1:${port}/report` });
  });

  process.on('message', (m: { op: 'stats' | 'reset' }) => {
    if (m.op === 'reset') {
      seen.clear();
      s = fresh();
    }
    const cpu = process.cpuUsage();
    const stats: ReceiverStats = { ...s, distinct: seen.size, cpuS: (cpu.user + cpu.system) / 1e6 };
    process.send!(stats);
  });
}

process.once('message', start);
