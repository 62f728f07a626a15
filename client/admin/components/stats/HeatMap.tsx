import { ColumnHeads } from '../../../shared/ColumnHeads.js';

const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** Weekday × hour of day (China time) as a plain table; shading by count, 差评 noted in each cell. */
export function HeatMap({ total, bad }: { total: number[][]; bad: number[][] }) {
  const max = Math.max(1, ...total.flat());
  // Hours nobody rated in are dropped at both ends so the table fits the service hall's opening hours.
  const used = Array.from({ length: 24 }, (_, h) => total.some((row) => (row[h] ?? 0) > 0));
  let first = used.indexOf(true);
  let last = used.lastIndexOf(true);
  if (first < 0) {
    first = 8;
    last = 18;
  }
  const hours = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  return (
    <div class="heatmap-wrap">
      <table class="heatmap">
        <caption>评价时段分布（星期 × 时段，北京时间）</caption>
        <ColumnHeads columns={['星期', ...hours.map((h) => `${h}时`)]} />
        <tbody>
          {WEEKDAYS.map((w, d) => (
            <tr key={w}>
              <th scope="row">{w}</th>
              {hours.map((h) => {
                const n = total[d]?.[h] ?? 0;
                const b = bad[d]?.[h] ?? 0;
                // Capped so the dark cell text keeps a 4.5:1 contrast on the darkest shade (WCAG AA).
                const alpha = n === 0 ? 0 : 0.08 + 0.47 * (n / max);
                return (
                  <td
                    key={h}
                    class={b > 0 ? 'has-bad' : undefined}
                    style={{ backgroundColor: `rgba(11, 87, 208, ${alpha.toFixed(2)})` }}
                    title={`${w} ${h}时：${n} 条评价${b ? `，其中差评 ${b}` : ''}`}
                  >
                    {n > 0 ? n : ''}
                    {b > 0 && <span class="sr-only">（差评 {b}）</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="note">颜色越深评价越多；单元格底部红线表示该时段有差评（悬停可看条数）。</p>
    </div>
  );
}
