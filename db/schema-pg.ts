// The PostgreSQL tables, derived from the one description in schema.ts (drizzle declares a table per
// dialect; deriving keeps the two from drifting). drizzle-kit reads this file to generate
// db/migrations-pg/; the running app keeps using schema.ts's table objects on both drivers (the query
// builder renders them in the connection's dialect). Mapping, chosen so that both drivers return the
// same values: ids → bigserial, and *_id, *_at (ms) → bigint; other integers, booleans (0/1, as in
// SQLite) → integer; text and JSON text → text; real → double precision. Plain SQL types only: the
// PostgreSQL-compatible databases of government clouds (openGauss, KingbaseES) accept them.
import { getTableColumns, getTableName, is, SQL } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  doublePrecision,
  foreignKey,
  index,
  integer,
  type PgColumnBuilderBase,
  type PgTableWithColumns,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as sqlite from './schema.js';

// biome-ignore lint/suspicious/noExplicitAny: the derived tables are only read by drizzle-kit.
type AnyPgTable = PgTableWithColumns<any>;
type PgTableExtra =
  | ReturnType<typeof index>
  | ReturnType<typeof primaryKey>
  | ReturnType<typeof foreignKey>
  | ReturnType<ReturnType<typeof index>['on']>;

/** Timestamps (ms) and ids (a province stores billions of ratings over the years) need 64 bits. */
const isWide = (name: string) => name === 'at' || name.endsWith('_at') || name.endsWith('_id') || name === 'window_start';

function columnOf(c: SQLiteColumn): PgColumnBuilderBase {
  const kind = c.columnType;
  const config = c as unknown as { autoIncrement?: boolean; default?: unknown; hasDefault: boolean };
  let b: PgColumnBuilderBase & {
    notNull(): typeof b;
    default(v: unknown): typeof b;
    primaryKey(): typeof b;
    unique(name?: string): typeof b;
  };
  if (kind === 'SQLiteInteger' && config.autoIncrement) b = bigserial(c.name, { mode: 'number' }) as never;
  else if (kind === 'SQLiteInteger' && isWide(c.name)) b = bigint(c.name, { mode: 'number' }) as never;
  else if (kind === 'SQLiteInteger' || kind === 'SQLiteBoolean') b = integer(c.name) as never;
  else if (kind === 'SQLiteText' || kind === 'SQLiteTextJson') b = text(c.name) as never;
  else if (kind === 'SQLiteReal') b = doublePrecision(c.name) as never;
  else throw new Error(`schema-pg: no PostgreSQL type for ${c.name} (${kind})`);
  if (c.notNull) b = b.notNull();
  if (c.hasDefault && config.default !== undefined) {
    const d = config.default;
    b = b.default(typeof d === 'boolean' ? (d ? 1 : 0) : d);
  }
  if (c.primary) b = b.primaryKey();
  if (c.isUnique) b = b.unique(c.uniqueName);
  return b;
}

const byName = new Map<string, AnyPgTable>();

/**
 * Columns PostgreSQL needs that SQLite has built in: `seq` numbers codes in insertion order, as
 * SQLite's rowid does (codes made together share createdAt and print in window order).
 */
const EXTRA: Record<string, Record<string, PgColumnBuilderBase>> = {
  codes: { seq: bigserial('seq', { mode: 'number' }) },
};

/**
 * Indexes PostgreSQL needs that SQLite does without: several instances check the device and network
 * limits against the ratings table (db/queries/ratings.ts limitCounts), where one SQLite process keeps
 * them in memory (and dropped these indexes for ingest speed, migration 0001).
 */
const EXTRA_INDEXES: Record<string, Array<{ name: string; on: string[] }>> = {
  ratings: [
    { name: 'ratings_client_at_idx', on: ['client_hash', 'created_at'] },
    { name: 'ratings_net_at_idx', on: ['net_hash', 'created_at'] },
    // A network's ratings today in one department (the hold rules over a network's day): through
    // (net_hash, created_at) they were the network's day in every department, and through
    // (department_id, day, created_at) the department's day from every network (~1 ms a rating).
    { name: 'ratings_net_dept_at_idx', on: ['net_hash', 'department_id', 'created_at'] },
    // SQLite's (day, created_at) index ends with the rowid; PostgreSQL's does not: (day, created_at, id)
    // lets the newest-first lists (ratings behind a figure, comments) stop after a page, as SQLite does.
    { name: 'ratings_day_time_id_idx', on: ['day', 'created_at', 'id'] },
  ],
  // The tag counts of a scope and period, read from the index alone (SQLite walks its tag-first key
  // tag by tag; PostgreSQL read the whole table for it).
  daily_tag_stats: [{ name: 'daily_tag_stats_dept_day_idx', on: ['department_id', 'day', 'tag', 'count'] }],
  daily_org_unit_tag_stats: [{ name: 'daily_org_unit_tag_stats_unit_day_idx', on: ['org_unit_id', 'day', 'tag', 'count'] }],
};

/**
 * Indexes of schema.ts that PostgreSQL does without, because an EXTRA_INDEXES one does their work
 * better. `ratings (day, created_at)`: `ratings (day, created_at, id)` answers every range of days it
 * answers, and in the order of the newest-first lists; with both (then `(day)` and `(day, id)`), the
 * planner took the shorter for the latest comments and sorted a whole day's ratings (~30 k at 10 M a
 * year) to return 20 (22 ms; 0.7 ms through the longer).
 */
const LEFT_OUT = new Set(['ratings_day_time_idx']);

function derive(t: SQLiteTable): AnyPgTable {
  const cfg = getTableConfig(t);
  const columns = {
    ...Object.fromEntries(Object.entries(getTableColumns(t)).map(([key, c]) => [key, columnOf(c as SQLiteColumn)])),
    ...EXTRA[cfg.name],
  };
  const keyOf = new Map(Object.entries(getTableColumns(t)).map(([key, c]) => [c.name, key]));
  const table: AnyPgTable = pgTable(cfg.name, columns, (pg): PgTableExtra[] => {
    const col = (c: { name: string }) => (pg as Record<string, never>)[keyOf.get(c.name)!];
    return [
      ...cfg.primaryKeys.map((pk) => primaryKey({ name: pk.getName(), columns: pk.columns.map(col) as [never, ...never[]] })),
      ...cfg.indexes
        .filter((ix) => !LEFT_OUT.has(ix.config.name))
        .map((ix) => {
          const {
            name,
            columns: on,
            unique,
            where,
          } = ix.config as { name: string; columns: Array<{ name: string } | SQL>; unique: boolean; where?: SQL };
          // A key expression (SQL) is the same text in both dialects.
          const keys = on.map((c) => (is(c, SQL) ? c : col(c)));
          const built = (unique ? uniqueIndex(name) : index(name)).on(...(keys as [never, ...never[]]));
          return where ? built.where(where) : built;
        }),
      ...(EXTRA_INDEXES[cfg.name] ?? []).map((ix) => index(ix.name).on(...(ix.on.map((name) => col({ name })) as [never, ...never[]]))),
      ...cfg.foreignKeys.map((fk) => {
        const ref = fk.reference();
        const target: AnyPgTable = byName.get(getTableName(ref.foreignTable)) ?? table;
        const targetKeys = new Map(Object.entries(getTableColumns(ref.foreignTable)).map(([key, c]) => [c.name, key]));
        return foreignKey({
          name: fk.getName(),
          columns: ref.columns.map(col) as [never, ...never[]],
          foreignColumns: ref.foreignColumns.map((c) => (target as unknown as Record<string, never>)[targetKeys.get(c.name)!]) as [
            never,
            ...never[],
          ],
        });
      }),
    ];
  });
  byName.set(cfg.name, table);
  return table;
}

export const orgUnits = derive(sqlite.orgUnits);
export const departments = derive(sqlite.departments);
export const users = derive(sqlite.users);
export const userDepartments = derive(sqlite.userDepartments);
export const codes = derive(sqlite.codes);
export const integrations = derive(sqlite.integrations);
export const matters = derive(sqlite.matters);
export const kiosks = derive(sqlite.kiosks);
export const ratingHoldGroups = derive(sqlite.ratingHoldGroups);
export const ratings = derive(sqlite.ratings);
export const ratingDecisions = derive(sqlite.ratingDecisions);
export const spotCheckDraws = derive(sqlite.spotCheckDraws);
export const spotCheckConsidered = derive(sqlite.spotCheckConsidered);
export const cases = derive(sqlite.cases);
export const caseSequences = derive(sqlite.caseSequences);
export const caseDepartments = derive(sqlite.caseDepartments);
export const caseEvents = derive(sqlite.caseEvents);
export const auditLog = derive(sqlite.auditLog);
export const settings = derive(sqlite.settings);
export const holidayTables = derive(sqlite.holidayTables);
export const webhooks = derive(sqlite.webhooks);
export const notificationDeliveries = derive(sqlite.notificationDeliveries);
export const dailyCodeStats = derive(sqlite.dailyCodeStats);
export const dailyCodeStoredStats = derive(sqlite.dailyCodeStoredStats);
export const dailyDepartmentStats = derive(sqlite.dailyDepartmentStats);
export const cumulativeCodeStats = derive(sqlite.cumulativeCodeStats);
export const cumulativeDepartmentStats = derive(sqlite.cumulativeDepartmentStats);
export const dailyTagStats = derive(sqlite.dailyTagStats);
export const dailyCaseStats = derive(sqlite.dailyCaseStats);
export const cumulativeDepartmentCaseStats = derive(sqlite.cumulativeDepartmentCaseStats);
export const dailyOrgUnitStats = derive(sqlite.dailyOrgUnitStats);
export const dailyOrgUnitTagStats = derive(sqlite.dailyOrgUnitTagStats);
export const dailyOrgUnitCaseStats = derive(sqlite.dailyOrgUnitCaseStats);
export const cumulativeOrgUnitStats = derive(sqlite.cumulativeOrgUnitStats);
export const cumulativeOrgUnitCaseStats = derive(sqlite.cumulativeOrgUnitCaseStats);
export const caseStatusCounts = derive(sqlite.caseStatusCounts);
export const matterStatusCounts = derive(sqlite.matterStatusCounts);
export const dailyMatterStats = derive(sqlite.dailyMatterStats);
export const jobRuns = derive(sqlite.jobRuns);
export const cacheVersions = derive(sqlite.cacheVersions);
export const rateLimitHits = derive(sqlite.rateLimitHits);
export const revokedTokens = derive(sqlite.revokedTokens);
export const loginFailures = derive(sqlite.loginFailures);
export const reportOutbox = derive(sqlite.reportOutbox);
export const reportBatches = derive(sqlite.reportBatches);
export const guides = derive(sqlite.guides);
export const guideVersions = derive(sqlite.guideVersions);
export const guideCodes = derive(sqlite.guideCodes);
export const suggestions = derive(sqlite.suggestions);
