// Opening a case that no rating opened: 办不成事 (cannot_handle), 投诉 (complaint) and 监督报告
// (observation). Each kind checks its own input; the steps after that are the same for all of them and
// live here once: the case number of its kind's prefix, the status token, the working-day deadlines,
// the opening event the citizen (or observer) sees, and the rollups, in the caller's transaction.
import type { Tx } from '../../../db/client.js';
import * as q from '../../../db/queries/cases.js';
import { chinaDay } from '../../../shared/china-time.js';
import type { CasesDeps } from './cases.service.js';
import { PUBLIC_EVENT_LABELS } from './workflow.js';

/** The kinds a person, not a rating, opens; each has its own case-number prefix and public opening label. */
const OPENINGS = {
  cannot_handle: { prefix: 'BB', publicLabel: PUBLIC_EVENT_LABELS.reported },
  complaint: { prefix: 'TS', publicLabel: PUBLIC_EVENT_LABELS.complaint },
  observation: { prefix: 'JD', publicLabel: PUBLIC_EVENT_LABELS.observed },
} as const;

/** The case row's own columns of a kind (subject, description, phone, channel, observer…). */
type KindColumns = Omit<
  q.NewCase,
  | 'id'
  | 'caseNo'
  | 'kind'
  | 'status'
  | 'ratingId'
  | 'departmentId'
  | 'codeId'
  | 'ratingDay'
  | 'anonymous'
  | 'contactDueDate'
  | 'dueDate'
  | 'statusToken'
  | 'createdAt'
  | 'updatedAt'
>;

export interface NewCaseOfKind {
  kind: keyof typeof OPENINGS;
  departmentId: number;
  codeId: string | null;
  /** The day it was received (or seen): the deadlines count from it, and it is the case's cohort day. */
  day: string;
  anonymous: boolean;
  /** Working days from `day` to the first answer (contact) and to 办结. */
  contactWorkingDays: number;
  caseWorkingDays: number;
  columns: KindColumns;
  /** The opening event: who opened it (null: the citizen or an integration) and the staff-side note. */
  openedBy: number | null;
  note: string | null;
}

export function createCaseOpener(deps: Pick<CasesDeps, 'clock' | 'settings' | 'stats'> & { statusToken: () => string }) {
  const { clock, settings, stats, statusToken } = deps;

  /** Opens the case in `tx`, with its first event and its rollups; the case number's day is today's. */
  return async function openCaseOfKind(tx: Tx, c: NewCaseOfKind): Promise<q.CaseRow> {
    const now = clock.now();
    const cal = settings.calendar();
    const { prefix: kindPrefix, publicLabel } = OPENINGS[c.kind];
    const prefix = `${kindPrefix}${chinaDay(now).replaceAll('-', '')}-`;
    const seq = await q.nextCaseSeq(tx, prefix);
    const kase = await q.insertCase(tx, {
      ...c.columns,
      caseNo: `${prefix}${String(seq).padStart(4, '0')}`,
      kind: c.kind,
      status: 'open',
      ratingId: null,
      departmentId: c.departmentId,
      codeId: c.codeId,
      ratingDay: c.day,
      anonymous: c.anonymous,
      contactDueDate: cal.addWorkingDays(c.day, c.contactWorkingDays),
      dueDate: cal.addWorkingDays(c.day, c.caseWorkingDays),
      statusToken: statusToken(),
      createdAt: now,
      updatedAt: now,
    });
    await q.insertCaseEvent(tx, {
      caseId: kase.id,
      type: 'opened',
      toStatus: 'open',
      at: now,
      byUserId: c.openedBy,
      note: c.note,
      data: { contactDueDate: kase.contactDueDate, dueDate: kase.dueDate, publicLabel },
      public: true,
    });
    await stats.recordCaseChange(tx, null, kase);
    return kase;
  };
}

export type OpenCaseOfKind = ReturnType<typeof createCaseOpener>;
