// The other ways in (docs/domain.md 4.7–4.8, 金点子) as a department's figures of a period: 办不成事
// reported, closed and solved; 投诉 received; 金点子 submitted, answered and adopted. Counted from
// their rows (no rollup holds them), one statement per table for the whole period and every department.
import * as q from '../../../db/queries/stats.js';
import { CHINA_OFFSET_MS, dayNumber, MS_PER_DAY } from '../../../shared/china-time.js';
import type { StatsDeps } from './context.js';
import { ratio } from './indicators.js';
import type { Period } from './period.js';

export interface OtherWayFigures {
  /** 办不成事 reported in the period; closed; solved (closed with the citizen satisfied or basic). */
  cannotHandle: number;
  cannotHandleClosed: number;
  cannotHandleSolved: number;
  /** 解决率 = solved / closed, as GET /api/stats/cannot-handle (null without a closed one). */
  solveRate: number | null;
  complaints: number;
  suggestions: number;
  suggestionsAnswered: number;
  /** 采纳率 = (采纳 + 部分采纳) / answered, as the 金点子 figures (null without an answer). */
  adoptionRate: number | null;
}

type Counts = Omit<OtherWayFigures, 'solveRate' | 'adoptionRate'> & { suggestionsAdopted: number };

const zero = (): Counts => ({
  cannotHandle: 0,
  cannotHandleClosed: 0,
  cannotHandleSolved: 0,
  complaints: 0,
  suggestions: 0,
  suggestionsAnswered: 0,
  suggestionsAdopted: 0,
});

function figuresOf(c: Counts): OtherWayFigures {
  const { suggestionsAdopted, ...counts } = c;
  return {
    ...counts,
    solveRate: ratio(c.cannotHandleSolved, c.cannotHandleClosed),
    adoptionRate: ratio(suggestionsAdopted, c.suggestionsAnswered),
  };
}

/** The first millisecond of a China day. */
const dayStartMs = (day: string) => (dayNumber(day) as number) * MS_PER_DAY - CHINA_OFFSET_MS;

/** Per department of `ids` (zeros for one without any), and the sum of them all. */
export async function otherWaysByDepartment(
  db: StatsDeps['db'],
  ids: readonly number[],
  p: Period,
): Promise<{ byDepartment: Map<number, OtherWayFigures>; total: OtherWayFigures }> {
  const counts = new Map<number, Counts>(ids.map((id) => [id, zero()]));
  const total = zero();
  if (ids.length > 0) {
    for (const r of await q.countOtherWayCasesByDepartment(db, ids, p)) {
      const c = counts.get(r.departmentId);
      if (!c) continue;
      c.cannotHandle += r.reports;
      c.cannotHandleClosed += r.closed;
      c.cannotHandleSolved += r.solved;
      c.complaints += r.complaints;
    }
    const until = dayStartMs(p.to) + MS_PER_DAY;
    for (const r of await q.countSuggestionsByDepartment(db, ids, dayStartMs(p.from), until)) {
      const c = counts.get(r.departmentId);
      if (!c) continue;
      c.suggestions += r.suggestions;
      c.suggestionsAnswered += r.answered;
      c.suggestionsAdopted += r.adopted;
    }
  }
  for (const c of counts.values()) for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += c[k];
  return { byDepartment: new Map([...counts].map(([id, c]) => [id, figuresOf(c)])), total: figuresOf(total) };
}
