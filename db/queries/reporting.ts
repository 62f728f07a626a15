// Upward reporting (docs/domain.md, 数据上报): the stored rows behind the report records, read in
// cursor batches (a month of a province never sits in memory). Reported ratings are the stored ones
// neither held for review nor excluded; a 追评-replaced first rating is reported too (its assess number 1).
import { type DbOrTx, type JsonArray, statement } from '../client.js';

const IDS = '(SELECT value FROM json_each(@ids))';

/** A rating as the report record needs it: the rating, its department and org unit, its 办件 when bound. */
export interface ReportRatingRow {
  id: number;
  createdAt: number;
  departmentId: number;
  score: number;
  tags: JsonArray;
  comment: string | null;
  channel: string;
  assessNumber: number | null;
  deptName: string;
  creditCode: string | null;
  areaCode: string | null;
  projectNo: string | null;
  taskCode: string | null;
  taskName: string | null;
  staffName: string | null;
  applicantType: string | null;
}

// The day index (ratings_day_time_idx: day, created_at) walks one day in time order from the cursor;
// `+` keeps SQLite off the (department, day) index, which would sort the day's rows of every department.
const RATING_BATCH_SQL = `
  SELECT r.id AS id, r.created_at AS "createdAt", r.department_id AS "departmentId", r.score AS score, r.tags AS tags,
    r.comment AS comment, r.channel AS channel, r.assess_number AS "assessNumber",
    d.name AS "deptName", d.credit_code AS "creditCode", u.area_code AS "areaCode",
    m.project_no AS "projectNo", m.task_code AS "taskCode", m.task_name AS "taskName", m.staff_name AS "staffName",
    m.applicant_type AS "applicantType"
  FROM ratings r
    JOIN departments d ON d.id = r.department_id
    JOIN org_units u ON u.id = d.org_unit_id
    LEFT JOIN matters m ON m.id = r.matter_id
  WHERE r.day = @day AND +r.department_id IN ${IDS}
    AND (r.created_at > @afterAt OR (r.created_at = @afterAt AND r.id > @afterId))
    AND r.held = 0 AND r.excluded = 0
  ORDER BY r.created_at, r.id LIMIT @limit`;

/** One batch of a day's reported ratings of these departments, in time order after the (createdAt, id) cursor. */
export async function readReportRatingBatch(
  db: DbOrTx,
  departmentIds: readonly number[],
  day: string,
  after: { createdAt: number; id: number },
  limit: number,
): Promise<ReportRatingRow[]> {
  return statement(db, RATING_BATCH_SQL).all<ReportRatingRow>({
    ids: JSON.stringify(departmentIds),
    day,
    afterAt: after.createdAt,
    afterId: after.id,
    limit,
  });
}

/** A closed 差评 case as its outcome record needs it. */
export interface ReportCaseRow {
  id: number;
  caseNo: string;
  ratingId: number;
  closedAt: number;
  classification: string | null;
  satisfaction: string | null;
  projectNo: string | null;
  /** The note of the case's last step into 已整改 (the measures taken), as stored. */
  rectification: string | null;
}

// cases_closed_idx (closed_at) walks the month in closing order from the cursor (`|| ''` keeps SQLite off
// the status index, which would read every closed case ever and sort them).
const CASE_BATCH_SQL = `
  SELECT c.id AS id, c.case_no AS "caseNo", c.rating_id AS "ratingId", c.closed_at AS "closedAt",
    c.classification AS classification, c.satisfaction AS satisfaction, m.project_no AS "projectNo",
    (SELECT e.note FROM case_events e WHERE e.case_id = c.id AND e.to_status = 'rectified'
      ORDER BY e.at DESC, e.id DESC LIMIT 1) AS rectification
  FROM cases c
    JOIN ratings r ON r.id = c.rating_id
    LEFT JOIN matters m ON m.id = r.matter_id
  WHERE c.closed_at >= @from AND c.closed_at < @to AND c.kind || '' = 'bad_rating' AND c.status || '' = 'closed'
    AND +c.department_id IN ${IDS} AND r.held = 0 AND r.excluded = 0
    AND (c.closed_at > @afterAt OR (c.closed_at = @afterAt AND c.id > @afterId))
  ORDER BY c.closed_at, c.id LIMIT @limit`;

/** One batch of the 差评 cases of these departments closed in [from, to) (ms), after the (closedAt, id) cursor. */
export async function readReportCaseBatch(
  db: DbOrTx,
  departmentIds: readonly number[],
  range: { from: number; to: number },
  after: { closedAt: number; id: number },
  limit: number,
): Promise<ReportCaseRow[]> {
  return statement(db, CASE_BATCH_SQL).all<ReportCaseRow>({
    ids: JSON.stringify(departmentIds),
    from: range.from,
    to: range.to,
    afterAt: after.closedAt,
    afterId: after.id,
    limit,
  });
}
