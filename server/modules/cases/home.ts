// 首页: the staff member's work queue in one answer (GET /api/home). Every case count is the `total` of
// the case list it links to, counted with that list's own filter (cases.count), so the two cannot disagree; the
// held ratings and integrations are counted by the services behind their own pages.
import type { Db } from '../../../db/client.js';
import * as sq from '../../../db/queries/spot-checks.js';
import type { Home } from '../../../shared/api/home.js';
import { addMonths, chinaDay } from '../../../shared/china-time.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor } from '../auth/actor.js';
import type { AuthService } from '../auth/auth.service.js';
import type { IntegrationsService } from '../integrations/integrations.service.js';
import type { HeldRatings } from '../ratings/held-ratings.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { CaseListQuery, CasesService } from './cases.service.js';

/** Without an earlier login, 新差评 are those of the last week. */
const FIRST_LOGIN_LOOKBACK_MS = 7 * 86_400_000;
/** 好评抽查: the ended months looked back on for draws still to make. */
const SPOT_CHECK_MONTHS = 3;

type ListFilter = Omit<CaseListQuery, 'limit' | 'offset' | 'sort' | 'status'>;

export function createHome(deps: {
  db: Db;
  clock: Clock;
  cases: Pick<CasesService, 'count'>;
  heldRatings: Pick<HeldRatings, 'list'>;
  integrations: Pick<IntegrationsService, 'list'>;
  settings: Pick<SettingsService, 'calendar' | 'holidays'>;
  auth: Pick<AuthService, 'previousLoginAt'>;
}) {
  const { db, clock, cases } = deps;

  /** The count of a case list (any status) and that list's query string (the page links to it). */
  async function count(actor: Actor, filter: ListFilter) {
    const total = await cases.count(actor, filter);
    const query = new URLSearchParams(Object.entries(filter).map(([k, v]): [string, string] => [k, String(v)]));
    return { count: total, query: query.toString() };
  }

  return {
    async summary(actor: Actor): Promise<Home> {
      const now = clock.now();
      const today = chinaDay(now);
      const nextWorkingDay = deps.settings.calendar().addWorkingDays(today, 1);
      const previousLoginAt = await deps.auth.previousLoginAt(actor.id);
      const since = previousLoginAt ?? now - FIRST_LOGIN_LOOKBACK_MS;
      const works = actor.role !== 'admin';
      const head = actor.role === 'dept_head';
      const mine = async (filter: ListFilter) => (works ? count(actor, { actionable: true, ...filter }) : null);
      const waiting = async (filter: ListFilter) => (head ? count(actor, { waitingOn: 'supervisor', ...filter }) : null);
      // The counts are independent reads: asked at once (on PostgreSQL, one round trip's wait, not seven).
      const [actionable, overdue, dueToday, dueNext, waitingOnSupervisor, overdueWaitingOnSupervisor, newBad] = await Promise.all([
        mine({}),
        mine({ overdue: true }),
        mine({ dueOn: today }),
        mine({ dueOn: nextWorkingDay }),
        waiting({}),
        waiting({ overdue: true }),
        count(actor, { kind: 'bad_rating', openedSince: since }),
      ]);
      const home: Home = {
        today,
        nextWorkingDay,
        previousLoginAt,
        since,
        cases: { actionable, overdue, dueToday, dueNext, waitingOnSupervisor, overdueWaitingOnSupervisor, newBad },
        held: null,
        spotChecksDue: null,
        integrationsFailing: null,
        holidayWarnings: [],
      };
      if (actor.role === 'supervisor' || actor.role === 'admin') {
        home.held = (await deps.heldRatings.list(actor, { limit: 1 })).total;
      }
      if (actor.role === 'supervisor') {
        const month = today.slice(0, 7);
        const first = addMonths(month, -SPOT_CHECK_MONTHS);
        const last = addMonths(month, -1);
        home.spotChecksDue = (await sq.countNewCandidatesByMonth(db, [...actor.departmentIds], `${first}-01`, `${last}-31`)).filter(
          (m) => m.candidates > 0,
        );
      }
      if (actor.role === 'admin') {
        // The latest call failed (4xx): an error counted at the time of the last call.
        home.integrationsFailing = (await deps.integrations.list(actor)).filter(
          (i) => i.revokedAt === null && i.lastErrorAt !== null && i.lastCallAt !== null && i.lastErrorAt >= i.lastCallAt,
        ).length;
        home.holidayWarnings = (await deps.settings.holidays()).warnings;
      }
      return home;
    },
  };
}

export type HomeService = ReturnType<typeof createHome>;
