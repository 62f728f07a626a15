// What the staff pages and the citizen's status page see of a case. Phone numbers leave only masked;
// free text is passed through redactPhones (a citizen may type a number into the comment).

import type { CaseEventRow, CaseEventView, CaseListRow } from '../../../db/queries/cases.js';
import type { CaseEvent, CaseListItem, PublicCaseStatus } from '../../../shared/api/cases.js';
import {
  CASE_KIND_LABELS,
  CLASSIFICATION_LABELS,
  HANDLING_LABELS,
  maskPhone,
  SATISFACTION_LABELS,
  SCORE_LABELS,
  type Score,
} from '../../../shared/domain.js';
import type { DataCrypto } from '../../lib/crypto.js';
import { redactPhones } from '../../lib/redact.js';
import { EVENT_LABELS, PUBLIC_EVENT_LABELS, statusLabel, waitingOn } from './workflow.js';

/** The step's words on the citizen's status page, or null when the citizen does not see the step. */
function publicLabel(e: CaseEventRow): string | null {
  if (!e.public) return null;
  const d = e.data ?? {};
  if (typeof d.publicLabel === 'string') return d.publicLabel;
  // An anonymous 差评 gets no call: the department verifies it.
  if (e.type === 'opened' && d.anonymous === true) return PUBLIC_EVENT_LABELS.opened_anonymous!;
  return PUBLIC_EVENT_LABELS[e.type] ?? '处理进展';
}

/** Only notes addressed to the citizen (整改措施, 解释说明) are shown; staff notes stay inside. */
function notePublic(e: CaseEventRow): boolean {
  return e.public && e.data?.notePublic === true && !!e.note;
}

export const scoreLabel = (score: number): string => SCORE_LABELS[score as Score] ?? `${score} 分`;
const scoreLabelOf = (score: number | null): string | null => (score === null ? null : scoreLabel(score));

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
      statusLabel: statusLabel(r.kind, r.status),
      departmentId: r.departmentId,
      departmentName: r.departmentName,
      // A complaint entered without a window has neither: '' (the API's strings stay strings).
      codeId: r.codeId ?? '',
      location: r.location ?? '',
      score: r.score,
      scoreLabel: scoreLabelOf(r.score),
      classification: r.classification,
      subject: r.subject,
      handling: r.handling,
      handlingLabel: r.handling ? HANDLING_LABELS[r.handling] : null,
      dueDate: r.dueDate,
      contactDueDate: r.contactDueDate,
      // Computed against the injected clock's today on every read: never stored, never stale.
      overdue: r.status !== 'closed' && today > r.dueDate,
      contactOverdue: r.status === 'open' && today > r.contactDueDate,
      waitingOn: waitingOn(r.kind, r.status),
      escalated: r.escalatedAt != null,
      ratingId: r.ratingId,
      createdAt: r.createdAt,
      officerId: r.officerId,
      officerName: r.officerName,
      anonymous: r.anonymous,
      phoneMasked: maskedPhone(r.phoneEnc),
      reporterName: r.reporterName,
      walkthrough: r.walkthrough === true,
      observedOn: r.observedDay,
      projectNo: r.projectNo,
    };
  }

  function eventData(raw: Record<string, unknown> | null): CaseEvent['data'] {
    const d = raw ?? {};
    const out: CaseEvent['data'] = {};
    if (typeof d.classification === 'string') {
      out.classification = d.classification;
      out.classificationLabel = CLASSIFICATION_LABELS[d.classification as keyof typeof CLASSIFICATION_LABELS];
    }
    if (typeof d.satisfaction === 'string') {
      out.satisfaction = d.satisfaction;
      out.satisfactionLabel = SATISFACTION_LABELS[d.satisfaction as keyof typeof SATISFACTION_LABELS];
    }
    if (typeof d.genuine === 'boolean') out.genuine = d.genuine;
    if (typeof d.handling === 'string') {
      out.handling = d.handling;
      out.handlingLabel = HANDLING_LABELS[d.handling as keyof typeof HANDLING_LABELS];
    }
    if (typeof d.departmentName === 'string') out.departmentName = d.departmentName;
    if (typeof d.contact === 'string') out.contact = d.contact;
    if (typeof d.officerId === 'number') out.officerId = d.officerId;
    if (typeof d.officerName === 'string') out.officerName = d.officerName;
    if (typeof d.reason === 'string') out.reason = d.reason;
    if (typeof d.dueDate === 'string') out.dueDate = d.dueDate;
    if (typeof d.contactDueDate === 'string') out.contactDueDate = d.contactDueDate;
    return out;
  }

  function event(e: CaseEventView): CaseEvent {
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
      // What the citizen's status page shows of this step: staff are told exactly that (one rule).
      publicLabel: publicLabel(e),
      notePublic: notePublic(e),
      data: eventData(e.data),
    };
  }

  function publicEvent(e: CaseEventRow): PublicCaseStatus['events'][number] {
    const note = notePublic(e) ? redactPhones(e.note!) : null;
    // The close records what the citizen said on the return call: they read it back on their page.
    const said = eventData(e.data).satisfactionLabel;
    return { at: e.at, label: publicLabel(e) ?? '处理进展', note: note ?? (said ? `回访满意度：${said}` : null) };
  }

  return { listItem, event, publicEvent, maskedPhone, scoreLabelOf };
}
