// Tables of 码上评议. Timestamps are integers (ms since epoch); calendar days are 'YYYY-MM-DD'
// strings in China time (UTC+8), because every deadline and statistic is counted in Chinese days.
import { sql } from 'drizzle-orm';
import { type AnySQLiteColumn, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
  APPLICANT_TYPES,
  CASE_KINDS,
  CASE_STATUSES,
  CLASSIFICATIONS,
  COMPLAINT_CHANNELS,
  ENTERED_CHANNELS,
  HANDLINGS,
  MATTER_SOURCES,
  MATTER_STATUSES,
  ORG_KINDS,
  type RatingChannel,
  ROLES,
  SATISFACTIONS,
  SUBMITTER_TYPES,
  SUGGESTION_CATEGORIES,
  SUGGESTION_DECISIONS,
} from '../shared/domain.js';

/** The organisation tree above departments: 市 → 县/区. */
export const orgUnits = sqliteTable('org_units', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  parentId: integer('parent_id').references((): AnySQLiteColumn => orgUnits.id),
  kind: text('kind', { enum: ORG_KINDS }).notNull(),
  name: text('name').notNull(),
  /** 行政区划代码 (12 digits, GB/T 2260 + the township level): the areaCode of its upward reports. */
  areaCode: text('area_code'),
  createdAt: integer('created_at').notNull(),
});

export const departments = sqliteTable(
  'departments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    name: text('name').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** 统一社会信用代码 (18 characters, GB 32100 check character): the deptCode of its upward reports. */
    creditCode: text('credit_code'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('departments_org_name_uq').on(t.orgUnitId, t.name)],
);

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  /** Scope of an admin or supervisor: this org unit and everything below it. */
  orgUnitId: integer('org_unit_id').references(() => orgUnits.id),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdAt: integer('created_at').notNull(),
  /**
   * Every token carries the version it was signed under; raising it (logout everywhere, a password
   * change or reset, disabling) makes every earlier token of the user answer 401 on every instance.
   */
  tokenVersion: integer('token_version').notNull().default(0),
});

/** Scope of a department head: the departments they lead (usually one). */
export const userDepartments = sqliteTable(
  'user_departments',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.departmentId] })],
);

/** A printed 评议码. The id is printed on paper, so it is never reused nor re-pointed. */
export const codes = sqliteTable(
  'codes',
  {
    id: text('id').primaryKey(),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    location: text('location').notNull(),
    staffName: text('staff_name'),
    /** JSON array of service items (事项) handled at this window. */
    serviceItems: text('service_items', { mode: 'json' }).$type<string[]>(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    disabledAt: integer('disabled_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('codes_department_idx').on(t.departmentId)],
);

/**
 * The channels whose ratings are read through their own partial index (ratings_few_channels_idx): those
 * staff type in (ENTERED_CHANNELS) and the 评价器's, which a county may have at a few windows only, or
 * none. Either is a few among a county's scans and links, and the 评价 list's channel filter would
 * otherwise read the whole period to find them.
 */
export const INDEXED_CHANNELS: readonly RatingChannel[] = [...ENTERED_CHANNELS, 'kiosk'];
/**
 * INDEXED_CHANNELS as an SQL list, the condition of ratings_few_channels_idx: a query meant to read that
 * partial index states the same list, as a literal (db/queries/stats.ts).
 */
export const INDEXED_CHANNEL_LIST = `(${INDEXED_CHANNELS.map((c) => `'${c}'`).join(', ')})`;

/**
 * The condition of cases_kind_dept_day_idx, the cases other than 差评 (办不成事, 投诉, 监督报告, 抽查), with
 * the kind column as a query names it: a query meant to read that partial index states it too, even
 * beside a condition that implies it (SQLite matches the index's condition by its terms, not by logic).
 */
export const otherWaysOnly = (kind = 'kind') => `${kind} <> 'bad_rating'`;

/** Ratings are facts: never updated except the exclusion/flag markers set by recorded decisions. */
export const ratings = sqliteTable(
  'ratings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    codeId: text('code_id')
      .notNull()
      .references(() => codes.id),
    /** Department as of rating time. */
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    score: integer('score').notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
    comment: text('comment'),
    /** AES-GCM ciphertext of the phone (only with consent); null when anonymous or erased. */
    phoneEnc: text('phone_enc'),
    /** Whether the citizen left a number (stays true after erasure, for 实名 statistics). */
    realName: integer('real_name', { mode: 'boolean' }).notNull().default(false),
    phoneErasedAt: integer('phone_erased_at'),
    clientHash: text('client_hash'),
    netHash: text('net_hash'),
    idempotencyKey: text('idempotency_key'),
    channel: text('channel').notNull().default('qr'),
    createdAt: integer('created_at').notNull(),
    /** China calendar day of createdAt; the key of every rollup. */
    day: text('day').notNull(),
    flagged: integer('flagged', { mode: 'boolean' }).notNull().default(false),
    flagReason: text('flag_reason'),
    excluded: integer('excluded', { mode: 'boolean' }).notNull().default(false),
    /** The 办件 rated (a link or 评价器 rating, or a default rating); null for a static window code. */
    matterId: integer('matter_id').references((): AnySQLiteColumn => matters.id),
    /** 1 for a 办件's first rating, 2 for its 追评 (GB/T 39734-2020); null when unbound. */
    assessNumber: integer('assess_number'),
    /** Replaced in every figure by the 办件's 追评 (the rating stays a fact, shown on the 办件). */
    superseded: integer('superseded', { mode: 'boolean' }).notNull().default(false),
    /**
     * Held for review (an anti-rigging rule flagged it): it counts in no figure until a supervisor's
     * recorded decision releases it (held = false, counted) or excludes it (held = false, excluded).
     */
    held: integer('held', { mode: 'boolean' }).notNull().default(false),
    /** The burst it was held in (one decision handles one burst); null when never held. */
    holdGroupId: integer('hold_group_id').references((): AnySQLiteColumn => ratingHoldGroups.id),
    /**
     * The staff member who typed it in (a paper questionnaire, a 12345 return call: POST /api/ratings/paper);
     * null for a rating the citizen gave on a device, and for the system's default rating.
     */
    enteredBy: integer('entered_by').references((): AnySQLiteColumn => users.id),
  },
  (t) => [
    uniqueIndex('ratings_idempotency_uq').on(t.codeId, t.idempotencyKey),
    // One rating per assess number of a 办件: a second submission racing the first fails here.
    uniqueIndex('ratings_matter_assess_uq').on(t.matterId, t.assessNumber),
    // By time within a day too: one department's list newest first is read in index order, a page at
    // once (by (department, day) only, SQLite sorted a whole day of a busy department: 2.5 ms a page).
    index('ratings_dept_day_time_idx').on(t.departmentId, t.day, t.createdAt),
    // Newest-first lists across many departments walk this (appended in order: cheap to maintain); by
    // time within a day, since a 办件's default rating or a paper form is stored after later ratings.
    index('ratings_day_time_idx').on(t.day, t.createdAt),
    index('ratings_code_day_idx').on(t.codeId, t.day),
    // The review queue: the held ratings of a scope, newest first, and every filter of the queue read
    // from the index alone (partial: only held rows are in it, so the ingest path never writes it).
    index('ratings_held_idx').on(t.departmentId, t.id, t.createdAt, t.codeId, t.holdGroupId, t.netHash, t.clientHash).where(sql`held = 1`),
    index('ratings_hold_group_idx').on(t.holdGroupId).where(sql`hold_group_id IS NOT NULL`),
    // The flagged ones newest first (GET /api/ratings/flagged), department and day read from the index:
    // a few in a thousand are flagged, and without it the list read every rating of the scope (8.9 s at
    // 10 M); the 评价 list's flagged filter checks its period here before reading a row.
    index('ratings_flagged_idx').on(t.id, t.departmentId, t.day).where(sql`flagged = 1`),
    // The ratings staff type in (paper questionnaires, 12345 return calls) and the 评价器's
    // (INDEXED_CHANNELS), a few among the scanned and linked ones: the 评价 list's channel filter reads
    // them here, not the whole period (0.4 s for a county's month at 10 M ratings, to find none). The
    // scan and 办件 link paths never write it.
    index('ratings_few_channels_idx')
      .on(t.departmentId, t.day, t.createdAt)
      .where(sql.raw(`channel IN ${INDEXED_CHANNEL_LIST}`)),
    // 好评抽查's candidates: the real-name ratings with a number still to call (a few in a hundred), with
    // what decides whether one counts, so that a supervisor's 首页 (the new candidates of three months)
    // and a draw read these instead of every rating of their months (2.6 s for a county at 10 M a year).
    // The scan path writes it for a real-name rating only; erasing the number takes the entry out.
    index('ratings_real_name_idx')
      .on(t.departmentId, t.day, t.score, t.excluded, t.held, t.superseded, t.codeId)
      .where(sql`real_name = 1 AND phone_enc IS NOT NULL`),
  ],
);

/**
 * A burst of held ratings: the ratings one rule held for one network or device in one department,
 * while the rule kept firing. The review queue lists these, so that one decision handles one burst.
 * `held_count` is how many of them are still held (kept in the transactions that hold and decide).
 * A 差评 flood's ratings are attached to one grouped case (`case_id`, no foreign key: cases refer to
 * ratings, which refer to this table).
 */
export const ratingHoldGroups = sqliteTable(
  'rating_hold_groups',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The rule that fired (network_burst, device_burst, network_department_day, …). */
    rule: text('rule').notNull(),
    subjectKind: text('subject_kind', { enum: ['network', 'device'] }).notNull(),
    /** The keyed hash of the network or device (never the address itself). */
    subjectHash: text('subject_hash').notNull(),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    firstAt: integer('first_at').notNull(),
    lastAt: integer('last_at').notNull(),
    ratingCount: integer('rating_count').notNull().default(0),
    heldCount: integer('held_count').notNull().default(0),
    caseId: integer('case_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('rating_hold_groups_subject_idx').on(t.subjectHash, t.lastAt),
    index('rating_hold_groups_dept_idx').on(t.departmentId, t.lastAt),
    // A case page asks whether its case is a flood's grouped case.
    index('rating_hold_groups_case_idx').on(t.caseId).where(sql`case_id IS NOT NULL`),
  ],
);

/** A recorded decision on a rating: exclusion after an approved appeal, or a flag review. */
export const ratingDecisions = sqliteTable(
  'rating_decisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ratingId: integer('rating_id')
      .notNull()
      .references(() => ratings.id),
    kind: text('kind', { enum: ['exclude', 'flag', 'flag_cleared', 'release'] }).notNull(),
    reason: text('reason').notNull(),
    caseId: integer('case_id'),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: integer('decided_at').notNull(),
  },
  (t) => [index('rating_decisions_rating_idx').on(t.ratingId)],
);

/**
 * The ratings each 好评抽查 draw considered (eligible at the time): a later draw of the same month
 * draws only from ratings no earlier draw considered, so the month's share stays at the setting.
 */
export const spotCheckConsidered = sqliteTable('spot_check_considered', {
  ratingId: integer('rating_id')
    .primaryKey()
    .references(() => ratings.id),
  drawId: integer('draw_id')
    .notNull()
    .references(() => spotCheckDraws.id),
});

export const spotCheckDraws = sqliteTable('spot_check_draws', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  month: text('month').notNull(),
  seed: text('seed').notNull(),
  share: real('share').notNull(),
  orgUnitId: integer('org_unit_id').references(() => orgUnits.id),
  eligibleCount: integer('eligible_count').notNull(),
  drawnCount: integer('drawn_count').notNull(),
  drawnBy: integer('drawn_by')
    .notNull()
    .references(() => users.id),
  drawnAt: integer('drawn_at').notNull(),
});

export const cases = sqliteTable(
  'cases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseNo: text('case_no').notNull().unique(),
    kind: text('kind', { enum: CASE_KINDS }).notNull(),
    status: text('status', { enum: CASE_STATUSES }).notNull(),
    /** The rating that opened the case (差评必查, 好评抽查); null for a case a citizen reported (办不成事). */
    ratingId: integer('rating_id').references(() => ratings.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    /** The window's code; null for a complaint entered without one (投诉: the window is optional). */
    codeId: text('code_id').references(() => codes.id),
    /** Day of the rating (of the report, for a case without one): cohort key of the case rollups. */
    ratingDay: text('rating_day').notNull(),
    anonymous: integer('anonymous', { mode: 'boolean' }).notNull(),
    officerId: integer('officer_id').references(() => users.id),
    classification: text('classification', { enum: CLASSIFICATIONS }),
    satisfaction: text('satisfaction', { enum: SATISFACTIONS }),
    genuine: integer('genuine', { mode: 'boolean' }),
    reopenCount: integer('reopen_count').notNull().default(0),
    /** Working-day deadlines, 'YYYY-MM-DD' (last day allowed). */
    contactDueDate: text('contact_due_date').notNull(),
    dueDate: text('due_date').notNull(),
    /** Unguessable token of the citizen's status link (/s/{token}). */
    statusToken: text('status_token').notNull().unique(),
    drawId: integer('draw_id').references(() => spotCheckDraws.id),
    visitedAt: integer('visited_at'),
    rectifiedAt: integer('rectified_at'),
    answeredAt: integer('answered_at'),
    closedAt: integer('closed_at'),
    escalatedAt: integer('escalated_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /** A reported case (办不成事): the 事项 the citizen names, if any, and what happened (cleaned, phones masked). */
    subject: text('subject'),
    description: text('description'),
    /** The reporter's phone, encrypted, only with consent; erased like a rating's (docs/domain.md). */
    phoneEnc: text('phone_enc'),
    phoneErasedAt: integer('phone_erased_at'),
    /** 办不成事's own classification: 不能办 / 不好办 / 不给办 (HANDLINGS), not the 差评 one. */
    handling: text('handling', { enum: HANDLINGS }),
    /** 投诉 (complaint): the channel it came by (COMPLAINT_CHANNELS), its 12345 工单编号, and who entered it. */
    channel: text('channel', { enum: COMPLAINT_CHANNELS }),
    orderNo: text('order_no'),
    enteredBy: integer('entered_by').references(() => users.id),
    /** An observation report (监督报告): the user who filed it (特邀监督员, or a staff member's 一把手走流程). */
    reportedBy: integer('reported_by').references(() => users.id),
    /** The day the observer saw it ('YYYY-MM-DD'), and the 办件编号 they named, if any. */
    observedDay: text('observed_day'),
    projectNo: text('project_no'),
    /** 一把手走流程: filed by a staff member (head, supervisor, admin) rather than an invited observer. */
    walkthrough: integer('walkthrough', { mode: 'boolean' }),
  },
  (t) => [
    // One case per work order of a channel (a second entry of the same 12345 order is refused or replayed).
    uniqueIndex('cases_channel_order_idx').on(t.channel, t.orderNo),
    // Covering for the unclosed/overdue counts per department (status seeks, due date in the index).
    index('cases_dept_status_due_idx').on(t.departmentId, t.status, t.dueDate),
    index('cases_status_due_idx').on(t.status, t.dueDate),
    // A 办件's cases (its 办不成事 report, observations naming it): found by the 办件编号.
    index('cases_project_no_idx').on(t.projectNo),
    index('cases_rating_idx').on(t.ratingId),
    index('cases_closed_idx').on(t.closedAt),
    index('cases_created_idx').on(t.createdAt),
    // A department's cases newest first (the head's case list) without sorting all of them.
    index('cases_dept_created_idx').on(t.departmentId, t.createdAt),
    // An observer's own reports, newest first.
    index('cases_reported_by_idx').on(t.reportedBy, t.createdAt),
    // The few cases of one kind (办不成事, 投诉, 监督报告) of departments in a period, for their figures and
    // the public ranking, without reading every 差评 case of those departments (bench dashboards: 530 ms
    // a request at 10 M ratings through cases_dept_created_idx). Partial: without the 差评 cases, so the
    // rating path does not maintain it and the 差评 counts keep their (department, status, due) index (a
    // full index drew them to it: 18–620 ms). A query uses it by stating otherWaysOnly too.
    index('cases_kind_dept_day_idx').on(t.kind, t.departmentId, t.ratingDay).where(sql.raw(otherWaysOnly())),
    // The list of one such kind newest first (the 投诉 tab): walked in order and stopped at the page. Without
    // it PostgreSQL walked every case newest first looking for them (cases_created_idx): all 161,075 of a
    // province copy with none (18 ms), where a kind is new or rare.
    index('cases_kind_created_idx').on(t.kind, t.createdAt).where(sql.raw(otherWaysOnly())),
  ],
);

/**
 * 不好办 (docs/domain.md, 办不成事): the other departments a case's department coordinates with; each
 * added department's head sees the case and records its part (one note per department).
 */
export const caseDepartments = sqliteTable(
  'case_departments',
  {
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    addedAt: integer('added_at').notNull(),
    addedBy: integer('added_by').references(() => users.id),
    partNote: text('part_note'),
    partAt: integer('part_at'),
    partBy: integer('part_by').references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.departmentId] }), index('case_departments_dept_idx').on(t.departmentId, t.caseId)],
);

/**
 * The last number given under each case-number prefix (CP20261122-, SC202611-): one row per day or
 * month. Numbers are counted here, not read back as max(case_no): past 9999 a day the text order of
 * the numbers is not their numeric order (a province has that many 差评 on a bad day).
 */
export const caseSequences = sqliteTable('case_sequences', {
  prefix: text('prefix').primaryKey(),
  last: integer('last').notNull(),
});

/** The case timeline. Append-only: nothing in a timeline is edited. */
export const caseEvents = sqliteTable(
  'case_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id),
    type: text('type').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    at: integer('at').notNull(),
    byUserId: integer('by_user_id').references(() => users.id),
    note: text('note'),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** Shown on the citizen's status page. */
    public: integer('public', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('case_events_case_idx').on(t.caseId, t.at)],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    userId: integer('user_id').references(() => users.id),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_target_idx').on(t.targetType, t.targetId)],
);

/**
 * Settings (docs/domain.md, Settings): one row per key and owner. `org_unit_id` null is the platform
 * row, owned by the top-level administrators (the values of the tree's root, and the platform-wide
 * keys); a row of another org unit overrides its parent's value for that unit and the units below it.
 */
export const settings = sqliteTable(
  'settings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orgUnitId: integer('org_unit_id').references(() => orgUnits.id),
    key: text('key').notNull(),
    value: text('value', { mode: 'json' }).notNull(),
    updatedAt: integer('updated_at').notNull(),
    updatedBy: integer('updated_by').references(() => users.id),
  },
  // NULLs are distinct in a unique index (both dialects): the platform rows have an index of their own.
  (t) => [
    uniqueIndex('settings_platform_key_uq').on(t.key).where(sql`org_unit_id IS NULL`),
    uniqueIndex('settings_unit_key_uq').on(t.orgUnitId, t.key),
  ],
);

/** Official holiday tables loaded by an administrator; preferred over the built-in calendar. */
export const holidayTables = sqliteTable('holiday_tables', {
  year: integer('year').primaryKey(),
  holidays: text('holidays', { mode: 'json' }).$type<string[]>().notNull(),
  workdays: text('workdays', { mode: 'json' }).$type<string[]>().notNull(),
  source: text('source'),
  loadedBy: integer('loaded_by').references(() => users.id),
  loadedAt: integer('loaded_at').notNull(),
});

export const webhooks = sqliteTable('webhooks', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['wecom', 'dingtalk'] }).notNull(),
  url: text('url').notNull(),
  /**
   * DingTalk 加签 secret (SEC…), encrypted with DATA_KEY like the phone numbers; never shown again
   * once stored. Null: the robot does not sign.
   */
  secretEnc: text('secret_enc'),
  /** JSON array of event names: bad_rating, case_overdue. */
  events: text('events', { mode: 'json' }).$type<string[]>().notNull(),
  orgUnitId: integer('org_unit_id').references(() => orgUnits.id),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdAt: integer('created_at').notNull(),
});

export const notificationDeliveries = sqliteTable(
  'notification_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    webhookId: integer('webhook_id')
      .notNull()
      .references(() => webhooks.id),
    event: text('event').notNull(),
    caseId: integer('case_id').references(() => cases.id),
    payload: text('payload', { mode: 'json' }).notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: integer('next_attempt_at'),
    createdAt: integer('created_at').notNull(),
    deliveredAt: integer('delivered_at'),
  },
  (t) => [index('notification_deliveries_status_idx').on(t.status, t.nextAttemptAt)],
);

/**
 * A business system (一窗受理, 网上办事大厅, 12345) that pushes 办件 with an API key. Only the key's
 * SHA-256 is stored (the key is 256 random bits: no slow hash needed to resist guessing); it acts
 * within the scope of the administrator who created it (`org_unit_id`: that administrator's org unit
 * and the units below it; an administrator without one makes none, and a null unit gives no scope).
 */
export const integrations = sqliteTable('integrations', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  /** The key's first characters, shown so that an operator can tell keys apart. */
  keyPrefix: text('key_prefix').notNull(),
  orgUnitId: integer('org_unit_id').references(() => orgUnits.id),
  createdBy: integer('created_by')
    .notNull()
    .references(() => users.id),
  createdAt: integer('created_at').notNull(),
  rotatedAt: integer('rotated_at'),
  revokedAt: integer('revoked_at'),
  lastCallAt: integer('last_call_at'),
  calls: integer('calls').notNull().default(0),
  errors: integer('errors').notNull().default(0),
  lastError: text('last_error'),
  lastErrorAt: integer('last_error_at'),
});

/**
 * A 办件 (docs/domain.md, 办件): one application handled at a window, pushed by a business system.
 * Its one-time rating link is `link_token`, valid until `link_expires_at`.
 */
/** The longest 办结即评 window (credibility.quickSeconds at most 3600): the condition of matters_quick_idx. */
export const QUICK_MAX_MS = 3_600_000;
/**
 * How soon after 办结 a 办件 was first rated (ms), its columns prefixed by `table` ('m.'): matters_quick_idx's
 * key, written the same in the queries that seek it.
 */
export const quickDelay = (table = '') => `(${table}first_rated_at - ${table}finished_at)`;

export const matters = sqliteTable(
  'matters',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectNo: text('project_no').notNull().unique(),
    codeId: text('code_id')
      .notNull()
      .references(() => codes.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    taskCode: text('task_code').notNull(),
    taskName: text('task_name').notNull(),
    staffName: text('staff_name'),
    applicantType: text('applicant_type', { enum: APPLICANT_TYPES }),
    /** AES-GCM ciphertext of the applicant's mobile; null when none or erased. */
    applicantPhoneEnc: text('applicant_phone_enc'),
    applicantPhoneErasedAt: integer('applicant_phone_erased_at'),
    status: text('status', { enum: MATTER_STATUSES }).notNull(),
    source: text('source', { enum: MATTER_SOURCES }),
    acceptedAt: integer('accepted_at').notNull(),
    finishedAt: integer('finished_at'),
    /** China day of finished_at: the key of the 办件 rollups (评价率). */
    finishedDay: text('finished_day'),
    promisedDate: text('promised_date'),
    integrationId: integer('integration_id').references(() => integrations.id),
    linkToken: text('link_token').unique(),
    linkExpiresAt: integer('link_expires_at'),
    /** Ratings given so far (assess numbers used): 0, 1 or 2. */
    ratingCount: integer('rating_count').notNull().default(0),
    /** Whether a citizen (not the default) rated it: the numerator of 评价率. */
    rated: integer('rated', { mode: 'boolean' }).notNull().default(false),
    /** When a citizen first rated it (not the default rating), from its ratings: what 评价可信度's 办结即评 looks for. */
    firstRatedAt: integer('first_rated_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    // A department's 办件 by finish day; with the status, the 办件 list's totals (and its pages of a
    // period) are read from the index alone.
    index('matters_dept_finished_idx').on(t.departmentId, t.finishedDay, t.status),
    // The 办件 list: a department's newest first, a page at once, its status filter read from the index
    // (db/queries/matters.ts listMatters).
    index('matters_dept_id_idx').on(t.departmentId, t.id, t.status),
    // The 评价器's newest finished 办件 at its window.
    index('matters_code_finished_idx').on(t.codeId, t.finishedAt),
    // The default-rating job: a department's finished 办件 never rated, oldest first (per department,
    // so that a department without default ratings never holds up the others). Partial: a 办件's first
    // rating takes it out (one entry deleted), instead of moving it to another place of the index.
    index('matters_unrated_idx').on(t.departmentId, t.finishedAt, t.id).where(sql`status = 'finished' AND rating_count = 0`),
    // 评价可信度's 办结即评 (db/queries/credibility.ts): a department's 办件 of a period that a citizen
    // rated within the hour after 办结 (the longest quickSeconds). Partial: the others, never rated so
    // soon, are never read by it. Keyed by how soon (quickDelay), day by day: a seek per (department,
    // day) finds those rated within the view's seconds alone; the two times make it covering.
    index('matters_quick_idx')
      .on(t.departmentId, t.finishedDay, sql.raw(quickDelay()), t.finishedAt, t.firstRatedAt)
      .where(sql.raw(`first_rated_at <= finished_at + ${QUICK_MAX_MS}`)),
  ],
);

/**
 * A window's 评价器 tablet: provisioned by an administrator for one code, with its own credential (a
 * token in the page's address; only its SHA-256 is stored), revocable.
 */
export const kiosks = sqliteTable(
  'kiosks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    codeId: text('code_id')
      .notNull()
      .references(() => codes.id),
    tokenHash: text('token_hash').notNull().unique(),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
    lastSeenAt: integer('last_seen_at'),
  },
  (t) => [index('kiosks_code_idx').on(t.codeId)],
);

// ---- Rollups: maintained in the same transactions that write ratings and case moves. ----
export * from './schema-rollups.js';

/**
 * The last run of each periodic job (escalation, phone erasure, webhook delivery): an instance runs a
 * job only after claiming its period here, so several instances on one database run it once per period.
 */
export const jobRuns = sqliteTable('job_runs', {
  name: text('name').primaryKey(),
  lastRunAt: integer('last_run_at').notNull(),
});

/**
 * A counter per in-memory cache (settings, codes, webhooks), bumped in the transaction that changes
 * what the cache holds: every instance polls these few rows each second and drops a cache whose
 * counter moved, so a change made on one instance is seen by all within a second.
 */
export const cacheVersions = sqliteTable('cache_versions', {
  name: text('name').primaryKey(),
  version: integer('version').notNull(),
});

/**
 * Request counters of the HTTP rate limits (per route and key, in fixed windows), shared by every
 * instance on a PostgreSQL database; one SQLite process keeps them in memory instead.
 */
export const rateLimitHits = sqliteTable('rate_limit_hits', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
});

/**
 * Single tokens ended by logout (their `jti`), kept until the token would have expired anyway
 * (`expires_at`, ms), then pruned by the `auth.prune` job.
 */
export const revokedTokens = sqliteTable('revoked_tokens', {
  jti: text('jti').primaryKey(),
  expiresAt: integer('expires_at').notNull(),
});

/**
 * Failed logins, per account (`user:<name>`) and per address (`addr:<ip>`), counted in a window started
 * by the first failure; reaching the limit locks the key until `unlocks_at` (ms, 0 = not locked). Shared
 * by every instance on the database. A successful login writes nothing here (it clears its account's row).
 */
export const loginFailures = sqliteTable('login_failures', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  failures: integer('failures').notNull(),
  unlocksAt: integer('unlocks_at').notNull().default(0),
});

/**
 * Upward reporting's outbox (docs/domain.md §10): one row per record to report to the provincial
 * system, written in the transaction that stores the rating (or closes the 差评 case), so that a crash
 * at any moment loses no record and reports none that was not stored. Its `recordId` is
 * `rating-{rating_id}` or `case-{case_id}`. States: pending (due at next_attempt_at; a claimed row's
 * next attempt is its lease), waiting (`reason`: a missing code, or the rating held for review; looked at
 * again when that changes), acked (the receiver answered 2xx), dead (failing for longer than
 * REPORT_DEAD_AFTER_HOURS; resent by hand), dropped (its rating was excluded before it was sent).
 */
export const reportOutbox = sqliteTable(
  'report_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['rating', 'case_result'] }).notNull(),
    ratingId: integer('rating_id')
      .notNull()
      .references(() => ratings.id),
    caseId: integer('case_id').references(() => cases.id),
    /** China day of the rating (of the closing, for a case outcome): the reconciliation's key. */
    day: text('day').notNull(),
    state: text('state', { enum: ['pending', 'waiting', 'acked', 'dead', 'dropped'] }).notNull(),
    reason: text('reason'),
    /** The record (JSON) as first composed; every resend sends it unchanged. Cleared once acknowledged. */
    body: text('body'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    firstFailedAt: integer('first_failed_at'),
    lastAttemptAt: integer('last_attempt_at'),
    /** The receiver's last answer to this record's batch: status and the start of its body, or the error. */
    lastAnswer: text('last_answer'),
    createdAt: integer('created_at').notNull(),
    ackedAt: integer('acked_at'),
  },
  (t) => [
    index('report_outbox_due_idx').on(t.state, t.nextAttemptAt, t.id),
    index('report_outbox_day_idx').on(t.kind, t.day, t.state),
    index('report_outbox_rating_idx').on(t.ratingId),
  ],
);

/** Every POST to the receiver (kept 90 days): the operator view's per-day counts and the receiver's last errors. */
export const reportBatches = sqliteTable(
  'report_batches',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    day: text('day').notNull(),
    records: integer('records').notNull(),
    acked: integer('acked', { mode: 'boolean' }).notNull(),
    /** The HTTP status, or null when no answer came (timeout, refused, reset). */
    status: integer('status'),
    answer: text('answer'),
    ms: integer('ms').notNull(),
  },
  (t) => [index('report_batches_at_idx').on(t.at)],
);

/**
 * 办事指南: one per 事项 (docs/domain.md, 办事指南), edited by administrators. The current text is
 * here; every saved text (the first included) is also a row of guide_versions, so an edit never loses
 * what it replaced. `materials` and `steps` are JSON arrays of strings.
 */
export const guides = sqliteTable(
  'guides',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    /** 事项编码 of the 政务服务事项 catalogue, when known. */
    taskCode: text('task_code'),
    taskName: text('task_name').notNull(),
    materials: text('materials').notNull(),
    steps: text('steps').notNull(),
    /** 法定时限 and 承诺时限, in working days (0: 即办); null when the guide names none. */
    legalDays: integer('legal_days'),
    promisedDays: integer('promised_days'),
    fees: text('fees').notNull(),
    legalBasis: text('legal_basis').notNull(),
    location: text('location').notNull(),
    hours: text('hours').notNull(),
    phone: text('phone').notNull(),
    /** The number of the current text in guide_versions (1 for a new guide). */
    version: integer('version').notNull().default(1),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('guides_department_idx').on(t.departmentId)],
);

/** Every saved text of a guide: who saved it and when (the page's history; a restore saves an old one again). */
export const guideVersions = sqliteTable(
  'guide_versions',
  {
    guideId: integer('guide_id')
      .notNull()
      .references(() => guides.id),
    version: integer('version').notNull(),
    /** The whole text as saved (JSON: the guide's editable fields, its windows included). */
    content: text('content').notNull(),
    editedBy: integer('edited_by').references(() => users.id),
    editedAt: integer('edited_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.guideId, t.version] })],
);

/** The windows (codes) that handle a guide's 事项: a window's rating page lists their guides. */
export const guideCodes = sqliteTable(
  'guide_codes',
  {
    guideId: integer('guide_id')
      .notNull()
      .references(() => guides.id),
    codeId: text('code_id')
      .notNull()
      .references(() => codes.id),
  },
  (t) => [primaryKey({ columns: [t.guideId, t.codeId] }), index('guide_codes_code_idx').on(t.codeId)],
);

/**
 * 金点子 (docs/domain.md, 金点子): a suggestion a citizen or an enterprise submits about a department
 * (from a window's code, or naming the department), answered by staff (采纳 / 部分采纳 / 暂不采纳) and
 * published without personal data. Its number is derived from the id (JY000123). An amended answer
 * replaces this one; the audit log keeps every answer given.
 */
export const suggestions = sqliteTable(
  'suggestions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    /** The window's code it was submitted from, if any. */
    codeId: text('code_id').references(() => codes.id),
    category: text('category', { enum: SUGGESTION_CATEGORIES }).notNull(),
    title: text('title').notNull(),
    content: text('content').notNull(),
    submitterType: text('submitter_type', { enum: SUBMITTER_TYPES }).notNull(),
    /** A name or a phone, encrypted, only with consent; erased like a phone (docs/domain.md). */
    contactEnc: text('contact_enc'),
    contactErasedAt: integer('contact_erased_at'),
    decision: text('decision', { enum: SUGGESTION_DECISIONS }),
    reason: text('reason'),
    action: text('action'),
    answeredAt: integer('answered_at'),
    answeredBy: integer('answered_by').references(() => users.id),
    /** How many times the answer was given (1 once answered; more when amended). */
    answerCount: integer('answer_count').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('suggestions_dept_created_idx').on(t.departmentId, t.createdAt), index('suggestions_answered_idx').on(t.answeredAt)],
);
