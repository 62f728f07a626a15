// 评价器 (kiosk): provisioning within scope, the tablet's credential and its revocation, the live feed of
// 办件 finished at its window (read from the database, one statement for every tablet), and its
// ratings, bound to the 办件 with channel kiosk.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { firstRow, rows, sqliteOf } from '../../db/client.js';
import { countStatements, countWrites } from '../../db/statement-count.js';
import { silentLogger } from '../../server/lib/logger.js';
import { createKioskFeed, type KioskEvent } from '../../server/modules/kiosks/kiosk-feed.js';
import { bearerFor, driverUnderTest, makeTestApp, T0, writeSql } from '../helpers/app.js';
import { makeWorld, useTestWorld, useTwoInstances } from '../helpers/factories.js';
import { makeMatter } from '../helpers/matters.js';

const { t, w } = useTestWorld();
type User = { id: number; role: string };
let n = 0;
const key = () => `kiosk-key-${String(++n).padStart(6, '0')}`;

const provisionAs = (user: User, code: string) =>
  t.app.inject({ method: 'POST', url: `/api/codes/${code}/kiosk`, headers: bearerFor(t.app, user) });

async function provision(code = w.codeA.id): Promise<{ id: number; url: string; token: string }> {
  const res = await provisionAs(w.admin, code);
  expect(res.statusCode).toBe(201);
  const body = res.json();
  return { id: body.id, url: body.url, token: body.url.split('/k/')[1] };
}

const revoke = (id: number, user: User = w.admin) =>
  t.app.inject({ method: 'DELETE', url: `/api/kiosks/${id}`, headers: bearerFor(t.app, user) });

const rateAt = (token: string, body: object) =>
  t.app.inject({ method: 'POST', url: `/api/k/${token}/ratings`, payload: body, remoteAddress: '10.8.8.8' });

interface StreamEvent {
  event: string;
  data: unknown;
}

/** A tablet's stream, read by a real HTTP client from the listening server. */
async function openStream(base: string, token: string) {
  const ctrl = new AbortController();
  const res = await fetch(`${base}/api/k/${token}/events`, { signal: ctrl.signal });
  const events: StreamEvent[] = [];
  let ended = false;
  let wake: () => void = () => undefined;
  if (res.status === 200) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let cut = buffer.indexOf('\n\n');
          while (cut >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const name = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (name && data !== undefined) events.push({ event: name, data: JSON.parse(data) });
            wake();
            cut = buffer.indexOf('\n\n');
          }
        }
      } catch {
        /* aborted */
      }
      ended = true;
      wake();
    })();
  }
  return {
    res,
    events,
    get ended() {
      return ended;
    },
    /** The first event of this name not taken yet; waits for it (no timed assertion: the test's timeout bounds it). */
    async next(name: string): Promise<StreamEvent> {
      for (;;) {
        const i = events.findIndex((e) => e.event === name);
        if (i >= 0) return events.splice(i, 1)[0]!;
        if (ended) throw new Error(`stream ended before a ${name} event`);
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    async untilEnded(): Promise<void> {
      while (!ended) await new Promise<void>((resolve) => (wake = resolve));
    },
    close: () => ctrl.abort(),
  };
}

const listen = () => t.app.listen({ port: 0, host: '127.0.0.1' });

describe('评价器 provisioning: POST /api/codes/{code}/kiosk, GET /api/codes/{code}/kiosks, DELETE /api/kiosks/{id}', () => {
  it('an admin of the code’s scope gets the tablet’s address once; only its SHA-256 is stored; audited', async () => {
    const res = await provisionAs(w.admin, w.codeA.id);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      id: expect.any(Number),
      code: w.codeA.id,
      revokedAt: null,
      lastSeenAt: null,
      createdByName: w.admin.displayName,
    });
    expect(body.url).toMatch(/^http:\/\/test\.local\/k\/[A-Za-z0-9_-]{32}$/);
    expect(body.qrSvg).toMatch(/^<svg /);
    const token = body.url.split('/k/')[1] as string;
    // 24 random bytes: 192 bits (≥ 128).
    expect(Buffer.from(token, 'base64url').length).toBe(24);
    const stored = await firstRow<{ token_hash: string; code_id: string }>(
      t.db,
      sql`SELECT token_hash, code_id FROM kiosks WHERE id = ${body.id}`,
    );
    expect(stored).toEqual({ token_hash: createHash('sha256').update(token).digest('hex'), code_id: w.codeA.id });
    expect(JSON.stringify(await rows(t.db, sql`SELECT * FROM kiosks`))).not.toContain(token);
    const audit = await rows<{ action: string; target_id: string }>(
      t.db,
      sql`SELECT action, target_id FROM audit_log WHERE target_type = 'kiosk'`,
    );
    expect(audit).toEqual([{ action: 'kiosk.create', target_id: String(body.id) }]);

    const list = await t.app.inject({ url: `/api/codes/${w.codeA.id}/kiosks`, headers: bearerFor(t.app, w.admin) });
    expect(list.statusCode).toBe(200);
    expect(list.json().kiosks).toEqual([
      {
        id: body.id,
        code: w.codeA.id,
        createdAt: T0,
        createdByName: w.admin.displayName,
        lastSeenAt: null,
        revokedAt: null,
        online: false,
      },
    ]);
    expect(list.body).not.toContain(token);
  });

  it('outside the admin’s scope 404; other roles 403; no login 401; a disabled code 409', async () => {
    expect((await provisionAs(w.admin, w.codeC.id)).statusCode).toBe(404);
    expect((await provisionAs(w.supervisor, w.codeA.id)).statusCode).toBe(403);
    expect((await provisionAs(w.headA, w.codeA.id)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/codes/${w.codeA.id}/kiosk` })).statusCode).toBe(401);
    expect((await t.app.inject({ url: `/api/codes/${w.codeC.id}/kiosks`, headers: bearerFor(t.app, w.admin) })).statusCode).toBe(404);
    await t.app.inject({
      method: 'PATCH',
      url: `/api/codes/${w.codeB.id}`,
      headers: bearerFor(t.app, w.admin),
      payload: { active: false },
    });
    const disabled = await provisionAs(w.admin, w.codeB.id);
    expect(disabled.statusCode).toBe(409);
    expect(disabled.json()).toMatchObject({ error: 'CodeDisabled', message: expect.stringContaining('停用') });
    // A kiosk of another county cannot be revoked from here either.
    const other = await provisionAs(w.cityAdmin, w.codeC.id);
    expect(other.statusCode).toBe(201);
    expect((await revoke(other.json().id)).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/k/${other.json().url.split('/k/')[1]}` })).statusCode).toBe(200);
  });

  it('the tablet’s credential: GET /api/k/{token} tells its window; unknown 401; a disabled code 410', async () => {
    const k = await provision();
    const info = await t.app.inject({ url: `/api/k/${k.token}` });
    expect(info.statusCode).toBe(200);
    expect(info.json()).toMatchObject({
      code: w.codeA.id,
      departmentName: w.deptA.name,
      location: w.codeA.location,
      tags: { good: expect.any(Array), bad: expect.any(Array) },
    });
    const unknown = await t.app.inject({ url: '/api/k/not-a-kiosk-token-000000000000' });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toMatchObject({ error: 'UnknownKiosk' });
    await t.app.inject({
      method: 'PATCH',
      url: `/api/codes/${w.codeA.id}`,
      headers: bearerFor(t.app, w.admin),
      payload: { active: false },
    });
    const disabled = await t.app.inject({ url: `/api/k/${k.token}` });
    expect(disabled.statusCode).toBe(410);
    expect(disabled.json()).toMatchObject({ error: 'CodeDisabled' });
  });

  it('revoked: its info, its ratings and its stream answer 401 at once, and an open stream is told and ended', async () => {
    const k = await provision();
    const base = await listen();
    const stream = await openStream(base, k.token);
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await stream.next('kiosk');
    const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id });

    expect((await revoke(k.id)).statusCode).toBe(204);
    const info = await t.app.inject({ url: `/api/k/${k.token}` });
    expect(info.statusCode).toBe(401);
    expect(info.json()).toMatchObject({ error: 'KioskRevoked', message: expect.stringContaining('停用') });
    const rating = await rateAt(k.token, { projectNo: m.projectNo, score: 5, idempotencyKey: key() });
    expect(rating.statusCode).toBe(401);
    expect(rating.json()).toMatchObject({ error: 'KioskRevoked' });
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings`))!.n).toBe(0);
    // The open stream is told within a poll, then ended; a new one is refused.
    expect((await stream.next('closed')).data).toEqual({ reason: 'revoked' });
    await stream.untilEnded();
    const again = await openStream(base, k.token);
    expect(again.res.status).toBe(401);
    expect(await again.res.json()).toMatchObject({ error: 'KioskRevoked' });
    // Revoking again changes nothing; both facts are in the audit log once.
    expect((await revoke(k.id)).statusCode).toBe(204);
    const audit = await rows<{ action: string }>(t.db, sql`SELECT action FROM audit_log WHERE target_type = 'kiosk' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['kiosk.create', 'kiosk.revoke']);
    const listed = await t.app.inject({ url: `/api/codes/${w.codeA.id}/kiosks`, headers: bearerFor(t.app, w.admin) });
    expect(listed.json().kiosks[0].revokedAt).toBe(T0);
  });
});

describe('评价器 stream: GET /api/k/{token}/events', () => {
  it('delivers a 办件 finished at its window by a direct database write, and only to that window’s tablet', async () => {
    const a = await provision(w.codeA.id);
    const b = await provision(w.codeB.id);
    const base = await listen();
    const streamA = await openStream(base, a.token);
    const streamB = await openStream(base, b.token);
    expect((await streamA.next('kiosk')).data).toMatchObject({ code: w.codeA.id, location: w.codeA.location });
    await streamB.next('kiosk');
    // Written as any instance (or anything else) would write it: a row, not an in-process event.
    const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, taskName: '食品经营许可' });
    expect((await streamA.next('matter')).data).toEqual({
      projectNo: m.projectNo,
      taskName: '食品经营许可',
      departmentName: w.deptA.name,
      finishedAt: new Date(T0).toISOString(),
    });
    const mb = await makeMatter(t.db, { codeId: w.codeB.id, departmentId: w.deptB.id });
    // B's first 办件 is its own: A's was never sent to it.
    expect((await streamB.next('matter')).data).toMatchObject({ projectNo: mb.projectNo });
    // The tablets are noted as seen (written by the poll right after it sent the events).
    await vi.waitFor(async () => {
      const seen = await rows<{ last_seen_at: number }>(t.db, sql`SELECT last_seen_at FROM kiosks ORDER BY id`);
      expect(seen).toEqual([{ last_seen_at: T0 }, { last_seen_at: T0 }]);
    });
    const listed = await t.app.inject({ url: `/api/codes/${w.codeA.id}/kiosks`, headers: bearerFor(t.app, w.admin) });
    expect(listed.json().kiosks).toMatchObject([{ id: a.id, lastSeenAt: T0, online: true }]);
    streamA.close();
    streamB.close();
  });

  it('the contract: a PUT /api/matters/{projectNo} that finishes a 办件 at the window puts its rating screen on the tablet', async () => {
    const k = await provision();
    const stream = await openStream(await listen(), k.token);
    await stream.next('kiosk');
    const put = (status: string) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/matters/YCSL-2026-000123',
        headers: bearerFor(t.app, w.admin),
        payload: {
          code: w.codeA.id,
          taskCode: '11410000MB0000000X4000111111000',
          taskName: '城乡居民基本养老保险参保登记',
          status,
          acceptedAt: new Date(T0 - 3600_000).toISOString(),
          ...(status === 'finished' ? { finishedAt: new Date(T0).toISOString() } : {}),
        },
      });
    expect((await put('accepted')).statusCode).toBe(201);
    expect((await put('finished')).statusCode).toBe(200);
    expect((await stream.next('matter')).data).toEqual({
      projectNo: 'YCSL-2026-000123',
      taskName: '城乡居民基本养老保险参保登记',
      departmentName: w.deptA.name,
      finishedAt: new Date(T0).toISOString(),
    });
    // Accepted only, it was never sent.
    expect(stream.events.filter((e) => e.event === 'matter')).toEqual([]);
    const rated = await rateAt(k.token, { projectNo: 'YCSL-2026-000123', score: 5, idempotencyKey: key() });
    expect(rated.json()).toMatchObject({ assessNumber: 1 });
    stream.close();
  });

  it('a tablet that connects after 办结 is shown the 办件 still; one finished too long ago, or not finished, is not', async () => {
    const k = await provision();
    await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, finishedAt: T0 - 10 * 60_000 });
    await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, status: 'accepted' });
    const recent = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, finishedAt: T0 - 60_000 });
    const stream = await openStream(await listen(), k.token);
    expect((await stream.next('matter')).data).toMatchObject({ projectNo: recent.projectNo });
    expect(stream.events.filter((e) => e.event === 'matter')).toEqual([]);
    stream.close();
  });

  it('once the 办件 is rated (here, at the tablet) the stream clears it', async () => {
    const k = await provision();
    const stream = await openStream(await listen(), k.token);
    const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id });
    await stream.next('matter');
    expect((await rateAt(k.token, { projectNo: m.projectNo, score: 5, idempotencyKey: key() })).statusCode).toBe(201);
    expect((await stream.next('cleared')).data).toEqual({ projectNo: m.projectNo });
    stream.close();
  });

  it('one statement tells every connected tablet of its window (not one query per tablet)', async () => {
    const matters = [
      await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id }),
      await makeMatter(t.db, { codeId: w.codeB.id, departmentId: w.deptB.id }),
      await makeMatter(t.db, { codeId: w.codeC.id, departmentId: w.deptC.id }),
    ];
    const ids: number[] = [];
    for (const code of [w.codeA, w.codeB, w.codeC]) {
      const user = code === w.codeC ? w.cityAdmin : w.admin;
      ids.push((await provisionAs(user, code.id)).json().id);
    }
    const isPoll = (s: string) => s.includes('FROM kiosks k') && s.includes('LEFT JOIN matters m');
    const polls = t.db.driver === 'sqlite' ? countStatements([sqliteOf(t.db)], { filter: isPoll }) : countWrites(t.db, { filter: isPoll });
    // Its own feed, whose timer polls once as the tablets connect and then not for an hour.
    const feed = createKioskFeed({ db: t.db, clock: t.clock, log: silentLogger, pollMs: 3_600_000 });
    const got = ids.map(() => [] as KioskEvent[]);
    try {
      for (const [i, id] of ids.entries()) feed.subscribe(id, { send: (e) => got[i]!.push(e), end: () => undefined });
      await expect.poll(() => got.every((g) => g.length === 1), { timeout: 20_000 }).toBe(true);
      expect(got.map((g) => (g[0] as { matter: { projectNo: string } }).matter.projectNo)).toEqual(matters.map((m) => m.projectNo));
      expect(polls.count).toBe(1);
    } finally {
      polls.stop();
      feed.close();
    }
  });

  it('outlives the server’s idle timeout (the stream has its own, its heartbeats keep it), and ends when the server closes', async () => {
    // IDLE_TIMEOUT_MS cuts any connection quiet this long (slow clients); a tablet's stream is quiet for minutes.
    // A grace period longer than the test: closing must not wait for the stream to end by itself.
    const app = await makeTestApp({ env: { IDLE_TIMEOUT_MS: '200' }, closeGraceMs: 600_000 });
    let closed = false;
    try {
      const world = await makeWorld(app.db);
      const res = await app.app.inject({
        method: 'POST',
        url: `/api/codes/${world.codeA.id}/kiosk`,
        headers: bearerFor(app.app, world.admin),
      });
      const stream = await openStream(await app.app.listen({ port: 0, host: '127.0.0.1' }), res.json().url.split('/k/')[1]);
      await stream.next('kiosk');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const m = await makeMatter(app.db, { codeId: world.codeA.id, departmentId: world.deptA.id });
      expect((await stream.next('matter')).data).toMatchObject({ projectNo: m.projectNo });
      await app.close();
      closed = true;
      await stream.untilEnded();
    } finally {
      if (!closed) await app.close();
    }
  });

  it('unknown token 401 (JSON, no stream)', async () => {
    const stream = await openStream(await listen(), 'not-a-kiosk-token-000000000000');
    expect(stream.res.status).toBe(401);
    expect(await stream.res.json()).toMatchObject({ error: 'UnknownKiosk' });
  });
});

describe('评价器 rating: POST /api/k/{token}/ratings', () => {
  it('binds the rating to the 办件 with channel kiosk and assessNumber 1; the same key again stores once', async () => {
    const k = await provision();
    const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id });
    const body = { projectNo: m.projectNo, score: 4, tags: ['办事高效'], idempotencyKey: key() };
    const first = await rateAt(k.token, body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ id: expect.any(Number), assessNumber: 1, followUp: null });
    const again = await rateAt(k.token, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    const stored = await rows<{ matter_id: number; assess_number: number; channel: string; score: number; code_id: string }>(
      t.db,
      sql`SELECT matter_id, assess_number, channel, score, code_id FROM ratings`,
    );
    expect(stored).toEqual([{ matter_id: m.id, assess_number: 1, channel: 'kiosk', score: 4, code_id: w.codeA.id }]);
    expect((await t.services.stats.verifyRollups()).ok).toBe(true);
  });

  it('two taps arriving together with one key store one rating', async () => {
    const k = await provision();
    const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id });
    const body = { projectNo: m.projectNo, score: 5, idempotencyKey: key() };
    const answers = await Promise.all([rateAt(k.token, body), rateAt(k.token, body)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 201]);
    expect(answers[0]!.json().id).toBe(answers[1]!.json().id);
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings`))!.n).toBe(1);
  });

  it('the tablet takes the first rating only: another tap on a rated 办件 is 409 (a 追评 is the citizen’s, by the link)', async () => {
    const k = await provision();
    const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id });
    expect((await rateAt(k.token, { projectNo: m.projectNo, score: 5, idempotencyKey: key() })).statusCode).toBe(201);
    const second = await rateAt(k.token, { projectNo: m.projectNo, score: 1, idempotencyKey: key() });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ error: 'AlreadyRated', message: expect.stringContaining('已评价') });
    // The citizen's own link still takes the 追评.
    const followUp = await t.app.inject({
      method: 'POST',
      url: `/api/e/${m.linkToken}/ratings`,
      payload: { score: 4, idempotencyKey: key() },
    });
    expect(followUp.json()).toMatchObject({ assessNumber: 2 });
    expect((await t.services.stats.verifyRollups()).ok).toBe(true);
  });

  it('a 办件 of another window 404; not finished 409; unknown 404; nothing stored', async () => {
    const k = await provision(w.codeA.id);
    const elsewhere = await makeMatter(t.db, { codeId: w.codeB.id, departmentId: w.deptB.id });
    const other = await rateAt(k.token, { projectNo: elsewhere.projectNo, score: 5 });
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ error: 'UnknownMatter' });
    const accepted = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, status: 'accepted' });
    const open = await rateAt(k.token, { projectNo: accepted.projectNo, score: 5 });
    expect(open.statusCode).toBe(409);
    expect(open.json()).toMatchObject({ error: 'MatterNotFinished' });
    expect((await rateAt(k.token, { projectNo: 'NO-SUCH-MATTER', score: 5 })).statusCode).toBe(404);
    expect((await rateAt(k.token, { score: 5 })).statusCode).toBe(400);
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings`))!.n).toBe(0);
  });

  it.skipIf(driverUnderTest !== 'pg')(
    'the token is not stored with the rate-limit counters (PostgreSQL keeps them in a table)',
    async () => {
      const k = await provision();
      const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id });
      expect((await rateAt(k.token, { projectNo: m.projectNo, score: 5, idempotencyKey: key() })).statusCode).toBe(201);
      const keys = await rows<{ key: string }>(t.db, sql`SELECT key FROM rate_limit_hits`);
      expect(keys.some((r) => r.key.includes('kiosk:'))).toBe(true);
      expect(keys.some((r) => r.key.includes(k.token))).toBe(false);
    },
  );

  it('a 差评 at the tablet opens its case as usual (the answer carries the case number)', async () => {
    const k = await provision();
    const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id });
    const res = await rateAt(k.token, { projectNo: m.projectNo, score: 2, tags: ['服务态度差'], idempotencyKey: key() });
    expect(res.statusCode).toBe(201);
    const kase = await firstRow<{ case_no: string }>(t.db, sql`SELECT case_no FROM cases`);
    expect(res.json()).toMatchObject({ assessNumber: 1, followUp: { caseNo: kase!.case_no } });
  });

  it('a 办件 without a link may be rated within 7 days of 办结, then 410; a retry of a stored rating is still answered', async () => {
    const k = await provision();
    const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id });
    await writeSql(t.db, sql`UPDATE matters SET link_token = NULL, link_expires_at = NULL WHERE id = ${m.id}`);
    const body = { projectNo: m.projectNo, score: 5, idempotencyKey: key() };
    t.clock.set(T0 + 7 * 86_400_000);
    const first = await rateAt(k.token, body);
    expect(first.statusCode).toBe(201);
    t.clock.set(T0 + 7 * 86_400_000 + 1);
    expect((await rateAt(k.token, body)).statusCode).toBe(200);
    const late = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id });
    await writeSql(t.db, sql`UPDATE matters SET link_token = NULL, link_expires_at = NULL WHERE id = ${late.id}`);
    const expired = await rateAt(k.token, { projectNo: late.projectNo, score: 5, idempotencyKey: key() });
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ error: 'RatingExpired' });
  });
});

describe('评价器 across instances on one database', () => {
  const twoInstances = useTwoInstances();

  it('a tablet on one instance is told of a 办件 written, rated and of a revocation made through the other', async () => {
    const { a, b, w: world } = await twoInstances();
    const created = await a.app.inject({
      method: 'POST',
      url: `/api/codes/${world.codeA.id}/kiosk`,
      headers: bearerFor(a.app, world.admin),
    });
    const token = created.json().url.split('/k/')[1] as string;
    const stream = await openStream(await a.app.listen({ port: 0, host: '127.0.0.1' }), token);
    await stream.next('kiosk');
    const m = await makeMatter(b.db, { codeId: world.codeA.id, departmentId: world.deptA.id });
    expect((await stream.next('matter')).data).toMatchObject({ projectNo: m.projectNo });
    const rated = await b.app.inject({ method: 'POST', url: `/api/k/${token}/ratings`, payload: { projectNo: m.projectNo, score: 5 } });
    expect(rated.statusCode).toBe(201);
    expect((await stream.next('cleared')).data).toEqual({ projectNo: m.projectNo });
    expect(
      (await b.app.inject({ method: 'DELETE', url: `/api/kiosks/${created.json().id}`, headers: bearerFor(b.app, world.admin) }))
        .statusCode,
    ).toBe(204);
    expect((await stream.next('closed')).data).toEqual({ reason: 'revoked' });
    await stream.untilEnded();
    expect((await a.app.inject({ url: `/api/k/${token}` })).statusCode).toBe(401);
  });
});
