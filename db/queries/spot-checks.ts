// 好评抽查: the ratings eligible for a month's draw, and the record of each draw.
import { sql } from 'drizzle-orm';
import { type DbOrTx, only, rows } from '../client.js';
import { spotCheckDraws } from '../schema.js';

export type SpotCheckDrawRow = typeof spotCheckDraws.$inferSelect;

export interface EligibleRating {
  id: number;
  departmentId: number;
  codeId: string;
  day: string;
}

/**
 * Real-name good ratings (3–5) of the departments within [fromDay, toDay], counted (not excluded), with
 * a number still to call, and never drawn before — in a stable order (department, id) so that a seeded
 * draw over the same data picks the same ratings.
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
      AND r.score >= 3 AND r.real_name = 1 AND r.excluded = 0 AND r.phone_enc IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.rating_id = r.id AND c.kind = 'spot_check')
    ORDER BY r.department_id, r.id`,
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
