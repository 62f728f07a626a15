// GET /api/home: the staff member's work queue on the home page, in one answer. Every count of cases
// comes with the GET /api/cases query that lists exactly those cases (the page links to /admin/cases?{query}).
import { type Static, Type } from 'typebox';
import { DateString, MonthString, Nullable } from './common.js';

const Int = Type.Integer();

/** A count of cases and the case-list query (GET /api/cases?{query}) whose `total` it is. */
export const CaseCount = Type.Object({
  count: Int,
  query: Type.String({ description: 'GET /api/cases 的查询串，列出的正是这些案件' }),
});

export const HomeResponse = Type.Object({
  today: DateString,
  /** The next working day after today (明天, or after a weekend or holiday the day work resumes). */
  nextWorkingDay: DateString,
  /** The user's login before the latest one (null: none recorded): what 新差评 counts from. */
  previousLoginAt: Nullable(Type.Integer()),
  /** When 新差评 are counted from: the previous login, or 7 days ago when there is none. */
  since: Int,
  cases: Type.Object({
    /** 待我处理 and the overdue ones among them (null for administrators, who do not work cases). */
    actionable: Nullable(CaseCount),
    overdue: Nullable(CaseCount),
    /** Of 待我处理: due today, and due the next working day (whole deadline, or a 差评's contact deadline). */
    dueToday: Nullable(CaseCount),
    dueNext: Nullable(CaseCount),
    /** A department head's cases that wait on the supervisor (申诉复核, 办结), and how many are overdue. */
    waitingOnSupervisor: Nullable(CaseCount),
    overdueWaitingOnSupervisor: Nullable(CaseCount),
    /** 差评 cases opened since `since`, in scope. */
    newBad: CaseCount,
  }),
  /** Ratings held for review in scope (supervisor, admin; null for heads): GET /api/ratings/held's total. */
  held: Nullable(Int),
  /** 好评抽查 (supervisor): ended months of the last three with real-name good ratings no draw has considered yet. */
  spotChecksDue: Nullable(Type.Array(Type.Object({ month: MonthString, candidates: Int }))),
  /** 系统对接 (admin): active integrations whose latest call was answered with an error. */
  integrationsFailing: Nullable(Int),
  /** The holiday-table warnings (admin; empty for the others). */
  holidayWarnings: Type.Array(Type.String()),
});
export type Home = Static<typeof HomeResponse>;
