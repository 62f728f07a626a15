// The life of one 差评必查 case, generated from its rating: a plausible path through the workflow
// (server/modules/cases/workflow.ts) with step times spread up to a closing time, cut at "now". The
// case rows, timeline events and exclusion decisions are written as the service would leave them.

import type { CaseRow } from '../../db/queries/cases.js';
import type { Classification, Satisfaction } from '../../shared/domain.js';

export interface CaseStep {
  event: string;
  to: CaseRow['status'];
  at: number;
  public: boolean;
}

export interface GeneratedCase {
  row: Omit<CaseRow, 'id'>;
  steps: CaseStep[];
  /** Approved appeal: the rating is excluded by a recorded decision at this time. */
  excludedAt: number | null;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export interface CaseContext {
  rnd: () => number;
  now: number;
  supervisorId: number;
  addWorkingDays(day: string, n: number): string;
  toDay(ms: number): string;
}

/** Classification shares of bad ratings after the return visit. */
function classify(r: number): Classification {
  return r < 0.8 ? 'valid' : r < 0.9 ? 'no_basis' : r < 0.96 ? 'mistaken' : 'malicious';
}

function satisfaction(r: number): Satisfaction {
  return r < 0.62 ? 'satisfied' : r < 0.9 ? 'basic' : 'unsatisfied';
}

export function generateCase(
  ctx: CaseContext,
  rating: { id: number; codeId: string; departmentId: number; createdAt: number; day: string; anonymous: boolean },
  caseNo: string,
  statusToken: string,
): GeneratedCase {
  const { rnd, now } = ctx;
  const contactDueDate = ctx.addWorkingDays(rating.day, 1);
  const dueDate = ctx.addWorkingDays(rating.day, 15);
  const classification = classify(rnd());
  // ~92% of cases close on time: within 3–20 calendar days, the late ones up to 35.
  const span = (rnd() < 0.92 ? 3 + rnd() * 17 : 21 + rnd() * 14) * DAY;
  const path: [string, CaseRow['status'], boolean][] =
    classification === 'valid'
      ? [
          ['visited', 'visited', true],
          ['rectifying', 'rectifying', false],
          ['rectified', 'rectified', true],
          ['answered', 'answered', true],
          ['closed', 'closed', true],
        ]
      : classification === 'no_basis'
        ? [
            ['visited', 'visited', true],
            ['explained', 'answered', true],
            ['closed', 'closed', true],
          ]
        : [
            ['visited', 'visited', true],
            ['appealed', 'appealed', false],
            ['appeal_approved', 'closed', true],
          ];
  const steps: CaseStep[] = [{ event: 'opened', to: 'open', at: rating.createdAt, public: true }];
  path.forEach(([event, to, pub], i) => {
    // The visit comes within a day or two; the rest spreads evenly up to closing.
    const at = i === 0 ? rating.createdAt + (2 + rnd() * 40) * HOUR : rating.createdAt + span * ((i + rnd() * 0.5) / path.length);
    if (at <= now) steps.push({ event, to, at: Math.round(at), public: pub });
  });
  const last = steps[steps.length - 1]!;
  const at = (event: string) => steps.find((s) => s.event === event)?.at ?? null;
  const visitedAt = at('visited');
  const answeredAt = at('answered') ?? at('explained');
  const closedAt = last.to === 'closed' ? last.at : null;
  const overdue = closedAt === null && ctx.toDay(now) > dueDate;
  const row: Omit<CaseRow, 'id'> = {
    caseNo,
    kind: 'bad_rating',
    status: last.to,
    ratingId: rating.id,
    departmentId: rating.departmentId,
    codeId: rating.codeId,
    ratingDay: rating.day,
    anonymous: rating.anonymous,
    officerId: visitedAt !== null ? ctx.supervisorId : null,
    classification: visitedAt !== null ? classification : null,
    satisfaction: answeredAt !== null ? satisfaction(rnd()) : null,
    genuine: null,
    reopenCount: 0,
    contactDueDate,
    dueDate,
    statusToken,
    drawId: null,
    visitedAt,
    rectifiedAt: at('rectified'),
    answeredAt,
    closedAt,
    escalatedAt: overdue ? Date.parse(`${dueDate}T16:00:00Z`) + 5 * 60_000 : null,
    createdAt: rating.createdAt,
    updatedAt: last.at,
    subject: null,
    description: null,
    phoneEnc: null,
    phoneErasedAt: null,
    handling: null,
    channel: null,
    orderNo: null,
    enteredBy: null,
    reportedBy: null,
    observedDay: null,
    projectNo: null,
    walkthrough: null,
  };
  return { row, steps, excludedAt: last.event === 'appeal_approved' ? last.at : null };
}
