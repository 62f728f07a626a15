import { describe, expect, it } from 'vitest';
import { bearerFor } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld();
const ids = (body: { departments: Array<{ id: number }> }) => body.departments.map((d) => d.id).sort((a, b) => a - b);

describe('GET /api/departments is scoped', () => {
  it('a head sees only their department; a supervisor their county; a city admin every county', async () => {
    const get = async (u: { id: number; role: string }) =>
      ids((await t.app.inject({ url: '/api/departments', headers: bearerFor(t.app, u) })).json());
    expect(await get(w.headA)).toEqual([w.deptA.id]);
    expect(await get(w.headB)).toEqual([w.deptB.id]);
    expect(await get(w.supervisor)).toEqual([w.deptA.id, w.deptB.id]);
    expect(await get(w.otherSupervisor)).toEqual([w.deptC.id]);
    expect(await get(w.cityAdmin)).toEqual([w.deptA.id, w.deptB.id, w.deptC.id]);
  });
});

describe('POST /api/departments', () => {
  const create = (u: { id: number; role: string }, payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/departments', headers: bearerFor(t.app, u), payload });

  it('an admin creates a department in their county', async () => {
    const res = await create(w.admin, { orgUnitId: w.county.id, name: '县新设局' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: '县新设局', orgUnitId: w.county.id });
    const dup = await create(w.admin, { orgUnitId: w.county.id, name: '县新设局' });
    expect(dup.statusCode).toBe(409);
  });

  it('supervisors and heads get 403; an admin of another county gets 404', async () => {
    expect((await create(w.supervisor, { orgUnitId: w.county.id, name: 'x' })).statusCode).toBe(403);
    expect((await create(w.headA, { orgUnitId: w.county.id, name: 'x' })).statusCode).toBe(403);
    expect((await create(w.admin, { orgUnitId: w.otherCounty.id, name: 'x' })).statusCode).toBe(404);
  });

  it('bad bodies are 400', async () => {
    expect((await create(w.admin, { orgUnitId: 'one', name: 'x' })).statusCode).toBe(400);
    expect((await create(w.admin, { orgUnitId: w.county.id, name: '' })).statusCode).toBe(400);
    expect((await create(w.cityAdmin, { orgUnitId: w.city.id, name: '市级局' })).statusCode).toBe(400);
  });
});

describe('POST /api/users', () => {
  it('an admin creates a head for a department in scope, who can then log in', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearerFor(t.app, w.admin),
      payload: { username: 'newhead', password: 'long-enough-pw', role: 'dept_head', departmentIds: [w.deptB.id] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'newhead', role: 'dept_head', departmentIds: [w.deptB.id] });
    expect(JSON.stringify(res.json())).not.toContain('scrypt');
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'newhead', password: 'long-enough-pw' },
    });
    expect(login.statusCode).toBe(200);
  });

  it('cannot create a head for a department outside scope, nor as supervisor', async () => {
    const outside = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearerFor(t.app, w.admin),
      payload: { username: 'evil', password: 'long-enough-pw', role: 'dept_head', departmentIds: [w.deptC.id] },
    });
    expect(outside.statusCode).toBe(404);
    const asSup = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearerFor(t.app, w.supervisor),
      payload: { username: 'evil2', password: 'long-enough-pw', role: 'admin', orgUnitId: w.county.id },
    });
    expect(asSup.statusCode).toBe(403);
  });
});

describe('errors and docs', () => {
  it('unknown API routes answer 404 JSON', async () => {
    const res = await t.app.inject({ url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'NotFound' });
  });

  it('serves the OpenAPI description with every /api route', async () => {
    const res = await t.app.inject({ url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const spec = res.json();
    const paths = Object.keys(spec.paths);
    for (const route of t.app.printRoutes({ commonPrefix: false }).split('\n')) void route;
    expect(paths).toContain('/api/auth/login');
    expect(paths).toContain('/api/departments');
    expect(spec.paths['/api/departments'].get.responses['200']).toBeDefined();
  });
});
