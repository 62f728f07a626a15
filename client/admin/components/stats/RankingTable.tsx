import { ColumnHeads, num } from '../../../shared/ColumnHeads.js';
import { FigureCells } from '../../../shared/FigureCells.js';
import { BASE } from '../../router.js';
import { HeldCount, heldLink } from '../held/HeldNote.js';
import { int, mattersLink, pct, qs, type Range, ratingsLink, score } from './format.js';
import type { DepartmentsResponse } from './types.js';

/**
 * 部门排名: fair ranks (Wilson lower bound of 好评率), 样本不足 shown but not ranked. A 待核查 column
 * when any department has ratings held for review (linked to the queue when `queue`).
 */
export function RankingTable({ data, range, queue = false }: { data: DepartmentsResponse; range: Range; queue?: boolean }) {
  const anyHeld = data.departments.some((d) => d.held > 0);
  return (
    <div class="table-wrap">
      <table class="data ranking" data-testid="ranking-table">
        <caption>部门排名</caption>
        <ColumnHeads
          columns={[
            num('排名'),
            '部门',
            num('评价数'),
            num('好评率'),
            num('主动评价好评率'),
            num('评价率'),
            num('差评率'),
            num('综合评分'),
            num('实名差评回访率'),
            num('差评整改率'),
            num('整改满意率'),
            num('按期办结率'),
            ...(anyHeld ? [num('待核查')] : []),
          ]}
        />
        <tbody>
          {data.departments.map((d) => (
            <tr key={d.id} data-testid={`rank-row-${d.id}`}>
              <td class="num">
                {d.insufficient ? (
                  <span class="badge warn" title={`评价数少于 ${data.minSample}，不参与排名`}>
                    样本不足
                  </span>
                ) : (
                  d.rank
                )}
              </td>
              <th scope="row">
                <a href={`${BASE}/dashboard?${qs({ ...range, departmentId: d.id })}`}>{d.name}</a>
              </th>
              <FigureCells
                figures={[
                  <a href={ratingsLink(range, { departmentId: d.id })}>{int(d.total)}</a>,
                  <a href={ratingsLink(range, { departmentId: d.id, kind: 'good' })}>{pct(d.goodRate)}</a>,
                  pct(d.activeGoodRate),
                  d.finishedMatters > 0 ? (
                    <a href={mattersLink(range, d.id)} title={`${d.ratedMatters} / ${d.finishedMatters} 办件`}>
                      {pct(d.ratingRate)}
                    </a>
                  ) : (
                    pct(d.ratingRate)
                  ),
                  <a href={ratingsLink(range, { departmentId: d.id, kind: 'bad' })}>{pct(d.badRate)}</a>,
                  score(d.score),
                  pct(d.visitRate),
                  pct(d.rectifyRate),
                  pct(d.satisfactionRate),
                  <span title={`按期办结 ${d.closedOnTime} / (办结 ${d.closed} + 逾期未办结 ${d.overdueOpen})`}>{pct(d.onTimeRate)}</span>,
                  ...(anyHeld ? [<HeldCount held={d.held} href={queue ? heldLink({ range, departmentId: d.id }) : undefined} />] : []),
                ]}
              />
            </tr>
          ))}
        </tbody>
      </table>
      <p class="note">
        排名依据好评率的 95% 置信下限（Wilson 方法），相同者依次比较综合评分、评价数；评价数少于 {data.minSample}{' '}
        的部门标注“样本不足”，不参与排名。主动评价好评率不含系统默认评价；评价率 = 区间内办结的办件中群众评价过的占比。
        {anyHeld && '待核查：被防刷规则暂扣、等待督查裁决的评价，不计入本表其他各项。'}
      </p>
    </div>
  );
}
