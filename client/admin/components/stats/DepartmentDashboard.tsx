import { ColumnHeads, num } from '../../../shared/ColumnHeads.js';
import { BASE } from '../../router.js';
import { formatTime } from '../cases/types.js';
import { HeldNote, heldLink } from '../held/HeldNote.js';
import { useApi } from '../use-api.js';
import { CaseWork, OverdueCount } from './CaseWork.js';
import { CodeTable } from './CodeTable.js';
import { int, mattersLink, pct, qs, type Range, ratingsLink, spanDays } from './format.js';
import { KpiTiles } from './KpiTiles.js';
import { ScoreLevels } from './ScoreLevels.js';
import { Section } from './Section.js';
import { TrendChart } from './TrendChart.js';
import type { CasesResponse, DepartmentsResponse, SummaryResponse, TrendResponse } from './types.js';

interface Tag {
  tag: string;
  kind: 'good' | 'bad' | 'other';
  count: number;
}
interface Comment {
  id: number;
  createdAt: number;
  location: string;
  score: number;
  comment: string;
}

export function granularityFor(r: Range): 'day' | 'week' | 'month' {
  const days = spanDays(r);
  return days <= 62 ? 'day' : days <= 184 ? 'week' : 'month';
}

/**
 * A department head's page: how the department is doing and why, in ten seconds. How many of its
 * ratings are held for review, linked to the queue when the user may open it (`queue`).
 */
export function DepartmentDashboard({ departmentId, range, queue = false }: { departmentId: number; range: Range; queue?: boolean }) {
  const base = qs({ ...range, departmentId });
  const summary = useApi<SummaryResponse>(`/api/stats/summary?${base}`);
  const ranking = useApi<DepartmentsResponse>(`/api/stats/departments?${qs(range)}`);
  const cases = useApi<CasesResponse>(`/api/stats/cases?${base}`);
  const trend = useApi<TrendResponse>(`/api/stats/trend?${base}&granularity=${granularityFor(range)}`);
  const tags = useApi<{ tags: Tag[] }>(`/api/stats/tags?${base}`);
  const comments = useApi<{ comments: Comment[] }>(`/api/stats/comments?${base}&limit=10`);
  const me = ranking.data?.departments.find((d) => d.id === departmentId);

  return (
    <>
      {me && (
        <p class="rank-line" data-testid="department-rank">
          {me.name}：
          {me.insufficient ? (
            <span class="badge warn">样本不足（评价数少于 {ranking.data!.minSample}），暂不排名</span>
          ) : (
            <>
              排名第 <strong>{me.rank}</strong> 名（共 {ranking.data!.rankedAmong} 个部门参与排名）
            </>
          )}
        </p>
      )}
      <Section title="指标" state={summary}>
        {(s) => (
          <>
            <HeldNote held={s.held} href={queue ? heldLink({ range, departmentId }) : undefined} />
            <KpiTiles data={s} range={range} departmentId={departmentId} />
            <p class="matters-line" data-testid="matters-link">
              本期办结办件 {int(s.finishedMatters)} 件，群众评价 {int(s.ratedMatters)} 件（评价率 {pct(s.ratingRate)}
              ）。各经办人、各事项的评价与差评：
              <a href={mattersLink(range, departmentId, 'staff')}>按经办人</a> ·{' '}
              <a href={mattersLink(range, departmentId, 'tasks')}>按事项</a>
            </p>
            <ScoreLevels data={s} range={range} departmentId={departmentId} />
          </>
        )}
      </Section>
      <CaseWork state={cases} testId="open-cases" href={`${BASE}/cases?${qs({ departmentId })}`} linkText="查看本部门案件">
        {(c) => (
          <>
            当前未办结差评案件 <strong>{int(c.unclosed)}</strong> 件，其中逾期 <OverdueCount cases={c} /> 件：
            <span data-testid="department-todo">
              等待本部门处理 <strong>{int(c.unclosed - c.waitingOnSupervisor)}</strong> 件（逾期{' '}
              <strong class={c.overdue > c.overdueWaitingOnSupervisor ? 'bad' : ''}>{int(c.overdue - c.overdueWaitingOnSupervisor)}</strong>{' '}
              件），等待督查（申诉复核、办结）{int(c.waitingOnSupervisor)} 件（逾期 {int(c.overdueWaitingOnSupervisor)} 件）。
            </span>{' '}
            本期差评案件 {int(c.cases)} 件，已办结 {int(c.closed)} 件，逾期未办结 {int(c.overdueOpen)} 件（按期办结率 {pct(c.onTimeRate)}
            ）。
          </>
        )}
      </CaseWork>
      <Section state={trend}>{(t) => <TrendChart data={t} title="评价趋势" />}</Section>
      <div class="two-col">
        <Section title="评价标签" state={tags}>
          {(t) =>
            t.tags.length === 0 ? (
              <p class="muted">本期没有带标签的评价。</p>
            ) : (
              <table class="data">
                <caption class="sr-only">评价标签统计</caption>
                <ColumnHeads columns={['标签', '类别', num('次数')]} />
                <tbody>
                  {t.tags.map((x) => (
                    <tr key={x.tag}>
                      <td>{x.tag}</td>
                      <td>{x.kind === 'bad' ? '差评理由' : x.kind === 'good' ? '好评' : '不在现行理由中'}</td>
                      <td class="num">
                        <a
                          href={ratingsLink(range, {
                            departmentId,
                            kind: x.kind === 'bad' ? 'bad' : x.kind === 'good' ? 'good' : undefined,
                          })}
                        >
                          {int(x.count)}
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Section>
        <Section title="最新留言" state={comments}>
          {(c) =>
            c.comments.length === 0 ? (
              <p class="muted">本期没有留言。</p>
            ) : (
              <ul class="comments" data-testid="latest-comments">
                {c.comments.map((x) => (
                  <li key={x.id}>
                    <span class={x.score <= 2 ? 'badge bad' : 'badge ok'}>{x.score} 分</span>{' '}
                    <span class="muted">
                      {formatTime(x.createdAt)} · {x.location}
                    </span>
                    <p>{x.comment}</p>
                  </li>
                ))}
              </ul>
            )
          }
        </Section>
      </div>
      <CodeTable departmentId={departmentId} range={range} queue={queue} />
    </>
  );
}
