import { ColumnHeads } from '../../../shared/ColumnHeads.js';
import { BASE } from '../../router.js';
import type { CaseItem } from './types.js';
import { formatTime } from './types.js';

/** Deadline badges: overdue (whole case) outranks a missed contact deadline. */
export function DeadlineBadge({ c }: { c: Pick<CaseItem, 'overdue' | 'contactOverdue' | 'escalated'> }) {
  if (c.overdue) return <span class="badge bad">已超期</span>;
  if (c.contactOverdue) return <span class="badge warn">回访超时</span>;
  return null;
}

export function CaseTable({ cases, showDepartment = true }: { cases: CaseItem[]; showDepartment?: boolean }) {
  if (cases.length === 0) return <p class="muted">没有符合条件的案件。</p>;
  return (
    <div class="table-scroll">
      <table class="data">
        <ColumnHeads
          columns={['案件编号', '类型', '状态', ...(showDepartment ? ['部门'] : []), '位置', '评价', '办结期限', '联系电话', '立案时间']}
        />
        <tbody>
          {cases.map((c) => (
            <tr key={c.id} class={c.overdue ? 'overdue' : undefined}>
              <th scope="row">
                <a href={`${BASE}/cases/${c.id}`}>{c.caseNo}</a>
              </th>
              <td>{c.kindLabel}</td>
              <td>
                {c.statusLabel} <DeadlineBadge c={c} />
              </td>
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
