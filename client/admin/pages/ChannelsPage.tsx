import type { ComponentChildren } from 'preact';
import type { ComplaintFigures, ObservationFiguresT, ReportFigures } from '../../../shared/api/cases.js';
import type { SuggestionPeriodFiguresT } from '../../../shared/api/suggestions.js';
import { type Column, ColumnHeads, num } from '../../shared/ColumnHeads.js';
import { FigureCells } from '../../shared/FigureCells.js';
import { DateRangePicker } from '../components/stats/DateRangePicker.js';
import { int, pct, qs, type Range, rangeFrom } from '../components/stats/format.js';
import { Section } from '../components/stats/Section.js';
import { useApi } from '../components/use-api.js';
import { BASE, navigate } from '../router.js';
import type { PageProps } from '../routes.js';
import '../components/stats/stats.css';

/** The case list of one kind (every status), of one department if given. */
/** The case list of a kind (and department); a 事项 row's link also names its 事项 (empty: the ones naming none). */
function casesLink(kind: 'cannot_handle' | 'complaint' | 'observation', departmentId?: number, subject?: string | null): string {
  const base = `${BASE}/cases?${qs({ kind, departmentId, status: 'all', sort: 'newest' })}`;
  return subject === undefined ? base : `${base}&${new URLSearchParams({ subject: subject ?? '' })}`;
}

interface Tile {
  label: string;
  value: string;
  detail?: string;
}

function Tiles({ label, tiles, testId }: { label: string; tiles: Tile[]; testId: string }) {
  return (
    <ul class="grid kpis" aria-label={label} data-testid={testId}>
      {tiles.map((t) => (
        <li key={t.label} class="kpi">
          <span class="k">{t.label}</span> <span class="v">{t.value}</span>
          {t.detail && <span class="d"> {t.detail}</span>}
        </li>
      ))}
    </ul>
  );
}

/** A table of figures: a caption, a heading column, figure columns; below 768 px each row a card. */
function FigureTable({
  caption,
  head,
  columns,
  testId,
  children,
}: {
  caption: string;
  head: string;
  columns: string[];
  testId: string;
  children: ComponentChildren;
}) {
  const heads: Column[] = [head, ...columns.map((c) => num(c))];
  return (
    <div class="table-wrap">
      <table class="data cards channel-figures" data-testid={testId}>
        <caption>{caption}</caption>
        <ColumnHeads columns={heads} />
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/**
 * 其他渠道: the figures of every other way in over a period — 办不成事 (解决率, by department and
 * 事项), 投诉 (by channel and department), 监督报告 (特邀监督员 and 一把手走流程) and 金点子 (采纳率).
 * Each API answers within the user's scope: a department head sees their department only.
 */
export function ChannelsPage({ query }: PageProps) {
  const range = rangeFrom(query);
  const setRange = (r: Range) => navigate(`/channels?${qs(r)}`);
  return (
    <section class="dashboard channels">
      <h1>其他渠道</h1>
      <p class="note">群众反映“办不成事”、投诉和 12345 工单、特邀监督员与一把手走流程的监督报告、金点子建议，按区间统计（本人范围内）。</p>
      <DateRangePicker key={`${range.from}|${range.to}`} value={range} onChange={setRange} />
      <CannotHandle range={range} />
      <Complaints range={range} />
      <Observations range={range} />
      <Suggestions range={range} />
    </section>
  );
}

const REPORT_COLUMNS = ['反映', '办结', '已解决', '解决率'];
/** The department table also shows how its reports were classified. */
const REPORT_DEPARTMENT_COLUMNS = [...REPORT_COLUMNS, '不能办', '不好办', '不给办'];

function CannotHandle({ range }: { range: Range }) {
  const state = useApi<ReportFigures>(`/api/stats/cannot-handle?${qs(range)}`);
  return (
    <Section title="办不成事" state={state}>
      {(d) => (
        <>
          <Tiles
            label="办不成事合计"
            testId="cannot-handle-tiles"
            tiles={[
              { label: '反映件数', value: int(d.total.reports) },
              { label: '已办结', value: int(d.total.closed) },
              { label: '已解决', value: int(d.total.solved), detail: '办结且群众满意或基本满意' },
              { label: '解决率', value: pct(d.total.solveRate), detail: `${int(d.total.solved)} / ${int(d.total.closed)} 办结` },
              {
                label: '待分类',
                value: int(d.total.reports - d.total.cannot - d.total.hard - d.total.refused),
                detail: `不能办 ${int(d.total.cannot)} · 不好办 ${int(d.total.hard)} · 不给办 ${int(d.total.refused)}`,
              },
            ]}
          />
          <p class="note">按反映日期统计；解决率 = 已解决 / 已办结。点部门打开该部门的办不成事案件，点事项打开反映该事项的案件。</p>
          {d.departments.length === 0 ? (
            <p class="muted">本期没有办不成事反映。</p>
          ) : (
            <>
              <FigureTable caption="按部门" head="部门" columns={REPORT_DEPARTMENT_COLUMNS} testId="cannot-handle-departments">
                {d.departments.map((r) => (
                  <tr key={r.departmentId} data-testid="cannot-handle-department">
                    <th scope="row">
                      <a href={casesLink('cannot_handle', r.departmentId)}>{r.departmentName}</a>
                    </th>
                    <FigureCells
                      labels={REPORT_DEPARTMENT_COLUMNS}
                      figures={[int(r.reports), int(r.closed), int(r.solved), pct(r.solveRate), int(r.cannot), int(r.hard), int(r.refused)]}
                    />
                  </tr>
                ))}
              </FigureTable>
              <FigureTable caption="按事项" head="事项" columns={REPORT_COLUMNS} testId="cannot-handle-subjects">
                {d.subjects.map((r) => (
                  <tr key={`${r.departmentId}|${r.subject ?? ''}`}>
                    <th scope="row">
                      <a href={casesLink('cannot_handle', r.departmentId, r.subject)}>{r.subject ?? '（未填事项）'}</a>
                      <span class="muted code-line"> {r.departmentName}</span>
                    </th>
                    <FigureCells labels={REPORT_COLUMNS} figures={[int(r.reports), int(r.closed), int(r.solved), pct(r.solveRate)]} />
                  </tr>
                ))}
              </FigureTable>
            </>
          )}
        </>
      )}
    </Section>
  );
}

const COMPLAINT_COLUMNS = ['投诉', '办结', '按时办结', '按时办结率', '群众满意'];

function Complaints({ range }: { range: Range }) {
  const state = useApi<ComplaintFigures>(`/api/stats/complaints?${qs(range)}`);
  const cells = (r: ComplaintFigures['total']) => [int(r.complaints), int(r.closed), int(r.onTime), pct(r.onTimeRate), int(r.satisfied)];
  return (
    <Section title="投诉与 12345 工单" state={state}>
      {(d) => (
        <>
          <Tiles
            label="投诉合计"
            testId="complaint-tiles"
            tiles={[
              { label: '投诉件数', value: int(d.total.complaints) },
              { label: '已办结', value: int(d.total.closed) },
              { label: '按时办结率', value: pct(d.total.onTimeRate), detail: `${int(d.total.onTime)} / ${int(d.total.closed)} 办结` },
              { label: '群众满意', value: int(d.total.satisfied), detail: '满意或基本满意' },
            ]}
          />
          <p class="note">按收到日期统计；按时办结率 = 在办结时限内办结 / 已办结。</p>
          <FigureTable caption="按渠道" head="渠道" columns={COMPLAINT_COLUMNS} testId="complaint-channels">
            {d.channels.map((r) => (
              <tr key={r.channel}>
                <th scope="row">{r.channelLabel}</th>
                <FigureCells labels={COMPLAINT_COLUMNS} figures={cells(r)} />
              </tr>
            ))}
          </FigureTable>
          {d.departments.length > 0 && (
            <FigureTable caption="按部门" head="部门" columns={COMPLAINT_COLUMNS} testId="complaint-departments">
              {d.departments.map((r) => (
                <tr key={r.departmentId}>
                  <th scope="row">
                    <a href={casesLink('complaint', r.departmentId)}>{r.departmentName}</a>
                  </th>
                  <FigureCells labels={COMPLAINT_COLUMNS} figures={cells(r)} />
                </tr>
              ))}
            </FigureTable>
          )}
        </>
      )}
    </Section>
  );
}

const OBSERVATION_COLUMNS = ['监督报告', '特邀监督员', '一把手走流程', '办结'];

function Observations({ range }: { range: Range }) {
  const state = useApi<ObservationFiguresT>(`/api/stats/observations?${qs(range)}`);
  return (
    <Section title="监督报告" state={state}>
      {(d) =>
        d.departments.length === 0 ? (
          <p class="muted">本期没有监督报告。</p>
        ) : (
          <>
            <p class="note">特邀监督员和一把手走流程提交的报告，按提交日期统计。</p>
            <FigureTable caption="按部门" head="部门" columns={OBSERVATION_COLUMNS} testId="observation-departments">
              {d.departments.map((r) => (
                <tr key={r.departmentId}>
                  <th scope="row">
                    <a href={casesLink('observation', r.departmentId)}>{r.departmentName}</a>
                  </th>
                  <FigureCells
                    labels={OBSERVATION_COLUMNS}
                    figures={[int(r.reports), int(r.reports - r.walkthroughs), int(r.walkthroughs), int(r.closed)]}
                  />
                </tr>
              ))}
            </FigureTable>
          </>
        )
      }
    </Section>
  );
}

const SUGGESTION_COLUMNS = ['收到', '已答复', '采纳', '部分采纳', '暂不采纳', '采纳率'];

function Suggestions({ range }: { range: Range }) {
  const state = useApi<SuggestionPeriodFiguresT>(`/api/stats/suggestions?${qs(range)}`);
  return (
    <Section title="金点子" state={state}>
      {(d) => (
        <>
          <Tiles
            label="金点子合计"
            testId="suggestion-tiles"
            tiles={[
              { label: '收到建议', value: int(d.total) },
              { label: '已答复', value: int(d.answered), detail: `待答复 ${int(d.total - d.answered)}` },
              { label: '采纳率', value: pct(d.adoptionRate), detail: `采纳 ${int(d.adopted)} · 部分采纳 ${int(d.partial)}` },
            ]}
          />
          <p class="note">
            按提交日期统计；采纳率 =（采纳 + 部分采纳）/ 已答复。<a href={`${BASE}/suggestions`}>去答复金点子 →</a>
          </p>
          {d.departments.length === 0 ? (
            <p class="muted">本期没有收到金点子。</p>
          ) : (
            <FigureTable caption="按部门" head="部门" columns={SUGGESTION_COLUMNS} testId="suggestion-departments">
              {d.departments.map((r) => (
                <tr key={r.departmentId}>
                  <th scope="row">{r.departmentName}</th>
                  <FigureCells
                    labels={SUGGESTION_COLUMNS}
                    figures={[int(r.total), int(r.answered), int(r.adopted), int(r.partial), int(r.declined), pct(r.adoptionRate)]}
                  />
                </tr>
              ))}
            </FigureTable>
          )}
        </>
      )}
    </Section>
  );
}
