import { openAuthed } from '../../shared/api.js';
import { ColumnHeads, num } from '../../shared/ColumnHeads.js';
import { FigureCells } from '../../shared/FigureCells.js';
import { CaseWork, OverdueCount } from '../components/stats/CaseWork.js';
import { DateRangePicker } from '../components/stats/DateRangePicker.js';
import { DepartmentDashboard, granularityFor } from '../components/stats/DepartmentDashboard.js';
import { int, pct, qs, type Range, rangeFrom, score } from '../components/stats/format.js';
import { HeatMap } from '../components/stats/HeatMap.js';
import { KpiTiles } from '../components/stats/KpiTiles.js';
import { RankingTable } from '../components/stats/RankingTable.js';
import { Section } from '../components/stats/Section.js';
import { TrendChart } from '../components/stats/TrendChart.js';
import type { CasesResponse, DepartmentsResponse, SummaryResponse, TrendResponse } from '../components/stats/types.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import { BASE, navigate } from '../router.js';
import type { PageProps } from '../routes.js';
import '../components/stats/stats.css';
import { ErrorText } from '../components/ErrorText.js';
import { canOpenQueue, HeldCount, HeldNote, heldLink } from '../components/held/HeldNote.js';

/** 统计: a head's department page, or the county page of a supervisor/admin (or one department of it). */
export function DashboardPage({ user, query }: PageProps) {
  const range = rangeFrom(query);
  const asked = Number(query.get('departmentId'));
  const departmentId =
    Number.isInteger(asked) && asked > 0
      ? asked
      : user.role === 'dept_head' && user.departmentIds.length === 1
        ? user.departmentIds[0]
        : undefined;
  const setRange = (r: Range) => navigate(`/dashboard?${qs({ ...r, departmentId: query.get('departmentId') })}`);
  const queue = canOpenQueue(user);

  return (
    <section class="dashboard">
      <h1>统计</h1>
      <DateRangePicker key={`${range.from}|${range.to}`} value={range} onChange={setRange} />
      <Exports range={range} />
      {departmentId !== undefined ? (
        <>
          {user.role !== 'dept_head' && (
            <p>
              <a href={`${BASE}/dashboard?${qs(range)}`}>← 返回全部部门</a>
            </p>
          )}
          <DepartmentDashboard departmentId={departmentId} range={range} queue={queue} />
        </>
      ) : (
        <ScopeDashboard range={range} queue={queue} />
      )}
    </section>
  );
}

function Exports({ range }: { range: Range }) {
  const exporting = useAction('下载失败');
  const download = (path: string, name: string) => exporting.run(() => openAuthed(`${path}?${qs(range)}`, name));
  return (
    <p class="exports">
      <button type="button" onClick={() => download('/api/stats/export.xlsx', `好差评统计_${range.from}至${range.to}.xlsx`)}>
        导出 Excel
      </button>
      <button type="button" onClick={() => download('/api/stats/export.csv', `部门指标_${range.from}至${range.to}.csv`)}>
        导出 CSV
      </button>
      <ErrorText message={exporting.error} inline />
    </p>
  );
}

/** The county page: ranking, trend, weekday × hour, overdue cases; how many ratings are held, and where to review them. */
function ScopeDashboard({ range, queue }: { range: Range; queue: boolean }) {
  const q = qs(range);
  const summary = useApi<SummaryResponse>(`/api/stats/summary?${q}`);
  const ranking = useApi<DepartmentsResponse>(`/api/stats/departments?${q}`);
  const cases = useApi<CasesResponse>(`/api/stats/cases?${q}`);
  const trend = useApi<TrendResponse>(`/api/stats/trend?${q}&granularity=${granularityFor(range)}`);
  const heat = useApi<{ total: number[][]; bad: number[][] }>(`/api/stats/heatmap?${q}`);

  return (
    <>
      <Section title="总体指标" state={summary}>
        {(s) => (
          <>
            <HeldNote held={s.held} href={queue ? heldLink({ range }) : undefined} />
            <KpiTiles data={s} range={range} />
            {s.orgUnits.length > 1 && (
              <table class="data">
                <caption>各县/区</caption>
                <ColumnHeads
                  columns={[
                    '组织单位',
                    num('部门数'),
                    num('评价数'),
                    num('好评率'),
                    num('主动评价好评率'),
                    num('评价率'),
                    num('综合评分'),
                    num('差评整改率'),
                    num('按期办结率'),
                    ...(s.held > 0 ? [num('待核查')] : []),
                  ]}
                />
                <tbody>
                  {s.orgUnits.map((u) => (
                    <tr key={u.id}>
                      <th scope="row">{u.name}</th>
                      <FigureCells
                        figures={[
                          int(u.departments),
                          int(u.total),
                          pct(u.goodRate),
                          pct(u.activeGoodRate),
                          pct(u.ratingRate),
                          score(u.score),
                          pct(u.rectifyRate),
                          pct(u.onTimeRate),
                          ...(s.held > 0 ? [<HeldCount held={u.held} />] : []),
                        ]}
                      />
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </Section>
      <CaseWork state={cases} testId="overdue-cases" href={`${BASE}/cases?overdue=true`} linkText="查看逾期案件">
        {(c) => (
          <>
            逾期未办结差评案件 <OverdueCount cases={c} /> 件；当前未办结 {int(c.unclosed)} 件，其中等待督查（申诉复核、办结）
            {int(c.waitingOnSupervisor)} 件（逾期 {int(c.overdueWaitingOnSupervisor)} 件），其余等待部门处理。
          </>
        )}
      </CaseWork>
      <Section state={ranking}>{(r) => <RankingTable data={r} range={range} queue={queue} />}</Section>
      <Section state={trend}>{(t) => <TrendChart data={t} title="评价趋势" />}</Section>
      <Section title="评价时段" state={heat}>
        {(h) => <HeatMap total={h.total} bad={h.bad} />}
      </Section>
    </>
  );
}
