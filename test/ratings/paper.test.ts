// Ratings typed in by staff (docs/domain.md 录入的评价, docs/api.md POST /api/ratings/paper): paper
// questionnaires and 12345 return calls, all of a request or none, counted like any rating.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow, rows } from '../../db/client.js';
import { bearerFor, driverUnderTest, writeSql } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld();

/** Wednesday 2026-12-02 15:00 China time: nine days after the world's codes were made (T0, 11-23 10:00). */
const NOW = Date.parse('2026-12-02T15:00:00+08:00');
const noon = (day: string) => Date.parse(`${day}T12:00:00+08:00`);

const enter = (payload: unknown, user: { id: number; role: string } = w.supervisor) =>
  t.app.inject({ method: 'POST', url: '/api/ratings/paper', payload: payload as object, headers: bearerFor(t.app, user) });
const count = async (table: string, where = sql``) =>
  Number((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ${sql.raw(table)} ${where}`))!.n);
const stored = async () => ({ ratings: await count('ratings'), cases: await count('cases'), audit: await count('audit_log') });

describe('POST /api/ratings/paper', () => {
  it('stores every entry as a counted rating of channel paper, naming who typed it, dated noon of its day', async () => {
    t.clock.set(NOW);
    const res = await enter({
      code: w.codeA.id.toLowerCase(),
      entries: [
        { score: 5, tags: ['态度热情'], date: '2026-11-25' },
        { score: 4, comment: '排队时间有点长', date: '2026-12-02' },
        { score: 3, date: '2026-11-23' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const { ids, cases } = res.json();
    expect(ids).toHaveLength(3);
    expect(cases).toEqual([]);
    const list = await rows<Record<string, unknown>>(
      t.db,
      sql`SELECT id, code_id AS "codeId", department_id AS "departmentId", score, channel, created_at AS "createdAt", day,
            entered_by AS "enteredBy", client_hash AS "clientHash", net_hash AS "netHash", held, flagged
          FROM ratings ORDER BY id`,
    );
    expect(list.map((r) => ({ ...r, createdAt: Number(r.createdAt), id: Number(r.id) }))).toEqual(
      [
        { day: '2026-11-25', score: 5, createdAt: noon('2026-11-25') },
        { day: '2026-12-02', score: 4, createdAt: noon('2026-12-02') },
        { day: '2026-11-23', score: 3, createdAt: noon('2026-11-23') },
      ].map((r, i) => ({
        id: ids[i],
        codeId: w.codeA.id,
        departmentId: w.deptA.id,
        channel: 'paper',
        enteredBy: w.supervisor.id,
        clientHash: null,
        netHash: null,
        held: 0,
        flagged: 0,
        ...r,
      })),
    );
    // One audit row for the request, with the count.
    const audit = await rows<{ action: string; userId: number; targetId: string; detail: string }>(
      t.db,
      sql`SELECT action, user_id AS "userId", target_id AS "targetId", detail FROM audit_log WHERE action = 'ratings.enter'`,
    );
    expect(audit).toHaveLength(1);
    expect({ ...audit[0], detail: JSON.parse(audit[0]!.detail) }).toMatchObject({
      userId: w.supervisor.id,
      targetId: w.codeA.id,
      detail: { channel: 'paper', count: 3, bad: 0, from: '2026-11-23', to: '2026-12-02' },
    });
    // Counted like any rating: the department's figures and the rollups agree with a recount.
    const deps = await t.app.inject({
      url: '/api/stats/departments?from=2026-11-01&to=2026-12-31',
      headers: bearerFor(t.app, w.supervisor),
    });
    expect(deps.json().departments.find((d: { id: number }) => d.id === w.deptA.id)).toMatchObject({
      total: 3,
      goodCount: 3,
    });
    expect((await t.services.stats.verifyRollups()).mismatches).toEqual([]);
  });

  it('a form of today typed in before noon is dated now, never in the future', async () => {
    t.clock.set(Date.parse('2026-12-02T09:30:00+08:00'));
    const res = await enter({ code: w.codeA.id, entries: [{ score: 5, date: '2026-12-02' }] });
    expect(res.statusCode, res.body).toBe(201);
    const r = await firstRow<{ createdAt: number }>(t.db, sql`SELECT created_at AS "createdAt" FROM ratings`);
    expect(Number(r!.createdAt)).toBe(Date.parse('2026-12-02T09:30:00+08:00'));
  });

  it('channel 12345: a return call typed in, recorded as 12345热线', async () => {
    t.clock.set(NOW);
    const res = await enter({ code: w.codeA.id, channel: '12345', entries: [{ score: 4, date: '2026-12-01' }] }, w.admin);
    expect(res.statusCode, res.body).toBe(201);
    const r = await firstRow<{ channel: string; enteredBy: number }>(t.db, sql`SELECT channel, entered_by AS "enteredBy" FROM ratings`);
    expect(r).toEqual({ channel: '12345', enteredBy: w.admin.id });
    const list = await t.app.inject({
      url: '/api/stats/ratings?from=2026-12-01&to=2026-12-01&channel=12345',
      headers: bearerFor(t.app, w.admin),
    });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().ratings).toMatchObject([{ channel: '12345', score: 4 }]);
    // The export's 渠道 column names it.
    await enter({ code: w.codeA.id, entries: [{ score: 5, date: '2026-12-01' }] });
    const csv = await t.app.inject({
      url: '/api/stats/export.csv?from=2026-12-01&to=2026-12-01&sheet=ratings',
      headers: bearerFor(t.app, w.admin),
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('12345热线');
    expect(csv.body).toContain('纸质问卷');
  });

  it('a 差评 opens its 差评必查 case, which says it came from a paper questionnaire; deadlines count from the day it was typed in', async () => {
    t.clock.set(NOW);
    const res = await enter({
      code: w.codeA.id,
      entries: [
        { score: 5, date: '2026-11-24' },
        { score: 1, tags: ['服务态度差'], comment: '窗口人员态度冷淡', date: '2026-11-24' },
        { score: 2, date: '2026-12-02' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const { ids, cases } = res.json();
    expect(cases).toEqual([
      { index: 1, caseNo: 'CP20261124-0001' },
      { index: 2, caseNo: 'CP20261202-0001' },
    ]);
    const kase = await firstRow<{ id: number; ratingId: number; contactDueDate: string; dueDate: string }>(
      t.db,
      sql`SELECT id, rating_id AS "ratingId", contact_due_date AS "contactDueDate", due_date AS "dueDate" FROM cases WHERE case_no = 'CP20261124-0001'`,
    );
    expect(Number(kase!.ratingId)).toBe(ids[1]);
    // Typed in on Wednesday 12-02: 1 working day to call back, 15 to close, from then (not from 11-24).
    expect(kase).toMatchObject({ contactDueDate: '2026-12-03', dueDate: '2026-12-23' });
    const page = await t.app.inject({ url: `/api/cases/${kase!.id}`, headers: bearerFor(t.app, w.supervisor) });
    expect(page.statusCode, page.body).toBe(200);
    const detail = page.json();
    expect(detail.rating).toMatchObject({ channel: 'paper', channelLabel: '纸质问卷', score: 1, comment: '窗口人员态度冷淡' });
    expect(detail.events[0].note).toContain('纸质问卷的差评，由');
    expect(detail.events[0].note).toContain('录入；期限自录入之日起算');
    expect((await t.services.stats.verifyRollups()).mismatches).toEqual([]);
  });

  it('no device or network limit and no hold: 60 forms of one window and day all count', async () => {
    t.clock.set(NOW);
    const entries = Array.from({ length: 60 }, (_, i) => ({ score: i % 10 === 0 ? 2 : 5, date: '2026-12-01' }));
    const res = await enter({ code: w.codeA.id, entries });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().cases).toHaveLength(6);
    expect(await count('ratings', sql`WHERE held = 0 AND flagged = 0 AND channel = 'paper'`)).toBe(60);
    expect(await count('rating_hold_groups')).toBe(0);
    const deps = await t.app.inject({
      url: '/api/stats/departments?from=2026-12-01&to=2026-12-01',
      headers: bearerFor(t.app, w.supervisor),
    });
    expect(deps.json().departments.find((d: { id: number }) => d.id === w.deptA.id)).toMatchObject({
      total: 60,
      badCount: 6,
      held: 0,
    });
    expect((await t.services.stats.verifyRollups()).mismatches).toEqual([]);
  });

  it.skipIf(driverUnderTest === 'pg')(
    'all or nothing: a failure while storing the third entry stores none (no rating, case, rollup, audit)',
    async () => {
      t.clock.set(NOW);
      // A fault the checks cannot see: the database refuses the third row.
      await writeSql(
        t.db,
        sql.raw(`CREATE TRIGGER boom BEFORE INSERT ON ratings WHEN NEW.comment = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`),
      );
      const res = await enter({
        code: w.codeA.id,
        entries: [
          { score: 1, date: '2026-12-01' },
          { score: 5, date: '2026-12-01' },
          { score: 4, comment: 'boom', date: '2026-12-01' },
        ],
      });
      expect(res.statusCode).toBe(500);
      expect(await stored()).toEqual({ ratings: 0, cases: 0, audit: 0 });
      expect(await count('daily_code_stats')).toBe(0);
      expect((await t.services.stats.verifyRollups()).mismatches).toEqual([]);
    },
  );

  it('GET /api/ratings/paper/form: the window, its county’s reasons and the dates it takes (supervisor, admin; scope)', async () => {
    t.clock.set(NOW);
    const get = (user: { id: number; role: string }, code = w.codeA.id) =>
      t.app.inject({ url: `/api/ratings/paper/form?code=${code}`, headers: bearerFor(t.app, user) });
    const res = await get(w.supervisor, w.codeA.id.toLowerCase());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      code: w.codeA.id,
      departmentId: w.deptA.id,
      departmentName: w.deptA.name,
      active: true,
      tags: { good: expect.arrayContaining(['态度热情']), bad: expect.arrayContaining(['服务态度差']) },
      // The code was made on 11-23, later than 90 days ago.
      earliest: '2026-11-23',
      latest: '2026-12-02',
      entriesMax: 500,
    });
    expect((await get(w.admin)).statusCode).toBe(200);
    expect((await get(w.headA)).statusCode).toBe(403);
    expect((await get(w.otherSupervisor)).statusCode).toBe(404);
  });

  describe('who may', () => {
    it('401 without a login, 403 for a department head, 404 for a code outside the scope (nothing stored)', async () => {
      t.clock.set(NOW);
      const body = { code: w.codeA.id, entries: [{ score: 5, date: '2026-12-01' }] };
      expect((await t.app.inject({ method: 'POST', url: '/api/ratings/paper', payload: body })).statusCode).toBe(401);
      const head = await enter(body, w.headA);
      expect(head.statusCode).toBe(403);
      const other = await enter(body, w.otherSupervisor);
      expect(other.statusCode).toBe(404);
      expect(other.json()).toMatchObject({ error: 'CodeNotFound', message: expect.any(String) });
      const unknown = await enter({ ...body, code: 'NOSUCHCODE' });
      expect(unknown.statusCode).toBe(404);
      expect(await stored()).toEqual({ ratings: 0, cases: 0, audit: 0 });
      // The other county's supervisor may enter for their own code.
      expect((await enter({ ...body, code: w.codeC.id }, w.otherSupervisor)).statusCode).toBe(201);
    });
  });

  describe('bad input: 400 naming the entry and its field in Chinese, nothing stored', () => {
    const good = { score: 5, date: '2026-12-01' };
    const cases: Array<[string, (codeId: string) => unknown, RegExp, { index: number; field: string } | null]> = [
      ['a score of 0', (c) => ({ code: c, entries: [good, { score: 0, date: '2026-12-01' }] }), /第 2 条的评价等级/, null],
      ['a score of 6', (c) => ({ code: c, entries: [good, good, { score: 6, date: '2026-12-01' }] }), /第 3 条的评价等级/, null],
      ['a score as text', (c) => ({ code: c, entries: [{ score: '5', date: '2026-12-01' }] }), /第 1 条的评价等级/, null],
      ['no score', (c) => ({ code: c, entries: [good, { date: '2026-12-01' }] }), /第 2 条的评价等级/, null],
      ['no date', (c) => ({ code: c, entries: [{ score: 5 }] }), /第 1 条的日期/, null],
      ['a comment too long', (c) => ({ code: c, entries: [{ ...good, comment: '长'.repeat(501) }] }), /第 1 条的意见建议过长/, null],
      ['no entries', (c) => ({ code: c, entries: [] }), /问卷/, null],
      ['501 entries', (c) => ({ code: c, entries: Array.from({ length: 501 }, () => good) }), /问卷选择过多/, null],
      ['an unknown channel', (c) => ({ code: c, channel: 'sms', entries: [good] }), /渠道/, null],
      [
        'a good reason on a 差评',
        (c) => ({ code: c, entries: [good, { score: 1, tags: ['态度热情'], date: '2026-12-01' }] }),
        /^第 2 条的理由「态度热情」不适用于“非常不满意”/,
        { index: 1, field: 'tags' },
      ],
      [
        'an unknown reason',
        (c) => ({ code: c, entries: [{ score: 5, tags: ['随便写的'], date: '2026-12-01' }] }),
        /^第 1 条的理由「随便写的」/,
        { index: 0, field: 'tags' },
      ],
      [
        'a date not of the form',
        (c) => ({ code: c, entries: [{ score: 5, date: '2026/12/01' }] }),
        /^第 1 条的日期格式不正确/,
        { index: 0, field: 'date' },
      ],
      [
        'a date that does not exist',
        (c) => ({ code: c, entries: [{ score: 5, date: '2026-11-31' }] }),
        /^第 1 条的日期不存在/,
        { index: 0, field: 'date' },
      ],
      [
        'a date in the future',
        (c) => ({ code: c, entries: [good, { score: 5, date: '2026-12-03' }] }),
        /^第 2 条的日期 2026-12-03 晚于今天/,
        { index: 1, field: 'date' },
      ],
      [
        'a date before the code existed',
        (c) => ({ code: c, entries: [{ score: 5, date: '2026-11-22' }] }),
        /^第 1 条的日期 2026-11-22 早于该评议码启用之日（2026-11-23）/,
        { index: 0, field: 'date' },
      ],
    ];
    for (const [what, body, message, entry] of cases) {
      it(what, async () => {
        t.clock.set(NOW);
        const res = await enter(body(w.codeA.id));
        expect(res.statusCode, res.body).toBe(400);
        const json = res.json();
        expect(json.error).toEqual(expect.any(String));
        expect(json.message).toMatch(message);
        if (entry) expect(json.entries).toEqual([{ ...entry, message: expect.stringMatching(message) }]);
        expect(await stored()).toEqual({ ratings: 0, cases: 0, audit: 0 });
      });
    }

    it('every bad entry of a batch is named at once; the good ones are not stored either', async () => {
      t.clock.set(NOW);
      const res = await enter({
        code: w.codeA.id,
        entries: [good, { score: 1, date: '2026-12-05' }, good, { score: 2, tags: ['态度热情'], date: '2026-02-30' }, good],
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        error: 'InvalidEntry',
        message: expect.stringMatching(/^第 2 条的日期 2026-12-05 晚于今天，不能录入（共 3 处错误），均未录入$/),
        entries: [
          { index: 1, field: 'date', message: expect.any(String) },
          { index: 3, field: 'tags', message: expect.stringContaining('第 4 条的理由「态度热情」') },
          { index: 3, field: 'date', message: '第 4 条的日期不存在（2026-02-30）' },
        ],
      });
      expect(await stored()).toEqual({ ratings: 0, cases: 0, audit: 0 });
    });

    it('older than the county setting limits.paperMaxAgeDays (90 by default): refused', async () => {
      // A code made long ago, so that only the window refuses.
      await writeSql(t.db, sql`UPDATE codes SET created_at = ${Date.parse('2025-01-01T00:00:00+08:00')} WHERE id = ${w.codeA.id}`);
      t.clock.set(NOW);
      const old = await enter({ code: w.codeA.id, entries: [{ score: 5, date: '2026-09-02' }] });
      expect(old.statusCode).toBe(400);
      expect(old.json().message).toMatch(/^第 1 条的日期 2026-09-02 已超过 90 天（最早可录入 2026-09-03），不再录入/);
      expect((await enter({ code: w.codeA.id, entries: [{ score: 5, date: '2026-09-03' }] })).statusCode).toBe(201);
      const set = await t.app.inject({
        method: 'PATCH',
        url: '/api/settings',
        payload: { limits: { paperMaxAgeDays: 10 } },
        headers: bearerFor(t.app, w.admin),
      });
      expect(set.statusCode, set.body).toBe(200);
      const shorter = await enter({ code: w.codeA.id, entries: [{ score: 5, date: '2026-11-21' }] });
      expect(shorter.statusCode).toBe(400);
      expect(shorter.json().message).toMatch(/已超过 10 天（最早可录入 2026-11-22）/);
    });

    it('a disabled code takes forms dated up to the day it was disabled', async () => {
      t.clock.set(NOW);
      await writeSql(
        t.db,
        sql`UPDATE codes SET active = 0, disabled_at = ${Date.parse('2026-11-27T16:00:00+08:00')} WHERE id = ${w.codeA.id}`,
      );
      const late = await enter({ code: w.codeA.id, entries: [{ score: 5, date: '2026-11-28' }] });
      expect(late.statusCode).toBe(400);
      expect(late.json().message).toMatch(/晚于该评议码停用之日（2026-11-27）/);
      expect((await enter({ code: w.codeA.id, entries: [{ score: 5, date: '2026-11-27' }] })).statusCode).toBe(201);
    });
  });
});
