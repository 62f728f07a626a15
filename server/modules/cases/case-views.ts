// What the staff pages and the citizen's status page see of a case. Phone numbers leave only masked;
// free text is passed through redactPhones (a citizen may type a number into the comment).
import {
  CASE_KIND_LABELS,
  CASE_STATUS_LABELS,
  CLASSIFICATION_LABELS,
  SATISFACTION_LABELS,
  SCORE_LABELS,
  maskPhone,
  type Score,
} from '../../../shared/domain.js';
import type { CaseEventRow, CaseEventView, CaseListRow } from '../../../db/queries/cases.js';
import type { DataCrypto } from '../../lib/crypto.js';
import { redactPhones } from '../../lib/redact.js';
import { EVENT_LABELS, PUBLIC_EVENT_LABELS, type AllowedMove } from './workflow.js';

export interface CaseListItem {
  id: number;
  caseNo: string;
  kind: CaseListRow['kind'];
  kindLabel: string;
  status: CaseListRow['status'];
  statusLabel: string;
  departmentId: number;
  departmentName: string;
  codeId: string;
  location: string;
  score: number;
  scoreLabel: string;
  classification: CaseListRow['classification'];
  dueDate: string;
  contactDueDate: string;
  overdue: boolean;
  contactOverdue: boolean;
  escalated: boolean;
  ratingId: number;
  createdAt: number;
  officerId: number | null;
  officerName: string | null;
  anonymous: boolean;
  phoneMasked: string | null;
}

export interface EventView {
  id: number;
  type: string;
  label: string;
  from: string | null;
  to: string | null;
  at: number;
  by: number | null;
  byName: string | null;
  note: string | null;
  public: boolean;
  data: EventData;
}

/** The fields an event's `data` may show; anything else stored there stays inside. */
export interface EventData {
  classification?: string;
  classificationLabel?: string;
  satisfaction?: string;
  satisfactionLabel?: string;
  genuine?: boolean;
  contact?: string;
  officerId?: number;
  officerName?: string;
  reason?: string;
  dueDate?: string;
  contactDueDate?: string;
}

export interface RatingView {
  id: number;
  score: number;
  scoreLabel: string;
  tags: string[];
  comment: string | null;
  createdAt: number;
  codeId: string;
  location: string;
  realName: boolean;
  phoneMasked: string | null;
  phoneErased: boolean;
  excluded: boolean;
  flagged: boolean;
}

export interface CaseDetail extends CaseListItem {
  satisfaction: CaseListRow['satisfaction'];
  genuine: boolean | null;
  reopenCount: number;
  visitedAt: number | null;
  rectifiedAt: number | null;
  answeredAt: number | null;
  closedAt: number | null;
  escalatedAt: number | null;
  updatedAt: number;
  canViewPhone: boolean;
  canAssign: boolean;
  rating: RatingView;
  events: EventView[];
  allowedMoves: AllowedMove[];
}

export interface PublicCaseStatus {
  caseNo: string;
  status: CaseListRow['status'];
  statusLabel: string;
  dueDate: string;
  createdAt: number;
  events: { at: number; label: string; note: string | null }[];
}

export const scoreLabel = (score: number): string => SCORE_LABELS[score as Score] ?? `${score} 分`;

export function createCaseViews(crypto: DataCrypto) {
  function maskedPhone(phoneEnc: string | null): string | null {
    if (!phoneEnc) return null;
    try {
      return maskPhone(crypto.decryptPhone(phoneEnc));
    } catch {
      // Undecryptable (key rotated?): show that a number exists without revealing anything.
      return '***********';
    }
  }

  function listItem(r: CaseListRow, today: string): CaseListItem {
    return {
      id: r.id,
      caseNo: r.caseNo,
      kind: r.kind,
      kindLabel: CASE_KIND_LABELS[r.kind],
      status: r.status,
      statusLabel: CASE_STATUS_LABELS[r.status],
      departmentId: r.departmentId,
      departmentName: r.departmentName,
      codeId: r.codeId,
      location: r.location,
      score: r.score,
      scoreLabel: scoreLabel(r.score),
      classification: r.classification,
      dueDate: r.dueDate,
      contactDueDate: r.contactDueDate,
      // Computed against the injected clock's today on every read: never stored, never stale.
      overdue: r.status !== 'closed' && today > r.dueDate,
      contactOverdue: r.status === 'open' && today > r.contactDueDate,
      escalated: r.escalatedAt != null,
      ratingId: r.ratingId,
      createdAt: r.createdAt,
      officerId: r.officerId,
      officerName: r.officerName,
      anonymous: r.anonymous,
      phoneMasked: maskedPhone(r.phoneEnc),
    };
  }

  function eventData(raw: Record<string, unknown> | null): EventData {
    const d = raw ?? {};
    const out: EventData = {};
    if (typeof d.classification === 'string') {
      out.classification = d.classification;
      out.classificationLabel = CLASSIFICATION_LABELS[d.classification as keyof typeof CLASSIFICATION_LABELS];
    }
    if (typeof d.satisfaction === 'string') {
      out.satisfaction = d.satisfaction;
      out.satisfactionLabel = SATISFACTION_LABELS[d.satisfaction as keyof typeof SATISFACTION_LABELS];
    }
    if (typeof d.genuine === 'boolean') out.genuine = d.genuine;
    if (typeof d.contact === 'string') out.contact = d.contact;
    if (typeof d.officerId === 'number') out.officerId = d.officerId;
    if (typeof d.officerName === 'string') out.officerName = d.officerName;
    if (typeof d.reason === 'string') out.reason = d.reason;
    if (typeof d.dueDate === 'string') out.dueDate = d.dueDate;
    if (typeof d.contactDueDate === 'string') out.contactDueDate = d.contactDueDate;
    return out;
  }

  function event(e: CaseEventView): EventView {
    return {
      id: e.id,
      type: e.type,
      label: EVENT_LABELS[e.type] ?? e.type,
      from: e.fromStatus,
      to: e.toStatus,
      at: e.at,
      by: e.byUserId,
      byName: e.byName,
      note: e.note == null ? null : redactPhones(e.note),
      public: e.public,
      data: eventData(e.data),
    };
  }

  function publicEvent(e: CaseEventRow): { at: number; label: string; note: string | null } {
    const d = e.data ?? {};
    const label = typeof d.publicLabel === 'string' ? d.publicLabel : (PUBLIC_EVENT_LABELS[e.type] ?? '处理进展');
    // Only notes addressed to the citizen (整改措施, 解释说明); staff notes stay inside.
    const note = d.notePublic === true && e.note ? redactPhones(e.note) : null;
    return { at: e.at, label, note };
  }

  return { listItem, event, publicEvent, maskedPhone };
}

export type CaseViews = ReturnType<typeof createCaseViews>;
