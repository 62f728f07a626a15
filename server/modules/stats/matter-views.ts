// A department's 办件 by 经办人 and by 事项 (一次一评): which staff member and which 事项 collect 差评, and
// how many of their 办件 citizens rate. Read from daily_matter_stats, one department and period at a time.

import { zeroMatterDayCounts } from '../../../db/queries/rollups.js';
import * as q from '../../../db/queries/stats.js';
import type {
  MatterFigures,
  MatterFiguresQuery,
  MatterSort,
  StaffFigures,
  StaffFiguresResponse,
  TaskFigures,
  TaskFiguresResponse,
} from '../../../shared/api/stats.js';
import type { Actor } from '../auth/actor.js';
import { periodOf, type StatsDeps, scopedDepartments } from './context.js';
import { addMatterSums, type MatterSums, matterFigures } from './indicators.js';
import type { Period } from './period.js';

type FigureSort = Exclude<MatterSort, 'name'>;

/** Names compared as a person reads them (Chinese by pinyin where the runtime knows it). */
const byName = new Intl.Collator('zh-CN', { numeric: true }).compare;

/**
 * Sorted by `sort` (figures highest first, names A to Z, unless `order` says otherwise; a rate without
 * data, or 办件 without a 经办人 by name, last either way), ties by 办结办件数 (most first) then by name.
 */
function sortRows<R extends MatterFigures>(rows: R[], nameOf: (r: R) => string, sort: MatterSort, order?: 'asc' | 'desc'): R[] {
  const tie = (a: R, b: R) => b.finishedMatters - a.finishedMatters || byName(nameOf(a), nameOf(b));
  if (sort === 'name') {
    const sign = order === 'desc' ? -1 : 1;
    // 办件 without a 经办人 (no name) last, whatever the order, as a rate without data.
    return rows.sort((a, b) => {
      const x = nameOf(a);
      const y = nameOf(b);
      if (x === '' || y === '') return x === y ? 0 : x === '' ? 1 : -1;
      return sign * byName(x, y) || b.finishedMatters - a.finishedMatters;
    });
  }
  const sign = order === 'asc' ? 1 : -1;
  const key = sort as FigureSort;
  return rows.sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === null || y === null) return x === y ? tie(a, b) : x === null ? 1 : -1;
    return sign * (x - y) || tie(a, b);
  });
}

interface MatterList<R> {
  from: string;
  to: string;
  departmentId: number;
  departmentName: string;
  total: number;
  totals: MatterFigures;
  rows: R[];
}

export function createMatterViews(deps: StatsDeps) {
  const { db } = deps;

  /** The department (404 outside the actor's scope), the period, and the rows sorted and cut to the page asked for. */
  async function list<R extends MatterFigures>(
    actor: Actor,
    query: MatterFiguresQuery,
    read: (departmentId: number, p: Period) => Promise<{ sums: MatterSums; row: R }[]>,
    nameOf: (r: R) => string,
  ): Promise<MatterList<R>> {
    const p = periodOf(deps, query);
    const [department] = await scopedDepartments(deps, actor, query.departmentId);
    const found = await read(department!.id, p);
    const totals = zeroMatterDayCounts();
    for (const f of found) addMatterSums(totals, f.sums);
    const all = sortRows(
      found.map((f) => f.row),
      nameOf,
      query.sort ?? 'badCount',
      query.order,
    );
    const offset = query.offset ?? 0;
    return {
      from: p.from,
      to: p.to,
      departmentId: department!.id,
      departmentName: department!.name,
      total: all.length,
      totals: matterFigures(totals),
      rows: query.limit === undefined ? all : all.slice(offset, offset + query.limit),
    };
  }

  return {
    /** GET /api/stats/matters/staff: the department's 办件 of the period per 经办人. */
    async matterStaff(actor: Actor, query: MatterFiguresQuery): Promise<StaffFiguresResponse> {
      const { rows, ...rest } = await list<StaffFigures>(
        actor,
        query,
        async (departmentId, p) =>
          (await q.sumMattersByStaff(db, departmentId, p)).map((r) => ({
            sums: r,
            row: Object.assign(matterFigures(r), { staffName: r.staffName === '' ? null : r.staffName }),
          })),
        (r) => r.staffName ?? '',
      );
      return { ...rest, staff: rows };
    },

    /** GET /api/stats/matters/tasks: the department's 办件 of the period per 事项, under its latest name. */
    async matterTasks(actor: Actor, query: MatterFiguresQuery): Promise<TaskFiguresResponse> {
      const { rows, ...rest } = await list<TaskFigures>(
        actor,
        query,
        async (departmentId, p) => {
          const rows = [];
          for (const r of await q.sumMattersByTask(db, departmentId, p)) {
            // Renamed within the period (rare): the name of its latest day.
            const taskName =
              r.firstName === r.lastName ? r.lastName : ((await q.latestTaskName(db, departmentId, p, r.taskCode)) ?? r.lastName);
            rows.push({ sums: r, row: Object.assign(matterFigures(r), { taskCode: r.taskCode, taskName }) });
          }
          return rows;
        },
        (r) => r.taskName,
      );
      return { ...rest, tasks: rows };
    },
  };
}
