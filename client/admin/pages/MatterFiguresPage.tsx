import { useState } from 'preact/hooks';
import { type Column, ColumnHeads, num } from '../../shared/ColumnHeads.js';
import { FigureCells } from '../../shared/FigureCells.js';
import type { DepartmentItem } from '../components/code-types.js';
import { ErrorText } from '../components/ErrorText.js';
import { NamedOptions, SelectField } from '../components/Fields.js';
import { Pager } from '../components/Pager.js';
import { DateRangePicker } from '../components/stats/DateRangePicker.js';
import { FIGURE_HINTS, int, pct, qs, type Range, rangeFrom } from '../components/stats/format.js';
import { unratedRate } from '../components/stats/KpiTiles.js';
import { Section } from '../components/stats/Section.js';
import type { MatterFigures, MatterSort, StaffFiguresResponse, TaskFiguresResponse } from '../components/stats/types.js';
import { useApi } from '../components/use-api.js';
import { BASE, navigate } from '../router.js';
import type { PageProps } from '../routes.js';
import '../components/stats/stats.css';

const PAGE = 50;

type View = 'staff' | 'tasks';
type Order = 'asc' | 'desc';
/** One row of either list, with the name it is shown under. */
type Row = MatterFigures & { key: string; name: string; detail?: string };

const VIEWS: Record<View, { label: string; column: string }> = {
  staff: { label: '按经办人', column: '经办人' },
  tasks: { label: '按事项', column: '事项' },
};

function columns(view: View): Column[] {
  return [
    { label: VIEWS[view].column, sort: 'name', class: 'place' },
    num('办结办件', 'finishedMatters'),
    num('群众评价'),
    num('评价率', 'ratingRate'),
    num('未评价率'),
    num('主动评价', 'citizenRatings'),
    num('差评', 'badCount'),
    num('主动评价好评率', 'activeGoodRate'),
    num('默认评价'),
  ];
}

/**
 * 办件评价: a department's 办件 of the period by 经办人 or by 事项 — who and what collects 差评, and how
 * many 办件 citizens rate (一次一评). Most 差评 first.
 */
export function MatterFiguresPage({ query }: PageProps) {
  const range = rangeFrom(query);
  const view: View = query.get('view') === 'tasks' ? 'tasks' : 'staff';
  const asked = Number(query.get('departmentId'));
  const departments = useApi<{ departments: DepartmentItem[] }>('/api/departments');
  const depts = departments.data?.departments ?? [];
  const departmentId = Number.isInteger(asked) && asked > 0 ? asked : depts.length === 1 ? depts[0]!.id : undefined;
  const go = (over: { range?: Range; departmentId?: number | string; view?: View }) =>
    navigate(
      `/matter-figures?${qs({ ...(over.range ?? range), departmentId: over.departmentId ?? departmentId, view: over.view ?? view })}`,
    );

  return (
    <section class="dashboard">
      <h1>办件评价</h1>
      <p>
        <a href={`${BASE}/dashboard?${qs({ ...range, departmentId })}`}>← 返回统计</a>
      </p>
      <DateRangePicker key={`${range.from}|${range.to}`} value={range} onChange={(r) => go({ range: r })} />
      {depts.length > 1 && (
        <div class="toolbar">
          <SelectField label="部门" value={departmentId ? String(departmentId) : ''} onChange={(v) => go({ departmentId: v })}>
            <option value="">请选择部门</option>
            <NamedOptions units={depts} />
          </SelectField>
        </div>
      )}
      <ErrorText message={departments.error} />
      <nav class="view-tabs" aria-label="查看方式">
        {(Object.keys(VIEWS) as View[]).map((v) => (
          <a
            key={v}
            class="tab"
            href={`${BASE}/matter-figures?${qs({ ...range, departmentId, view: v })}`}
            aria-current={v === view ? 'page' : undefined}
            data-testid={`view-${v}`}
          >
            {VIEWS[v].label}
          </a>
        ))}
      </nav>
      {departmentId === undefined ? (
        !departments.loading && <p class="muted">请选择一个部门。</p>
      ) : (
        // Another list (view, department, period) starts again at page 1 in its own order.
        <MatterTable key={`${view}|${departmentId}|${range.from}|${range.to}`} view={view} departmentId={departmentId} range={range} />
      )}
    </section>
  );
}

function MatterTable({ view, departmentId, range }: { view: View; departmentId: number; range: Range }) {
  const [sorting, setSorting] = useState<{ sort: MatterSort; order: Order }>({ sort: 'badCount', order: 'desc' });
  const [offset, setOffset] = useState(0);
  const path = `/api/stats/matters/${view}?${qs({ ...range, departmentId, sort: sorting.sort, order: sorting.order, limit: PAGE, offset })}`;
  const list = useApi<StaffFiguresResponse | TaskFiguresResponse>(path);

  /** A click on a heading: that column, figures highest first and names A to Z; again, the other way. From page 1. */
  const sortBy = (key: string) => {
    const sort = key as MatterSort;
    setOffset(0);
    setSorting((s) =>
      s.sort === sort ? { sort, order: s.order === 'asc' ? 'desc' : 'asc' } : { sort, order: sort === 'name' ? 'asc' : 'desc' },
    );
  };

  return (
    <Section state={list}>
      {(data) => {
        const rows: Row[] =
          'staff' in data
            ? data.staff.map((s) => ({ ...s, key: s.staffName ?? '', name: s.staffName ?? '（未登记经办人）' }))
            : data.tasks.map((t) => ({ ...t, key: t.taskCode, name: t.taskName, detail: t.taskCode }));
        const t = data.totals;
        return (
          <>
            <p class="matters-line" data-testid="matters-totals">
              <strong>{data.departmentName}</strong> {data.from} 至 {data.to}：办结办件 {int(t.finishedMatters)} 件，群众评价{' '}
              {int(t.ratedMatters)} 件（评价率 {pct(t.ratingRate)}，未评价率 {pct(unratedRate(t))}）；主动评价好评率 {pct(t.activeGoodRate)}
              ，差评 <strong class={t.badCount > 0 ? 'bad' : undefined}>{int(t.badCount)}</strong> 件
              {t.defaults > 0 && `；默认评价 ${int(t.defaults)} 条`}。
            </p>
            <p class="note">
              按办结日期统计区间内办结的办件；一件办件只计最新的一次评价（追评取代首次评价）。{FIGURE_HINTS.ratingRate}；
              {FIGURE_HINTS.activeGoodRate}。
            </p>
            {rows.length === 0 ? (
              <p class="muted">本期没有办结的办件。</p>
            ) : (
              <>
                <div class={list.loading ? 'table-wrap loading' : 'table-wrap'}>
                  <table class="data code-figures matter-figures" data-testid="matters-table">
                    <caption class="sr-only">
                      {data.departmentName}各{VIEWS[view].column}的办件评价
                    </caption>
                    <ColumnHeads columns={columns(view)} sorting={{ key: sorting.sort, order: sorting.order, onSort: sortBy }} />
                    <tbody>
                      {rows.map((r) => (
                        <tr key={r.key} data-testid="matter-row">
                          <th scope="row" class="place">
                            {r.name}
                            {r.detail && <span class="muted code-line">{r.detail}</span>}
                          </th>
                          <FigureCells
                            figures={[
                              int(r.finishedMatters),
                              int(r.ratedMatters),
                              pct(r.ratingRate),
                              pct(unratedRate(r)),
                              int(r.citizenRatings),
                              r.badCount > 0 ? <strong class="bad">{int(r.badCount)}</strong> : '0',
                              pct(r.activeGoodRate),
                              int(r.defaults),
                            ]}
                          />
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {data.total > PAGE && <Pager total={data.total} offset={offset} pageSize={PAGE} onOffset={setOffset} />}
              </>
            )}
          </>
        );
      }}
    </Section>
  );
}
