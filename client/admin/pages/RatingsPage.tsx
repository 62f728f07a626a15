import { RATING_CHANNEL_LABELS, SCORE_LABELS, type Score } from '../../../shared/domain.js';
import { ColumnHeads } from '../../shared/ColumnHeads.js';
import { qs, rangeFrom } from '../components/stats/format.js';
import { useApi } from '../components/use-api.js';
import { BASE } from '../router.js';
import type { PageProps } from '../routes.js';
import '../components/stats/stats.css';
import { ErrorText } from '../components/ErrorText.js';
import { RatingDecisions } from '../components/held/RatingDecisions.js';
import type { RatingView as Rating } from '../components/stats/types.js';

const PAGE = 50;

/** The ratings behind a figure: every dashboard number links here with its filter. */
export function RatingsPage({ query }: PageProps) {
  const range = rangeFrom(query);
  const filter = {
    departmentId: query.get('departmentId') ?? undefined,
    codeId: query.get('codeId') ?? undefined,
    score: query.get('score') ?? undefined,
    kind: query.get('kind') ?? undefined,
    realName: query.get('realName') ?? undefined,
    includeExcluded: query.get('includeExcluded') ?? undefined,
  };
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const { data, error, loading } = useApi<{ total: number; totalCapped?: boolean; ratings: Rating[] }>(
    `/api/stats/ratings?${qs({ ...range, ...filter, limit: PAGE, offset })}`,
  );
  const page = (o: number) => `${BASE}/ratings?${qs({ ...range, ...filter, offset: o })}`;

  const described = [
    `${range.from} 至 ${range.to}`,
    filter.score ? SCORE_LABELS[Number(filter.score) as Score] : null,
    filter.kind === 'bad' ? '差评' : filter.kind === 'good' ? '好评' : null,
    filter.realName === 'true' ? '实名' : null,
    filter.codeId ? `评议码 ${filter.codeId}` : null,
  ].filter(Boolean);

  return (
    <section>
      <h1>评价明细</h1>
      <p class="muted">
        {described.join(' · ')}
        {data &&
          `，共 ${data.total}${data.totalCapped ? '+' : ''} 条${filter.includeExcluded === 'true' ? '（含暂扣待核查、经复核排除的评价和被追评取代的评价，已注明）' : '（不含暂扣待核查、经复核排除的评价和被追评取代的评价）'}`}
      </p>
      <ErrorText message={error} />
      <div class="table-wrap" aria-busy={loading}>
        <table class="data" data-testid="ratings-table">
          <caption class="sr-only">评价列表</caption>
          <ColumnHeads columns={['时间', '部门 / 位置', '评价', '标签', '留言', '手机号']} />
          <tbody>
            {data?.ratings.map((r) => (
              <tr key={r.id}>
                <td>{r.time}</td>
                <td>
                  {r.departmentName}
                  <br />
                  <span class="muted">
                    {r.location}（{r.codeId}）
                  </span>
                </td>
                <td>
                  <span class={r.score <= 2 ? 'badge bad' : 'badge ok'}>
                    {r.score} {r.wording}
                  </span>
                  {r.flagged || r.excluded ? <RatingDecisions ratingId={r.id} /> : null}
                  {r.channel !== 'qr' && (
                    <span class="badge">
                      {RATING_CHANNEL_LABELS[r.channel]}
                      {r.assessNumber === 2 && ' · 追评'}
                    </span>
                  )}
                  {r.superseded && <span class="badge warn">已被追评取代</span>}
                </td>
                <td>{r.tags.join('、')}</td>
                <td class="comment">{r.comment}</td>
                <td>{r.phone ?? '匿名'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data && data.total > PAGE && (
        <nav class="pager" aria-label="翻页">
          {offset > 0 && <a href={page(Math.max(0, offset - PAGE))}>上一页</a>}
          <span>
            第 {Math.floor(offset / PAGE) + 1} / {Math.ceil(data.total / PAGE)} 页
          </span>
          {offset + PAGE < data.total && <a href={page(offset + PAGE)}>下一页</a>}
        </nav>
      )}
    </section>
  );
}
