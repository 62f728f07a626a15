import type { Db, Tx } from '../../../db/client.js';
import * as q from '../../../db/queries/cases.js';
import type { Clock, RandomSource } from '../../lib/clock.js';
import { toChinaDate } from '../calendar/working-days.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { StatsService } from '../stats/stats.service.js';

export interface BadRatingForCase {
  id: number;
  codeId: string;
  departmentId: number;
  createdAt: number;
  day: string;
  anonymous: boolean;
}

export function createCasesService(deps: {
  db: Db;
  clock: Clock;
  random: RandomSource;
  settings: SettingsService;
  stats: StatsService;
}) {
  const { settings, stats, random } = deps;

  function statusToken(): string {
    return Buffer.from(random.bytes(18)).toString('base64url');
  }

  return {
    /**
     * 差评必查: opens the case of a 1–2 rating inside the rating's own transaction, with both
     * working-day deadlines counted from the day of the rating on the official calendar.
     */
    openForBadRating(tx: Tx, rating: BadRatingForCase): q.CaseRow {
      const { deadlines } = settings.get();
      const cal = settings.calendar();
      const prefix = `CP${rating.day.replaceAll('-', '')}-`;
      const seq = q.nextCaseSeq(tx, prefix);
      const row = q.insertCase(tx, {
        caseNo: `${prefix}${String(seq).padStart(4, '0')}`,
        kind: 'bad_rating',
        status: 'open',
        ratingId: rating.id,
        departmentId: rating.departmentId,
        codeId: rating.codeId,
        ratingDay: rating.day,
        anonymous: rating.anonymous,
        contactDueDate: cal.addWorkingDays(rating.day, deadlines.contactWorkingDays),
        dueDate: cal.addWorkingDays(rating.day, deadlines.caseWorkingDays),
        statusToken: statusToken(),
        createdAt: rating.createdAt,
        updatedAt: rating.createdAt,
      });
      q.insertCaseEvent(tx, {
        caseId: row.id,
        type: 'opened',
        toStatus: 'open',
        at: rating.createdAt,
        note: rating.anonymous ? '匿名差评：无法电话回访，由部门内部核实' : null,
        data: { contactDueDate: row.contactDueDate, dueDate: row.dueDate, anonymous: rating.anonymous },
        public: true,
      });
      stats.recordCaseChange(tx, null, row);
      return row;
    },

    /** Today in China time, per the injected clock. */
    today(): string {
      return toChinaDate(deps.clock.now());
    },
  };
}

export type CasesService = ReturnType<typeof createCasesService>;
