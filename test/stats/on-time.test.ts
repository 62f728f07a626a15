// 按期办结率 (docs/domain.md, Indicators) = closed within the deadline / (closed + the period's 差评 still
// open and past their deadline today). An overdue open case is already late: a department that closed
// one case on time and left another overdue is at 50 %, not 100 %. overdueOpen is counted from the cases
// (it changes with the date), everywhere the figure is shown; the rollups still equal their recount.
import { describe, expect, it } from 'vitest';
import { drive, getJson, PHONE } from '../cases/helpers.js';
import { makeRating, useTestWorld } from '../helpers/factories.js';

const DAY = 86_400_000;
const { t, w } = useTestWorld(); // today: Monday 2026-11-23
const RANGE = 'from=2026-11-01&to=2026-11-30';

async function bad(createdAt: number) {
  return (await makeRating(t.services, { codeId: w.codeA.id, score: 1, phone: PHONE, createdAt, comment: '态度差' })).case!;
}

async function closeNow(id: number) {
  await drive(t, w.headA, id, { to: 'visited', classification: 'no_basis', note: '已核实' });
  await drive(t, w.headA, id, { to: 'answered', note: '已解释', satisfaction: 'basic' });
  await drive(t, w.supervisor, id, { to: 'closed' });
}

describe('按期办结率 counts overdue open cases as late', () => {
  it('one closed on time, one open past its deadline, one open within it: 50 %, in every view of the figure', async () => {
    const onTime = await bad(Date.parse('2026-11-20T09:00:00+08:00'));
    await closeNow(onTime.id);
    const overdue = await bad(Date.parse('2026-11-01T09:00:00+08:00')); // due 2026-11-20: overdue today
    expect(overdue.dueDate < '2026-11-23').toBe(true);
    await bad(t.clock.now() - 3_600_000); // open, not yet due: not counted either way
    // Another county's overdue case: in its own scope and its city's, never in this county's.
    await makeRating(t.services, { codeId: w.codeC.id, score: 1, phone: PHONE, createdAt: Date.parse('2026-11-01T09:00:00+08:00') });

    const department = (await getJson(t, w.supervisor, `/api/stats/departments?${RANGE}`))
      .json()
      .departments.find((d: { id: number }) => d.id === w.deptA.id);
    expect(department).toMatchObject({ closed: 1, closedOnTime: 1, overdueOpen: 1, onTimeRate: 0.5 });
    const summary = (await getJson(t, w.supervisor, `/api/stats/summary?${RANGE}`)).json();
    expect(summary).toMatchObject({ closed: 1, closedOnTime: 1, overdueOpen: 1, onTimeRate: 0.5 });
    expect(summary.orgUnits.find((u: { id: number }) => u.id === w.county.id)).toMatchObject({ overdueOpen: 1, onTimeRate: 0.5 });
    const cases = (await getJson(t, w.supervisor, `/api/stats/cases?${RANGE}`)).json();
    // Today's unclosed and overdue cases: the county's two open ones, not the other county's.
    expect(cases).toMatchObject({ overdueOpen: 1, onTimeRate: 0.5, overdue: 1, unclosed: 2 });
    expect(cases.departments.find((d: { id: number }) => d.id === w.deptA.id)).toMatchObject({ unclosed: 2, overdue: 1 });
    expect((await getJson(t, w.cityAdmin, `/api/stats/cases?${RANGE}`)).json()).toMatchObject({ overdue: 2, unclosed: 3 });
    const trend = (await getJson(t, w.supervisor, `/api/stats/trend?${RANGE}&granularity=month`)).json();
    expect(trend.points[0]).toMatchObject({ overdueOpen: 1, onTimeRate: 0.5 });
    const other = (await getJson(t, w.otherSupervisor, `/api/stats/summary?${RANGE}`)).json();
    expect(other).toMatchObject({ overdueOpen: 1, closed: 0 });
    const city = (await getJson(t, w.cityAdmin, `/api/stats/summary?${RANGE}`)).json();
    expect(city).toMatchObject({ overdueOpen: 2, closed: 1 });
    expect(city.orgUnits.find((u: { id: number }) => u.id === w.city.id)).toMatchObject({ overdueOpen: 2 });
    expect((await getJson(t, w.cityAdmin, `/api/stats/trend?${RANGE}&granularity=month`)).json().points[0]).toMatchObject({
      overdueOpen: 2,
    });
    const csv = (await getJson(t, w.supervisor, `/api/stats/export.csv?${RANGE}`)).body;
    expect(csv.split('\n')[0]).toContain('逾期未办结');
    const pub = (await t.app.inject({ url: '/api/public/rankings?month=2026-11' })).json();
    expect(pub.departments.find((d: { overdueOpen: number }) => d.overdueOpen === 1)).toMatchObject({ onTimeRate: 0.5 });

    // Closed late: no longer open, still late.
    await closeNow(overdue.id);
    const after = (await getJson(t, w.supervisor, `/api/stats/summary?${RANGE}`)).json();
    expect(after).toMatchObject({ closed: 2, closedOnTime: 1, overdueOpen: 0, onTimeRate: 0.5 });
    expect((await t.services.stats.verifyRollups()).ok).toBe(true);
  });

  it('a case becomes overdue as days pass: the figure of the same period changes with the date', async () => {
    const c = await bad(Date.parse('2026-11-20T09:00:00+08:00'));
    const rate = async () => (await getJson(t, w.supervisor, `/api/stats/summary?${RANGE}`)).json();
    expect(await rate()).toMatchObject({ overdueOpen: 0, onTimeRate: null });
    t.clock.set(Date.parse(`${c.dueDate}T10:00:00+08:00`) + DAY);
    expect(await rate()).toMatchObject({ overdueOpen: 1, onTimeRate: 0 });
  });
});
