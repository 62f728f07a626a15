// Ratings. The submission path runs these per rating, so its statements are prepared once per
// connection (drizzle's builder measured 0.56× a prepared statement on this machine).
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { type DbOrTx, first, sqliteOf, statement } from '../client.js';
import { ratings } from '../schema.js';

export type RatingRow = typeof ratings.$inferSelect;

export async function getRating(db: DbOrTx, id: number): Promise<RatingRow | undefined> {
  return first(db.select().from(ratings).where(eq(ratings.id, id)));
}

/** The newest flagged ratings of a scope (GET /api/ratings/flagged). */
export function flaggedRatingsQuery(db: DbOrTx, departmentIds: number[], limit: number) {
  return (
    db
      .select()
      .from(ratings)
      // Said as the partial index says it, and `+` so that neither database reads the scope's every
      // rating by department to find the flagged ones.
      .where(and(sql`${ratings.flagged} = 1`, inArray(sql`+${ratings.departmentId}`, departmentIds)))
      .orderBy(desc(ratings.id))
      .limit(limit)
  );
}

export async function listFlaggedRatings(db: DbOrTx, departmentIds: number[], limit: number): Promise<RatingRow[]> {
  if (departmentIds.length === 0) return [];
  return flaggedRatingsQuery(db, departmentIds, limit);
}

const BY_KEY = 'SELECT id, score FROM ratings WHERE code_id = ? AND idempotency_key = ?';
const INSERT = `
    INSERT INTO ratings (code_id, department_id, score, tags, comment, phone_enc, real_name, client_hash, net_hash,
      idempotency_key, channel, created_at, day, flagged, flag_reason, matter_id, assess_number, held, hold_group_id)
    VALUES (@codeId, @departmentId, @score, @tags, @comment, @phoneEnc, @realName, @clientHash, @netHash,
      @idempotencyKey, @channel, @createdAt, @day, @flagged, @flagReason, @matterId, @assessNumber, @held, @holdGroupId)
    RETURNING id`;

/** The rating stored earlier under this idempotency key for this code, if any. */
export async function findByIdempotencyKey(db: DbOrTx, codeId: string, key: string): Promise<{ id: number; score: number } | undefined> {
  return statement(db, BY_KEY).get([codeId, key]);
}

/** A window-code submission as the device and network limits and the hold rules count it. */
export interface RecentSubmission {
  clientHash: string;
  netHash: string;
  codeId: string;
  departmentId: number;
  at: number;
  bad: boolean;
  bare: boolean;
}

/**
 * The QR submissions since `since`, oldest first — read backwards from the newest row and stopped at
 * the first older one, so only the recent tail of the table is read. SQLite only: it fills the one
 * process's in-memory limits; on PostgreSQL the limits count the stored ratings (limitCountsOfBatch).
 */
export async function recentSubmissions(db: DbOrTx, since: number): Promise<RecentSubmission[]> {
  const rows: RecentSubmission[] = [];
  type Row = {
    clientHash: string | null;
    netHash: string | null;
    codeId: string;
    departmentId: number;
    at: number;
    channel: string;
    score: number;
    bare: number;
  };
  const it = sqliteOf(db)
    .prepare(
      `SELECT client_hash AS "clientHash", net_hash AS "netHash", code_id AS "codeId", department_id AS "departmentId",
        created_at AS at, channel, score, (score = 5 AND tags = '[]' AND comment IS NULL) AS bare
       FROM ratings ORDER BY id DESC`,
    )
    .iterate() as IterableIterator<Row>;
  for (const r of it) {
    if (r.at <= since) break;
    if (r.channel === 'qr' && r.clientHash && r.netHash)
      rows.push({
        clientHash: r.clientHash,
        netHash: r.netHash,
        codeId: r.codeId,
        departmentId: r.departmentId,
        at: r.at,
        bad: r.score <= 2,
        bare: r.bare === 1,
      });
  }
  return rows.reverse();
}

export interface HotRatingInsert {
  codeId: string;
  departmentId: number;
  score: number;
  tags: readonly string[];
  comment: string | null;
  phoneEnc: string | null;
  realName: boolean;
  clientHash: string | null;
  netHash: string | null;
  idempotencyKey: string | null;
  channel: string;
  createdAt: number;
  day: string;
  flagged: boolean;
  flagReason: string | null;
  /** The 办件 rated and which of its ratings this is (1, or 2 for a 追评); null for a window code. */
  matterId: number | null;
  assessNumber: number | null;
  /** Held for review, in this burst (docs/domain.md, Rating: held ratings). */
  held: boolean;
  holdGroupId: number | null;
}

const INSERT_WITH_ID = `
    INSERT INTO ratings (id, code_id, department_id, score, tags, comment, phone_enc, real_name, client_hash, net_hash,
      idempotency_key, channel, created_at, day, flagged, flag_reason, matter_id, assess_number, held, hold_group_id)
    VALUES (@id, @codeId, @departmentId, @score, @tags, @comment, @phoneEnc, @realName, @clientHash, @netHash,
      @idempotencyKey, @channel, @createdAt, @day, @flagged, @flagReason, @matterId, @assessNumber, @held, @holdGroupId)`;

const INSERT_MANY = `
    INSERT INTO ratings (id, code_id, department_id, score, tags, comment, phone_enc, real_name, client_hash, net_hash,
      idempotency_key, channel, created_at, day, flagged, flag_reason, matter_id, assess_number, held, hold_group_id)
    SELECT id, "codeId", "departmentId", score, tags, comment, "phoneEnc", "realName", "clientHash", "netHash",
      "idempotencyKey", channel, "createdAt", day, flagged, "flagReason", "matterId", "assessNumber", held, "holdGroupId"
    FROM json_to_recordset(@rows::json) AS j(id bigint, "codeId" text, "departmentId" bigint, score integer, tags text,
      comment text, "phoneEnc" text, "realName" integer, "clientHash" text, "netHash" text, "idempotencyKey" text,
      channel text, "createdAt" bigint, day text, flagged integer, "flagReason" text, "matterId" bigint, "assessNumber" integer,
      held integer, "holdGroupId" bigint)`;

const DRAW_IDS = `SELECT nextval(pg_get_serial_sequence('ratings', 'id')) AS id FROM generate_series(1, @n::int) ORDER BY 1`;

const columnsOf = (r: HotRatingInsert) => ({
  ...r,
  tags: JSON.stringify(r.tags),
  realName: r.realName ? 1 : 0,
  flagged: r.flagged ? 1 : 0,
  held: r.held ? 1 : 0,
});

/** `n` new rating ids from the table's sequence, ascending. PostgreSQL only. */
export async function drawRatingIds(tx: DbOrTx, n: number): Promise<number[]> {
  if (n === 0) return [];
  return (await statement(tx, DRAW_IDS).all<{ id: number }>({ n })).map((r) => r.id);
}

/** Inserts a rating under an id drawn before (drawRatingIds). PostgreSQL only. */
export async function insertRatingWithId(tx: DbOrTx, r: HotRatingInsert & { id: number }): Promise<number> {
  await statement(tx, INSERT_WITH_ID).run(columnsOf(r));
  return r.id;
}

/** Inserts ratings under ids drawn before, in one statement. PostgreSQL only. */
export async function insertRatings(tx: DbOrTx, list: ReadonlyArray<HotRatingInsert & { id: number }>): Promise<void> {
  await statement(tx, INSERT_MANY).run({ rows: JSON.stringify(list.map(columnsOf)) });
}

/** Inserts a rating with the prepared statement; returns its id. */
export async function insertRatingFast(db: DbOrTx, r: HotRatingInsert): Promise<number> {
  const row = await statement(db, INSERT).get<{ id: number }>(columnsOf(r));
  return row!.id;
}

const INSERT_BOUND = INSERT.replace('RETURNING id', 'ON CONFLICT DO NOTHING RETURNING id');
const INSERT_BOUND_WITH_ID = `${INSERT_WITH_ID} ON CONFLICT DO NOTHING RETURNING id`;

/**
 * A rating bound to a 办件 (one-time link, 评价器), inserted unless its 办件 has a rating of this assess
 * number already, or this code a rating of this idempotency key: the unique indexes decide, in the one
 * statement (`ratings_matter_assess_uq`, `ratings_idempotency_uq`), also between instances. Answers its
 * id, or undefined when it was not inserted (the caller asks which). With `id`: under an id drawn
 * before (PostgreSQL).
 */
export async function insertBoundRating(tx: DbOrTx, r: HotRatingInsert & { id?: number }): Promise<number | undefined> {
  const text = r.id === undefined ? INSERT_BOUND : INSERT_BOUND_WITH_ID;
  return (await statement(tx, text).get<{ id: number }>(columnsOf(r)))?.id;
}

const INSERT_ENTERED = `
    INSERT INTO ratings (code_id, department_id, score, tags, comment, phone_enc, real_name, client_hash, net_hash,
      idempotency_key, channel, created_at, day, flagged, flag_reason, matter_id, assess_number, held, hold_group_id, entered_by)
    VALUES (@codeId, @departmentId, @score, @tags, @comment, @phoneEnc, @realName, @clientHash, @netHash,
      @idempotencyKey, @channel, @createdAt, @day, @flagged, @flagReason, @matterId, @assessNumber, @held, @holdGroupId, @enteredBy)
    RETURNING id`;

/** Inserts a rating a staff member typed in (paper questionnaire, 12345 return call), naming them; returns its id. */
export async function insertEnteredRating(db: DbOrTx, r: HotRatingInsert, enteredBy: number): Promise<number> {
  const row = await statement(db, INSERT_ENTERED).get<{ id: number }>({ ...columnsOf(r), enteredBy });
  return row!.id;
}

export interface LimitQuestion {
  clientHash: string;
  netHash: string;
  codeId: string;
  departmentId: number;
  /** The device's ratings of this code after this time (per-code limit). */
  codeSince: number;
  /** The device's ratings at or after this time (daily limit, the rules over a day). */
  dayStart: number;
  /** The device's and the network's ratings after this time (burst rules). */
  burstSince: number;
  /** The network counts are only needed up to here (each rule asks only whether its limit is passed). */
  networkCap: number;
  networkDayCap: number;
  badCap: number;
  /** The devices of the network's day are judged over its most recent ratings, this many at most. */
  deviceRowsCap: number;
}

export interface LimitCounts {
  deviceOnCode: number;
  deviceToday: number;
  deviceBurst: number;
  networkBurst: number;
  /** 差评 from the network within the burst window. */
  networkBad: number;
  /** The device today: ratings in this department, and the windows and departments it rated. */
  deviceDepartmentDay: number;
  deviceCodes: string[];
  deviceDepartments: number[];
  /** The network today in this department: ratings (up to its cap), devices, devices with only bare 5★. */
  networkDay: number;
  networkDevices: number;
  bareDevices: number;
}

const QR_DEVICE_TODAY = `FROM ratings WHERE client_hash = j.c AND created_at >= j.ds AND channel = 'qr'`;
const QR_NETWORK_DEPARTMENT_TODAY = `FROM ratings WHERE net_hash = j.n AND created_at >= j.ds AND department_id = j.d AND channel = 'qr'`;

// Each count walks the index of its own device or network: a code's or a department's column is
// written so that no index on it applies ("|| ''", "+ 0"). Without statistics (a table that grew since
// its last ANALYZE) PostgreSQL took (code_id, day) and (department_id, day, created_at) for them, and
// walked every rating of the code, or the department's whole day, for each rating of a batch.
//
// A network's ratings within the burst window are counted once per batch ("nets"), not once per
// rating: a busy network (one hall's Wi-Fi) has many ratings in a batch, and each count reads its
// rows. The batch's ratings of one network arrived within milliseconds of each other, so their
// windows start within milliseconds too: the network's ratings newer than the latest of those starts
// are counted once (up to the largest limit asked), and each rating adds the few between its own
// window's start and that one (an index range of a few rows), then takes up to its own limit. When
// the shared count reached the largest limit, every rating's count is at its own limit: the same
// answer as a count of its own.
const LIMIT_COUNTS_OF_BATCH = `WITH j AS (SELECT * FROM json_to_recordset(@items::json)
    AS j(i int, c text, n text, code text, d bigint, cs bigint, ds bigint, bs bigint, cap int, dcap int, bcap int, vcap int)),
  nets AS MATERIALIZED (SELECT g.n, g.hi,
      (SELECT count(*) FROM (SELECT 1 FROM ratings WHERE net_hash = g.n AND created_at > g.hi AND channel = 'qr'
        LIMIT g.cap) AS x) AS burst,
      (SELECT count(*) FROM (SELECT 1 FROM ratings WHERE net_hash = g.n AND created_at > g.hi AND channel = 'qr' AND score <= 2
        LIMIT g.bcap) AS x) AS bad
    FROM (SELECT n, max(bs) AS hi, max(cap) AS cap, max(bcap) AS bcap FROM j GROUP BY n) AS g)
SELECT
  (SELECT count(*) FROM ratings WHERE client_hash = j.c AND code_id || '' = j.code AND created_at > j.cs AND channel = 'qr') AS "deviceOnCode",
  (SELECT count(*) ${QR_DEVICE_TODAY}) AS "deviceToday",
  (SELECT count(*) FROM ratings WHERE client_hash = j.c AND created_at > j.bs AND channel = 'qr') AS "deviceBurst",
  least(coalesce(k.burst, 0) + (SELECT count(*) FROM ratings
    WHERE net_hash = j.n AND created_at > j.bs AND created_at <= k.hi AND channel = 'qr'), j.cap) AS "networkBurst",
  least(coalesce(k.bad, 0) + (SELECT count(*) FROM ratings
    WHERE net_hash = j.n AND created_at > j.bs AND created_at <= k.hi AND channel = 'qr' AND score <= 2), j.bcap) AS "networkBad",
  (SELECT count(*) ${QR_DEVICE_TODAY} AND department_id + 0 = j.d) AS "deviceDepartmentDay",
  (SELECT coalesce(json_agg(DISTINCT code_id), '[]'::json) ${QR_DEVICE_TODAY}) AS "deviceCodes",
  (SELECT coalesce(json_agg(DISTINCT department_id), '[]'::json) ${QR_DEVICE_TODAY}) AS "deviceDepartments",
  (SELECT count(*) FROM (SELECT 1 ${QR_NETWORK_DEPARTMENT_TODAY} LIMIT j.dcap) AS n) AS "networkDay",
  (SELECT count(DISTINCT client_hash) FROM (SELECT client_hash ${QR_NETWORK_DEPARTMENT_TODAY}
    ORDER BY created_at DESC LIMIT j.vcap) AS v) AS "networkDevices",
  (SELECT count(*) FROM (SELECT client_hash FROM (SELECT client_hash, score, tags, comment ${QR_NETWORK_DEPARTMENT_TODAY}
    ORDER BY created_at DESC LIMIT j.vcap) AS v GROUP BY client_hash
    HAVING min(CASE WHEN score = 5 AND tags = '[]' AND comment IS NULL THEN 1 ELSE 0 END) = 1) AS b) AS "bareDevices"
  FROM j LEFT JOIN nets k ON k.n = j.n
  ORDER BY j.i`;

/**
 * The device and network counts the rating limits and hold rules look at, from the stored ratings
 * (several instances share them), for every rating of a batch in one round trip, in the order asked.
 * PostgreSQL only: it has the (client_hash, created_at), (net_hash, created_at) and (net_hash,
 * department_id, created_at) indexes (db/schema-pg.ts); one SQLite process keeps these counts in memory.
 * Planned at each run with its values (`replan`).
 */
export async function limitCountsOfBatch(tx: DbOrTx, questions: readonly LimitQuestion[]): Promise<LimitCounts[]> {
  if (questions.length === 0) return [];
  const items = questions.map((x, i) => ({
    i,
    c: x.clientHash,
    n: x.netHash,
    code: x.codeId,
    d: x.departmentId,
    cs: x.codeSince,
    ds: x.dayStart,
    bs: x.burstSince,
    cap: x.networkCap,
    dcap: x.networkDayCap,
    bcap: x.badCap,
    vcap: x.deviceRowsCap,
  }));
  const rows = await statement(tx, LIMIT_COUNTS_OF_BATCH, { replan: true }).all<LimitCounts>({ items: JSON.stringify(items) });
  // count(*) is a bigint (a string in node-postgres unless parsed); the id lists come as JSON.
  return rows.map((r) => ({
    ...r,
    deviceCodes: jsonList<string>(r.deviceCodes),
    deviceDepartments: jsonList<number>(r.deviceDepartments).map(Number),
  }));
}

const jsonList = <T>(v: unknown): T[] => (typeof v === 'string' ? (JSON.parse(v) as T[]) : ((v as T[] | null) ?? []));

const BY_KEYS = `SELECT r.id, r.code_id AS "codeId", r.idempotency_key AS key
  FROM json_to_recordset(@keys::json) AS j(code text, key text)
  JOIN ratings r ON r.code_id = j.code AND r.idempotency_key = j.key`;

/** The ratings stored under any of these (code, idempotency key) pairs, in one round trip. PostgreSQL only. */
export async function findByIdempotencyKeys(
  tx: DbOrTx,
  keys: ReadonlyArray<{ codeId: string; key: string }>,
): Promise<Array<{ id: number; codeId: string; key: string }>> {
  if (keys.length === 0) return [];
  return statement(tx, BY_KEYS).all({ keys: JSON.stringify(keys.map((k) => ({ code: k.codeId, key: k.key }))) });
}

/**
 * Locks the devices and networks of a batch of ratings until its transaction ends, in one statement and
 * in a fixed order (so two instances' batches never wait for each other in a cycle): a device rating
 * through two instances at once is counted by the second after the first committed. PostgreSQL only.
 */
export async function lockRaters(tx: DbOrTx, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await statement(
    tx,
    `SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT DISTINCT hashtext(value) AS k
       FROM json_array_elements_text(@keys::json) AS j(value) ORDER BY 1) AS ordered`,
  ).get({ keys: JSON.stringify([...new Set(keys)]) });
}
