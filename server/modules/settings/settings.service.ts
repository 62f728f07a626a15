import { Value } from 'typebox/value';
import { type Db, type DbOrTx, lockKey } from '../../../db/client.js';
import { insertAudit } from '../../../db/queries/audit.js';
import { bumpCacheVersion } from '../../../db/queries/coordination.js';
import * as q from '../../../db/queries/settings.js';
import type { OrgUnitView } from '../../../shared/api/org.js';
import {
  type HolidaysResponse,
  type HolidayTableView,
  PLATFORM_KEYS,
  SETTINGS_DEFAULTS,
  type SettingKey,
  type Settings,
  type SettingsPatch,
  SettingsSchema,
  type SettingsSources,
} from '../../../shared/api/settings.js';
import { addDays, chinaDay } from '../../../shared/china-time.js';
import { BadRequest, Forbidden, NotFound } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { createWorkingCalendar, validateHolidayTable, type WorkingCalendar } from '../../lib/working-days.js';
import type { Actor } from '../auth/actor.js';
import type { OrgService } from '../org/org.service.js';
import type { ReportOutbox } from '../reporting/outbox.js';

const KEYS = Object.keys(SETTINGS_DEFAULTS) as SettingKey[];
const isPlatformKey = (key: SettingKey) => PLATFORM_KEYS.includes(key);
const PLATFORM_ONLY = '为全平台设置，只有最高级管理员（管理范围为组织树根）可以修改';
const KEY_LABELS: Record<SettingKey, string> = {
  tags: '评价理由标签',
  limits: '防刷评限制',
  deadlines: '处理时限',
  spotCheck: '好评抽查',
  ranking: '排名',
  privacy: '手机号保留期限',
  matters: '办件评价',
  citizen: '群众评价页',
  report: '数据上报代码',
  credibility: '评价可信度',
  cannotHandle: '办不成事时限',
  complaints: '投诉时限',
  observation: '监督报告时限',
};

/** The allowed range of every number setting, read once from the schema (the settings page shows and checks them). */
const NUMBER_RANGES: SettingsSources['numberRanges'] = (() => {
  const out: SettingsSources['numberRanges'] = [];
  const walk = (schema: Record<string, unknown>, path: string) => {
    if (schema.type === 'object') {
      // A map (Type.Record: patternProperties, no properties) holds no number setting.
      for (const [k, v] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>))
        walk(v, path ? `${path}.${k}` : k);
    } else if (schema.type === 'integer' || schema.type === 'number') {
      out.push({ key: path, minimum: Number(schema.minimum), maximum: Number(schema.maximum), integer: schema.type === 'integer' });
    }
  };
  walk(SettingsSchema as unknown as Record<string, unknown>, '');
  return out;
})();

const TAG_LISTS = { bad: '差评理由（tags.bad）', good: '好评理由（tags.good）' } as const;

/** The reasons as stored: each without the spaces around it (a reason that is only spaces is then refused as empty). */
function trimmedTags(tags: Settings['tags']): Settings['tags'] {
  return { good: tags.good.map((t) => t.trim()), bad: tags.bad.map((t) => t.trim()) };
}

/**
 * No empty reason, and no reason twice, in a list or across the two: the citizen page would offer it twice, and the
 * statistics class a reason as 好评 or 差评 by the list it is in (docs/domain.md, 3.2).
 */
function checkTags(tags: Settings['tags']): void {
  const seen = new Map<string, keyof typeof TAG_LISTS>();
  for (const list of ['bad', 'good'] as const) {
    // The shape is the schema's to check (after this); here only what it does not say.
    if (!Array.isArray(tags[list])) continue;
    for (const [i, tag] of tags[list].entries()) {
      if (tag === '') throw new BadRequest(`${TAG_LISTS[list]}第 ${i + 1} 项是空的：请填写理由或删除这一项`, 'InvalidSettings');
      const was = seen.get(tag);
      if (was === list) throw new BadRequest(`${TAG_LISTS[list]}中「${tag}」出现了不止一次：每个理由只能列一次`, 'InvalidSettings');
      if (was) {
        throw new BadRequest(
          `「${tag}」同时列在${TAG_LISTS.bad}和${TAG_LISTS.good}中：统计按理由区分好评、差评，一个理由只能属于一类`,
          'InvalidSettings',
        );
      }
      seen.set(tag, list);
    }
  }
}

/** Whether a stored value still fits its key's schema (a value of an older version does not). */
function fits(key: SettingKey, value: unknown): boolean {
  return Value.Check(SettingsSchema.properties[key], value);
}

/** Where a stored value belongs: `null` is the platform row (the root's values and the platform keys). */
const rowKey = (owner: number | null, key: string) => `${owner ?? 'platform'}:${key}`;

/**
 * What the hot paths read, rebuilt as a whole whenever the settings or the org tree change: the
 * effective settings of every org unit (inheritance resolved once, here, not per request), each
 * department's unit, and the working-day calendar.
 */
interface Snapshot {
  /** Defaults, overridden by the platform rows: the root's settings and the platform keys' values. */
  platform: Settings;
  byUnit: Map<number, Settings>;
  units: Map<number, OrgUnitView>;
  unitOf: Map<number, number>;
  /** The stored values that fit their schema, by `rowKey`. */
  stored: Map<string, unknown>;
  calendar: WorkingCalendar;
}

/**
 * A group stored before a later version added fields to it (e.g. the anti-rigging rules of `limits`)
 * keeps its stored values and takes the new fields' defaults, instead of failing the schema and
 * falling back to the defaults altogether.
 */
function withNewFields(key: SettingKey, value: unknown): unknown {
  const defaults = SETTINGS_DEFAULTS[key] as unknown;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  return isObject(defaults) && isObject(value) ? { ...defaults, ...value } : value;
}

function buildSnapshot(
  rows: q.SettingRow[],
  tree: { units: OrgUnitView[]; departments: Array<{ id: number; orgUnitId: number }> },
  calendar: WorkingCalendar,
): Snapshot {
  const stored = new Map<string, unknown>();
  for (const r of rows) {
    if (!(KEYS as string[]).includes(r.key)) continue;
    const value = withNewFields(r.key as SettingKey, r.value);
    if (fits(r.key as SettingKey, value)) stored.set(rowKey(r.orgUnitId, r.key), value);
  }
  const platform = { ...SETTINGS_DEFAULTS } as Record<SettingKey, unknown>;
  for (const key of KEYS) if (stored.has(rowKey(null, key))) platform[key] = stored.get(rowKey(null, key));
  const p = Object.freeze(platform) as Settings;
  const units = new Map(tree.units.map((u) => [u.id, u]));
  const byUnit = new Map<number, Settings>();
  const resolving = new Set<number>();
  const resolve = (id: number): Settings => {
    const done = byUnit.get(id);
    if (done) return done;
    const unit = units.get(id);
    // A root takes the platform rows; a broken parent chain (a cycle) falls back to them too.
    if (!unit || unit.parentId === null || resolving.has(id)) return p;
    resolving.add(id);
    const merged = { ...resolve(unit.parentId) } as Record<SettingKey, unknown>;
    resolving.delete(id);
    for (const key of KEYS) if (!isPlatformKey(key) && stored.has(rowKey(id, key))) merged[key] = stored.get(rowKey(id, key));
    // The per-network limit runs before the rated code is known: always the platform's value.
    const limits = merged.limits as Settings['limits'];
    if (limits.networkPerMinute !== p.limits.networkPerMinute) merged.limits = { ...limits, networkPerMinute: p.limits.networkPerMinute };
    const effective = Object.freeze(merged) as Settings;
    byUnit.set(id, effective);
    return effective;
  };
  for (const id of units.keys()) resolve(id);
  return { platform: p, byUnit, units, unitOf: new Map(tree.departments.map((d) => [d.id, d.orgUnitId])), stored, calendar };
}

/**
 * Settings have an owner (docs/domain.md, Settings): the platform-wide keys and the holiday tables
 * belong to the top-level administrators; every other key is set per org unit and inherited down the
 * tree. They are read on hot paths, so everything is resolved into a snapshot in memory: `load()`
 * fills it once at start-up (it must be awaited before `get()` or `calendar()`), every change here
 * reloads it after its commit, `refresh()` reloads it when another instance changed the settings or
 * the org tree, and a department or unit the snapshot does not know yet (created since) reloads it.
 */
export function createSettingsService(deps: {
  db: Db;
  clock: Clock;
  org: Pick<OrgService, 'tree'>;
  /** Upward reporting: new detail codes let the records waiting for one go (in the same transaction). */
  report?: Pick<ReportOutbox, 'codesChanged'>;
}) {
  const { db, clock, org, report } = deps;
  let snap: Snapshot | null = null;
  // Reloads may overlap (a periodic refresh and a change): only the one that started last is kept,
  // so an answer read before a commit never replaces one read after it.
  let reloadsStarted = 0;
  let reloadKept = 0;
  let pendingReload: Promise<Snapshot> | null = null;

  async function holidayTables(c: DbOrTx): Promise<HolidayTableView[]> {
    return (await q.listHolidayTables(c)).map((t) => ({
      year: t.year,
      holidays: t.holidays,
      workdays: t.workdays,
      source: t.source ?? undefined,
      loadedAt: t.loadedAt,
    }));
  }

  /** Reads everything afresh (committed data, through `db`); answers the snapshot it built. */
  async function reload(): Promise<Snapshot> {
    const started = ++reloadsStarted;
    const next = buildSnapshot(await q.readAllSettings(db), await org.tree(), createWorkingCalendar(await holidayTables(db)));
    if (started > reloadKept) {
      reloadKept = started;
      snap = next;
    }
    return next;
  }

  function current(): Snapshot {
    if (!snap) throw new Error('settings.load() must be awaited before the settings are read');
    return snap;
  }

  /**
   * The snapshot, reloaded first when `known` says it lacks something (a department or unit created
   * since): once through a reload already under way, then through one of its own, started after
   * whatever the caller read.
   */
  async function snapshotKnowing(known: (s: Snapshot) => boolean): Promise<Snapshot> {
    const s = current();
    if (known(s)) return s;
    pendingReload ??= reload().finally(() => {
      pendingReload = null;
    });
    const shared = await pendingReload;
    return known(shared) ? shared : reload();
  }

  const settingsOfUnit = (s: Snapshot, id: number | null): Settings => (id === null ? s.platform : (s.byUnit.get(id) ?? s.platform));

  async function forUnit(orgUnitId: number | null): Promise<Settings> {
    if (orgUnitId === null) return current().platform;
    return settingsOfUnit(await snapshotKnowing((s) => s.units.has(orgUnitId)), orgUnitId);
  }

  async function forDepartment(departmentId: number): Promise<Settings> {
    const s = await snapshotKnowing((x) => x.unitOf.has(departmentId));
    return settingsOfUnit(s, s.unitOf.get(departmentId) ?? null);
  }

  /** The unit and the units above it, nearest first. */
  function chain(s: Snapshot, id: number): number[] {
    const out: number[] = [];
    for (let u: number | null | undefined = id; u != null && !out.includes(u); u = s.units.get(u)?.parentId) out.push(u);
    return out;
  }

  /** The nearest unit above (or at) every department of the list; null when there is none. */
  async function commonUnit(departmentIds: readonly number[]): Promise<number | null> {
    const s = await snapshotKnowing((x) => departmentIds.every((d) => x.unitOf.has(d)));
    let common: number[] | null = null;
    for (const d of departmentIds) {
      const unit = s.unitOf.get(d);
      if (unit === undefined) continue;
      const up = chain(s, unit);
      common = common === null ? up : common.filter((u) => up.includes(u));
    }
    return common?.[0] ?? null;
  }

  const isRoot = (s: Snapshot, id: number) => s.units.get(id)?.parentId === null;

  /** An administrator whose scope is a root of the org tree: the owner of the platform-wide settings. */
  async function isTopAdmin(actor: Actor): Promise<boolean> {
    const unit = actor.orgUnitId;
    if (actor.role !== 'admin' || unit === null) return false;
    return isRoot(await snapshotKnowing((s) => s.units.has(unit)), unit);
  }

  async function requireTopAdmin(actor: Actor, what: string): Promise<void> {
    if (actor.role !== 'admin') throw new Forbidden('只有管理员可以修改设置');
    if (!(await isTopAdmin(actor))) throw new Forbidden(`${what}${PLATFORM_ONLY}`, 'PlatformSetting');
  }

  /** An org unit the actor may see, or NotFound (never revealing that it exists elsewhere). */
  async function unitInScope(actor: Actor, orgUnitId: number): Promise<Snapshot> {
    const s = await snapshotKnowing((x) => x.units.has(orgUnitId));
    const up = s.units.has(orgUnitId) ? chain(s, orgUnitId) : [];
    const visible =
      actor.orgUnitId !== null
        ? up.includes(actor.orgUnitId)
        : // A head sees the settings of their departments' units and of the units above them.
          [...actor.departmentIds].some((d) => {
            const unit = s.unitOf.get(d);
            return unit !== undefined && chain(s, unit).includes(orgUnitId);
          });
    if (!visible) throw new NotFound('组织单位不存在');
    return s;
  }

  /** The unit a request is about: the one asked for (in scope), else the caller's own. Null: the platform. */
  async function targetUnit(actor: Actor, orgUnitId: number | undefined): Promise<number | null> {
    if (orgUnitId !== undefined) {
      await unitInScope(actor, orgUnitId);
      return orgUnitId;
    }
    return actor.orgUnitId ?? (await commonUnit([...actor.departmentIds]));
  }

  /** Years touched by upcoming deadlines that have no official data: admins are warned. */
  function calendarWarnings(cal: WorkingCalendar, today: string): string[] {
    // A case opened today has its whole deadline within ~45 calendar days, so those years matter.
    const years = new Set([Number(today.slice(0, 4)), Number(addDays(today, 45).slice(0, 4))]);
    const warnings: string[] = [];
    for (const y of years) {
      if (!cal.hasOfficialData(y)) {
        warnings.push(`${y} 年尚无官方节假日安排数据，期限暂按周一至周五计算。请载入国务院办公厅公布的 ${y} 年安排。`);
      }
    }
    return warnings;
  }

  return {
    /** Fills the snapshot read by `get()`, `forDepartment()`… and `calendar()`: awaited once before use. */
    async load(): Promise<void> {
      await reload();
    },

    /** Reloads the snapshot, so that changes made by another server instance are seen. */
    async refresh(): Promise<void> {
      await reload();
    },

    /** The platform's settings: the root's values, and the platform-wide keys (privacy, the per-network limit). */
    get(): Settings {
      return current().platform;
    },

    /** The settings in force for an org unit (null: the platform's). */
    forUnit,

    /** The settings in force for a department: its org unit's. */
    forDepartment,

    /** The distinct settings in force for a list of departments (a stats view over several units). */
    async forDepartments(departmentIds: readonly number[]): Promise<Settings[]> {
      const s = await snapshotKnowing((x) => departmentIds.every((d) => x.unitOf.has(d)));
      const found = new Set<Settings>();
      for (const d of departmentIds) found.add(settingsOfUnit(s, s.unitOf.get(d) ?? null));
      return found.size ? [...found] : [s.platform];
    },

    /** The settings of the nearest unit above every department of the list (a ranking among them). */
    async forDepartmentGroup(departmentIds: readonly number[]): Promise<Settings> {
      return forUnit(await commonUnit(departmentIds));
    },

    /** GET /api/settings: the settings in force for the unit asked for, or the caller's own. */
    async view(actor: Actor, orgUnitId?: number): Promise<Settings> {
      return forUnit(await targetUnit(actor, orgUnitId));
    },

    /** Where each value of a unit comes from: set there, inherited from a unit above, or the platform default. */
    async sources(actor: Actor, orgUnitId?: number): Promise<SettingsSources> {
      const target = await targetUnit(actor, orgUnitId);
      const s = target === null ? current() : await snapshotKnowing((x) => x.units.has(target));
      const unit = target === null ? undefined : s.units.get(target);
      const up = target === null ? [] : chain(s, target);
      const rootId = up.at(-1);
      const ownerOf = (u: number) => (isRoot(s, u) ? null : u);
      const ref = (u: number | undefined) => (u === undefined ? null : { id: u, name: s.units.get(u)?.name ?? '' });
      const top = await isTopAdmin(actor);
      return {
        orgUnit: unit ? { id: unit.id, name: unit.name, parentId: unit.parentId } : { id: 0, name: '平台', parentId: null },
        canChangePlatform: top,
        canChange: actor.role === 'admin' && actor.orgUnitId !== null && (target === null ? top : up.includes(actor.orgUnitId)),
        settings: settingsOfUnit(s, target),
        numberRanges: NUMBER_RANGES,
        keys: KEYS.map((key) => {
          // The first unit of the chain holding a value of its own (a root's are the platform rows).
          const from = isPlatformKey(key)
            ? s.stored.has(rowKey(null, key))
              ? rootId
              : undefined
            : up.find((u) => s.stored.has(rowKey(ownerOf(u), key)));
          const setHere = target === null ? s.stored.has(rowKey(null, key)) : from === target;
          return { key, scope: isPlatformKey(key) ? 'platform' : 'unit', setHere, inheritedFrom: setHere ? null : ref(from) };
        }),
      };
    },

    /**
     * Changes settings of an org unit (the caller's own by default): a key's value, or null to clear the
     * unit's own value. A root's values are the platform rows; the platform-wide keys are always stored
     * there, and only a top-level administrator changes them.
     */
    async update(actor: Actor, patch: SettingsPatch, orgUnitId?: number): Promise<Settings> {
      if (actor.role !== 'admin') throw new Forbidden('只有管理员可以修改设置');
      const target = orgUnitId ?? actor.orgUnitId;
      if (target === null) throw new Forbidden('您没有管理范围，不能修改设置');
      const s = await unitInScope(actor, target);
      const owner = isRoot(s, target) ? null : target;
      const top = await isTopAdmin(actor);
      // A client that sends every key (the settings page did) may send a platform key unchanged: no change.
      const entries = (Object.entries(patch) as Array<[SettingKey, unknown]>)
        .filter(([key, v]) => v !== undefined && !(isPlatformKey(key) && !top && Value.Equal(v, s.platform[key])))
        // Limits given in part keep the unit's other limits (those in force for it now).
        .map(([key, v]): [SettingKey, unknown] =>
          key === 'limits' && v !== null
            ? [key, { ...settingsOfUnit(s, target).limits, ...(v as object) }]
            : key === 'tags' && v !== null && fits(key, v)
              ? [key, trimmedTags(v as Settings['tags'])]
              : [key, v],
        );
      for (const [key, value] of entries) {
        if (!KEYS.includes(key)) throw new BadRequest(`没有这项设置：${key}`, 'InvalidSettings');
        if (key === 'tags' && value !== null) checkTags(value as Settings['tags']);
        if (value !== null && !fits(key, value)) {
          const first = [...Value.Errors(SettingsSchema.properties[key], value)][0];
          throw new BadRequest(`设置不合法：/${key}${first?.instancePath ?? ''} ${first?.message ?? ''}`.trim(), 'InvalidSettings');
        }
        if ((isPlatformKey(key) || owner === null) && !top)
          throw new Forbidden(`「${KEY_LABELS[key]}」${PLATFORM_ONLY}`, 'PlatformSetting');
      }
      if (entries.length === 0) return settingsOfUnit(s, target);
      const now = clock.now();
      await db.transaction(async (tx) => {
        // Two changes at once (two instances) read and write the platform's network limit in turn.
        await lockKey(tx, 'settings');
        await bumpCacheVersion(tx, 'settings');
        if (entries.some(([key]) => key === 'report')) await report?.codesChanged(tx, now);
        const rows = await q.readAllSettings(tx);
        const platformLimits = (rows.find((r) => r.orgUnitId === null && r.key === 'limits' && fits('limits', r.value))?.value ??
          SETTINGS_DEFAULTS.limits) as Settings['limits'];
        for (const [key, value] of entries) {
          const at = isPlatformKey(key) ? null : owner;
          if (value === null) {
            await q.deleteSetting(tx, at, key);
            continue;
          }
          if (key === 'limits' && at !== null) {
            const { networkPerMinute } = value as Settings['limits'];
            if (networkPerMinute !== platformLimits.networkPerMinute) {
              if (!top) throw new Forbidden(`「同一网络每分钟最多提交」${PLATFORM_ONLY}`, 'PlatformSetting');
              await q.upsertSetting(tx, null, 'limits', { ...platformLimits, networkPerMinute }, now, actor.id);
            }
          }
          await q.upsertSetting(tx, at, key, value, now, actor.id);
        }
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'settings.update',
          targetType: 'settings',
          targetId: owner === null ? 'platform' : String(owner),
          detail: { orgUnitId: owner, orgUnitName: s.units.get(target)?.name ?? null, ...Object.fromEntries(entries) },
        });
      });
      return settingsOfUnit(await reload(), target);
    },

    /** The working-day calendar: official tables loaded by admins first, then the built-in data. */
    calendar(): WorkingCalendar {
      return current().calendar;
    },

    /** The loaded tables, and a warning for each year of upcoming deadlines without official data. */
    async holidays(): Promise<HolidaysResponse> {
      // Read afresh (this admin page shows what is stored), the warnings from the same tables.
      const tables = await holidayTables(db);
      return { tables, warnings: calendarWarnings(createWorkingCalendar(tables), chinaDay(clock.now())) };
    },

    async loadHolidayTable(actor: Actor, input: unknown): Promise<HolidayTableView> {
      await requireTopAdmin(actor, '节假日表');
      const result = validateHolidayTable(input);
      if (!result.ok) throw new BadRequest(`节假日表不合法：${result.errors.join('；')}`, 'InvalidHolidayTable');
      const t = result.table;
      const now = clock.now();
      await db.transaction(async (tx) => {
        await bumpCacheVersion(tx, 'settings');
        await q.upsertHolidayTable(tx, {
          year: t.year,
          holidays: t.holidays,
          workdays: t.workdays,
          source: t.source ?? null,
          loadedBy: actor.id,
          loadedAt: now,
        });
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'holidays.load',
          targetType: 'holiday_table',
          targetId: String(t.year),
          detail: { holidays: t.holidays.length, workdays: t.workdays.length, source: t.source ?? null, orgUnitId: null },
        });
      });
      await reload();
      return t;
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
