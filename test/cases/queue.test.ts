// The supervisor's queue (GET /api/cases?sort=queue) is read group by group in index order (issue 7):
// every page, filter and scope must still be exactly the queue order — past the whole deadline first,
// then open 差评 past their contact deadline, then the rest, closed last; each by deadline, then id.
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { assignUserDepartments, departmentScopeUnder } from '../../db/queries/org.js';
import { makeCity, makeCode, makeDepartment, makeRating, useTestWorld } from '../helpers/factories.js';
import { drive, getJson, type UserLike } from './helpers.js';

const DAY = 86_400_000;
const { t, w } = useTestWorld(); // today: Monday 2026-11-23

interface Row {
  id: number;
  status: string;
  departmentId: number;
  dueDate: string;
  contactDueDate: string;
}

beforeEach(async () => {
  let seed = 99;
  const pick = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const codes = [w.codeA, w.codeB, w.codeC];
  for (let i = 0; i < 70; i++) {
    // Several 差评 a day over the last five weeks: deadlines shared by many cases (ties by id).
    const createdAt = t.clock.now() - pick(36) * DAY - pick(8) * 3_600_000;
    const code = codes[pick(3)]!;
    const r = await makeRating(t.services, { codeId: code.id, score: 1 + pick(2), createdAt, phone: '13912345678' });
    const step = pick(5);
    const head = code.departmentId === w.deptA.id ? w.headA : code.departmentId === w.deptB.id ? w.headB : null;
    if (step === 0 || !head) continue; // stays open
    await drive(t, head, r.case!.id, { to: 'visited', classification: step === 4 ? 'no_basis' : 'valid', note: '已回访' });
    if (step === 2) await drive(t, head, r.case!.id, { to: 'rectifying' });
    if (step === 3) {
      await drive(t, head, r.case!.id, { to: 'rectifying' });
      await drive(t, head, r.case!.id, { to: 'rectified', note: '已整改' });
    }
    if (step === 4) {
      await drive(t, head, r.case!.id, { to: 'answered', note: '已解释', satisfaction: 'basic' });
      await drive(t, w.supervisor, r.case!.id, { to: 'closed' });
    }
  }
});

const TODAY = '2026-11-23';

async function allCases(): Promise<Row[]> {
  return await rows<Row>(
    t.db,
    sql`SELECT id, status, department_id AS "departmentId", due_date AS "dueDate", contact_due_date AS "contactDueDate" FROM cases`,
  );
}

function queueOrder(rows: Row[]): number[] {
  const group = (c: Row) => (c.status === 'closed' ? 3 : c.dueDate < TODAY ? 0 : c.status === 'open' && c.contactDueDate < TODAY ? 1 : 2);
  return [...rows]
    .sort((a, b) => group(a) - group(b) || (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0) || a.id - b.id)
    .map((c) => c.id);
}

async function page(user: UserLike, qs: string): Promise<{ ids: number[]; total: number }> {
  const res = await getJson(t, user, `/api/cases?sort=queue&${qs}`);
  expect(res.statusCode, qs).toBe(200);
  const body = res.json();
  return { ids: body.cases.map((c: { id: number }) => c.id), total: body.total };
}

describe('GET /api/cases?sort=queue', () => {
  it('the data set reaches every queue group', async () => {
    const rows = (await allCases()).filter((c) => c.departmentId !== w.deptC.id);
    expect(rows.some((c) => c.status !== 'closed' && c.dueDate < TODAY)).toBe(true);
    expect(rows.some((c) => c.status === 'open' && c.dueDate >= TODAY && c.contactDueDate < TODAY)).toBe(true);
    expect(rows.some((c) => c.status !== 'closed' && c.dueDate >= TODAY && !(c.status === 'open' && c.contactDueDate < TODAY))).toBe(true);
    expect(rows.some((c) => c.status === 'closed')).toBe(true);
  });

  const filters: [string, (c: Row) => boolean][] = [
    ['', (c) => c.status !== 'closed'],
    ['status=open', (c) => c.status === 'open'],
    ['status=open,visited,closed', (c) => ['open', 'visited', 'closed'].includes(c.status)],
    ['status=closed', (c) => c.status === 'closed'],
    ['status=open,visited,rectifying,appealed,rectified,answered,closed', () => true],
    ['overdue=true', (c) => c.status !== 'closed' && c.dueDate < TODAY],
    ['overdue=false', (c) => c.status !== 'closed' && c.dueDate >= TODAY],
  ];

  it.each(filters)('every page of the queue (%s) is the queue order, for a supervisor and a head', async (qs, keep) => {
    for (const [user, scope] of [
      [w.supervisor, [w.deptA.id, w.deptB.id]],
      [w.headA, [w.deptA.id]],
    ] as const) {
      const expected = queueOrder((await allCases()).filter((c) => scope.includes(c.departmentId) && keep(c)));
      for (const [limit, offset] of [
        [50, 0],
        [7, 0],
        [7, 7],
        [5, 23],
        [10, expected.length - 3],
        [10, expected.length + 5],
      ] as const) {
        if (offset < 0) continue;
        const got = await page(user, `${qs}&limit=${limit}&offset=${offset}`);
        expect(got.ids, `${qs} limit ${limit} offset ${offset}`).toEqual(expected.slice(offset, offset + limit));
        expect(got.total).toBe(expected.length);
      }
    }
  });

  it('one department of the scope, and the to-do list, keep the order', async () => {
    const expected = queueOrder((await allCases()).filter((c) => c.departmentId === w.deptB.id && c.status !== 'closed'));
    expect((await page(w.supervisor, `departmentId=${w.deptB.id}&limit=200`)).ids).toEqual(expected);
    const todo = await page(w.supervisor, 'actionable=true&limit=200');
    expect(todo.ids.length).toBeGreaterThan(0);
    const order = queueOrder((await allCases()).filter((c) => todo.ids.includes(c.id)));
    expect(todo.ids).toEqual(order);
  });
});

describe('the lists of the top of the whole tree', () => {
  // An administrator of the unit above every department reads the case lists without a department
  // condition (Actor.everyDepartment): the same cases as with one, and never a department the unit
  // does not hold, such as one of a second top-level unit.
  async function newest(user: UserLike, qs: string): Promise<{ ids: number[]; total: number }> {
    const res = await getJson(t, user, `/api/cases?${qs}`);
    expect(res.statusCode, qs).toBe(200);
    const body = res.json();
    return { ids: body.cases.map((c: { id: number }) => c.id), total: body.total };
  }
  async function byNewest(): Promise<number[]> {
    return (await rows<{ id: number }>(t.db, sql`SELECT id FROM cases ORDER BY created_at DESC, id DESC`)).map((c) => c.id);
  }

  it('hold every department of the tree, and stop holding a second top-level unit’s', async () => {
    expect(await departmentScopeUnder(t.db, w.city.id)).toEqual({ ids: expect.any(Array), every: true });
    expect((await departmentScopeUnder(t.db, w.county.id)).every).toBe(false);
    // A head assigned every department there is still lists by the head's departments (never the flag).
    await t.db.transaction((tx) => assignUserDepartments(tx, w.headA.id, [w.deptA.id, w.deptB.id, w.deptC.id]));
    const head = (await t.services.auth.resolveActor(w.headA.id))!;
    expect(head.departmentIds.size).toBe(3);
    expect(head.everyDepartment).toBe(false);
    const all = await allCases();
    expect(new Set(all.map((c) => c.departmentId))).toEqual(new Set([w.deptA.id, w.deptB.id, w.deptC.id]));
    const unclosed = queueOrder(all.filter((c) => c.status !== 'closed'));
    expect(await page(w.cityAdmin, 'limit=200')).toEqual({ ids: unclosed, total: unclosed.length });
    const everyCase = await byNewest();
    expect(await newest(w.cityAdmin, 'limit=200')).toEqual({ ids: everyCase, total: all.length });

    // A second top-level unit, with a department and a 差评 of its own.
    const other = await makeCity(t.db);
    const dept = await makeDepartment(t.db, { orgUnitId: other.id });
    const code = await makeCode(t.db, { departmentId: dept.id });
    const outside = await makeRating(t.services, { codeId: code.id, score: 1, createdAt: t.clock.now(), phone: '13912345678' });
    expect(outside.case).toBeTruthy();
    expect((await departmentScopeUnder(t.db, w.city.id)).every).toBe(false);
    expect(await page(w.cityAdmin, 'limit=200')).toEqual({ ids: unclosed, total: unclosed.length });
    expect(await newest(w.cityAdmin, 'limit=200')).toEqual({ ids: everyCase, total: all.length });
    expect((await newest(w.cityAdmin, 'status=open&limit=200')).ids).not.toContain(outside.case!.id);
    expect((await getJson(t, w.cityAdmin, `/api/cases/${outside.case!.id}`)).statusCode).toBe(404);
  });
});
