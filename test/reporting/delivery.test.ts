// Upward reporting, items 2–4 (docs/domain.md 10.6–10.8, docs/api.md 11b): the outbox written with the
// rating and the case's closing, the delivery job against a REAL local HTTP receiver (it checks the
// signature, fails, hangs, goes away and comes back), dead letters and their resend, the operator view
// and the daily reconciliation.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstRow, rows } from '../../db/client.js';
import { MAX_BACKOFF_MS } from '../../server/modules/reporting/delivery.js';
import { drive } from '../cases/helpers.js';
import { bearerFor, driverUnderTest, makeTestApp, type TestApp, writeSql } from '../helpers/app.js';
import { makeRating, makeWorld, useTwoInstances, type World } from '../helpers/factories.js';
import { type ReportReceiver, startReportReceiver } from '../helpers/report-receiver.js';

const SECRET = 'province-shared-secret-0123456789';
const CREDIT_A = '11410000MB0000001A';
const CREDIT_B = '11410000MB0000002B';
const AREA = '410102000000';
/** A code with a right GB 32100 check character (the two above are written straight into the table). */
const VALID_CREDIT = '11100000000013127D';

let receiver: ReportReceiver;
let t: TestApp;
let w: World;

async function start(env: Record<string, string> = {}) {
  t = await makeTestApp({
    env: { REPORT_URL: receiver.url, REPORT_APP_ID: 'county-339821', REPORT_SECRET: SECRET, REPORT_TIMEOUT_MS: '400', ...env },
  });
  w = await makeWorld(t.db);
  await writeSql(t.db, sql`UPDATE departments SET credit_code = ${CREDIT_A} WHERE id = ${w.deptA.id}`);
  await writeSql(t.db, sql`UPDATE departments SET credit_code = ${CREDIT_B} WHERE id = ${w.deptB.id}`);
  await writeSql(t.db, sql`UPDATE org_units SET area_code = ${AREA} WHERE id = ${w.county.id}`);
}

beforeEach(async () => {
  receiver = await startReportReceiver({ key: SECRET, appId: 'county-339821' });
});
afterEach(async () => {
  const closing = t as TestApp | undefined;
  t = undefined as unknown as TestApp;
  await closing?.close();
  await receiver.close();
});

const deliver = () => t.services.reportDelivery!.deliverDue();
const post = (code: string, payload: object, ip = '10.1.2.3') =>
  t.app.inject({ method: 'POST', url: `/api/codes/${code}/ratings`, payload, remoteAddress: ip });
const get = (url: string, user: { id: number; role: string } = w.admin) => t.app.inject({ url, headers: bearerFor(t.app, user) });
const outbox = () =>
  rows<{ kind: string; ratingId: number; state: string; reason: string | null; attempts: number; lastAnswer: string | null }>(
    t.db,
    sql`SELECT kind, rating_id AS "ratingId", state, reason, attempts, last_answer AS "lastAnswer" FROM report_outbox ORDER BY id`,
  );
const ackedIds = () => [...receiver.acknowledged().keys()].sort();

describe('the outbox: written with what it reports', () => {
  it('every stored rating enters the outbox in its own transaction and reaches the receiver, signed, once', async () => {
    await start();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await post(w.codeA.id, { score: 5 - (i % 2), clientId: `device-${i}-0123456789` }, `10.1.2.${i + 1}`);
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    ids.push((await makeRating(t.services, { codeId: w.codeB.id, score: 4, tags: ['办事高效'] })).rating.id);
    expect((await outbox()).map((o) => [o.kind, o.ratingId, o.state])).toEqual(ids.map((id) => ['rating', id, 'pending']));

    const run = await deliver();
    expect(run).toMatchObject({ acked: 6, failed: 0 });
    expect(receiver.badSignatures).toBe(0);
    expect(receiver.batches.every((b) => b.signatureOk && b.appId === 'county-339821')).toBe(true);
    expect(ackedIds()).toEqual(ids.map((id) => `rating-${id}`).sort());
    const first = receiver.acknowledged().get(`rating-${ids[0]}`)!;
    expect(first).toMatchObject({ type: 'rating', ratingId: ids[0], satisfaction: 5, pf: '3', deptCode: CREDIT_A, areaCode: AREA });
    expect((await outbox()).every((o) => o.state === 'acked' && o.attempts === 1)).toBe(true);
    // Nothing is due any more: the next run posts nothing.
    expect(await deliver()).toMatchObject({ posts: 0 });
    expect(receiver.batches).toHaveLength(1);
  });

  it('questionnaires typed in (POST /api/ratings/paper) enter the outbox in their transaction and are sent with pf 5', async () => {
    await start();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/ratings/paper',
      payload: {
        code: w.codeA.id,
        entries: [
          { score: 5, date: '2026-11-23' },
          { score: 4, tags: ['办事高效'], date: '2026-11-23' },
        ],
      },
      headers: bearerFor(t.app, w.supervisor),
    });
    expect(res.statusCode, res.body).toBe(201);
    const call = await t.app.inject({
      method: 'POST',
      url: '/api/ratings/paper',
      payload: { code: w.codeA.id, channel: '12345', entries: [{ score: 5, date: '2026-11-23' }] },
      headers: bearerFor(t.app, w.supervisor),
    });
    expect(call.statusCode, call.body).toBe(201);
    const ids: number[] = [...res.json().ids, ...call.json().ids];
    expect((await outbox()).map((o) => [o.kind, o.ratingId, o.state])).toEqual(ids.map((id) => ['rating', id, 'pending']));
    expect(await deliver()).toMatchObject({ acked: 3, failed: 0 });
    for (const id of ids) expect(receiver.acknowledged().get(`rating-${id}`)).toMatchObject({ ratingId: id, pf: '5' });
  });

  it('reporting off (no REPORT_URL): nothing is enqueued and there is no delivery job', async () => {
    t = await makeTestApp();
    w = await makeWorld(t.db);
    await makeRating(t.services, { codeId: w.codeA.id, score: 5 });
    expect(await outbox()).toEqual([]);
    expect(t.services.reportDelivery).toBeNull();
    expect(t.services.jobs.map((j) => j.name)).not.toContain('reporting.deliverDue');
    const view = (await get('/api/reports/outbox')).json();
    expect(view).toMatchObject({ enabled: false, receiver: null, backlog: { pending: 0 } });
  });

  it('a closed 差评 case reports its outcome, masked: no phone number leaves in any record', async () => {
    await start();
    const bad = await makeRating(t.services, {
      codeId: w.codeA.id,
      score: 1,
      phone: '13912345678',
      tags: ['服务态度差'],
      comment: '态度差，请打 139 1234 5678 回访',
    });
    const id = bad.case!.id;
    await drive(t, w.supervisor, id, { to: 'visited', classification: 'valid' });
    await drive(t, w.headA, id, { to: 'rectifying' });
    await drive(t, w.headA, id, { to: 'rectified', note: '已约谈窗口人员，群众电话13912345678已回访' });
    await drive(t, w.supervisor, id, { to: 'answered', satisfaction: 'satisfied' });
    expect((await outbox()).map((o) => o.kind)).toEqual(['rating']);
    await drive(t, w.supervisor, id, { to: 'closed' });
    expect((await outbox()).map((o) => o.kind)).toEqual(['rating', 'case_result']);

    await deliver();
    const outcome = receiver.acknowledged().get(`case-${id}`)!;
    expect(outcome).toMatchObject({ type: 'case_result', ratingId: bad.rating.id, caseNo: bad.case!.caseNo, satisfaction: 'satisfied' });
    expect(String(outcome.rectification)).toContain('已约谈窗口人员');
    expect(receiver.phoneLeaks).toEqual([]);
    expect(JSON.stringify(receiver.batches)).not.toMatch(/1\s*3\s*9\s*1\s*2\s*3\s*4\s*5\s*6\s*7\s*8/);
  });
});

describe('delivery against a receiver that fails', () => {
  it('answers 500 for a while: records stay, with attempts and the last answer; backoff doubles up to 60 s; then all arrive, once by recordId, unchanged', async () => {
    await start();
    for (let i = 0; i < 3; i++) await makeRating(t.services, { codeId: w.codeA.id, score: 4 });
    receiver.mode = 'fail';
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const before = t.clock.now();
      expect(await deliver()).toMatchObject({ acked: 0, failed: 3, posts: 1 });
      // Before the backoff has passed, a run sends nothing.
      expect(await deliver()).toMatchObject({ posts: 0 });
      const o = await firstRow<{ next: number }>(t.db, sql`SELECT min(next_attempt_at) AS next FROM report_outbox`);
      waits.push(Number(o!.next) - before);
      t.clock.set(Number(o!.next));
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 32000, MAX_BACKOFF_MS, MAX_BACKOFF_MS]);
    const stuck = await outbox();
    expect(stuck.every((o) => o.state === 'pending' && o.attempts === 8)).toBe(true);
    expect(stuck[0]!.lastAnswer).toMatch(/^HTTP 500/);

    receiver.mode = 'ok';
    await deliver();
    expect(ackedIds()).toHaveLength(3);
    expect(receiver.batches).toHaveLength(9);
    // Every attempt sent the same records, byte for byte.
    expect(new Set(receiver.batches.map((b) => JSON.stringify(b.records))).size).toBe(1);
    expect(receiver.changed).toEqual([]);
    const view = (await get('/api/reports/outbox')).json();
    expect(view.backlog).toMatchObject({ pending: 0, acked: 3, dead: 0 });
    expect(view.lastErrors).toHaveLength(8);
    expect(view.lastErrors[0].status).toBe(500);
    expect(view.days[0]).toMatchObject({ posts: 9, sent: 27, acked: 3, failed: 24 });
  });

  it('times out (no answer within REPORT_TIMEOUT_MS), then answers: the record arrives', async () => {
    await start();
    const r = await makeRating(t.services, { codeId: w.codeA.id, score: 5 });
    receiver.mode = 'hang';
    expect(await deliver()).toMatchObject({ failed: 1 });
    expect((await outbox())[0]!.lastAnswer).toMatch(/超时/);
    receiver.mode = 'ok';
    t.clock.advance(1000);
    await deliver();
    expect(ackedIds()).toEqual([`rating-${r.rating.id}`]);
  });

  it('goes away (connection refused) and comes back on the same port: nothing is lost', async () => {
    await start();
    await makeRating(t.services, { codeId: w.codeA.id, score: 5 });
    await receiver.stop();
    expect(await deliver()).toMatchObject({ failed: 1 });
    expect((await outbox())[0]!.lastAnswer).toMatch(/连接失败：ECONNREFUSED/);
    await makeRating(t.services, { codeId: w.codeB.id, score: 3, tags: ['等候时间长'] });
    await receiver.start();
    t.clock.advance(2000);
    await deliver();
    expect(ackedIds()).toHaveLength(2);
  });

  it('a record the receiver refuses (4xx) is found by halving the batch and waits alone; the others are delivered', async () => {
    await start();
    const ids: number[] = [];
    for (let i = 0; i < 9; i++) ids.push((await makeRating(t.services, { codeId: w.codeA.id, score: 4 })).rating.id);
    const poison = `rating-${ids[5]}`;
    receiver.refuse = (record) => record.recordId === poison;
    await deliver();
    expect(ackedIds()).toEqual(
      ids
        .filter((_, i) => i !== 5)
        .map((id) => `rating-${id}`)
        .sort(),
    );
    const left = (await outbox()).filter((o) => o.state !== 'acked');
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ ratingId: ids[5], state: 'pending', attempts: 1 });
    expect(left[0]!.lastAnswer).toMatch(/^HTTP 422/);
    receiver.refuse = null;
    t.clock.advance(MAX_BACKOFF_MS);
    await deliver();
    expect(ackedIds()).toHaveLength(9);
  });
});

describe('dead letters', () => {
  it('a record failing longer than REPORT_DEAD_AFTER_HOURS is dead, sent no more, and a resend sends the very same record', async () => {
    await start({ REPORT_DEAD_AFTER_HOURS: '2' });
    const r = await makeRating(t.services, { codeId: w.codeA.id, score: 5 });
    receiver.mode = 'fail';
    await deliver();
    // An outage of hours loses nothing: still pending after 1 h 59 min of failing.
    for (let m = 0; m < 119; m++) {
      t.clock.advance(60_000);
      await deliver();
    }
    expect((await outbox())[0]!.state).toBe('pending');
    t.clock.advance(60_000);
    await deliver();
    expect((await outbox())[0]!.state).toBe('dead');
    const posts = receiver.batches.length;
    t.clock.advance(3600_000);
    expect(await deliver()).toMatchObject({ posts: 0 });
    expect(receiver.batches).toHaveLength(posts);
    const view = (await get('/api/reports/outbox')).json();
    expect(view.backlog.dead).toBe(1);
    expect(view.deadLetters[0]).toMatchObject({ recordId: `rating-${r.rating.id}`, departmentName: w.deptA.name });

    // The department is renamed meanwhile: the resent record is still the one first composed.
    await writeSql(t.db, sql`UPDATE departments SET name = '改名后的部门' WHERE id = ${w.deptA.id}`);
    receiver.mode = 'ok';
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/reports/outbox/resend',
      headers: bearerFor(t.app, w.supervisor),
      payload: {},
    });
    expect(refused.statusCode).toBe(403);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/reports/outbox/resend',
      headers: bearerFor(t.app, w.admin),
      payload: { recordIds: ['12'] },
    });
    expect(bad.statusCode).toBe(400);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/reports/outbox/resend',
      headers: bearerFor(t.app, w.admin),
      payload: { recordIds: [`rating-${r.rating.id}`] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ resent: 1 });
    await deliver();
    expect(receiver.acknowledged().get(`rating-${r.rating.id}`)).toMatchObject({ deptName: w.deptA.name });
    expect(receiver.changed).toEqual([]);
    const audit = await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM audit_log WHERE action = 'report.resend'`);
    expect(Number(audit!.n)).toBe(1);
  });
});

describe('held, excluded and incomplete records', () => {
  it('a held rating waits for its decision: released → sent; excluded → never sent', async () => {
    await start();
    const ids: number[] = [];
    // A burst from one network: the hold rules hold what it sends (docs/domain.md, held ratings).
    for (let i = 0; i < 40; i++) {
      const res = await post(w.codeA.id, { score: 5, clientId: `burst-device-${String(i).padStart(4, '0')}` }, '10.66.0.1');
      if (res.statusCode === 201) ids.push(res.json().id);
      t.clock.advance(1000);
    }
    const held = (await rows<{ id: number }>(t.db, sql`SELECT id FROM ratings WHERE held = 1 ORDER BY id`)).map((r) => Number(r.id));
    expect(held.length).toBeGreaterThan(10);
    await deliver();
    const sent = new Set(ackedIds());
    for (const id of held) expect(sent.has(`rating-${id}`)).toBe(false);
    const waiting = (await outbox()).filter((o) => o.state === 'waiting');
    expect(waiting.map((o) => o.ratingId).sort((a, b) => a - b)).toEqual(held);
    expect(waiting[0]!.reason).toMatch(/待审核/);

    const [release, exclude] = [held.slice(0, 5), held.slice(5)];
    const decide = (ids: number[], decision: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/ratings/decisions',
        headers: bearerFor(t.app, w.supervisor),
        payload: { ids, decision, reason: '核实' },
      });
    expect((await decide(release, 'release')).statusCode).toBe(200);
    expect((await decide(exclude, 'exclude')).statusCode).toBe(200);
    await deliver();
    const after = new Set(ackedIds());
    for (const id of release) expect(after.has(`rating-${id}`)).toBe(true);
    for (const id of exclude) expect(after.has(`rating-${id}`)).toBe(false);
    expect((await outbox()).filter((o) => o.state === 'dropped').map((o) => o.ratingId)).toEqual(exclude);
    const reconcile = (await get('/api/reports/reconcile')).json();
    expect(reconcile.days[0]).toMatchObject({ stored: ids.length, reportable: ids.length - exclude.length, notQueued: 0, balanced: true });
  });

  it('a record missing a code waits with the reason on the admin page, and is sent once the code is filled in', async () => {
    await start();
    await writeSql(t.db, sql`UPDATE departments SET credit_code = NULL WHERE id = ${w.deptA.id}`);
    const r = await makeRating(t.services, { codeId: w.codeA.id, score: 5 });
    await deliver();
    expect(ackedIds()).toEqual([]);
    const view = (await get('/api/reports/outbox')).json();
    expect(view.waitingReasons).toEqual([{ reason: '部门缺少统一社会信用代码', count: 1 }]);
    expect(view.waiting[0]).toMatchObject({ recordId: `rating-${r.rating.id}`, reason: '部门缺少统一社会信用代码' });
    const reconcile = (await get('/api/reports/reconcile')).json();
    expect(reconcile.days[0]).toMatchObject({ reportable: 1, waiting: 1, acked: 0, balanced: false });

    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/departments/${w.deptA.id}`,
      headers: bearerFor(t.app, w.admin),
      payload: { creditCode: '11100000000013127E' },
    });
    // (a wrong check character is refused and changes nothing)
    expect(res.statusCode).toBe(400);
    expect((await outbox())[0]!.state).toBe('waiting');
    const ok = await t.app.inject({
      method: 'PATCH',
      url: `/api/departments/${w.deptA.id}`,
      headers: bearerFor(t.app, w.admin),
      payload: { creditCode: VALID_CREDIT },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    await deliver();
    expect(receiver.acknowledged().get(`rating-${r.rating.id}`)).toMatchObject({ deptCode: VALID_CREDIT });
    expect((await get('/api/reports/reconcile')).json().days[0]).toMatchObject({ reportable: 1, acked: 1, balanced: true });
  });
});

describe('a 差评 without a reason', () => {
  it('given on the citizen page with no reason and no comment, it is delivered as it is; one whose reason lacks its code waits for it', async () => {
    await start();
    const bare = await post(w.codeA.id, { score: 1, clientId: 'device-bare-0123456789' }, '10.1.2.7');
    expect(bare.statusCode, bare.body).toBe(201);
    const uncoded = await makeRating(t.services, { codeId: w.codeB.id, score: 2, tags: ['没有代码的理由'] });
    await deliver();
    expect(receiver.acknowledged().get(`rating-${bare.json().id}`)).toMatchObject({
      satisfaction: 1,
      evalDetail: [],
      writingEvaluation: null,
      pf: '3',
    });
    expect(await outbox()).toContainEqual(
      expect.objectContaining({
        ratingId: uncoded.rating.id,
        state: 'waiting',
        reason: '差评的理由缺少评价详情代码，又无文字评价（省级系统拒收）',
      }),
    );
  });
});

describe('the reconciliation', () => {
  it('counts the records of reportable ratings only: a held rating waiting is not reportable, a rating stored before reporting was on is not queued', async () => {
    await start();
    const a = await makeRating(t.services, { codeId: w.codeA.id, score: 5 });
    const b = await makeRating(t.services, { codeId: w.codeA.id, score: 4 });
    await makeRating(t.services, { codeId: w.codeB.id, score: 3, tags: ['等候时间长'] });
    // b held for review (its record waits), a as if stored before REPORT_URL was set (no record).
    await writeSql(t.db, sql`UPDATE ratings SET held = 1 WHERE id = ${b.rating.id}`);
    await writeSql(t.db, sql`DELETE FROM report_outbox WHERE rating_id = ${a.rating.id}`);
    await deliver();
    const day = (await get('/api/reports/reconcile')).json().days[0];
    expect(day).toMatchObject({ stored: 3, reportable: 2, acked: 1, waiting: 0, pending: 0, dead: 0, notQueued: 1, balanced: false });
  });
});

describe('the hourly upkeep', () => {
  it('looks at waiting records again (a code filled in elsewhere), and forgets settled records after 400 days and POSTs after 90', async () => {
    await start();
    await writeSql(t.db, sql`UPDATE org_units SET area_code = NULL WHERE id = ${w.county.id}`);
    const r = await makeRating(t.services, { codeId: w.codeA.id, score: 5 });
    await deliver();
    expect((await outbox())[0]).toMatchObject({ state: 'waiting', reason: '组织单位缺少行政区划代码' });
    // Filled in without the org service (a restore, a script): the sweep finds it.
    await writeSql(t.db, sql`UPDATE org_units SET area_code = ${AREA} WHERE id = ${w.county.id}`);
    await deliver();
    expect((await outbox())[0]!.state).toBe('waiting');
    await t.services.reporting.sweep();
    await deliver();
    expect(ackedIds()).toEqual([`rating-${r.rating.id}`]);
    const count = async (table: string) =>
      Number((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ${sql.raw(table)}`))!.n);
    t.clock.advance(91 * 86_400_000);
    await t.services.reporting.sweep();
    expect(await count('report_batches')).toBe(0);
    expect(await count('report_outbox')).toBe(1);
    t.clock.advance(310 * 86_400_000);
    await t.services.reporting.sweep();
    expect(await count('report_outbox')).toBe(0);
    expect(await count('ratings')).toBe(1);
  });
});

// Several instances share a PostgreSQL database; a SQLite file has one process (two writers in one
// process would wait on each other's lock synchronously).
describe.skipIf(driverUnderTest === 'sqlite')('several instances on one database', () => {
  const twoInstances = useTwoInstances();

  it('two instances draining at once send each record once: a claimed record is not claimed again', async () => {
    const {
      a,
      b,
      w: world,
    } = await twoInstances({
      REPORT_URL: receiver.url,
      REPORT_APP_ID: 'county-339821',
      REPORT_SECRET: SECRET,
      REPORT_BATCH_SIZE: '7',
    });
    await writeSql(a.db, sql`UPDATE departments SET credit_code = ${CREDIT_A}`);
    await writeSql(a.db, sql`UPDATE org_units SET area_code = ${AREA}`);
    const ids: number[] = [];
    for (let i = 0; i < 60; i++)
      ids.push((await makeRating(i % 2 ? a.services : b.services, { codeId: world.codeA.id, score: 4 })).rating.id);
    const [ra, rb] = await Promise.all([a.services.reportDelivery!.deliverDue(), b.services.reportDelivery!.deliverDue()]);
    expect(ra.acked + rb.acked).toBe(60);
    const received = receiver.batches.flatMap((x) => x.records.map((r) => r.recordId));
    expect(received).toHaveLength(60);
    expect(new Set(received).size).toBe(60);
    expect([...receiver.acknowledged().keys()].sort()).toEqual(ids.map((id) => `rating-${id}`).sort());
  });
});
