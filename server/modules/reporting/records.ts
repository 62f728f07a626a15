// The upward-report record model (docs/domain.md, 数据上报): pure builders from stored rows to the
// records of the outside contract, and the reasons a record is held instead of sent broken. Field
// names follow the provincial interfaces (Zhejiang's 办件评价服务). No phone number ever leaves here:
// free text goes through the one masker (lib/redact.ts).

import type { ReportCaseRow, ReportRatingRow } from '../../../db/queries/reporting.js';
import { CHINA_OFFSET_MS, MS_PER_HOUR } from '../../../shared/china-time.js';
import { isBadScore, RATING_PF, type RatingChannel } from '../../../shared/domain.js';
import { redactPhones } from '../../lib/redact.js';

export interface RatingRecord {
  recordId: string;
  type: 'rating';
  ratingId: number;
  projectNo: string | null;
  assessNumber: number;
  satisfaction: number;
  pf: string;
  evalDetail: string[];
  writingEvaluation: string | null;
  assessTime: string;
  deptCode: string | null;
  deptName: string;
  areaCode: string | null;
  taskCode: string | null;
  taskName: string | null;
  proManager: string | null;
  userProp: string | null;
}

export interface CaseResultRecord {
  recordId: string;
  type: 'case_result';
  ratingId: number;
  projectNo: string | null;
  caseNo: string;
  classification: string;
  rectification: string | null;
  satisfaction: string | null;
  closedAt: string;
}

export type ReportRecord = RatingRecord | CaseResultRecord;

/**
 * A stored rating joined with its department, the department's org unit and its 办件
 * (db/queries/reporting.ts), its tags read.
 */
export type RatingSourceRow = Omit<ReportRatingRow, 'tags' | 'departmentId'> & { tags: readonly unknown[] };

/** A closed 差评 case with its 办件 and rectification note (db/queries/reporting.ts). */
export type CaseSourceRow = ReportCaseRow;

/** ISO-8601 in Beijing time with its offset: `2026-03-05T09:30:00+08:00`. */
export function chinaIsoTime(ms: number): string {
  const iso = new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19);
  const h = String(CHINA_OFFSET_MS / MS_PER_HOUR).padStart(2, '0');
  return `${iso}+${h}:00`;
}

/** Free text as it may leave the server: phones masked, trimmed, null when empty. */
function maskedText(text: string | null): string | null {
  const t = text == null ? '' : redactPhones(text).trim();
  return t === '' ? null : t;
}

const nonEmpty = (s: string | null): string | null => (s == null || s.trim() === '' ? null : s);

const USER_PROP: Record<string, string> = { person: '1', legal: '2' };

/**
 * The rating record of a stored rating. `detailCodes` is the county's `report.detailCodes` setting
 * (reason tag → evalDetail code); a tag without a code is left out.
 */
export function ratingRecord(row: RatingSourceRow, detailCodes: Readonly<Record<string, string>>): RatingRecord {
  const bound = row.projectNo !== null;
  const evalDetail: string[] = [];
  for (const tag of row.tags) {
    const code = typeof tag === 'string' ? detailCodes[tag] : undefined;
    if (code !== undefined && !evalDetail.includes(code)) evalDetail.push(code);
  }
  return {
    recordId: `rating-${row.id}`,
    type: 'rating',
    ratingId: row.id,
    projectNo: row.projectNo,
    // A window-code rating rates one visit: its first and only assessment.
    assessNumber: row.assessNumber ?? 1,
    satisfaction: row.score,
    pf: RATING_PF[row.channel as RatingChannel] ?? RATING_PF.qr,
    evalDetail,
    writingEvaluation: maskedText(row.comment),
    assessTime: chinaIsoTime(row.createdAt),
    deptCode: nonEmpty(row.creditCode),
    deptName: row.deptName,
    areaCode: nonEmpty(row.areaCode),
    taskCode: bound ? nonEmpty(row.taskCode) : null,
    taskName: bound ? nonEmpty(row.taskName) : null,
    proManager: bound ? nonEmpty(row.staffName) : null,
    userProp: bound && row.applicantType != null ? (USER_PROP[row.applicantType] ?? null) : null,
  };
}

/** The outcome record of a closed 差评 case. */
export function caseResultRecord(row: CaseSourceRow): CaseResultRecord {
  return {
    recordId: `case-${row.id}`,
    type: 'case_result',
    ratingId: row.ratingId,
    projectNo: row.projectNo,
    caseNo: row.caseNo,
    classification: row.classification ?? '',
    rectification: maskedText(row.rectification),
    satisfaction: row.satisfaction,
    closedAt: chinaIsoTime(row.closedAt),
  };
}

/** Why a 差评's record waits for the county's detail codes (settings, 数据上报代码). */
export const BAD_REASONS_UNCODED = '差评的理由缺少评价详情代码，又无文字评价（省级系统拒收）';

/**
 * Why a record would be refused or broken at the province (held, never sent), in Chinese; empty when
 * it may be sent. `reasonTags`: how many reason tags the rating had (0 for a case outcome). A 差评
 * whose reasons all lack their evalDetail code, with no comment, waits for the codes; one the citizen
 * gave no reason and no comment for has nothing to fill in, and is reported as it is (every counted
 * rating is reported).
 */
export function missingCodes(record: ReportRecord, reasonTags: number): string[] {
  if (record.type !== 'rating') return record.classification === '' ? ['缺少差评核实结果'] : [];
  const reasons: string[] = [];
  if (record.deptCode === null) reasons.push('部门缺少统一社会信用代码');
  if (record.areaCode === null) reasons.push('组织单位缺少行政区划代码');
  if (record.projectNo !== null && record.taskCode === null) reasons.push('办件缺少事项编码');
  if (isBadScore(record.satisfaction) && reasonTags > 0 && record.evalDetail.length === 0 && record.writingEvaluation === null) {
    reasons.push(BAD_REASONS_UNCODED);
  }
  return reasons;
}

/** A stored rating's record and why it would wait (missingCodes): the one composition of the delivery and the file export. */
export function composeRating(
  row: RatingSourceRow,
  detailCodes: Readonly<Record<string, string>>,
): { record: RatingRecord; missing: string[] } {
  const record = ratingRecord(row, detailCodes);
  return { record, missing: missingCodes(record, row.tags.length) };
}
