// Every staff route × every role × a user of another department and county, generated from the
// OpenAPI route table: a route added later is in the matrix without anyone remembering it.

import { sql } from 'drizzle-orm';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, firstRow, rows } from '../../db/client.js';
import { bearerFor, makeTestApp, type TestApp } from '../helpers/app.js';
import { makeCity, makeCode, makeCounty, makeDepartment, makeRating, makeUser } from '../helpers/factories.js';

type Unit = 'A' | 'B' | 'C';
interface Op {
  method: string;
  path: string;
  pathParams: string[];
  query: Record<string, { required: boolean }>;
  bodySchema: Record<string, unknown> | null;
}

const PHONES: Record<Unit, string> = { A: '13811110001', B: '13822220002', C: '13833330003' };
let t: TestApp;
let ops: Op[];
const world = {} as {
  dept: Record<Unit, number>;
  county: Record<Unit, number>;
  code: Record<Unit, string>;
  rating: Record<Unit, number>;
  kase: Record<Unit, number>;
  webhook: Record<Unit, number>;
  integration: Record<Unit, number>;
  /** A finished 办件 of each unit (its 办件编号), with the unit's phone as the applicant's. */
  matter: Record<Unit, string>;
  kiosk: Record<Unit, number>;
  /** A 办事指南 of each unit's department. */
  guide: Record<Unit, number>;
  /** A 金点子 about each unit's window, with the unit's phone as its contact. */
  suggestion: Record<Unit, number>;
  /** A user of each unit whom the user routes act on (disable, reset): none of the callers below. */
  target: Record<Unit, number>;
  users: Array<{ name: string; user: { id: number; role: string }; sees: Unit[] }>;
  /** A 特邀监督员 of county A and B: every staff route but their own answers 403. */
  observer: { id: number; role: string };
};

beforeAll(async () => {
  // The webhooks point at 127.0.0.1: allowed only with WEBHOOK_ALLOW_PRIVATE=true.
  t = await makeTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
  const db = t.db;
  const city = await makeCity(db);
  const county = await makeCounty(db, { parentId: city.id });
  const other = await makeCounty(db, { parentId: city.id });
  const deptA = await makeDepartment(db, { orgUnitId: county.id, name: 'SECRET_A 县甲局' });
  const deptB = await makeDepartment(db, { orgUnitId: county.id, name: 'SECRET_B 县乙局' });
  const deptC = await makeDepartment(db, { orgUnitId: other.id, name: 'SECRET_C 外县局' });
  world.dept = { A: deptA.id, B: deptB.id, C: deptC.id };
  world.county = { A: county.id, B: county.id, C: other.id };
  world.code = {} as Record<Unit, string>;
  world.rating = {} as Record<Unit, number>;
  world.kase = {} as Record<Unit, number>;
  for (const u of ['A', 'B', 'C'] as Unit[]) {
    const code = await makeCode(db, { departmentId: world.dept[u], location: `SECRET_${u} 窗口` });
    world.code[u] = code.id;
    const bad = await makeRating(t.services, {
      codeId: code.id,
      score: 1,
      phone: PHONES[u],
      comment: `SECRET_${u} 评论`,
      tags: ['服务态度差'],
    });
    world.rating[u] = bad.rating.id;
    world.kase[u] = bad.case!.id;
    await makeRating(t.services, { codeId: code.id, score: 5, phone: PHONES[u], comment: `SECRET_${u} 表扬` });
  }
  const admin = await makeUser(db, { role: 'admin', orgUnitId: county.id });
  const otherAdmin = await makeUser(db, { role: 'admin', orgUnitId: other.id });
  const cityAdmin = await makeUser(db, { role: 'admin', orgUnitId: city.id });
  const supervisor = await makeUser(db, { role: 'supervisor', orgUnitId: county.id });
  const otherSupervisor = await makeUser(db, { role: 'supervisor', orgUnitId: other.id });
  const headA = await makeUser(db, { role: 'dept_head', departmentIds: [deptA.id] });
  const headB = await makeUser(db, { role: 'dept_head', departmentIds: [deptB.id] });
  world.target = {
    A: (await makeUser(db, { role: 'dept_head', departmentIds: [deptA.id] })).id,
    B: (await makeUser(db, { role: 'dept_head', departmentIds: [deptB.id] })).id,
    C: (await makeUser(db, { role: 'supervisor', orgUnitId: other.id })).id,
  };
  world.observer = await makeUser(db, { role: 'observer', orgUnitId: county.id });
  world.users = [
    { name: 'admin', user: admin, sees: ['A', 'B'] },
    { name: 'otherAdmin', user: otherAdmin, sees: ['C'] },
    { name: 'cityAdmin', user: cityAdmin, sees: ['A', 'B', 'C'] },
    { name: 'supervisor', user: supervisor, sees: ['A', 'B'] },
    { name: 'otherSupervisor', user: otherSupervisor, sees: ['C'] },
    { name: 'headA', user: headA, sees: ['A'] },
    { name: 'headB', user: headB, sees: ['B'] },
  ];
  // one webhook per county, named with its county's secret
  world.webhook = {} as Record<Unit, number>;
  for (const [u, who] of [
    ['A', admin],
    ['C', otherAdmin],
  ] as const) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: bearerFor(t.app, who),
      payload: { name: `SECRET_${u} 机器人`, kind: 'wecom', url: 'http://127.0.0.1:9/hook', events: ['bad_rating'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    world.webhook[u] = res.json().id;
  }
  world.webhook.B = world.webhook.A;
  // one integration per county, a finished 办件 in every department, and a 评价器 at every window
  world.integration = {} as Record<Unit, number>;
  world.matter = {} as Record<Unit, string>;
  // one 评价器 per window, provisioned by an admin of its county
  world.kiosk = {} as Record<Unit, number>;
  for (const [u, who] of [
    ['A', admin],
    ['B', admin],
    ['C', otherAdmin],
  ] as const) {
    if (u !== 'B') {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/integrations',
        headers: bearerFor(t.app, who),
        payload: { name: `SECRET_${u} 业务系统` },
      });
      expect(res.statusCode, res.body).toBe(201);
      world.integration[u] = res.json().id;
    }
    world.matter[u] = `SECRET_${u}-0001`;
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/matters/${world.matter[u]}`,
      headers: bearerFor(t.app, who),
      payload: {
        code: world.code[u],
        taskCode: `SECRET_${u}_TASK`,
        taskName: `SECRET_${u} 事项`,
        staffName: `SECRET_${u}`,
        applicantPhone: PHONES[u],
        status: 'finished',
        acceptedAt: '2026-11-23T09:00:00+08:00',
        finishedAt: '2026-11-23T09:30:00+08:00',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const kiosk = await t.app.inject({ method: 'POST', url: `/api/codes/${world.code[u]}/kiosk`, headers: bearerFor(t.app, who) });
    expect(kiosk.statusCode, kiosk.body).toBe(201);
    world.kiosk[u] = kiosk.json().id;
  }
  world.integration.B = world.integration.A;
  world.suggestion = {} as Record<Unit, number>;
  for (const u of UNITS) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/public/suggestions',
      remoteAddress: `10.77.0.${u.charCodeAt(0)}`,
      payload: {
        code: world.code[u],
        category: '流程优化',
        title: `SECRET_${u} 建议`,
        content: `SECRET_${u} 建议内容`,
        submitterType: '群众',
        contact: PHONES[u],
        consent: true,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const row = await firstRow<{ id: number }>(db, sql`SELECT id FROM suggestions WHERE title = ${`SECRET_${u} 建议`}`);
    world.suggestion[u] = Number(row!.id);
  }
  // Guides are public (GET /api/guides/{id} needs no login): their text carries no unit's secret, and an
  // administrator above two counties may move one from one to the other, history included.
  world.guide = {} as Record<Unit, number>;
  for (const [u, who] of [
    ['A', admin],
    ['B', admin],
    ['C', otherAdmin],
  ] as const) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/guides',
      headers: bearerFor(t.app, who),
      payload: {
        departmentId: world.dept[u],
        taskCode: null,
        taskName: `事项指南 ${u}`,
        materials: ['身份证'],
        steps: ['受理'],
        legalDays: 5,
        promisedDays: 3,
        fees: '不收费',
        legalBasis: '依据',
        location: `窗口 ${u}`,
        hours: '工作日',
        phone: '0339-8210000',
        codes: [world.code[u]],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    world.guide[u] = res.json().id;
  }

  const spec = t.app.swagger() as {
    paths: Record<
      string,
      Record<
        string,
        {
          security?: unknown[];
          parameters?: Array<{ in: string; name: string; required?: boolean }>;
          requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
        }
      >
    >;
  };
  ops = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!op.security) continue;
      const params = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, { required: !!p.required }])),
        bodySchema: op.requestBody?.content['application/json']?.schema ?? null,
      });
    }
  }
});
afterAll(() => t.close());

/** The entity a path parameter names, for the department (unit) it should belong to. */
function paramValue(path: string, name: string, unit: Unit): string {
  if (name === 'code') return world.code[unit];
  if (path.startsWith('/api/cases/')) return String(world.kase[unit]);
  if (path.startsWith('/api/ratings/')) return String(world.rating[unit]);
  if (path.startsWith('/api/departments/')) return String(world.dept[unit]);
  if (path.startsWith('/api/org-units/')) return String(world.county[unit]);
  if (path.startsWith('/api/webhooks/')) return String(world.webhook[unit]);
  if (path.startsWith('/api/integrations/')) return String(world.integration[unit]);
  if (name === 'projectNo') return world.matter[unit];
  if (path.startsWith('/api/users/')) return String(world.target[unit]);
  if (path.startsWith('/api/kiosks/')) return String(world.kiosk[unit]);
  if (path.startsWith('/api/guides/')) return name === 'version' ? '1' : String(world.guide[unit]);
  if (path.startsWith('/api/suggestions/')) return String(world.suggestion[unit]);
  throw new Error(`scope matrix: no entity for {${name}} in ${path} — add it here`);
}

const QUERY_SAMPLES: Record<string, string> = { from: '2026-11-01', to: '2026-11-30', month: '2026-11' };

/** A plausible body from a JSON schema: required fields with a first allowed value. */
function sample(schema: Record<string, unknown> | undefined): unknown {
  if (!schema) return {};
  if (Array.isArray(schema.anyOf)) return sample(schema.anyOf[0] as Record<string, unknown>);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  switch (schema.type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      const required = (schema.required ?? []) as string[];
      return Object.fromEntries(required.map((k) => [k, sample(props[k])]));
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return false;
    case 'string':
      if (schema.pattern === '^\\d{4}-(0[1-9]|1[0-2])$') return '2026-11';
      return typeof schema.minLength === 'number' ? 'x'.repeat(Math.max(schema.minLength, 1)) : 'x';
    default:
      return null;
  }
}

async function textOf(res: { headers: Record<string, unknown>; rawPayload: Buffer; body: string }): Promise<string> {
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('spreadsheetml') || type.includes('application/zip')) {
    const zip = await JSZip.loadAsync(res.rawPayload);
    const parts = await Promise.all(Object.values(zip.files).map((f) => f.async('string')));
    return parts.join('\n');
  }
  return res.body;
}

async function snapshot(): Promise<string> {
  const tables = [
    'ratings',
    'cases',
    'case_events',
    'codes',
    'departments',
    'users',
    'webhooks',
    'settings',
    'rating_decisions',
    'daily_code_stats',
    'spot_check_draws',
    'integrations',
    'matters',
    'kiosks',
  ];
  const parts: string[] = [];
  for (const tb of tables) parts.push(JSON.stringify(await rows(t.db, sql.raw(`SELECT * FROM ${tb} ORDER BY 1`))));
  return parts.join('|');
}

/** The caller's current token version: POST /api/auth/logout-all, one of the routes, revokes their earlier tokens. */
async function tokenVersion(userId: number): Promise<number> {
  return (await rows<{ v: number }>(t.db, sql`SELECT token_version AS "v" FROM users WHERE id = ${userId}`))[0]!.v;
}

const UNITS: Unit[] = ['A', 'B', 'C'];

describe('scope matrix over the route table', () => {
  it('covers every secured route (sanity: the table is not empty and names the contract routes)', () => {
    const names = ops.map((o) => `${o.method} ${o.path}`);
    for (const r of [
      'GET /api/stats/departments',
      'GET /api/cases',
      'GET /api/departments',
      'GET /api/codes',
      'PATCH /api/codes/{code}',
      'GET /api/cases/{id}/phone',
      'POST /api/spot-checks/draw',
    ]) {
      expect(names).toContain(r);
    }
    expect(ops.length).toBeGreaterThan(35);
  });

  it('without a token every secured route answers 401 JSON, before looking at the body', async () => {
    for (const op of ops) {
      const url = op.path.replace(/\{(\w+)\}/g, (_, n: string) => paramValue(op.path, n, 'A'));
      const res = await t.app.inject({ method: op.method as 'GET', url, payload: op.bodySchema ? { garbage: true } : undefined });
      expect(res.statusCode, `${op.method} ${url}`).toBe(401);
      expect(res.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    }
  });

  it('no route returns data of a department outside the caller’s scope, nor a full phone number', async () => {
    let calls = 0;
    for (const op of ops) {
      for (const { name, user, sees } of world.users) {
        const hidden = UNITS.filter((u) => !sees.includes(u));
        // every value of the path parameters: one in scope, and each out of scope
        const variants: Array<{ unit: Unit; inScope: boolean }> = op.pathParams.length
          ? UNITS.map((u) => ({ unit: u, inScope: sees.includes(u) }))
          : [{ unit: sees[0]!, inScope: true }];
        for (const v of variants) {
          const path = op.path.replace(/\{(\w+)\}/g, (_, n: string) => paramValue(op.path, n, v.unit));
          const qs = Object.keys(op.query)
            .filter((k) => QUERY_SAMPLES[k])
            .map((k) => `${k}=${QUERY_SAMPLES[k]}`)
            .join('&');
          const url = qs ? `${path}?${qs}` : path;
          const before = op.method !== 'GET' && !v.inScope ? await snapshot() : null;
          const payload = op.bodySchema ? (sample(op.bodySchema) as Record<string, unknown>) : undefined;
          // An edit of a guide from a version that is not its own is refused (409) after the scope check:
          // a city administrator's sample edit would otherwise move the guide into the first department.
          if (payload && op.method === 'PUT' && op.path === '/api/guides/{id}') payload.version = 999_999;
          const res = await t.app.inject({
            method: op.method as 'GET',
            url,
            headers: bearerFor(t.app, { ...user, tokenVersion: await tokenVersion(user.id) }),
            payload,
          });
          calls++;
          const where = `${name} ${op.method} ${url} → ${res.statusCode}`;
          expect(res.statusCode, `${where} ${res.body.slice(0, 200)}`).toBeLessThan(500);
          const text = await textOf(res);
          for (const u of hidden) expect(text.includes(`SECRET_${u}`), `${where} leaks SECRET_${u}`).toBe(false);
          const isPhoneRoute = op.path === '/api/cases/{id}/phone' || op.path === '/api/suggestions/{id}/contact';
          for (const u of UNITS) {
            if (isPhoneRoute && v.inScope && u === v.unit) continue;
            expect(text.includes(PHONES[u]), `${where} shows a full phone number`).toBe(false);
          }
          if (!v.inScope) {
            expect([400, 403, 404], `${where} ${res.body.slice(0, 200)}`).toContain(res.statusCode);
            if (before !== null) expect(await snapshot(), `${where} changed stored data`).toBe(before);
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(300);
  }, 120_000);

  it('a 特邀监督员 gets 403 on every secured route but their account and their own reports', async () => {
    const allowed = new Set([
      'GET /api/auth/me',
      'POST /api/auth/logout',
      'POST /api/auth/logout-all',
      'POST /api/auth/password',
      'GET /api/observations',
      'POST /api/observations',
      'GET /api/observations/options',
    ]);
    const before = await snapshot();
    let refused = 0;
    for (const op of ops) {
      if (allowed.has(`${op.method} ${op.path}`)) continue;
      // Any id will do: the role is refused before the entity is looked at.
      const url = op.path.replace(/\{(\w+)\}/g, () => '1');
      const res = await t.app.inject({
        method: op.method as 'GET',
        url,
        headers: bearerFor(t.app, { ...world.observer, tokenVersion: await tokenVersion(world.observer.id) }),
        payload: op.bodySchema ? (sample(op.bodySchema) as object) : undefined,
      });
      expect(res.statusCode, `${op.method} ${url} ${res.body.slice(0, 200)}`).toBe(403);
      expect(res.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      refused++;
    }
    expect(refused).toBeGreaterThan(35);
    expect(await snapshot()).toBe(before);
  });
});

// Garbage in every declared input of every route: the secured ones as the administrator who sees
// everything, a supervisor and a department head, then the ones without login. A 4xx with the usual
// JSON error body or a success, never a 5xx (docs/api.md 1.3).
describe('garbage input on every secured route', () => {
  const GARBAGE = [
    '',
    ' ',
    '-1',
    '0',
    '1e309',
    // Within ID_MAX, beyond a 32-bit column (PostgreSQL's integer)
    '1099511627776',
    '9'.repeat(40),
    '1.5',
    'null',
    'true',
    '[]',
    '{}',
    '2026-02-30',
    '2026-13-01',
    '0000-00-00',
    '\u0000',
    '%00',
    '<script>',
    "' OR 1=1 --",
    '𠀀'.repeat(50),
    'x'.repeat(5000),
    '../../etc/passwd',
  ];
  // JSON.parse makes `__proto__` an own key, sent as written (an object literal would set the prototype).
  const BODIES: unknown[] = [null, [], 'text', 42, JSON.parse('{"__proto__":{"admin":true}}'), { constructor: { prototype: 1 } }];

  /** What is wrong with an answer to garbage: a 5xx, or a 4xx without the `{ error, message }` body; null when nothing. */
  function unexpected(res: { statusCode: number; body: string }, where: string): string | null {
    if (res.statusCode >= 500) return where;
    if (res.statusCode < 400) return null;
    let body: { error?: unknown; message?: unknown } | null;
    try {
      body = JSON.parse(res.body) as typeof body;
    } catch {
      body = null;
    }
    return typeof body?.error === 'string' && typeof body.message === 'string' ? null : `not a JSON error: ${where}`;
  }

  /** A copy of `body` with field `k` set to `v`. */
  const withField = (body: unknown, k: string, v: unknown) => ({ ...(body as Record<string, unknown>), [k]: v });

  it('answers every one with a 4xx JSON error or a success, never a 5xx', async () => {
    const callers = world.users.filter((u) => u.name === 'cityAdmin' || u.name === 'supervisor' || u.name === 'headA');
    let calls = 0;
    const failures: string[] = [];
    for (const op of ops) {
      if (op.path === '/api/auth/logout-all' || op.path === '/api/auth/logout') continue;
      for (const { name, user, sees } of callers) {
        const unit = sees[0]!;
        const basePath = op.path.replace(/\{(\w+)\}/g, (_, n: string) => paramValue(op.path, n, unit));
        const requests: Array<{ url: string; payload?: unknown }> = [];
        const sampleBody = op.bodySchema ? sample(op.bodySchema) : undefined;
        // each path parameter garbled
        for (const p of op.pathParams)
          for (const g of GARBAGE)
            requests.push({
              url: op.path.replace(/\{(\w+)\}/g, (_, n: string) => (n === p ? encodeURIComponent(g) : paramValue(op.path, n, unit))),
              payload: sampleBody,
            });
        // each query parameter garbled
        for (const q of Object.keys(op.query))
          for (const g of GARBAGE) requests.push({ url: `${basePath}?${q}=${encodeURIComponent(g)}`, payload: sampleBody });
        // the body: not an object, and each field of the schema garbled
        if (op.bodySchema) {
          for (const b of BODIES) requests.push({ url: basePath, payload: b });
          const props = Object.keys((op.bodySchema.properties ?? {}) as object);
          for (const k of props)
            for (const g of [...GARBAGE, -1, 2 ** 40, 1e308, 2 ** 64, [], {}, null, true])
              requests.push({ url: basePath, payload: withField(sampleBody, k, g) });
        }
        for (const r of requests) {
          const res = await t.app.inject({
            method: op.method as 'GET',
            url: r.url,
            headers: {
              ...bearerFor(t.app, { ...user, tokenVersion: await tokenVersion(user.id) }),
              ...(r.payload !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            payload: r.payload === undefined ? undefined : JSON.stringify(r.payload),
          });
          calls++;
          const where = `${name} ${op.method} ${r.url.slice(0, 120)} ${JSON.stringify(r.payload)?.slice(0, 400)} → ${res.statusCode} ${res.body.slice(0, 160)}`;
          const wrong = unexpected(res, where);
          if (wrong) failures.push(wrong);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(2000);
  }, 600_000);

  it('an id beyond 2^31 is still an id: a province stores billions of ratings over the years', async () => {
    const { rating } = await makeRating(t.services, { codeId: world.code.A, score: 5 });
    const big = 3_000_000_000;
    await t.db.transaction((tx) => exec(tx, sql`UPDATE ratings SET id = ${big} WHERE id = ${rating.id}`));
    const cityAdmin = world.users.find((u) => u.name === 'cityAdmin')!.user;
    const auth = bearerFor(t.app, { ...cityAdmin, tokenVersion: await tokenVersion(cityAdmin.id) });
    const history = await t.app.inject({ url: `/api/ratings/${big}/history`, headers: auth });
    expect(history.statusCode, history.body).toBe(200);
    // Beyond what a JSON number holds exactly: 400, never a wrong row.
    expect((await t.app.inject({ url: `/api/ratings/${2 ** 53}/history`, headers: auth })).statusCode).toBe(400);
  });

  it('the routes without login too (the citizen page, the kiosk, the public pages)', async () => {
    const spec = t.app.swagger() as {
      paths: Record<
        string,
        Record<string, { security?: unknown[]; parameters?: Array<{ in: string; name: string }>; requestBody?: unknown }>
      >;
    };
    const failures: string[] = [];
    let calls = 0;
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        // The kiosk's event stream stays open by design.
        if (op.security || path.endsWith('/events')) continue;
        const params = op.parameters ?? [];
        const paramOf = (n: string) => (n === 'code' ? world.code.A : n === 'id' ? String(world.guide.A) : 'x'.repeat(24));
        const basePath = path.replace(/\{(\w+)\}/g, (_, n: string) => paramOf(n));
        const requests: Array<{ url: string; payload?: unknown }> = [];
        for (const p of params.filter((x) => x.in === 'path'))
          for (const g of GARBAGE)
            requests.push({ url: path.replace(/\{(\w+)\}/g, (_, n: string) => (n === p.name ? encodeURIComponent(g) : paramOf(n))) });
        for (const q of params.filter((x) => x.in === 'query'))
          for (const g of GARBAGE) requests.push({ url: `${basePath}?${q.name}=${encodeURIComponent(g)}` });
        if (op.requestBody)
          for (const b of [...BODIES, ...GARBAGE.map((g) => ({ score: g, code: g, token: g, phone: g, comment: g, month: g }))])
            requests.push({ url: basePath, payload: b });
        for (const r of requests) {
          const res = await t.app.inject({
            method: method.toUpperCase() as 'GET',
            url: r.url,
            headers: r.payload !== undefined ? { 'content-type': 'application/json' } : {},
            payload: r.payload === undefined ? undefined : JSON.stringify(r.payload),
          });
          calls++;
          const where = `${method.toUpperCase()} ${r.url.slice(0, 120)} ${JSON.stringify(r.payload)?.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 160)}`;
          const wrong = unexpected(res, where);
          if (wrong) failures.push(wrong);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(500);
  }, 600_000);
});
