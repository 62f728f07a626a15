import { useState } from 'preact/hooks';
import type { CredibilityResponse, CredibilitySignal, CredibilityWindow } from '../../../shared/api/credibility.js';
import { ColumnHeads, num } from '../../shared/ColumnHeads.js';
import type { DepartmentItem } from '../components/code-types.js';
import { ErrorText } from '../components/ErrorText.js';
import { NamedOptions, SelectField } from '../components/Fields.js';
import { Pager } from '../components/Pager.js';
import { DateRangePicker } from '../components/stats/DateRangePicker.js';
import { int, pct, qs, type Range, rangeFrom } from '../components/stats/format.js';
import { Section } from '../components/stats/Section.js';
import { useApi } from '../components/use-api.js';
import { BASE, navigate } from '../router.js';
import type { PageProps } from '../routes.js';
import '../components/stats/stats.css';
import '../components/stats/credibility.css';

const PAGE = 50;

const SIGNAL_NAMES: Record<CredibilitySignal, string> = {
  bareFive: '无理由五星偏高',
  quickRatings: '办结即评',
  vanishingBad: '差评骤失',
};

/** Every stored rating of the window in the period, excluded and superseded ones too (what the figures count). */
function ratingsOf(w: CredibilityWindow, range: Range): string {
  return `${BASE}/ratings?${qs({ ...range, departmentId: w.departmentId, codeId: w.codeId, includeExcluded: true })}`;
}

const md = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

/** The numbers behind a signal, window against department, and the rule it met. */
function SignalDetail({ signal, w }: { signal: CredibilitySignal; w: CredibilityWindow }) {
  const t = w.thresholds;
  if (signal === 'bareFive')
    return (
      <>
        无理由五星占群众评价 <strong>{pct(w.bareFiveShare)}</strong>（{int(w.bareFive)} / {int(w.citizenRatings)}），本部门{' '}
        {pct(w.baseline.bareFiveShare)}。规则：至少 {t.bareFiveMinRatings} 条群众评价，高出本部门 {t.bareFivePointsAbove}{' '}
        个百分点以上且不低于其 {t.bareFiveTimesBaseline} 倍。
      </>
    );
  if (signal === 'quickRatings')
    return (
      <>
        <strong>{int(w.quick.devices)}</strong> 台设备各在办结后 {t.quickSeconds} 秒内评价了本窗口 {t.quickMinMatters} 件以上办件，共{' '}
        {int(w.quick.ratings)} 条（一次性链接的评价；像工作人员替群众评价）。
      </>
    );
  const v = w.vanish;
  return (
    <>
      {md(v.recentFrom)}至{md(v.recentTo)} 计入的群众评价 <strong>{int(v.recentRatings)}</strong> 条、差评 0；此前 {t.vanishPriorDays} 天（
      {md(v.priorFrom)}至{md(v.priorTo)}）差评 {int(v.priorBad)} / {int(v.priorRatings)} 条（{pct(v.priorBadShare)}），本部门{' '}
      {pct(v.baselinePriorBadShare)}。
    </>
  );
}

/** A share of the window, with its department's under it. */
function Versus({ mine, theirs }: { mine: number | null; theirs: number | null }) {
  return (
    <>
      {pct(mine)}
      <span class="vs">本部门 {pct(theirs)}</span>
    </>
  );
}

/**
 * 评价可信度: per window, whether its ratings look steered by staff (docs/domain.md) — leads for a 督查's
 * spot-check or visit, windows with the most signals first.
 */
export function CredibilityPage({ query }: PageProps) {
  const range = rangeFrom(query);
  const asked = Number(query.get('departmentId'));
  const departmentId = Number.isInteger(asked) && asked > 0 ? asked : undefined;
  const departments = useApi<{ departments: DepartmentItem[] }>('/api/departments');
  const depts = departments.data?.departments ?? [];
  const go = (over: { range?: Range; departmentId?: number | string }) =>
    navigate(`/credibility?${qs({ ...(over.range ?? range), departmentId: 'departmentId' in over ? over.departmentId : departmentId })}`);

  return (
    <section class="dashboard">
      <h1>评价可信度</h1>
      <p class="lead" data-testid="credibility-lead">
        以下是工作人员引导评价的<strong>线索，不是结论</strong>：请据此决定是否抽查回访或到窗口走访；这些评价照常计入统计，不因此暂扣。
      </p>
      <DateRangePicker key={`${range.from}|${range.to}`} value={range} onChange={(r) => go({ range: r })} />
      {depts.length > 1 && (
        <div class="toolbar">
          <SelectField label="部门" value={departmentId ? String(departmentId) : ''} onChange={(v) => go({ departmentId: v })}>
            <option value="">全部部门</option>
            <NamedOptions units={depts} />
          </SelectField>
        </div>
      )}
      <ErrorText message={departments.error} />
      <Windows key={`${departmentId}|${range.from}|${range.to}`} range={range} departmentId={departmentId} />
    </section>
  );
}

function Windows({ range, departmentId }: { range: Range; departmentId?: number }) {
  const [offset, setOffset] = useState(0);
  const list = useApi<CredibilityResponse>(`/api/stats/credibility?${qs({ ...range, departmentId, limit: PAGE, offset })}`);
  return (
    <Section state={list}>
      {(data) => {
        const flagged = data.windows.filter((w) => w.signals.length > 0);
        return (
          <>
            <p data-testid="credibility-summary">
              {data.from} 至 {data.to}：{int(data.total)} 个窗口有评价，其中{' '}
              <strong class={data.withSignals > 0 ? 'bad' : undefined}>{int(data.withSignals)}</strong> 个有线索。
            </p>
            {flagged.length > 0 && (
              <ul class="leads" data-testid="credibility-leads">
                {flagged.map((w) => (
                  <li key={`${w.departmentId}:${w.codeId}`} class="card" data-testid="lead">
                    <h2>
                      {w.location}
                      <span class="muted code-line">
                        {w.departmentName} · {w.codeId}
                        {w.staffName && ` · ${w.staffName}`}
                      </span>
                    </h2>
                    <ul class="signals">
                      {w.signals.map((s) => (
                        <li key={s} data-testid={`signal-${s}`}>
                          <span class="badge bad">{SIGNAL_NAMES[s]}</span> <SignalDetail signal={s} w={w} />
                        </li>
                      ))}
                    </ul>
                    <a class="button-link" href={ratingsOf(w, range)}>
                      查看本窗口的 {int(w.ratings)} 条评价
                    </a>
                  </li>
                ))}
              </ul>
            )}
            {data.total === 0 ? (
              <p class="muted">本期没有评价。</p>
            ) : (
              <>
                <div class={list.loading ? 'table-wrap loading' : 'table-wrap'}>
                  <table class="data code-figures credibility" data-testid="credibility-table">
                    <caption>各窗口与本部门对比（有线索的在前）</caption>
                    <ColumnHeads
                      columns={[
                        { label: '窗口', class: 'place' },
                        num('评价数'),
                        num('待核查'),
                        num('绑定办件'),
                        num('有理由或留言'),
                        num('无理由五星'),
                        '线索',
                      ]}
                    />
                    <tbody>
                      {data.windows.map((w) => (
                        <tr key={`${w.departmentId}:${w.codeId}`} data-testid="credibility-row">
                          <th scope="row" class="place">
                            <a href={ratingsOf(w, range)}>{w.location}</a>
                            <span class="muted code-line">
                              {w.departmentName} · {w.codeId}
                            </span>
                          </th>
                          <td class="num">{int(w.ratings)}</td>
                          <td class="num">
                            <Versus mine={w.flaggedShare} theirs={w.baseline.flaggedShare} />
                          </td>
                          <td class="num">
                            <Versus mine={w.boundShare} theirs={w.baseline.boundShare} />
                          </td>
                          <td class="num">
                            <Versus mine={w.detailShare} theirs={w.baseline.detailShare} />
                          </td>
                          <td class="num">
                            <Versus mine={w.bareFiveShare} theirs={w.baseline.bareFiveShare} />
                          </td>
                          <td>
                            {w.signals.length === 0 ? (
                              <span class="muted">—</span>
                            ) : (
                              w.signals.map((s) => (
                                <span key={s} class="badge bad">
                                  {SIGNAL_NAMES[s]}
                                </span>
                              ))
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {data.total > PAGE && <Pager total={data.total} offset={offset} pageSize={PAGE} onOffset={setOffset} />}
                <p class="note">
                  {'评价数含区间内保存的全部评价（含待核查、已排除、被追评取代和系统默认评价）；无理由五星为不带理由也没有留言的“非常满意”' +
                    '占群众评价（不含系统默认评价）的比例；本部门为该部门全部窗口同一区间的合计。阈值在「设置 → 评价可信度线索」按县区设置。'}
                </p>
              </>
            )}
          </>
        );
      }}
    </Section>
  );
}
