// Settings have an owner (docs/domain.md, Settings): the holiday tables and the platform-wide keys
// belong to the top-level administrator; a county administrator sets their county's keys, which the
// units below inherit and a sibling county never sees.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { SETTINGS_DEFAULTS } from '../../shared/api/settings.js';
import { bearerFor, type TestApp } from '../helpers/app.js';
import { makeCode, makeCounty, makeDepartment, useTestWorld, useTwoInstances } from '../helpers/factories.js';

const { t, w } = useTestWorld();

type User = { id: number; role: string };
const patch = (user: User, payload: object, orgUnitId?: number, app: TestApp = t) =>
  app.app.inject({
    method: 'PATCH',
    url: orgUnitId === undefined ? '/api/settings' : `/api/settings?orgUnitId=${orgUnitId}`,
    headers: bearerFor(app.app, user),
    payload,
  });
const read = (user: User, path: string, orgUnitId?: number) =>
  t.app.inject({ url: orgUnitId === undefined ? path : `${path}?orgUnitId=${orgUnitId}`, headers: bearerFor(t.app, user) });
const rate = (code: string, payload: object, app: TestApp = t) =>
  app.app.inject({ method: 'POST', url: `/api/codes/${code}/ratings`, payload });
const stored = async () => JSON.stringify(await rows(t.db, sql`SELECT org_unit_id, key, value FROM settings ORDER BY id`));

const HOLIDAYS = { year: 2027, holidays: ['2027-01-01'], workdays: [], source: '测试' };
const COUNTY_DEADLINES = { deadlines: { contactWorkingDays: 2, caseWorkingDays: 5 } };
// T0 is Monday 2026-11-23: the defaults (1 and 15 working days) and the county's (2 and 5).
const DEFAULT_DUE = { contactDueDate: '2026-11-24', dueDate: '2026-12-14' };
const COUNTY_DUE = { contactDueDate: '2026-11-25', dueDate: '2026-11-30' };

describe('who may change which settings', () => {
  it('a county administrator gets 403 in Chinese for the holiday tables and the platform keys, and nothing is stored', async () => {
    const before = await stored();
    const holidays = await t.app.inject({
      method: 'PUT',
      url: '/api/settings/holidays',
      headers: bearerFor(t.app, w.admin),
      payload: HOLIDAYS,
    });
    expect(holidays.statusCode).toBe(403);
    expect(holidays.json()).toMatchObject({ error: 'PlatformSetting', message: expect.stringContaining('节假日表为全平台设置') });
    const privacy = await patch(w.admin, { privacy: { phoneRetentionDays: 30 } });
    expect(privacy.statusCode).toBe(403);
    expect(privacy.json()).toMatchObject({ error: 'PlatformSetting', message: expect.stringContaining('手机号保留期限') });
    // The per-network limit runs before the code is known: one value for the platform.
    const network = await patch(w.admin, { limits: { ...SETTINGS_DEFAULTS.limits, networkPerMinute: 10 } });
    expect(network.statusCode).toBe(403);
    expect(network.json().error).toBe('PlatformSetting');
    // Clearing a platform key is changing it too.
    expect((await patch(w.admin, { privacy: null })).statusCode).toBe(403);
    expect(await stored()).toBe(before);
    expect((await rows(t.db, sql`SELECT year FROM holiday_tables`)).length).toBe(0);
    expect((await t.app.inject({ url: '/api/settings/holidays', headers: bearerFor(t.app, w.admin) })).statusCode).toBe(200);

    // The top-level administrator (scope: the root of the tree) may.
    expect(
      (await t.app.inject({ method: 'PUT', url: '/api/settings/holidays', headers: bearerFor(t.app, w.cityAdmin), payload: HOLIDAYS }))
        .statusCode,
    ).toBe(200);
    expect((await patch(w.cityAdmin, { privacy: { phoneRetentionDays: 30 } })).statusCode).toBe(200);
    expect(t.services.settings.get().privacy.phoneRetentionDays).toBe(30);
    expect((await t.services.settings.forUnit(w.county.id)).privacy.phoneRetentionDays).toBe(30);
  });

  it('a county administrator changes their own county, never a sibling county nor the parent (404 outside scope)', async () => {
    const before = await stored();
    const other = await patch(w.admin, COUNTY_DEADLINES, w.otherCounty.id);
    expect(other.statusCode).toBe(404);
    expect(other.json().error).toBe('NotFound');
    expect((await patch(w.admin, COUNTY_DEADLINES, w.city.id)).statusCode).toBe(404);
    expect((await patch(w.admin, COUNTY_DEADLINES, 999999)).statusCode).toBe(404);
    expect((await read(w.admin, '/api/settings', w.otherCounty.id)).statusCode).toBe(404);
    expect((await read(w.admin, '/api/settings/sources', w.city.id)).statusCode).toBe(404);
    expect((await patch(w.supervisor, COUNTY_DEADLINES)).statusCode).toBe(403);
    expect(await stored()).toBe(before);

    const res = await patch(w.admin, COUNTY_DEADLINES);
    expect(res.statusCode).toBe(200);
    expect(res.json().deadlines).toEqual(COUNTY_DEADLINES.deadlines);
    expect((await read(w.admin, '/api/settings')).json().deadlines).toEqual(COUNTY_DEADLINES.deadlines);
    expect((await read(w.cityAdmin, '/api/settings')).json().deadlines).toEqual(SETTINGS_DEFAULTS.deadlines);
    expect((await read(w.cityAdmin, '/api/settings', w.otherCounty.id)).json().deadlines).toEqual(SETTINGS_DEFAULTS.deadlines);
    expect(t.services.settings.get().deadlines).toEqual(SETTINGS_DEFAULTS.deadlines);

    // Audited with the org unit.
    const audit = await rows<{ target_id: string; detail: string }>(
      t.db,
      sql`SELECT target_id, detail FROM audit_log WHERE action = 'settings.update' ORDER BY id`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.target_id).toBe(String(w.county.id));
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ orgUnitId: w.county.id, ...COUNTY_DEADLINES });
  });

  it('the whole settings object sent back by an older client is taken: unchanged platform keys are no change', async () => {
    const whole = { ...SETTINGS_DEFAULTS, ...COUNTY_DEADLINES };
    const res = await patch(w.admin, whole);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(whole);
    // Stored for the county, the platform keys not at all.
    const own = await rows<{ org_unit_id: number | null; key: string }>(t.db, sql`SELECT org_unit_id, key FROM settings ORDER BY key`);
    expect(own.every((r) => r.org_unit_id === w.county.id)).toBe(true);
    expect(own.map((r) => r.key)).not.toContain('privacy');
  });
});

describe('the settings in force follow the org unit a request is about', () => {
  it('a 差评 in the county gets its deadlines; one in the sibling county keeps the default', async () => {
    expect((await patch(w.admin, COUNTY_DEADLINES)).statusCode).toBe(200);
    const here = await rate(w.codeA.id, { score: 1 });
    expect(here.statusCode).toBe(201);
    expect(here.json().followUp).toMatchObject(COUNTY_DUE);
    const sibling = await rate(w.codeC.id, { score: 1 });
    expect(sibling.statusCode).toBe(201);
    expect(sibling.json().followUp).toMatchObject(DEFAULT_DUE);
  });

  it("the rating route accepts a county's own reason only on that county's codes; its page and stats list it", async () => {
    const tags = { good: [...SETTINGS_DEFAULTS.tags.good, '县里专属好评'], bad: SETTINGS_DEFAULTS.tags.bad };
    expect((await patch(w.admin, { tags })).statusCode).toBe(200);
    expect((await rate(w.codeA.id, { score: 5, tags: ['县里专属好评'], clientId: 'device-a' })).statusCode).toBe(201);
    const elsewhere = await rate(w.codeC.id, { score: 5, tags: ['县里专属好评'], clientId: 'device-c' });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().error).toBe('InvalidTag');
    expect((await t.app.inject({ url: `/r/${w.codeA.id}` })).body).toContain('县里专属好评');
    expect((await t.app.inject({ url: `/r/${w.codeC.id}` })).body).not.toContain('县里专属好评');
    const stats = await read(w.supervisor, '/api/stats/tags?from=2026-11-01&to=2026-11-30');
    expect(stats.json().tags).toContainEqual({ tag: '县里专属好评', kind: 'good', count: 1 });
  });

  it('a unit without its own value inherits its parent’s; clearing an override restores the inheritance', async () => {
    // The top-level administrator sets the city's (the platform rows: the root's values).
    expect((await patch(w.cityAdmin, { deadlines: { contactWorkingDays: 1, caseWorkingDays: 10 } })).statusCode).toBe(200);
    const cityValue = { contactWorkingDays: 1, caseWorkingDays: 10 };
    expect((await t.services.settings.forUnit(w.county.id)).deadlines).toEqual(cityValue);
    expect((await t.services.settings.forUnit(w.otherCounty.id)).deadlines).toEqual(cityValue);
    // A unit below the county (the tree may be deeper) inherits the county's own value.
    const town = await makeCounty(t.db, { parentId: w.county.id });
    const townDept = await makeDepartment(t.db, { orgUnitId: town.id });
    const townCode = await makeCode(t.db, { departmentId: townDept.id });
    expect((await patch(w.cityAdmin, COUNTY_DEADLINES, w.county.id)).statusCode).toBe(200);
    expect((await t.services.settings.forUnit(w.county.id)).deadlines).toEqual(COUNTY_DEADLINES.deadlines);
    expect((await t.services.settings.forUnit(w.otherCounty.id)).deadlines).toEqual(cityValue);
    expect((await rate(townCode.id, { score: 1 })).json().followUp).toMatchObject(COUNTY_DUE);

    const sources = (await read(w.admin, '/api/settings/sources')).json();
    expect(sources.orgUnit).toMatchObject({ id: w.county.id, parentId: w.city.id });
    expect(sources).toMatchObject({ canChange: true, canChangePlatform: false });
    const key = (s: typeof sources, k: string) => s.keys.find((x: { key: string }) => x.key === k);
    expect(key(sources, 'deadlines')).toEqual({ key: 'deadlines', scope: 'unit', setHere: true, inheritedFrom: null });
    expect(key(sources, 'tags')).toEqual({ key: 'tags', scope: 'unit', setHere: false, inheritedFrom: null });
    expect(key(sources, 'privacy')).toMatchObject({ scope: 'platform', setHere: false });
    const townSources = (await read(w.admin, '/api/settings/sources', town.id)).json();
    expect(key(townSources, 'deadlines')).toMatchObject({ setHere: false, inheritedFrom: { id: w.county.id } });
    const otherSources = (await read(w.cityAdmin, '/api/settings/sources', w.otherCounty.id)).json();
    expect(key(otherSources, 'deadlines')).toMatchObject({ setHere: false, inheritedFrom: { id: w.city.id, name: w.city.name } });
    expect((await read(w.cityAdmin, '/api/settings/sources')).json()).toMatchObject({ canChangePlatform: true });

    // Cleared: the county and the unit below it take the city's value again.
    const cleared = await patch(w.admin, { deadlines: null });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().deadlines).toEqual(cityValue);
    expect((await t.services.settings.forUnit(town.id)).deadlines).toEqual(cityValue);
    expect(key((await read(w.admin, '/api/settings/sources')).json(), 'deadlines')).toMatchObject({
      setHere: false,
      inheritedFrom: { id: w.city.id },
    });
    // Clearing the root's value restores the built-in default.
    expect((await patch(w.cityAdmin, { deadlines: null })).json().deadlines).toEqual(SETTINGS_DEFAULTS.deadlines);
  });

  it('a department created after start resolves through its county at once', async () => {
    expect((await patch(w.admin, COUNTY_DEADLINES)).statusCode).toBe(200);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/departments',
      headers: bearerFor(t.app, w.admin),
      payload: { orgUnitId: w.county.id, name: '新设局' },
    });
    expect(created.statusCode).toBe(201);
    const code = await makeCode(t.db, { departmentId: created.json().id });
    expect((await rate(code.id, { score: 2 })).json().followUp).toMatchObject(COUNTY_DUE);
  });
});

describe('several instances on one database', () => {
  const twoInstances = useTwoInstances();

  it("a county's change on one instance reaches the other at its next cache sync", async () => {
    const { a, b, w: world } = await twoInstances();
    // b learns the tree (created after it started) at its first rating of those codes.
    expect((await rate(world.codeA.id, { score: 1, clientId: 'device-1' }, b)).json().followUp).toMatchObject(DEFAULT_DUE);
    expect((await patch(world.admin, COUNTY_DEADLINES, undefined, a)).statusCode).toBe(200);
    await b.services.jobs.find((j) => j.name === 'caches.sync')!.run();
    expect((await rate(world.codeA.id, { score: 1, clientId: 'device-2' }, b)).json().followUp).toMatchObject(COUNTY_DUE);
    expect((await rate(world.codeC.id, { score: 1, clientId: 'device-3' }, b)).json().followUp).toMatchObject(DEFAULT_DUE);
  });
});
