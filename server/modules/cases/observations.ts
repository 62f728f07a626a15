// 监督报告 (docs/domain.md 4.9): an invited observer (特邀监督员) — or a staff member walking the
// process themselves (一把手走流程) — reports what they saw at a window. Each report opens an
// `observation` case in that department; the observer follows it on their own report, seeing its
// public steps and the department's answers, never the internal notes.
import * as q from '../../../db/queries/cases.js';
import type { ObservationFiguresT, ObservationInput, ObservationListT, ObservationOptionsT } from '../../../shared/api/cases.js';
import { addDays, chinaDay, parseDay } from '../../../shared/china-time.js';
import { OBSERVED_DAYS_MAX, WALKTHROUGH_LABEL } from '../../../shared/domain.js';
import { BadRequest, Gone } from '../../errors.js';
import { redactPhones } from '../../lib/redact.js';
import type { Actor } from '../auth/actor.js';
import type { createCaseViews } from './case-views.js';
import type { CasesDeps } from './cases.service.js';
import type { OpenCaseOfKind } from './open-case.js';
import { statusLabel } from './workflow.js';

/** How many of their own reports an observer's list shows (newest first). */
const OWN_REPORTS_MAX = 200;

export function createObservations(
  deps: Pick<CasesDeps, 'db' | 'clock' | 'settings' | 'matters'> & {
    views: ReturnType<typeof createCaseViews>;
    openCaseOfKind: OpenCaseOfKind;
  },
) {
  const { db, clock, settings, matters, views, openCaseOfKind } = deps;

  return {
    /** GET /api/observations/options: the departments of the filer's scope and their active windows. */
    async options(actor: Actor): Promise<ObservationOptionsT> {
      const list = await q.listObservableWindows(db, [...actor.departmentIds]);
      const byDept = new Map<number, ObservationOptionsT['departments'][number]>();
      for (const r of list) {
        const id = Number(r.departmentId);
        let d = byDept.get(id);
        if (!d) {
          d = { id, name: r.departmentName, windows: [] };
          byDept.set(id, d);
        }
        if (r.code !== null) d.windows.push({ code: r.code, location: r.location ?? '' });
      }
      return { departments: [...byDept.values()] };
    },

    /** POST /api/observations: 400 naming the field for every bad one; the department must be in the filer's scope. */
    async file(actor: Actor, input: ObservationInput): Promise<{ id: number; caseNo: string }> {
      const now = clock.now();
      const today = chinaDay(now);
      if (!actor.departmentIds.has(input.departmentId)) {
        throw new BadRequest('部门（departmentId）不存在或不在您的监督范围内', 'InvalidDepartment');
      }
      const parsed = parseDay(input.observedOn);
      if (parsed === 'format' || parsed === 'invalid') throw new BadRequest('日期（observedOn）不是有效日期', 'InvalidDate');
      if (input.observedOn > today) throw new BadRequest('日期（observedOn）不能晚于今天', 'InvalidDate');
      if (input.observedOn < addDays(today, -OBSERVED_DAYS_MAX)) {
        throw new BadRequest(`日期（observedOn）不能早于 ${OBSERVED_DAYS_MAX} 天前`, 'InvalidDate');
      }
      const description = redactPhones(input.description.trim());
      if (!description) throw new BadRequest('请填写看到的情况（description）', 'MissingDescription');
      // The window is optional (a 一把手 walks the whole hall); when named it must be the department's.
      const code = input.code === undefined ? null : await q.findCodeForReport(db, input.code.trim().toUpperCase());
      if (input.code !== undefined && (!code || code.departmentId !== input.departmentId)) {
        throw new BadRequest('窗口评议码（code）不存在或不属于所选部门', 'InvalidCode');
      }
      if (code && !code.active) throw new Gone('该窗口评议码已停用（code）', 'CodeDisabled');
      const projectNo = input.projectNo?.trim() || null;
      if (projectNo !== null) {
        const dept = await matters.departmentOfProject(projectNo);
        if (dept === null || !actor.departmentIds.has(dept)) {
          throw new BadRequest('办件编号（projectNo）不存在，请核对后重试', 'UnknownProjectNo');
        }
      }
      const { observation } = await settings.forDepartment(input.departmentId);
      const walkthrough = actor.role !== 'observer';
      const row = await db.transaction((tx) =>
        openCaseOfKind(tx, {
          kind: 'observation',
          departmentId: input.departmentId,
          codeId: code?.id ?? null,
          day: today,
          anonymous: false,
          contactWorkingDays: observation.answerWorkingDays,
          caseWorkingDays: observation.caseWorkingDays,
          columns: { description, reportedBy: actor.id, observedDay: input.observedOn, projectNo, walkthrough },
          openedBy: actor.id,
          note: walkthrough ? WALKTHROUGH_LABEL : null,
        }),
      );
      return { id: row.id, caseNo: row.caseNo };
    },

    /** GET /api/observations: the caller's own reports, with the public steps and the answers addressed to them. */
    async mine(actor: Actor): Promise<ObservationListT> {
      const list = await q.listReportsBy(db, actor.id, OWN_REPORTS_MAX);
      const events = await q.listCaseEvents(
        db,
        list.map((r) => r.id),
      );
      return {
        reports: list.map((r) => ({
          id: r.id,
          caseNo: r.caseNo,
          walkthrough: r.walkthrough === true,
          departmentName: r.departmentName,
          location: r.location ?? '',
          observedOn: r.observedDay ?? '',
          description: redactPhones(r.description ?? ''),
          projectNo: r.projectNo,
          status: r.status,
          statusLabel: statusLabel(r.kind, r.status),
          dueDate: r.dueDate,
          createdAt: r.createdAt,
          events: events.filter((e) => e.caseId === r.id && e.public).map(views.publicEvent),
        })),
      };
    },

    /** GET /api/stats/observations: reports per department of the caller's scope (the month so far by default). */
    async figures(actor: Actor, query: { from?: string; to?: string }): Promise<ObservationFiguresT> {
      const to = query.to ?? chinaDay(clock.now());
      const from = query.from ?? `${to.slice(0, 8)}01`;
      if (from > to) throw new BadRequest('开始日期（from）不能晚于结束日期（to）', 'InvalidRange');
      const list = await q.observationFigures(db, [...actor.departmentIds], from, to);
      return {
        from,
        to,
        departments: list.map((r) => ({
          departmentId: Number(r.departmentId),
          departmentName: r.departmentName,
          reports: Number(r.reports),
          walkthroughs: Number(r.walkthroughs),
          closed: Number(r.closed),
        })),
      };
    },
  };
}
