// Deadlines in working days on the official calendar, overdue computed at read time with the injected
// clock, and the escalation job (docs/domain.md: overdue cases are flagged and escalated).
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { bearerFor } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';
import { badCase, drive, getJson } from './helpers.js';

const { t, w } = useTestWorld();
const at = (iso: string) => Date.parse(iso);

describe('deadlines count working days on the official calendar', () => {
  it('across the National Day holiday and its 调休 Saturday (2026)', async () => {
    const when = at('2026-09-30T16:00:00+08:00');
    t.clock.set(when);
    const { kase } = await badCase(t, w, { createdAt: when });
    // 10-01…10-07 off; 10-08 is the next working day; 10-10 (Saturday) is a 调休 working day.
    expect(kase.contactDueDate).toBe('2026-10-08');
    expect(kase.dueDate).toBe('2026-10-27');
  });

  it('with an official holiday table loaded by an administrator for a year the package does not cover', async () => {
    const when = at('2027-02-05T10:00:00+08:00'); // a Friday
    t.clock.set(when);
    const before = (await badCase(t, w, { createdAt: when })).kase;
    // No official data for 2027 yet: plain weekdays.
    expect(before.contactDueDate).toBe('2027-02-08');
    expect(before.dueDate).toBe('2027-02-26');
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/settings/holidays',
      headers: bearerFor(t.app, w.cityAdmin),
      payload: {
        year: 2027,
        holidays: ['2027-01-01', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'],
        workdays: ['2027-02-20'],
        source: '测试用安排',
      },
    });
    expect(res.statusCode).toBe(200);
    const after = (await badCase(t, w, { createdAt: when + 1000 })).kase;
    expect(after.contactDueDate).toBe('2027-02-15');
    // 02-15…02-19 (5), Saturday 02-20 (6), 02-22…02-26 (11), 03-01…03-04 (15).
    expect(after.dueDate).toBe('2027-03-04');
    // Existing cases keep the deadline they were opened with.
    expect((await firstRow<{ due_date: string }>(t.db, sql`SELECT due_date FROM cases WHERE id = ${before.id}`))?.due_date).toBe(
      '2027-02-26',
    );
  });

  it('deadline rules are settings', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/settings',
      headers: bearerFor(t.app, w.admin),
      payload: { deadlines: { contactWorkingDays: 2, caseWorkingDays: 5 } },
    });
    expect(res.statusCode).toBe(200);
    const { kase } = await badCase(t, w); // Monday 2026-11-23
    expect(kase.contactDueDate).toBe('2026-11-25');
    expect(kase.dueDate).toBe('2026-11-30');
  });
});

describe('overdue is computed with the injected clock, never stored', () => {
  it('flags contact and whole-case overdue as days pass, and clears it when closed', async () => {
    const { kase } = await badCase(t, w); // Monday 2026-11-23 10:00; contact 11-24, due 12-14
    expect(kase.contactDueDate).toBe('2026-11-24');
    expect(kase.dueDate).toBe('2026-12-14');
    const flags = async () => {
      const c = (await getJson(t, w.supervisor, `/api/cases/${kase.id}`)).json();
      return { overdue: c.overdue, contactOverdue: c.contactOverdue };
    };
    expect(await flags()).toEqual({ overdue: false, contactOverdue: false });
    t.clock.set(at('2026-11-24T23:59:00+08:00'));
    expect(await flags()).toEqual({ overdue: false, contactOverdue: false });
    t.clock.set(at('2026-11-25T00:01:00+08:00'));
    expect(await flags()).toEqual({ overdue: false, contactOverdue: true });
    await drive(t, w.supervisor, kase.id, { to: 'visited', classification: 'valid' });
    expect(await flags()).toEqual({ overdue: false, contactOverdue: false });
    t.clock.set(at('2026-12-14T23:59:00+08:00'));
    expect(await flags()).toEqual({ overdue: false, contactOverdue: false });
    t.clock.set(at('2026-12-15T00:01:00+08:00'));
    expect(await flags()).toEqual({ overdue: true, contactOverdue: false });
    expect((await getJson(t, w.supervisor, '/api/cases?overdue=true')).json().total).toBe(1);
    expect((await getJson(t, w.supervisor, '/api/cases?overdue=false')).json().total).toBe(0);
    // No column of the case changed while time passed (nothing stored stale).
    await drive(t, w.headA, kase.id, { to: 'rectifying' });
    await drive(t, w.headA, kase.id, { to: 'rectified', note: '措施' });
    await drive(t, w.supervisor, kase.id, { to: 'answered', satisfaction: 'satisfied' });
    await drive(t, w.supervisor, kase.id, { to: 'closed' });
    expect(await flags()).toEqual({ overdue: false, contactOverdue: false });
  });

  it("the supervisor's queue puts overdue cases first, then by deadline", async () => {
    const old = (await badCase(t, w, { createdAt: at('2026-10-12T10:00:00+08:00') })).kase; // due 2026-11-02
    const mid = (await badCase(t, w, { createdAt: at('2026-11-10T10:00:00+08:00') })).kase; // due 2026-12-01
    const fresh = (await badCase(t, w)).kase; // contact due 2026-11-24, due 2026-12-14
    const late = (await badCase(t, w, { createdAt: at('2026-11-20T10:00:00+08:00') })).kase; // due 2026-12-11
    const done = (await badCase(t, w, { createdAt: at('2026-10-01T10:00:00+08:00') })).kase;
    expect([old.dueDate, mid.dueDate, late.dueDate]).toEqual(['2026-11-02', '2026-12-01', '2026-12-11']);
    for (const c of [mid, late]) await drive(t, w.supervisor, c.id, { to: 'visited', classification: 'valid' });
    await drive(t, w.supervisor, done.id, { to: 'visited', classification: 'no_basis' });
    await drive(t, w.headA, done.id, { to: 'answered', note: '解释' });
    await drive(t, w.supervisor, done.id, { to: 'closed' });
    t.clock.set(at('2026-11-25T09:00:00+08:00'));
    // the queue is the work still to do: closed cases only when asked for by status
    const queue = (await getJson(t, w.supervisor, '/api/cases?sort=queue')).json().cases;
    expect(queue.map((c: { id: number }) => c.id)).toEqual([old.id, fresh.id, mid.id, late.id]);
    expect(queue.map((c: { overdue: boolean; contactOverdue: boolean }) => [c.overdue, c.contactOverdue])).toEqual([
      [true, true],
      [false, true],
      [false, false],
      [false, false],
    ]);
    const all = (await getJson(t, w.supervisor, '/api/cases?sort=queue&status=open,visited,closed')).json().cases;
    expect(all.map((c: { id: number }) => c.id)).toEqual([old.id, fresh.id, mid.id, late.id, done.id]);
    const newest = (await getJson(t, w.supervisor, '/api/cases')).json().cases.map((c: { id: number }) => c.id);
    expect(newest).toEqual([fresh.id, late.id, mid.id, old.id, done.id]);
  });
});

describe('escalation job', () => {
  it('escalates once: past the contact deadline while open, or past the whole deadline', async () => {
    const a = (await badCase(t, w)).kase;
    const b = (await badCase(t, w)).kase;
    await drive(t, w.supervisor, b.id, { to: 'visited', classification: 'valid' });
    expect(await t.services.cases.escalateOverdue()).toEqual({ escalated: 0 });

    t.clock.set(at('2026-11-25T08:00:00+08:00'));
    expect(await t.services.cases.escalateOverdue()).toEqual({ escalated: 1 });
    const ev = (await getJson(t, w.supervisor, `/api/cases/${a.id}`)).json();
    expect(ev.escalatedAt).toBe(t.clock.now());
    expect(ev.escalated).toBe(true);
    expect(ev.events.at(-1)).toMatchObject({ type: 'escalated', label: '超期督办', by: null, public: false, data: { reason: 'contact' } });
    expect(await t.services.cases.escalateOverdue()).toEqual({ escalated: 0 });

    t.clock.set(at('2026-12-15T08:00:00+08:00'));
    expect(await t.services.cases.escalateOverdue()).toEqual({ escalated: 1 });
    const evb = (await getJson(t, w.supervisor, `/api/cases/${b.id}`)).json();
    expect(evb.events.at(-1)).toMatchObject({ type: 'escalated', data: { reason: 'due' } });
    expect(evb.events.at(-1).note).toContain('2026-12-14');
    expect(await t.services.cases.escalateOverdue()).toEqual({ escalated: 0 });
  });

  it('closed cases are never escalated, and the job is registered', async () => {
    const a = (await badCase(t, w)).kase;
    await drive(t, w.supervisor, a.id, { to: 'visited', classification: 'no_basis' });
    await drive(t, w.headA, a.id, { to: 'answered', note: '解释' });
    await drive(t, w.supervisor, a.id, { to: 'closed' });
    t.clock.set(at('2027-01-30T08:00:00+08:00'));
    expect(await t.services.cases.escalateOverdue()).toEqual({ escalated: 0 });
    const names = t.services.jobs.map((j) => j.name);
    expect(names).toEqual(expect.arrayContaining(['cases.escalateOverdue', 'notifications.deliverDue', 'cases.erasePhones']));
    const job = t.services.jobs.find((j) => j.name === 'cases.escalateOverdue')!;
    expect(job.everyMs).toBeLessThanOrEqual(10 * 60_000);
  });
});
