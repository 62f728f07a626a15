import { useState } from 'preact/hooks';
import type { MatterList } from '../../../shared/api/matters.js';
import { MATTER_STATUS_LABELS, MATTER_STATUSES, type MatterStatus } from '../../../shared/domain.js';
import { ColumnHeads, num } from '../../shared/ColumnHeads.js';
import { formatTime } from '../components/cases/types.js';
import { ErrorText } from '../components/ErrorText.js';
import { InputField, LabelOptions, NamedOptions, SelectField } from '../components/Fields.js';
import { Pager } from '../components/Pager.js';
import { useApi } from '../components/use-api.js';
import { BASE, navigate } from '../router.js';
import type { PageProps } from '../routes.js';

const PAGE = 50;

export const STATUS_BADGES: Record<MatterStatus, string> = { accepted: 'warn', finished: 'ok', rejected: 'bad' };

/** The address of a 办件's page (its 办件编号 may hold Chinese and dots). */
export const matterHref = (projectNo: string) => `${BASE}/matters/${encodeURIComponent(projectNo)}`;

/** 办件: what the business systems pushed, newest first; a 办件编号 opens its page. */
export function MattersPage(_props: PageProps) {
  const [projectNo, setProjectNo] = useState('');
  const [status, setStatus] = useState('');
  const [dept, setDept] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [offset, setOffset] = useState(0);
  const departments = useApi<{ departments: { id: number; name: string }[] }>('/api/departments');
  const qs = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  if (status) qs.set('status', status);
  if (dept) qs.set('departmentId', dept);
  if (from) qs.set('from', from);
  if (to) qs.set('to', to);
  const { data, error, loading } = useApi<MatterList>(`/api/matters?${qs}`);
  const set = (fn: (v: string) => void) => (v: string) => {
    fn(v);
    setOffset(0);
  };

  function open(e: Event) {
    e.preventDefault();
    const no = projectNo.trim();
    if (no) navigate(matterHref(no));
  }

  return (
    <section>
      <h1>办件</h1>
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is not yet in every browser the county runs; role=search on the form is the equivalent */}
      <form class="inline-form" role="search" aria-label="按办件编号查找" onSubmit={open}>
        <InputField label="办件编号" class="grow" required maxLength={64} value={projectNo} onValue={setProjectNo} />
        <button type="submit">查找</button>
      </form>
      {/* biome-ignore lint/a11y/useSemanticElements: as above */}
      <form class="toolbar" role="search" aria-label="筛选办件" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="部门" value={dept} onChange={set(setDept)}>
          <option value="">全部部门</option>
          <NamedOptions units={departments.data?.departments} />
        </SelectField>
        <SelectField label="状态" value={status} onChange={set(setStatus)}>
          <option value="">全部</option>
          <LabelOptions values={MATTER_STATUSES} labels={MATTER_STATUS_LABELS} />
        </SelectField>
        <InputField label="办结日期从" type="date" value={from} onValue={set(setFrom)} />
        <InputField label="到" type="date" value={to} onValue={set(setTo)} />
      </form>
      <ErrorText message={error} />
      {data && (
        <>
          <p class="muted" role="status">
            共 {data.total} 件{loading ? '（加载中…）' : ''}
          </p>
          {data.matters.length > 0 && (
            <div class="table-scroll">
              <table class="data matters">
                <ColumnHeads columns={['办件编号', '事项', '部门 · 窗口', '经办人', '状态', '受理时间', '办结时间', num('评价')]} />
                <tbody>
                  {data.matters.map((m) => (
                    <tr key={m.projectNo}>
                      <th scope="row">
                        <a href={matterHref(m.projectNo)}>{m.projectNo}</a>
                      </th>
                      <td>{m.taskName}</td>
                      <td>
                        {m.departmentName}
                        <br />
                        <span class="muted">{m.location}</span>
                      </td>
                      <td>{m.staffName ?? '—'}</td>
                      <td>
                        <span class={`badge ${STATUS_BADGES[m.status]}`}>{MATTER_STATUS_LABELS[m.status]}</span>
                      </td>
                      <td class="nowrap">{formatTime(m.acceptedAt)}</td>
                      <td class="nowrap">{m.finishedAt ? formatTime(m.finishedAt) : '—'}</td>
                      <td class="num">{m.ratingCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager total={data.total} offset={offset} pageSize={PAGE} onOffset={setOffset} />
        </>
      )}
    </section>
  );
}
