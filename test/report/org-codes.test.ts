// Report codes (#13, item 1): an admin sets a department's 统一社会信用代码 and an org unit's 行政区划代码;
// a bad code is 400 naming what is wrong, a code another department holds 409, outside scope 404.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { bearerFor } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld();
const CODE = '11100000000013127D';
const OTHER = '11110000000021135M';

const patch = (u: { id: number; role: string }, url: string, payload: object) =>
  t.app.inject({ method: 'PATCH', url, headers: bearerFor(t.app, u), payload });
const get = async (u: { id: number; role: string }, url: string) => (await t.app.inject({ url, headers: bearerFor(t.app, u) })).json();
const audits = async (action: string) =>
  (
    await rows<{ userId: number; targetId: string; detail: unknown }>(
      t.db,
      sql`SELECT user_id AS "userId", target_id AS "targetId", detail FROM audit_log WHERE action = ${action} ORDER BY id`,
    )
  ).map((r) => ({ ...r, detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail }));

describe('PATCH /api/departments/:id { creditCode }', () => {
  it('an admin sets, normalises, lists and clears the code; each change is audited once', async () => {
    const res = await patch(w.admin, `/api/departments/${w.deptA.id}`, { creditCode: ' 1110 0000 0000 13127d ' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: w.deptA.id, creditCode: CODE });
    const listed = (await get(w.supervisor, '/api/departments')).departments;
    expect(listed.find((d: { id: number }) => d.id === w.deptA.id).creditCode).toBe(CODE);
    expect(listed.find((d: { id: number }) => d.id === w.deptB.id).creditCode).toBeNull();
    // The same code again writes nothing.
    expect((await patch(w.admin, `/api/departments/${w.deptA.id}`, { creditCode: CODE })).statusCode).toBe(200);
    const cleared = await patch(w.admin, `/api/departments/${w.deptA.id}`, { creditCode: '' });
    expect(cleared.json().creditCode).toBeNull();
    expect(await audits('department.update')).toEqual([
      {
        userId: w.admin.id,
        targetId: String(w.deptA.id),
        detail: { name: w.deptA.name, changes: { creditCode: { from: null, to: CODE } } },
      },
      {
        userId: w.admin.id,
        targetId: String(w.deptA.id),
        detail: { name: w.deptA.name, changes: { creditCode: { from: CODE, to: null } } },
      },
    ]);
  });

  it('a wrong check character is 400 with the character it should be; nothing is stored', async () => {
    const res = await patch(w.admin, `/api/departments/${w.deptA.id}`, { creditCode: '11100000000013127E' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'InvalidCreditCode', message: '统一社会信用代码校验位不符：第 18 位应为 D' });
    const short = await patch(w.admin, `/api/departments/${w.deptA.id}`, { creditCode: '1110000000001312' });
    expect(short.json()).toEqual({ error: 'InvalidCreditCode', message: '统一社会信用代码应为 18 位，现为 16 位' });
    expect((await patch(w.admin, `/api/departments/${w.deptA.id}`, { creditCode: 5 })).statusCode).toBe(400);
    expect((await get(w.admin, '/api/departments')).departments.every((d: { creditCode: unknown }) => d.creditCode === null)).toBe(true);
    expect(await audits('department.update')).toEqual([]);
  });

  it('a code another department holds is 409 naming that department', async () => {
    expect((await patch(w.cityAdmin, `/api/departments/${w.deptC.id}`, { creditCode: CODE })).statusCode).toBe(200);
    const dup = await patch(w.admin, `/api/departments/${w.deptA.id}`, { creditCode: CODE });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toEqual({ error: 'DuplicateCreditCode', message: `统一社会信用代码 ${CODE} 已属于部门「${w.deptC.name}」` });
    expect((await patch(w.admin, `/api/departments/${w.deptA.id}`, { creditCode: OTHER })).statusCode).toBe(200);
  });

  it('supervisors and heads get 403; a department outside the admin’s county 404', async () => {
    expect((await patch(w.supervisor, `/api/departments/${w.deptA.id}`, { creditCode: CODE })).statusCode).toBe(403);
    expect((await patch(w.headA, `/api/departments/${w.deptA.id}`, { creditCode: CODE })).statusCode).toBe(403);
    const outside = await patch(w.admin, `/api/departments/${w.deptC.id}`, { creditCode: CODE });
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toMatchObject({ error: 'NotFound' });
    expect((await patch(w.admin, '/api/departments/999999', { creditCode: CODE })).statusCode).toBe(404);
  });
});

describe('PATCH /api/org-units/:id { areaCode }', () => {
  it('an admin sets their county’s code, listed in GET /api/org-units and audited; a city admin sets the city’s', async () => {
    const res = await patch(w.admin, `/api/org-units/${w.county.id}`, { areaCode: '330302000000' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: w.county.id, kind: 'county', areaCode: '330302000000' });
    expect((await patch(w.cityAdmin, `/api/org-units/${w.city.id}`, { areaCode: '330300000000' })).statusCode).toBe(200);
    const units = (await get(w.cityAdmin, '/api/org-units')).orgUnits;
    expect(units.map((u: { id: number; areaCode: string | null }) => [u.id, u.areaCode])).toEqual([
      [w.city.id, '330300000000'],
      [w.county.id, '330302000000'],
      [w.otherCounty.id, null],
    ]);
    expect(await audits('org_unit.update')).toEqual([
      {
        userId: w.admin.id,
        targetId: String(w.county.id),
        detail: { name: w.county.name, changes: { areaCode: { from: null, to: '330302000000' } } },
      },
      {
        userId: w.cityAdmin.id,
        targetId: String(w.city.id),
        detail: { name: w.city.name, changes: { areaCode: { from: null, to: '330300000000' } } },
      },
    ]);
    expect((await patch(w.admin, `/api/org-units/${w.county.id}`, { areaCode: null })).json().areaCode).toBeNull();
  });

  it('a bad code is 400 naming why', async () => {
    const res = await patch(w.admin, `/api/org-units/${w.county.id}`, { areaCode: '3303020' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'InvalidAreaCode', message: '行政区划代码应为 12 位数字' });
    expect((await patch(w.admin, `/api/org-units/${w.county.id}`, { areaCode: '990302000000' })).json().message).toBe(
      '行政区划代码前两位「99」不是省级代码',
    );
    expect(await audits('org_unit.update')).toEqual([]);
  });

  it('the city above, another county and a supervisor: 404, 404, 403', async () => {
    expect((await patch(w.admin, `/api/org-units/${w.city.id}`, { areaCode: '330300000000' })).statusCode).toBe(404);
    expect((await patch(w.admin, `/api/org-units/${w.otherCounty.id}`, { areaCode: '330303000000' })).statusCode).toBe(404);
    expect((await patch(w.supervisor, `/api/org-units/${w.county.id}`, { areaCode: '330302000000' })).statusCode).toBe(403);
    expect((await patch(w.admin, '/api/org-units/999999', { areaCode: '330302000000' })).statusCode).toBe(404);
  });
});
