// Each hold rule on its own, at its threshold's edge (docs/domain.md, Rating: held ratings): the other
// rules are set out of reach, so that only the rule under test can fire.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import type { Settings } from '../../shared/api/settings.js';
import { bearerFor } from '../helpers/app.js';
import { makeCode, makeDepartment, makeRating, useTestWorld } from '../helpers/factories.js';
import { HOLD_RULES_OUT_OF_REACH } from '../helpers/limits.js';

const { t, w } = useTestWorld({ now: Date.parse('2026-11-23T08:00:00+08:00') });
let n = 0;
const fresh = () => `phone${String(++n).padStart(8, '0')}`;
const post = (code: string, payload: object, ip = '10.5.5.5') =>
  t.app.inject({ method: 'POST', url: `/api/codes/${code}/ratings`, payload, remoteAddress: ip });

async function only(limits: Partial<Settings['limits']>) {
  const res = await t.app.inject({
    method: 'PATCH',
    url: '/api/settings',
    headers: bearerFor(t.app, w.admin),
    payload: { limits: { ...HOLD_RULES_OUT_OF_REACH, ...limits } },
  });
  expect(res.statusCode).toBe(200);
}

/** Each rating 11 minutes after the one before: no burst window holds two of them. */
async function rate(code: string, body: object, ip?: string) {
  const res = await post(code, body, ip);
  expect(res.statusCode).toBe(201);
  t.clock.advance(11 * 60_000);
  return res.json().id as number;
}

const stored = async () =>
  rows<{ id: number; held: number; flag_reason: string | null }>(t.db, sql`SELECT id, held, flag_reason FROM ratings ORDER BY id`);
const heldIds = async () => (await stored()).filter((r) => r.held === 1).map((r) => r.id);
const verify = async () => expect((await t.services.stats.verifyRollups()).ok).toBe(true);

describe('hold rules, one by one', () => {
  it('network_burst: more than burstPerNetwork from one network within the window', async () => {
    await only({ burstPerNetwork: 3, burstWindowMinutes: 10 });
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await post(w.codeA.id, { score: 5, clientId: fresh() })).json().id);
      t.clock.advance(60_000);
    }
    expect(await heldIds()).toEqual([]);
    ids.push((await post(w.codeA.id, { score: 5, clientId: fresh() })).json().id);
    expect(await heldIds()).toEqual(ids);
    expect((await stored()).every((r) => r.flag_reason === 'network_burst')).toBe(true);
    // Past the window, a new rating of the network starts afresh.
    t.clock.advance(11 * 60_000);
    await post(w.codeA.id, { score: 5, clientId: fresh() });
    expect(await heldIds()).toEqual(ids);
    await verify();
  });

  it('device_burst: more than burstPerDevice from one device within the window', async () => {
    await only({ burstPerDevice: 2, burstWindowMinutes: 10 });
    const codes = [w.codeA, await makeCode(t.db, { departmentId: w.deptA.id }), await makeCode(t.db, { departmentId: w.deptA.id })];
    const phone = fresh();
    for (const c of codes.slice(0, 2)) {
      await post(c.id, { score: 5, clientId: phone }, `10.5.5.${codes.indexOf(c) + 10}`);
      t.clock.advance(60_000);
    }
    expect(await heldIds()).toEqual([]);
    await post(codes[2]!.id, { score: 5, clientId: phone }, '10.5.5.30');
    expect((await heldIds()).length).toBe(3);
    expect((await stored())[2]!.flag_reason).toBe('device_burst');
    await verify();
  });

  it('network_bad_flood: more than burstBadPerNetwork 差评 from one network within the window; good ratings beside them stay', async () => {
    await only({ burstBadPerNetwork: 2, burstWindowMinutes: 10 });
    const good = (await post(w.codeA.id, { score: 5, clientId: fresh() })).json().id;
    const bad: number[] = [];
    for (let i = 0; i < 2; i++) bad.push((await post(w.codeA.id, { score: 1, clientId: fresh() })).json().id);
    expect(await heldIds()).toEqual([]);
    bad.push((await post(w.codeA.id, { score: 2, clientId: fresh() })).json().id);
    expect(await heldIds()).toEqual(bad);
    expect(await heldIds()).not.toContain(good);
    expect((await stored()).find((r) => r.id === bad[2])!.flag_reason).toBe('network_bad_flood');
    await verify();
  });

  it("network_department_day: more than max(networkDayMin, networkDayFactor × the department's daily mean) in a day", async () => {
    // 56 counted ratings over the last 28 days: 2 a day; limit max(5, 3 × 2) = 6.
    for (let d = 1; d <= 28; d++)
      for (let i = 0; i < 2; i++) await makeRating(t.services, { codeId: w.codeA.id, score: 4, createdAt: t.clock.now() - d * 86_400_000 });
    await only({ networkDayMin: 5, networkDayFactor: 3 });
    const before = (await stored()).length;
    const elsewhere = await rate(w.codeB.id, { score: 5, clientId: fresh() });
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(await rate(w.codeA.id, { score: 5, clientId: fresh() }));
    expect(await heldIds()).toEqual([]);
    ids.push(await rate(w.codeA.id, { score: 5, clientId: fresh() }));
    // The day's ratings of that network in that department are held; its rating of another department is not.
    expect(await heldIds()).toEqual(ids);
    expect(await heldIds()).not.toContain(elsewhere);
    expect(
      (await stored())
        .slice(before)
        .filter((r) => r.held)
        .every((r) => r.flag_reason === 'network_department_day'),
    ).toBe(true);
    await verify();
  });

  it('network_department_day: a department with a larger usual volume takes more before anything is held', async () => {
    for (let d = 1; d <= 28; d++)
      for (let i = 0; i < 4; i++) await makeRating(t.services, { codeId: w.codeA.id, score: 4, createdAt: t.clock.now() - d * 86_400_000 });
    // 4 a day; limit max(5, 3 × 4) = 12.
    await only({ networkDayMin: 5, networkDayFactor: 3 });
    for (let i = 0; i < 12; i++) await rate(w.codeA.id, { score: 5, clientId: fresh() });
    expect(await heldIds()).toEqual([]);
    await rate(w.codeA.id, { score: 5, clientId: fresh() });
    expect((await heldIds()).length).toBe(13);
  });

  it('device_department_day: one device rating one department more than deviceDepartmentPerDay times in a day', async () => {
    await only({ deviceDepartmentPerDay: 2 });
    const codes = [w.codeA, await makeCode(t.db, { departmentId: w.deptA.id }), await makeCode(t.db, { departmentId: w.deptA.id })];
    const phone = fresh();
    const other = await rate(w.codeB.id, { score: 5, clientId: phone }, '10.5.6.1');
    await rate(codes[0]!.id, { score: 5, clientId: phone }, '10.5.6.2');
    await rate(codes[1]!.id, { score: 4, clientId: phone }, '10.5.6.3');
    expect(await heldIds()).toEqual([]);
    await rate(codes[2]!.id, { score: 5, clientId: phone }, '10.5.6.4');
    const held = await heldIds();
    expect(held).toHaveLength(3);
    expect(held).not.toContain(other);
    await verify();
  });

  it('device_many_windows: one device rating more than deviceCodesPerDay windows in a day', async () => {
    await only({ deviceCodesPerDay: 3 });
    const phone = fresh();
    for (const c of [w.codeA, w.codeB, await makeCode(t.db, { departmentId: w.deptB.id })]) await rate(c.id, { score: 5, clientId: phone });
    expect(await heldIds()).toEqual([]);
    await rate((await makeCode(t.db, { departmentId: w.deptA.id })).id, { score: 5, clientId: phone });
    expect((await heldIds()).length).toBe(4);
    expect((await stored()).at(-1)!.flag_reason).toBe('device_many_windows');
    // The next day the device starts afresh.
    t.clock.set(Date.parse('2026-11-24T09:00:00+08:00'));
    await rate(w.codeA.id, { score: 5, clientId: phone });
    expect((await heldIds()).length).toBe(4);
    await verify();
  });

  it('device_many_departments: one device rating more than deviceDepartmentsPerDay departments in a day', async () => {
    await only({ deviceDepartmentsPerDay: 2 });
    const third = await makeDepartment(t.db, { orgUnitId: w.county.id });
    const phone = fresh();
    await rate(w.codeA.id, { score: 5, clientId: phone });
    await rate(w.codeB.id, { score: 5, clientId: phone });
    expect(await heldIds()).toEqual([]);
    await rate((await makeCode(t.db, { departmentId: third.id })).id, { score: 5, clientId: phone });
    expect((await heldIds()).length).toBe(3);
    expect((await stored()).at(-1)!.flag_reason).toBe('device_many_departments');
    await verify();
  });

  it('network_bare_devices: many devices of one network whose only ratings are 5★ without a reason', async () => {
    await only({ bareDevicesMin: 3, bareDevicesFactor: 0, bareDevicesPercent: 90 });
    const detailed = await rate(w.codeA.id, { score: 5, tags: ['态度热情'], clientId: fresh() });
    const bare: number[] = [];
    for (let i = 0; i < 3; i++) bare.push(await rate(w.codeA.id, { score: 5, clientId: fresh() }));
    expect(await heldIds()).toEqual([]);
    // 4 bare devices of 5 is 80 %: below 90 %, nothing is held.
    bare.push(await rate(w.codeA.id, { score: 5, clientId: fresh() }));
    expect(await heldIds()).toEqual([]);
    for (let i = 0; i < 5; i++) bare.push(await rate(w.codeA.id, { score: 5, clientId: fresh() }));
    // 9 of 10 = 90 %: the bare ones are held, the one with a reason is not.
    expect(await heldIds()).toEqual(bare);
    expect(await heldIds()).not.toContain(detailed);
    expect((await stored()).at(-1)!.flag_reason).toBe('network_bare_devices');
    await verify();
  });

  it('a released rating is not taken back into hold when the rule fires again', async () => {
    await only({ burstPerNetwork: 2, burstWindowMinutes: 10 });
    for (let i = 0; i < 3; i++) await post(w.codeA.id, { score: 5, clientId: fresh() });
    const first = await heldIds();
    expect(first).toHaveLength(3);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/ratings/decisions',
      headers: bearerFor(t.app, w.supervisor),
      payload: { ids: first, decision: 'release', reason: '核实为真实评价' },
    });
    expect(res.json()).toEqual({ affected: 3 });
    // The same burst goes on: new ratings are held; the released ones keep their decision.
    await post(w.codeA.id, { score: 5, clientId: fresh() });
    const now = await heldIds();
    expect(now).toHaveLength(1);
    expect(now).not.toContain(first[0]);
    await verify();
  });
});
