// 申诉复核 (docs/domain.md): a department appeals a rating as 误评/恶意差评; a supervisor approves (the
// rating is excluded from statistics by a recorded decision, never deleted or edited) or rejects
// (back to 整改中). Both are visible on the timeline and in the rating's history.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow, rows } from '../../db/client.js';
import { useTestWorld } from '../helpers/factories.js';
import { badCase, drive, getJson, move } from './helpers.js';

const { t, w } = useTestWorld();
const codeDay = async (codeId: string) =>
  await firstRow<{ s1: number; real_name: number; submissions: number }>(
    t.db,
    sql`SELECT s1, real_name, submissions FROM daily_code_stats WHERE code_id = ${codeId} AND day = '2026-11-23'`,
  );
const tagDay = async () =>
  (
    await firstRow<{ count: number }>(
      t.db,
      sql`SELECT count FROM daily_tag_stats WHERE department_id = ${w.deptA.id} AND tag = '服务态度差'`,
    )
  )?.count;
const hourDay = async () =>
  await firstRow<{ total: number; bad: number }>(
    t.db,
    sql`SELECT h10 AS total, b10 AS bad FROM daily_department_stats WHERE department_id = ${w.deptA.id} AND day = '2026-11-23'`,
  );

describe('申诉复核: approving an appeal excludes the rating from statistics by a recorded decision', () => {
  it('drops the rollups by exactly one, keeps the rating, records decision + audit + history', async () => {
    const { kase, rating } = await badCase(t, w);
    await badCase(t, w); // a second 差评 that stays counted
    expect(await codeDay(w.codeA.id)).toEqual({ s1: 2, real_name: 2, submissions: 2 });
    expect(await tagDay()).toBe(2);
    expect(await hourDay()).toEqual({ total: 2, bad: 2 });

    await drive(t, w.supervisor, kase.id, { to: 'visited', classification: 'malicious', note: '同一人当天连续差评' });
    const appealed = await move(t, w.headA, kase.id, { to: 'appealed', note: '监控显示评价人未在窗口办理业务' });
    expect(appealed.json().status).toBe('appealed');
    t.clock.advance(3600_000);
    const approved = await move(t, w.supervisor, kase.id, { to: 'closed', note: '证据充分，同意申诉' });
    expect(approved.statusCode).toBe(200);
    const c = approved.json();
    expect(c).toMatchObject({ status: 'closed', classification: 'malicious', closedAt: t.clock.now() });
    expect(c.rating.excluded).toBe(true);
    expect(c.events.at(-1)).toMatchObject({
      type: 'appeal_approved',
      label: '批准申诉',
      from: 'appealed',
      to: 'closed',
      by: w.supervisor.id,
    });

    // Counted statistics lose exactly this rating; the scan funnel (submissions) keeps it.
    expect(await codeDay(w.codeA.id)).toEqual({ s1: 1, real_name: 1, submissions: 2 });
    expect(await tagDay()).toBe(1);
    expect(await hourDay()).toEqual({ total: 1, bad: 1 });
    // The rating itself is unchanged but for the exclusion marker.
    const stored = await firstRow<{ score: number; comment: string; excluded: number; phone_enc: string | null }>(
      t.db,
      sql`SELECT score, comment, excluded, phone_enc FROM ratings WHERE id = ${rating.id}`,
    );
    expect(stored).toMatchObject({ score: 1, comment: rating.comment, excluded: 1, phone_enc: rating.phoneEnc });
    const decisions = await rows<{ kind: string; case_id: number; decided_by: number }>(
      t.db,
      sql`SELECT kind, case_id, decided_by FROM rating_decisions WHERE rating_id = ${rating.id}`,
    );
    expect(decisions).toEqual([{ kind: 'exclude', case_id: kase.id, decided_by: w.supervisor.id }]);
    const audit = await rows<{ action: string; user_id: number }>(
      t.db,
      sql`SELECT action, user_id FROM audit_log WHERE action = 'rating.exclude' AND target_id = ${String(rating.id)}`,
    );
    expect(audit).toEqual([{ action: 'rating.exclude', user_id: w.supervisor.id }]);
    // Case indicators follow the counted 差评 (stats/case-flags.ts): the excluded one leaves them.
    const cs = await firstRow<{ cases: number; closed: number; open: number }>(
      t.db,
      sql`SELECT cases, closed, open FROM daily_case_stats WHERE department_id = ${w.deptA.id} AND day = '2026-11-23'`,
    );
    expect(cs).toEqual({ cases: 1, closed: 0, open: 1 });

    const history = await getJson(t, w.headA, `/api/ratings/${rating.id}/history`);
    expect(history.statusCode).toBe(200);
    const h = history.json();
    expect(h.rating).toMatchObject({ id: rating.id, excluded: true, score: 1 });
    expect(h.decisions).toEqual([
      expect.objectContaining({
        kind: 'exclude',
        caseId: kase.id,
        decidedBy: w.supervisor.id,
        decidedByName: w.supervisor.displayName,
        reason: expect.stringContaining('恶意差评'),
      }),
    ]);
    expect(h.cases).toEqual([{ id: kase.id, caseNo: kase.caseNo, kind: 'bad_rating', status: 'closed', statusLabel: '办结' }]);
    expect(h.events.map((e: { type: string }) => e.type)).toEqual(['opened', 'visited', 'appealed', 'appeal_approved']);
    expect(h.events[2]).toMatchObject({ caseNo: kase.caseNo, note: '监控显示评价人未在窗口办理业务', byName: w.headA.displayName });

    // The citizen's page says what happened without the staff's reasons.
    const pub = (await t.services.cases.publicStatus(kase.statusToken))!;
    expect(pub.events.map((e) => e.label)).toEqual([
      '已受理，等待回访',
      '已回访核实',
      '部门申请复核',
      '经复核，该评价不计入统计，案件办结',
    ]);
    expect(JSON.stringify(pub)).not.toContain('监控');

    for (const outsider of [w.headB, w.otherSupervisor]) {
      expect((await getJson(t, outsider, `/api/ratings/${rating.id}/history`)).statusCode).toBe(404);
    }
  });

  it('rejecting an appeal makes the 差评 valid and sends it to 整改中, visibly', async () => {
    const { kase, rating } = await badCase(t, w);
    await drive(t, w.supervisor, kase.id, { to: 'visited', classification: 'mistaken' });
    await drive(t, w.headA, kase.id, { to: 'appealed', note: '误评' });
    const res = await move(t, w.supervisor, kase.id, { to: 'rectifying', note: '群众确在窗口办理，申诉不成立' });
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c).toMatchObject({ status: 'rectifying', classification: 'valid' });
    expect(c.events.at(-1)).toMatchObject({
      type: 'appeal_rejected',
      label: '驳回申诉',
      note: '群众确在窗口办理，申诉不成立',
      data: { classification: 'valid', reason: '申诉未获批准（原定性：误评）' },
    });
    expect(c.rating.excluded).toBe(false);
    expect((await codeDay(w.codeA.id))?.s1).toBe(1);
    const h = (await getJson(t, w.supervisor, `/api/ratings/${rating.id}/history`)).json();
    expect(h.decisions).toEqual([]);
    expect(h.events.map((e: { type: string }) => e.type)).toContain('appeal_rejected');
    // Counted as a valid 差评 now, rectified after the measures.
    await drive(t, w.headA, kase.id, { to: 'rectified', note: '整改' });
    const cs = await firstRow<{ valid: number; valid_rectified: number }>(
      t.db,
      sql`SELECT valid, valid_rectified FROM daily_case_stats WHERE department_id = ${w.deptA.id}`,
    );
    expect(cs).toEqual({ valid: 1, valid_rectified: 1 });
  });

  it('an appeal needs its reason, and only a head may appeal; only a supervisor may decide', async () => {
    const { kase } = await badCase(t, w);
    await drive(t, w.supervisor, kase.id, { to: 'visited', classification: 'mistaken' });
    expect((await move(t, w.headA, kase.id, { to: 'appealed' })).statusCode).toBe(400);
    expect((await move(t, w.supervisor, kase.id, { to: 'appealed', note: '误评' })).statusCode).toBe(403);
    await drive(t, w.headA, kase.id, { to: 'appealed', note: '误评' });
    expect((await move(t, w.headA, kase.id, { to: 'closed' })).statusCode).toBe(403);
    expect((await move(t, w.admin, kase.id, { to: 'closed' })).statusCode).toBe(403);
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM rating_decisions`))?.n).toBe(0);
  });
});

describe("citizen's satisfaction: 不满意 may reopen the case once", () => {
  it('records satisfaction at answered; reopens once after 不满意; never again', async () => {
    const { kase } = await badCase(t, w);
    await drive(t, w.supervisor, kase.id, { to: 'visited', classification: 'valid' });
    await drive(t, w.headA, kase.id, { to: 'rectifying' });
    await drive(t, w.headA, kase.id, { to: 'rectified', note: '第一次整改' });
    expect((await move(t, w.supervisor, kase.id, { to: 'answered' })).statusCode).toBe(400);
    const answered = (
      await move(t, w.supervisor, kase.id, { to: 'answered', satisfaction: 'unsatisfied', note: '群众认为仍需改进' })
    ).json();
    expect(answered).toMatchObject({ status: 'answered', satisfaction: 'unsatisfied' });
    expect(answered.events.at(-1).data).toMatchObject({ satisfaction: 'unsatisfied', satisfactionLabel: '不满意' });
    expect(answered.allowedMoves.map((m: { action: string }) => m.action).sort()).toEqual(['办结', '重新整改'].sort());

    const reopened = (await move(t, w.supervisor, kase.id, { to: 'rectifying', note: '升级督办' })).json();
    expect(reopened).toMatchObject({ status: 'rectifying', reopenCount: 1, satisfaction: null });
    expect(reopened.events.at(-1)).toMatchObject({ type: 'reopened', label: '重新整改' });
    await drive(t, w.headA, kase.id, { to: 'rectified', note: '第二次整改' });
    const again = (await move(t, w.supervisor, kase.id, { to: 'answered', satisfaction: 'unsatisfied' })).json();
    expect(again.allowedMoves.map((m: { action: string }) => m.action)).toEqual(['办结']);
    const refused = await move(t, w.supervisor, kase.id, { to: 'rectifying' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('只能重新整改一次');
    expect((await move(t, w.supervisor, kase.id, { to: 'closed' })).json().status).toBe('closed');
    const cs = await firstRow<{ answered: number; answered_satisfied: number; closed: number; closed_on_time: number }>(
      t.db,
      sql`SELECT answered, answered_satisfied, closed, closed_on_time FROM daily_case_stats WHERE department_id = ${w.deptA.id}`,
    );
    expect(cs).toEqual({ answered: 1, answered_satisfied: 0, closed: 1, closed_on_time: 1 });
  });

  it('an explanation the citizen does not accept can be reopened into 整改, as a valid 差评', async () => {
    const { kase } = await badCase(t, w);
    await drive(t, w.supervisor, kase.id, { to: 'visited', classification: 'no_basis' });
    const answered = (await move(t, w.headA, kase.id, { to: 'answered', note: '该诉求无法律依据', satisfaction: 'unsatisfied' })).json();
    expect(answered).toMatchObject({ status: 'answered', satisfaction: 'unsatisfied' });
    const reopened = (await move(t, w.supervisor, kase.id, { to: 'rectifying' })).json();
    expect(reopened).toMatchObject({ status: 'rectifying', classification: 'valid', reopenCount: 1 });
    expect(reopened.events.at(-1).data).toMatchObject({
      classification: 'valid',
      reason: '群众不满意，重新整改（原定性：无法律依据的诉求）',
    });
    const cs = await firstRow<{ valid: number }>(t.db, sql`SELECT valid FROM daily_case_stats WHERE department_id = ${w.deptA.id}`);
    expect(cs).toEqual({ valid: 1 });
  });

  it('a satisfied answer cannot be reopened', async () => {
    const { kase } = await badCase(t, w);
    await drive(t, w.supervisor, kase.id, { to: 'visited', classification: 'valid' });
    await drive(t, w.headA, kase.id, { to: 'rectifying' });
    await drive(t, w.headA, kase.id, { to: 'rectified', note: '整改' });
    await drive(t, w.headA, kase.id, { to: 'answered', satisfaction: 'satisfied' });
    expect((await move(t, w.supervisor, kase.id, { to: 'rectifying' })).statusCode).toBe(409);
  });
});
