import { useState } from 'preact/hooks';
import {
  CASE_KIND_LABELS,
  CASE_KINDS,
  CASE_STATUS_LABELS,
  CASE_STATUSES,
  UNCLOSED_CASE_STATUSES,
  WAITING_ON_LABELS,
} from '../../../shared/domain.js';
import { CaseTable } from '../components/cases/CaseTable.js';
import { type CaseList, formatTime } from '../components/cases/types.js';
import { ErrorText } from '../components/ErrorText.js';
import { CheckField, LabelOptions, NamedOptions, SelectField } from '../components/Fields.js';
import { useApi } from '../components/use-api.js';
import type { PageProps } from '../routes.js';

const PAGE = 50;
const ACTIVE = UNCLOSED_CASE_STATUSES.join(',');

/** Filters a link may carry that have no control of their own on this page, in words. */
function linkedFilters(query: URLSearchParams): { key: string; value: string; label: string }[] {
  const out: { key: string; value: string; label: string }[] = [];
  if (query.get('actionable') === 'true') out.push({ key: 'actionable', value: 'true', label: '待我处理' });
  const waiting = query.get('waitingOn');
  if (waiting === 'department' || waiting === 'supervisor') {
    out.push({ key: 'waitingOn', value: waiting, label: `等待${WAITING_ON_LABELS[waiting]}处理` });
  }
  const due = query.get('dueOn');
  if (due && /^\d{4}-\d{2}-\d{2}$/.test(due)) out.push({ key: 'dueOn', value: due, label: `${due} 到期` });
  const since = Number(query.get('openedSince'));
  if (query.get('openedSince') && Number.isInteger(since) && since >= 0) {
    out.push({ key: 'openedSince', value: String(since), label: `${formatTime(since)} 以来立案` });
  }
  const subject = query.get('subject');
  if (subject !== null) out.push({ key: 'subject', value: subject, label: subject ? `事项：${subject}` : '未填事项' });
  return out;
}

/** The case queue: for supervisors overdue first, then by deadline (差评必查: nothing falls through). */
export function CasesPage({ user, query }: PageProps) {
  // A link may open the list filtered (the home page's counts, 统计's overdue cases): the page starts there.
  const [status, setStatus] = useState(query.get('status') ?? ACTIVE);
  const [kind, setKind] = useState(query.get('kind') ?? '');
  const [dept, setDept] = useState(query.get('departmentId') ?? '');
  const [overdue, setOverdue] = useState(query.get('overdue') === 'true');
  const [sort, setSort] = useState<'queue' | 'newest'>(
    query.get('sort') === 'queue' || query.get('sort') === 'newest'
      ? (query.get('sort') as 'queue' | 'newest')
      : user.role === 'supervisor'
        ? 'queue'
        : 'newest',
  );
  const [offset, setOffset] = useState(0);
  const [extra, setExtra] = useState(() => linkedFilters(query));
  const departments = useApi<{ departments: { id: number; name: string }[] }>('/api/departments');
  const qs = new URLSearchParams({ sort, limit: String(PAGE), offset: String(offset) });
  if (status !== 'all') qs.set('status', status);
  if (kind) qs.set('kind', kind);
  if (dept) qs.set('departmentId', dept);
  if (overdue) qs.set('overdue', 'true');
  for (const f of extra) qs.set(f.key, f.value);
  const { data, error, loading } = useApi<CaseList>(`/api/cases?${qs}`);
  const set =
    <T,>(fn: (v: T) => void) =>
    (v: T) => {
      fn(v);
      setOffset(0);
    };

  return (
    <section>
      <h1>案件</h1>
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is not yet in every browser the county runs; role=search on the form is the equivalent */}
      <form class="toolbar" role="search" aria-label="筛选案件" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="状态" value={status} onChange={set(setStatus)}>
          <option value={ACTIVE}>全部未办结</option>
          <option value="all">全部（含办结）</option>
          <LabelOptions values={CASE_STATUSES} labels={CASE_STATUS_LABELS} />
        </SelectField>
        <SelectField label="类型" value={kind} onChange={set(setKind)}>
          <option value="">全部</option>
          <LabelOptions values={CASE_KINDS} labels={CASE_KIND_LABELS} />
        </SelectField>
        <SelectField label="部门" value={dept} onChange={set(setDept)}>
          <option value="">全部部门</option>
          <NamedOptions units={departments.data?.departments} />
        </SelectField>
        <CheckField label="只看超期" checked={overdue} onChange={set(setOverdue)} />
        <SelectField label="排序" value={sort} onChange={(value) => set(setSort)(value as 'queue' | 'newest')}>
          <option value="queue">超期优先，按期限</option>
          <option value="newest">最新在前</option>
        </SelectField>
      </form>
      {extra.length > 0 && (
        <p class="toolbar" data-testid="linked-filters">
          筛选：{extra.map((f) => f.label).join('；')}{' '}
          <button type="button" onClick={() => set(setExtra)([])}>
            清除
          </button>
        </p>
      )}
      <ErrorText message={error} />
      {data && (
        <>
          <p class="muted" role="status">
            共 {data.total} 件{loading ? '（加载中…）' : ''}
          </p>
          <CaseTable cases={data.cases} viewer={user.role} />
          <nav class="toolbar" aria-label="翻页">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              上一页
            </button>
            <button type="button" disabled={offset + PAGE >= data.total} onClick={() => setOffset(offset + PAGE)}>
              下一页
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
