import { useState } from 'preact/hooks';
import { CASE_KIND_LABELS, CASE_KINDS, CASE_STATUS_LABELS, CASE_STATUSES, UNCLOSED_CASE_STATUSES } from '../../../shared/domain.js';
import { CaseTable } from '../components/cases/CaseTable.js';
import type { CaseList } from '../components/cases/types.js';
import { ErrorText } from '../components/ErrorText.js';
import { CheckField, LabelOptions, NamedOptions, SelectField } from '../components/Fields.js';
import { useApi } from '../components/use-api.js';
import type { PageProps } from '../routes.js';

const PAGE = 50;
const ACTIVE = UNCLOSED_CASE_STATUSES.join(',');

/** The case queue: for supervisors overdue first, then by deadline (差评必查: nothing falls through). */
export function CasesPage({ user }: PageProps) {
  const [status, setStatus] = useState(ACTIVE);
  const [kind, setKind] = useState('');
  const [dept, setDept] = useState('');
  const [overdue, setOverdue] = useState(false);
  const [sort, setSort] = useState<'queue' | 'newest'>(user.role === 'supervisor' ? 'queue' : 'newest');
  const [offset, setOffset] = useState(0);
  const departments = useApi<{ departments: { id: number; name: string }[] }>('/api/departments');
  const qs = new URLSearchParams({ sort, limit: String(PAGE), offset: String(offset) });
  if (status !== 'all') qs.set('status', status);
  if (kind) qs.set('kind', kind);
  if (dept) qs.set('departmentId', dept);
  if (overdue) qs.set('overdue', 'true');
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
      <ErrorText message={error} />
      {data && (
        <>
          <p class="muted" role="status">
            共 {data.total} 件{loading ? '（加载中…）' : ''}
          </p>
          <CaseTable cases={data.cases} />
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
