import { SCORE_LABELS, SCORES } from '../../../../shared/domain.js';
import { type Column, ColumnHeads, num } from '../../../shared/ColumnHeads.js';
import { int, pct, type Range, ratingsLink } from './format.js';
import type { RatingIndicators } from './types.js';

/** The column of the bars: a picture of the shares, hidden from screen readers. */
const BARS: Column = { label: '', hidden: true };

/** Count and share of each of the five levels, each linking to its ratings. */
export function ScoreLevels({ data, range, departmentId }: { data: RatingIndicators; range: Range; departmentId?: number }) {
  return (
    <table class="data levels">
      <caption>各等级评价</caption>
      <ColumnHeads columns={['等级', num('评价数'), num('占比'), BARS]} />
      <tbody>
        {SCORES.map((s) => {
          const k = String(s) as keyof RatingIndicators['byScore'];
          const share = data.shares[k];
          return (
            <tr key={s} data-testid={`level-${s}`}>
              <th scope="row">{SCORE_LABELS[s]}</th>
              <td class="num">
                <a href={ratingsLink(range, { departmentId, score: s })}>{int(data.byScore[k])}</a>
              </td>
              <td class="num">{pct(share)}</td>
              <td class="bar-cell" aria-hidden="true">
                <span class={s <= 2 ? 'bar bad' : 'bar'} style={{ width: `${Math.round((share ?? 0) * 100)}%` }} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
