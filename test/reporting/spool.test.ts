// The report spool (server/modules/reporting/spool.ts): the bodies of the batch in flight, kept in a
// file beside the SQLite database so that a restart resends them unchanged. Real files in a temp dir.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSpool } from '../../server/modules/reporting/spool.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const fresh = () => {
  dir = mkdtempSync(join(tmpdir(), 'msp-spool-'));
  return join(dir, 'app.db-report-spool');
};
const rec = (outboxId: number, body: object, stored = false) => ({
  outboxId,
  ratingId: outboxId + 100,
  createdAt: 1_790_000_000_000 + outboxId,
  body: JSON.stringify(body),
  stored,
});

describe('the report spool', () => {
  it('a restarted process takes the bodies of the batch that was in flight, once each, exactly as written', () => {
    const file = fresh();
    const before = createSpool(file);
    before.write([rec(1, { recordId: 'rating-101', deptName: '县民政局' }), rec(2, { recordId: 'rating-102' }), rec(3, { x: 1 }, true)]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const after = createSpool(file);
    expect(after.take({ outboxId: 1, ratingId: 101, createdAt: 1_790_000_000_001 })).toBe(
      JSON.stringify({ recordId: 'rating-101', deptName: '县民政局' }),
    );
    // Once: the next look composes it again (it was written to the outbox meanwhile, or will be).
    expect(after.take({ outboxId: 1, ratingId: 101, createdAt: 1_790_000_000_001 })).toBeNull();
    // A body the outbox already held is not spooled.
    expect(after.take({ outboxId: 3, ratingId: 103, createdAt: 1_790_000_000_003 })).toBeNull();
    expect(after.take({ outboxId: 2, ratingId: 102, createdAt: 1_790_000_000_002 })).toBe(JSON.stringify({ recordId: 'rating-102' }));
  });

  it('a reused outbox id (a database made anew) does not match, nor does a line cut short', () => {
    const file = fresh();
    createSpool(file).write([rec(1, { recordId: 'rating-101' }), rec(2, { recordId: 'rating-102' })]);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, text.length - 5));
    const after = createSpool(file);
    expect(after.take({ outboxId: 1, ratingId: 101, createdAt: 999 })).toBeNull();
    expect(after.take({ outboxId: 2, ratingId: 102, createdAt: 1_790_000_000_002 })).toBeNull();
    expect(after.take({ outboxId: 1, ratingId: 101, createdAt: 1_790_000_000_001 })).toBe(JSON.stringify({ recordId: 'rating-101' }));
  });

  it('in the same process, a batch whose outcome was not written is taken as sent; a later batch replaces it', () => {
    const file = fresh();
    const spool = createSpool(file);
    spool.write([rec(1, { v: 'first' })]);
    expect(spool.take({ outboxId: 1, ratingId: 101, createdAt: 1_790_000_000_001 })).toBe(JSON.stringify({ v: 'first' }));
    spool.write([rec(2, { v: 'second' })]);
    expect(createSpool(file).take({ outboxId: 1, ratingId: 101, createdAt: 1_790_000_000_001 })).toBeNull();
    expect(createSpool(null).take({ outboxId: 2, ratingId: 102, createdAt: 1_790_000_000_002 })).toBeNull();
  });
});
