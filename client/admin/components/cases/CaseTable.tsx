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

export function CaseTable({ cases, showDepartment = true, viewer }: { cases: CaseItem[]; showDepartment?: boolean; viewer?: Role }) {
  if (cases.length === 0) return <p class="muted">没有符合条件的案件。</p>;
  return (
    <div class="table-scroll">
      <table class="data">
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
              <th scope="row">
                <a href={`${BASE}/cases/${c.id}`}>{c.caseNo}</a>
              </th>
              <td>{c.kindLabel}</td>
              <td>
                {c.statusLabel} <DeadlineBadge c={c} viewer={viewer} />
              </td>
              <td class="nowrap">{waitingLabel(c)}</td>
              {showDepartment && <td>{c.departmentName}</td>}
              <td>{c.location}</td>
              <td>{c.scoreLabel}</td>
              <td>{c.dueDate}</td>
              <td>{c.anonymous ? <span class="muted">匿名</span> : (c.phoneMasked ?? <span class="muted">已删除</span>)}</td>
              <td>{formatTime(c.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
