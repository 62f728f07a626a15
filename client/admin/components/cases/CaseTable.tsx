import { type Role, WAITING_ON_LABELS } from '../../../../shared/domain.js';
import { ColumnHeads } from '../../../shared/ColumnHeads.js';
import { BASE } from '../../router.js';
import type { CaseItem } from './types.js';
import { formatTime } from './types.js';

/**
 * Whether a case's lateness is the viewer's own: a department head is not late on a step that waits on
 * the supervisor (申诉复核, 办结); a supervisor answers for every overdue case (escalations go to the
 * supervisor's queue, docs/domain.md 4.6).
 */
export function lateIsMine(c: Pick<CaseItem, 'overdue' | 'waitingOn'>, viewer?: Role): boolean {
  return c.overdue && !(viewer === 'dept_head' && c.waitingOn === 'supervisor');
}

/** Deadline badges: overdue (whole case) outranks a missed contact deadline; shown as whose lateness it is. */
export function DeadlineBadge({
  c,
  viewer,
}: {
  c: Pick<CaseItem, 'overdue' | 'contactOverdue' | 'escalated' | 'waitingOn'>;
  viewer?: Role;
}) {
  if (c.overdue) return lateIsMine(c, viewer) ? <span class="badge bad">已超期</span> : <span class="badge">已超期 · 等待督查</span>;
  if (c.contactOverdue) return <span class="badge warn">回访超时</span>;
  return null;
}

/** Whose move the case waits on: 等待：督查 / 等待：本部门 (nobody once closed). */
export function waitingLabel(c: Pick<CaseItem, 'waitingOn'>): string {
  return c.waitingOn ? WAITING_ON_LABELS[c.waitingOn] : '—';
}

/** The cases as a table; below 768 px each case is a card, each cell labelled by its column (admin.css, card lists). */
export function CaseTable({
  cases,
  showDepartment = true,
  viewer,
  empty = '没有符合条件的案件。',
}: {
  cases: CaseItem[];
  showDepartment?: boolean;
  viewer?: Role;
  empty?: string;
}) {
  if (cases.length === 0) return <p class="empty">{empty}</p>;
  return (
    <div class="table-scroll">
      <table class="data cards case-list">
        <ColumnHeads
          columns={[
            '案件编号',
            '类型',
            '状态',
            '等待',
            ...(showDepartment ? ['部门'] : []),
            '位置',
            '评价',
            '办结期限',
            '联系电话',
            '立案时间',
          ]}
        />
        <tbody>
          {cases.map((c) => (
            <tr key={c.id} class={lateIsMine(c, viewer) ? 'overdue' : undefined}>
              <th scope="row" class="case-no">
                <a href={`${BASE}/cases/${c.id}`}>{c.caseNo}</a>
              </th>
              <td data-label="类型">
                {c.kindLabel}
                {c.walkthrough && <span class="muted">（走流程）</span>}
              </td>
              <td data-label="状态">
                <span class="pills">
                  <span>{c.statusLabel}</span> <DeadlineBadge c={c} viewer={viewer} />
                </span>
              </td>
              <td data-label="等待" class="nowrap">
                {waitingLabel(c)}
              </td>
              {showDepartment && <td data-label="部门">{c.departmentName}</td>}
              <td data-label="位置">{c.location}</td>
              <td data-label="评价" class="nowrap">
                {c.scoreLabel}
              </td>
              <td data-label="办结期限" class="nowrap">
                {c.dueDate}
              </td>
              <td data-label="联系电话" class="nowrap">
                {c.anonymous ? <span class="muted">匿名</span> : (c.phoneMasked ?? <span class="muted">已删除</span>)}
              </td>
              <td data-label="立案时间" class="nowrap">
                {formatTime(c.createdAt)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
