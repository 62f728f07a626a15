import type { RatableMatter } from '../../../db/queries/matter-ratings.js';
import type { MatterFacts } from '../stats/stats.service.js';

/** Where a 办件's figures are counted (its window, department, 办结 day, 事项 and 经办人). */
export function matterFactsOf(m: RatableMatter): MatterFacts {
  return {
    codeId: m.codeId,
    departmentId: m.departmentId,
    finishedDay: m.finishedDay ?? '',
    taskCode: m.taskCode,
    taskName: m.taskName,
    staffName: m.staffName ?? '',
  };
}
