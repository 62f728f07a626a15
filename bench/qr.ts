// Part 3 — QR: the print sheet of all 308 posters of the county (cold, then warm), and the PNG of a
// code, first request (cold) and repeated (cached), through app.inject on the production app.
import { join } from 'node:path';
import { listOrgUnits } from '../db/queries/org.js';
import { makeBenchApp, nextTurn, tempDir } from './lib/fixture.js';
import { percentile, type Row, row } from './lib/results.js';

export interface QrOptions {
  log: (msg: string) => void;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const out = await fn();
  const ms = performance.now() - t0;
  await nextTurn();
  return [ms, out];
}

export async function runQr(opts: QrOptions): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  const rows: Row[] = [];
  const tmp = tempDir('qr');
  const t = await makeBenchApp({ dbFile: join(tmp.dir, 'app.db'), logger: 'production', logFile: join(tmp.dir, 'server.log') });
  try {
    const county = (await listOrgUnits(t.db)).find((u) => u.kind === 'county')!;
    const url = `/api/org-units/${county.id}/posters`;
    const sheet = () => t.app.inject({ method: 'GET', url, headers: t.auth });
    const [coldMs, first] = await timed(sheet);
    if (first.statusCode !== 200) throw new Error(`${url} answered ${first.statusCode}: ${first.body.slice(0, 200)}`);
    const posters = (first.body.match(/<svg/g) ?? []).length;
    const warm: number[] = [];
    for (let i = 0; i < 20; i++) warm.push((await timed(sheet))[0]);
    warm.sort((a, b) => a - b);
    opts.log(`qr: poster sheet of ${posters} codes: cold ${coldMs.toFixed(0)} ms, warm p50 ${percentile(warm, 50).toFixed(0)} ms`);
    const name = `GET /api/org-units/{county}/posters (${posters} posters, ${Math.round(first.rawPayload.length / 1024)} KB)`;
    rows.push(row('qr', name, 'cold (first)', Math.round(coldMs), 'ms'));
    rows.push(row('qr', name, 'warm p50', round(percentile(warm, 50)), 'ms'));
    rows.push(row('qr', name, 'warm p95', round(percentile(warm, 95)), 'ms', { op: '<=', limit: 300 }));

    // The route allows 150 PNGs of 600 px a minute per address: 60 cold + 80 cached stay under it.
    // Cold images are drawn by the worker thread (started by the first one).
    const codes = t.codes.slice(0, 60).map((c) => c.id);
    const png = (code: string) => t.app.inject({ method: 'GET', url: `/api/codes/${code}/qr.png` });
    const cold: number[] = [];
    let bytes = 0;
    for (const code of codes) {
      const [ms, res] = await timed(() => png(code));
      if (res.statusCode !== 200) throw new Error(`qr.png answered ${res.statusCode}`);
      bytes = res.rawPayload.length;
      cold.push(ms);
    }
    const cached: number[] = [];
    for (let i = 0; i < 80; i++) cached.push((await timed(() => png(codes[i % codes.length]!)))[0]);
    cold.sort((a, b) => a - b);
    cached.sort((a, b) => a - b);
    const pngName = `GET /api/codes/{code}/qr.png (600 px, ${Math.round(bytes / 1024)} KB)`;
    rows.push(row('qr', pngName, 'cold p50', round(percentile(cold, 50)), 'ms'));
    rows.push(row('qr', pngName, 'cold p95', round(percentile(cold, 95)), 'ms'));
    rows.push(row('qr', pngName, 'cached p50', round(percentile(cached, 50)), 'ms'));
    rows.push(row('qr', pngName, 'cached p95', round(percentile(cached, 95)), 'ms'));
    opts.log(`qr: png cold p50 ${percentile(cold, 50).toFixed(1)} ms, cached p50 ${percentile(cached, 50).toFixed(2)} ms`);
    return {
      rows,
      raw: {
        posters,
        sheetBytes: first.rawPayload.length,
        coldSheetMs: coldMs,
        warmSheetMs: warm,
        pngColdMs: cold,
        pngCachedMs: cached,
        pngBytes: bytes,
      },
    };
  } finally {
    await t.close();
    tmp.remove();
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
