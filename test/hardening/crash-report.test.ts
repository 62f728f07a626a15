// Issue #13 (upward reporting): kill -9 of the server in the middle of a delivery loses nothing and
// reports nothing that was not stored. A real server process rates under load while its delivery job
// posts to a real local receiver; the server is killed while a POST is in flight (the receiver holds
// it unanswered). After the restart every reportable stored rating reaches the receiver, each record
// exactly as first sent, and no record carries a phone number.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type ReportReceiver, startReportReceiver } from '../helpers/report-receiver.js';
import { startServerProcess, useServerProcesses } from '../helpers/server-process.js';

const { tempDir } = useServerProcesses();
const SECRET = 'crash-test-report-secret-0123456789';
let receiver: ReportReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('crash safety of upward reporting: kill -9 during a delivery', () => {
  it('loses no record, sends none that was not stored, and the resent records are unchanged', async () => {
    receiver = await startReportReceiver({ key: SECRET, appId: 'crash-county' });
    const r = receiver;
    const dir = tempDir('mspy-crash-report-');
    const dbFile = join(dir, 'app.db');
    const env = {
      DB_FILE: dbFile,
      TRUST_PROXY: '127.0.0.1',
      REPORT_URL: r.url,
      REPORT_APP_ID: 'crash-county',
      REPORT_SECRET: SECRET,
      REPORT_BATCH_SIZE: '50',
      REPORT_TIMEOUT_MS: '30000',
    };
    const server = await startServerProcess(env);
    const setup = new Database(dbFile, { readonly: true });
    const codes = (setup.prepare('SELECT id FROM codes WHERE active = 1').all() as { id: string }[]).map((c) => c.id);
    setup.close();

    const acknowledged = new Set<number>();
    let stop = false;
    let n = 0;
    async function citizen(): Promise<void> {
      while (!stop) {
        const i = n++;
        const bad = i % 7 === 0;
        try {
          const res = await fetch(`${server.url}/api/codes/${codes[i % codes.length]}/ratings`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.1.${i % 250}.${(i >> 8) % 250}` },
            body: JSON.stringify({
              score: bad ? 2 : 4,
              tags: bad ? ['服务态度差'] : ['办事高效'],
              comment: i % 3 === 0 ? `请回电 138 0013 ${String(8000 + (i % 1000)).padStart(4, '0')}` : undefined,
              clientId: `crashreport${i}`,
              idempotencyKey: `crashreportkey${i}`,
            }),
          });
          if (res.status === 201 || res.status === 200) acknowledged.add(((await res.json()) as { id: number }).id);
        } catch {
          // the connection died with the server: not acknowledged
        }
      }
    }
    const citizens = Array.from({ length: 8 }, () => citizen());
    try {
      // Deliveries go through while the load runs (the job runs every 2 s) …
      await r.waitFor('a first acknowledged batch', () => r.batches.some((b) => b.status === 200), 20_000);
      // … then the receiver stops answering, and the server is killed while a POST is in flight.
      r.mode = 'hang';
      const before = r.batches.length;
      await r.waitFor('a POST left unanswered', () => r.batches.slice(before).some((b) => b.status === 0), 20_000);
      server.kill('SIGKILL');
      await server.exited;
    } finally {
      stop = true;
      await Promise.all(citizens);
    }
    expect(acknowledged.size).toBeGreaterThan(20);

    // What the file holds: every acknowledged rating, each with exactly one outbox row.
    const db = new Database(dbFile, { readonly: true });
    const stored = new Set((db.prepare('SELECT id FROM ratings').all() as { id: number }[]).map((x) => x.id));
    for (const id of acknowledged) expect(stored.has(id), `rating ${id}`).toBe(true);
    const unqueued = db
      .prepare(
        `SELECT count(*) AS n FROM ratings r WHERE NOT EXISTS (SELECT 1 FROM report_outbox o WHERE o.kind = 'rating' AND o.rating_id = r.id)`,
      )
      .get() as { n: number };
    expect(unqueued.n).toBe(0);
    const twice = db
      .prepare(
        `SELECT count(*) AS n FROM (SELECT rating_id FROM report_outbox WHERE kind = 'rating' GROUP BY rating_id HAVING count(*) > 1)`,
      )
      .get() as {
      n: number;
    };
    expect(twice.n).toBe(0);
    // Reportable: neither held nor excluded, and the department and its unit carry their codes (the demo
    // county leaves two departments without a credit code: theirs wait, with the reason).
    const reportable = (
      db
        .prepare(
          `SELECT r.id FROM ratings r JOIN departments d ON d.id = r.department_id JOIN org_units u ON u.id = d.org_unit_id
           WHERE r.held = 0 AND r.excluded = 0 AND d.credit_code IS NOT NULL AND u.area_code IS NOT NULL`,
        )
        .all() as { id: number }[]
    ).map((x) => `rating-${x.id}`);
    db.close();
    expect(reportable.length).toBeGreaterThan(20);
    // Everything that reached the receiver was stored.
    for (const b of r.batches) for (const rec of b.records) expect(stored.has(rec.ratingId as number), String(rec.recordId)).toBe(true);

    // While the server is down, every department is renamed: a record composed again would differ from
    // the one in flight (its deptName); the batch that was in flight must be resent as it was sent.
    const inFlight = r.batches.filter((b) => b.status === 0).flatMap((b) => b.records.map((x) => String(x.recordId)));
    expect(inFlight.length).toBeGreaterThan(0);
    const rename = new Database(dbFile);
    rename.prepare(`UPDATE departments SET name = name || '（已更名）'`).run();
    rename.close();

    // The restart delivers the rest, the batch that was in flight included.
    r.mode = 'ok';
    const again = await startServerProcess(env);
    try {
      await r.waitFor(
        `all ${reportable.length} reportable ratings acknowledged`,
        () => {
          const got = r.acknowledged();
          return reportable.every((id) => got.has(id));
        },
        60_000,
      );
    } finally {
      again.kill('SIGTERM');
      await again.exited;
    }
    expect(r.badSignatures).toBe(0);
    expect(r.changed).toEqual([]);
    for (const id of inFlight) expect(String(r.acknowledged().get(id)?.deptName ?? '')).not.toContain('已更名');
    expect(r.phoneLeaks).toEqual([]);
    const waitingReasons = new Database(dbFile, { readonly: true });
    const reasons = waitingReasons.prepare(`SELECT DISTINCT reason FROM report_outbox WHERE state = 'waiting'`).all() as {
      reason: string;
    }[];
    waitingReasons.close();
    for (const x of reasons) expect(x.reason).toMatch(/统一社会信用代码|待审核/);
  }, 120_000);
});
