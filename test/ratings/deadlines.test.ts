import { afterEach, describe, expect, it } from 'vitest';
import { bearerFor, makeTestApp, type TestApp } from '../helpers/app.js';
import { makeWorld } from '../helpers/factories.js';

let t: TestApp;
afterEach(() => t.close());

async function rateAt(iso: string) {
  t = await makeTestApp({ now: Date.parse(iso) });
  const w = await makeWorld(t.db);
  const rate = () =>
    t.app.inject({
      method: 'POST',
      url: `/api/codes/${w.codeA.id}/ratings`,
      payload: { score: 1, clientId: `dev${Math.random().toString(36).slice(2, 12)}` },
    });
  return { w, rate };
}

describe('差评必查 deadlines on the official working-day calendar', () => {
  it('counts 15 working days across the 2026 National Day holiday: 2026-09-28 → 2026-10-23', async () => {
    const { rate } = await rateAt('2026-09-28T15:00:00+08:00');
    const res = await rate();
    expect(res.json().followUp).toMatchObject({ dueDate: '2026-10-23', contactDueDate: '2026-09-29' });
  });

  it('the receipt promises a call by the contact deadline only to a citizen who left a phone; the retry says the same', async () => {
    const { w } = await rateAt('2026-09-28T15:00:00+08:00');
    const named = { score: 2, phone: '13812345678', consent: true, clientId: 'devnamed0001', idempotencyKey: 'named-key-01' };
    const first = await t.app.inject({ method: 'POST', url: `/api/codes/${w.codeA.id}/ratings`, payload: named });
    expect(first.json().followUp.promise).toBe('我们将在 1 个工作日内（9月29日前）联系您，10月23日前办结');
    const retry = await t.app.inject({ method: 'POST', url: `/api/codes/${w.codeA.id}/ratings`, payload: named });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().followUp.promise).toBe(first.json().followUp.promise);
    const anonymous = await t.app.inject({
      method: 'POST',
      url: `/api/codes/${w.codeB.id}/ratings`,
      payload: { score: 1, clientId: 'devanon00001' },
    });
    expect(anonymous.json().followUp.promise).toBe('您未留电话，我们不会回访；部门将核实并整改，10月23日前办结，可凭受理编号查看进度');
  });

  it('the contact deadline skips the holiday: a rating on 2026-09-30 must be contacted by 2026-10-09', async () => {
    const { rate } = await rateAt('2026-09-30T11:00:00+08:00');
    // 10-01..10-07 are holidays, 10-08 (Thursday) is the first working day after them? check the calendar:
    const res = await rate();
    const cal = t.services.settings.calendar();
    expect(res.json().followUp.contactDueDate).toBe(cal.addWorkingDays('2026-09-30', 1));
    expect(res.json().followUp.contactDueDate > '2026-10-07').toBe(true);
  });

  it('the rating day is the China calendar day (23:30 UTC on the 27th is already the 28th in Beijing)', async () => {
    const { rate } = await rateAt('2026-09-27T23:30:00Z');
    expect((await rate()).json().followUp.caseNo).toMatch(/^CP20260928-/);
  });

  it('a 2027 holiday table loaded by an admin is preferred over plain weekdays, and admins are warned until then', async () => {
    const { w, rate } = await rateAt('2027-09-28T10:00:00+08:00');
    const warn = await t.app.inject({ url: '/api/settings/holidays', headers: bearerFor(t.app, w.admin) });
    expect(warn.json().warnings.join()).toContain('2027');
    const before = (await rate()).json().followUp.dueDate;
    // without data 2027 counts Monday–Friday only: 15 working days after Tuesday 2027-09-28 is 2027-10-19
    expect(before).toBe('2027-10-19');
    const load = await t.app.inject({
      method: 'PUT',
      url: '/api/settings/holidays',
      headers: bearerFor(t.app, w.cityAdmin),
      payload: {
        year: 2027,
        holidays: ['2027-01-01', '2027-10-01', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07'],
        workdays: ['2027-09-26', '2027-10-09'],
        source: '测试用节假日表',
      },
    });
    expect(load.statusCode).toBe(200);
    const after = (await rate()).json().followUp.dueDate;
    // five weekday holidays push the deadline back; the 调休 Saturday 10-09 pulls it one day in
    expect(after).toBe(t.services.settings.calendar().addWorkingDays('2027-09-28', 15));
    expect(after).toBe('2027-10-25');
    const noWarn = await t.app.inject({ url: '/api/settings/holidays', headers: bearerFor(t.app, w.admin) });
    expect(noWarn.json().warnings.join()).not.toContain('2027 年');
  });

  it('a malformed holiday table is refused with the reasons, and only the top-level admin may load one', async () => {
    const { w } = await rateAt('2026-11-23T10:00:00+08:00');
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/settings/holidays',
      headers: bearerFor(t.app, w.cityAdmin),
      payload: { year: 2027, holidays: ['2027-02-30'], workdays: ['2027-10-06'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('2027-02-30');
    const sup = await t.app.inject({
      method: 'PUT',
      url: '/api/settings/holidays',
      headers: bearerFor(t.app, w.supervisor),
      payload: { year: 2027, holidays: ['2027-01-01'], workdays: [] },
    });
    expect(sup.statusCode).toBe(403);
  });
});
