// Small fixture factories with overridable defaults (docs/architecture.md). No shared seed.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach } from 'vitest';
import { type Db, openDatabase } from '../../db/client.js';
import { assignUserDepartments, insertDepartment, insertOrgUnit } from '../../db/queries/org.js';
import { getRating } from '../../db/queries/ratings.js';
import { insertUser } from '../../db/queries/users.js';
import { cases, codes } from '../../db/schema.js';
import { generateCodeId } from '../../qr-codes/code-id.js';
import { hashPassword } from '../../server/modules/auth/passwords.js';
import type { Role } from '../../shared/domain.js';
import { freshDatabase, makeTestApp, T0, type TestApp } from './app.js';

export const TEST_PASSWORD = 'correct-horse-battery';
let cachedHash: Promise<string> | null = null;
/** scrypt is deliberately slow; tests share one hash of the test password. */
export function testPasswordHash(): Promise<string> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  return cachedHash;
}

let seq = 0;
const uniq = (p: string) => `${p}${++seq}`;

export function makeCity(db: Db, over: { name?: string } = {}) {
  return db.transaction((tx) => insertOrgUnit(tx, { kind: 'city', name: over.name ?? uniq('测试市'), parentId: null, createdAt: T0 }));
}

export async function makeCounty(db: Db, over: { name?: string; parentId?: number } = {}) {
  const parentId = over.parentId ?? (await makeCity(db)).id;
  return db.transaction((tx) => insertOrgUnit(tx, { kind: 'county', name: over.name ?? uniq('测试县'), parentId, createdAt: T0 }));
}

export async function makeDepartment(db: Db, over: { orgUnitId?: number; name?: string } = {}) {
  const orgUnitId = over.orgUnitId ?? (await makeCounty(db)).id;
  return db.transaction((tx) => insertDepartment(tx, { orgUnitId, name: over.name ?? uniq('县测试局'), sortOrder: seq, createdAt: T0 }));
}

export function makeCode(
  db: Db,
  over: { departmentId: number; id?: string; location?: string; active?: boolean; staffName?: string | null },
) {
  const id = over.id ?? generateCodeId((n) => randomBytes(n));
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(codes)
      .values({
        id,
        departmentId: over.departmentId,
        location: over.location ?? uniq('县政务服务中心 A区 窗口'),
        staffName: over.staffName ?? null,
        active: over.active ?? true,
        disabledAt: over.active === false ? T0 : null,
        createdAt: T0,
        updatedAt: T0,
      })
      .returning();
    return row!;
  });
}

export async function makeUser(
  db: Db,
  over: { role: Role; orgUnitId?: number | null; departmentIds?: number[]; username?: string; active?: boolean },
) {
  const passwordHash = await testPasswordHash();
  return db.transaction(async (tx) => {
    const user = await insertUser(tx, {
      username: over.username ?? uniq(`u_${over.role}_`),
      displayName: uniq('测试用户'),
      passwordHash,
      role: over.role,
      orgUnitId: over.role === 'dept_head' ? null : (over.orgUnitId ?? null),
      active: over.active ?? true,
      createdAt: T0,
    });
    if (over.departmentIds?.length) await assignUserDepartments(tx, user.id, over.departmentIds);
    return user;
  });
}

/**
 * Two counties with two departments each, a code in every department, and users of every role:
 * the standard world for scope tests (a head of department A must never see department B or county 2).
 */
export async function makeWorld(db: Db) {
  const city = await makeCity(db);
  const county = await makeCounty(db, { parentId: city.id });
  const otherCounty = await makeCounty(db, { parentId: city.id });
  const deptA = await makeDepartment(db, { orgUnitId: county.id });
  const deptB = await makeDepartment(db, { orgUnitId: county.id });
  const deptC = await makeDepartment(db, { orgUnitId: otherCounty.id });
  const codeA = await makeCode(db, { departmentId: deptA.id });
  const codeB = await makeCode(db, { departmentId: deptB.id });
  const codeC = await makeCode(db, { departmentId: deptC.id });
  const admin = await makeUser(db, { role: 'admin', orgUnitId: county.id });
  const cityAdmin = await makeUser(db, { role: 'admin', orgUnitId: city.id });
  const supervisor = await makeUser(db, { role: 'supervisor', orgUnitId: county.id });
  const otherSupervisor = await makeUser(db, { role: 'supervisor', orgUnitId: otherCounty.id });
  const headA = await makeUser(db, { role: 'dept_head', departmentIds: [deptA.id] });
  const headB = await makeUser(db, { role: 'dept_head', departmentIds: [deptB.id] });
  return {
    city,
    county,
    otherCounty,
    deptA,
    deptB,
    deptC,
    codeA,
    codeB,
    codeC,
    admin,
    cityAdmin,
    supervisor,
    otherSupervisor,
    headA,
    headB,
  };
}

/**
 * Stores a rating the way a submission does (rating row, rollups, and the 差评必查 case for 1–2)
 * without going through HTTP — for tests of the follow-up and indicators that need many ratings.
 */
export async function makeRating(
  services: import('../../server/services.js').Services,
  over: { codeId: string; score: number; phone?: string | null; createdAt?: number; tags?: string[]; comment?: string | null },
) {
  const result = await services.ratings.recordAt({
    code: over.codeId,
    score: over.score as 1 | 2 | 3 | 4 | 5,
    tags: over.tags ?? [],
    comment: over.comment ?? null,
    phone: over.phone ?? null,
    createdAt: over.createdAt ?? services.clock.now(),
    channel: 'qr',
  });
  const rating = (await getRating(services.db, result.id))!;
  const kase = (await services.db.select().from(cases).where(eq(cases.ratingId, result.id)))[0] ?? null;
  return { rating, case: kase };
}

export type World = Awaited<ReturnType<typeof makeWorld>>;

export interface TestWorld {
  t: TestApp;
  w: World;
}

type TestWorldOptions = Omit<NonNullable<Parameters<typeof makeTestApp>[0]>, 'db'>;

/** A stand-in that is, at every moment, the object `current()` returns (the running test's). */
function live<T extends object>(current: () => T | undefined, what: string): T {
  const target = (): T => {
    const v = current();
    if (!v) throw new Error(`${what} exists only while a test runs (use it inside it/beforeEach)`);
    return v;
  };
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(target(), key),
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(target(), key);
      return d && { ...d, configurable: true };
    },
  });
}

/**
 * The hooks of a test file: for each test a fresh app and, unless `world: false`, the standard world,
 * closed after it. `t` and `w` are the running test's app and world, so a file writes
 * `const { t, w } = useTestWorld();` once. (Here rather than in app.ts, which factories.ts imports.)
 * With vitest's default hook order, a file's own beforeEach runs after these (it may seed data) and
 * its afterEach before the app closes.
 */
export function useTestWorld(opts?: TestWorldOptions & { world?: true }): TestWorld;
export function useTestWorld(opts: TestWorldOptions & { world: false }): Pick<TestWorld, 't'>;
export function useTestWorld(opts: TestWorldOptions & { world?: boolean } = {}): TestWorld {
  const { world = true, ...appOpts } = opts;
  let app: TestApp | undefined;
  let w: World | undefined;
  beforeEach(async () => {
    app = await makeTestApp(appOpts);
    if (world) w = await makeWorld(app.db);
  });
  afterEach(async () => {
    const closing = app;
    app = w = undefined;
    await closing?.close();
  });
  return { t: live(() => app, 'the test app'), w: live(() => w, 'the test world') };
}

/**
 * The hooks for tests of several instances on one database: answers a function that starts two app
 * instances (their own connections, caches and clocks) on a fresh database with the standard world,
 * both closed and the database dropped after the test.
 */
export function useTwoInstances(): (env?: Record<string, string>) => Promise<{ a: TestApp; b: TestApp; w: World }> {
  const open: TestApp[] = [];
  let drop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    for (const t of open.splice(0)) await t.close();
    await drop?.();
    drop = null;
  });
  return async (env = {}) => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    const a = await makeTestApp({ db: fresh.db, env });
    const b = await makeTestApp({ db: openDatabase(fresh.url), env });
    open.push(a, b);
    return { a, b, w: await makeWorld(a.db) };
  };
}
