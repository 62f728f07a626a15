// 好评抽查: the ratings eligible for a month's draw, and the record of each draw.
import { sql } from 'drizzle-orm';
import { type DbOrTx, exec, inIdList, only, rows, statement } from '../client.js';
import { spotCheckDraws } from '../schema.js';

export type SpotCheckDrawRow = typeof spotCheckDraws.$inferSelect;

/**
 * A rating (r) a draw may still consider: real-name, good, counted, with a number to call, never
 * considered. `real_name = 1 AND phone_enc IS NOT NULL` is ratings_real_name_idx's condition: those
 * ratings are read from there, with what else decides.
 */
const NEW_CANDIDATE_SQL = `r.score >= 3 AND r.real_name = 1 AND r.excluded = 0 AND r.held = 0 AND r.superseded = 0
      AND r.phone_enc IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM spot_check_considered s WHERE s.rating_id = r.id)
      AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.rating_id = r.id AND c.kind = 'spot_check')`;
const NEW_CANDIDATE = sql.raw(NEW_CANDIDATE_SQL);

export interface EligibleRating {
  id: number;
  departmentId: number;
  codeId: string;
  day: string;
}

/**
 * Real-name good ratings (3–5) of the departments within [fromDay, toDay], counted (not excluded, not
 * held for review, not superseded by a 追评), with a number still to call, and neither considered by an
 * earlier draw nor drawn before — in a stable order (department, id) so that a seeded draw over the same
 * data picks the same ratings.
 */
export async function listEligibleForSpotCheck(
  db: DbOrTx,
  departmentIds: number[],
  fromDay: string,
  toDay: string,
): Promise<EligibleRating[]> {
  if (departmentIds.length === 0) return [];
  return rows<EligibleRating>(
    db,
    sql`
    SELECT r.id, r.department_id AS "departmentId", r.code_id AS "codeId", r.day FROM ratings r
    WHERE r.department_id IN (${sql.join(
      departmentIds.map((d) => sql`${d}`),
      sql`, `,
    )})
      AND r.day >= ${fromDay} AND r.day <= ${toDay}
      AND ${NEW_CANDIDATE}
    ORDER BY r.department_id, r.id`,
  );
}

export interface ConsideredTally {
  departmentId: number;
  /** Ratings of the period earlier draws considered (or drew: draws made before they were recorded). */
  considered: number;
  /** Of them, the ones drawn into spot-check cases. */
  drawn: number;
}

/** Per department, what earlier draws of [fromDay, toDay] considered and drew (departments with none left out). */
export async function tallyConsidered(db: DbOrTx, departmentIds: number[], fromDay: string, toDay: string): Promise<ConsideredTally[]> {
  if (departmentIds.length === 0) return [];
  return rows<ConsideredTally>(
    db,
    sql`
    SELECT r.department_id AS "departmentId", COUNT(DISTINCT r.id) AS considered, COUNT(DISTINCT c.rating_id) AS drawn
    FROM ratings r LEFT JOIN cases c ON c.rating_id = r.id AND c.kind = 'spot_check'
    WHERE ${inIdList(db, sql`r.department_id`, departmentIds)}
      AND r.day >= ${fromDay} AND r.day <= ${toDay}
      AND (c.id IS NOT NULL OR EXISTS (SELECT 1 FROM spot_check_considered s WHERE s.rating_id = r.id))
    GROUP BY r.department_id`,
  );
}

/** Records the ratings a draw considered, so that no later draw considers them again. */
export async function insertConsidered(db: DbOrTx, drawId: number, ratingIds: number[]): Promise<void> {
  if (ratingIds.length === 0) return;
  await exec(
    db,
    sql`INSERT INTO spot_check_considered (rating_id, draw_id) SELECT r.id, CAST(${drawId} AS bigint) FROM ratings r WHERE ${inIdList(db, sql`r.id`, ratingIds)}`,
  );
}

export async function insertDraw(db: DbOrTx, values: typeof spotCheckDraws.$inferInsert): Promise<SpotCheckDrawRow> {
  return only(db.insert(spotCheckDraws).values(values).returning());
}

export async function listDraws(
  db: DbOrTx,
  orgUnitIds: number[],
  limit: number,
): Promise<(SpotCheckDrawRow & { drawnByName: string | null })[]> {
  if (orgUnitIds.length === 0) return [];
  return rows<SpotCheckDrawRow & { drawnByName: string | null }>(
    db,
    sql`
    SELECT d.id, d.month, d.seed, d.share, d.org_unit_id AS "orgUnitId", d.eligible_count AS "eligibleCount",
      d.drawn_count AS "drawnCount", d.drawn_by AS "drawnBy", d.drawn_at AS "drawnAt", u.display_name AS "drawnByName"
    FROM spot_check_draws d LEFT JOIN users u ON u.id = d.drawn_by
    WHERE d.org_unit_id IN (${sql.join(
      orgUnitIds.map((d) => sql`${d}`),
      sql`, `,
    )})
    ORDER BY d.id DESC LIMIT ${limit}`,
  );
}

/** Per month (YYYY-MM) of [fromDay, toDay]: how many ratings a draw of that month would newly consider. */
export const NEW_CANDIDATES_BY_MONTH_SQL = `SELECT substr(r.day, 1, 7) AS month, count(*) AS candidates FROM ratings r
    WHERE r.department_id IN (SELECT value FROM json_each(@ids)) AND r.day >= @from AND r.day <= @to AND ${NEW_CANDIDATE_SQL}
    GROUP BY substr(r.day, 1, 7) ORDER BY 1`;

export async function countNewCandidatesByMonth(
  db: DbOrTx,
  departmentIds: number[],
  fromDay: string,
  toDay: string,
): Promise<{ month: string; candidates: number }[]> {
  if (departmentIds.length === 0) return [];
  const found = await statement(db, NEW_CANDIDATES_BY_MONTH_SQL).all<{ month: string; candidates: number | string }>({
    ids: JSON.stringify(departmentIds),
    from: fromDay,
    to: toDay,
  });
  return found.map((m) => ({ month: m.month, candidates: Number(m.candidates) }));
}
