// 对账: per day, the ratings stored against the records the provincial system acknowledged, and where the
// rest are (GET /api/reports/reconcile; the same table as `npm run report -- --reconcile`).
import { useState } from 'preact/hooks';
import type { ReconcileResponse, ReconcileRow } from '../../../../shared/api/reporting.js';
import { addDays, chinaDay } from '../../../../shared/china-time.js';
import { ColumnHeads, num } from '../../../shared/ColumnHeads.js';
import { ErrorText } from '../ErrorText.js';
import { InputField } from '../Fields.js';
import { int, qs } from '../stats/format.js';
import { useApi } from '../use-api.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The columns after the date, with what each counts (said once under the table). */
const FIGURES: ReadonlyArray<readonly [keyof ReconcileRow, string, string]> = [
  ['stored', '存储评价', '当天（北京时间）保存的全部评价，含暂扣、剔除的'],
  ['reportable', '应上报', '其中未暂扣、未剔除的评价'],
  ['acked', '已确认', '省级系统已确认收到的记录'],
  ['pending', '待推送', '已入队，正在推送或等待重试'],
  ['waiting', '暂缓', '缺少代码或评价待审核，补齐、裁决后自动推送'],
  ['dead', '死信', '持续失败超过死信时限，需在上方「死信」重发'],
  ['notQueued', '未入队', '应上报却不在队列中，如开启上报（配置 REPORT_URL）之前的评价：请按月导出文件上传'],
];

/** Why a day is not balanced, in a few words ("3 条死信"). */
function shortfall(r: ReconcileRow): string {
  const parts: string[] = [];
  if (r.pending) parts.push(`${int(r.pending)} 条待推送`);
  if (r.waiting) parts.push(`${int(r.waiting)} 条暂缓`);
  if (r.dead) parts.push(`${int(r.dead)} 条死信`);
  if (r.notQueued) parts.push(`${int(r.notQueued)} 条未入队`);
  if (r.acked > r.reportable) parts.push(`已确认比应上报多 ${int(r.acked - r.reportable)} 条（上报后被剔除）`);
  return parts.join('，');
}

export function ReconcileView() {
  const today = chinaDay(Date.now());
  const [range, setRange] = useState({ from: addDays(today, -30), to: today });
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const res = useApi<ReconcileResponse>(`/api/reports/reconcile?${qs(range)}`);
  // A refused period (from after to…) shows its reason, not the last period's table under it.
  const data = res.error ? null : res.data;
  const days = data?.days ?? [];
  const unbalanced = days.filter((d) => !d.balanced);
  const apply = (e: Event) => {
    e.preventDefault();
    if (DAY.test(from) && DAY.test(to)) setRange({ from, to });
  };
  return (
    <section class="reconcile" aria-labelledby="reconcile-title">
      <h3 id="reconcile-title">对账</h3>
      <p class="muted">每天存储的评价与省级系统已确认的记录逐日核对：应上报 = 已确认 即为平衡。命令行：npm run report -- --reconcile</p>
      <form class="toolbar" aria-label="对账日期" onSubmit={apply}>
        <InputField label="开始日期" type="date" value={from} onValue={setFrom} />
        <InputField label="结束日期" type="date" value={to} onValue={setTo} />
        <button type="submit">对账</button>
      </form>
      <ErrorText message={res.error} />
      {data && (
        <p data-testid="reconcile-summary" class={unbalanced.length ? 'bad' : undefined}>
          {data.from} 至 {data.to}：
          {days.length === 0
            ? '没有评价。'
            : unbalanced.length === 0
              ? `${days.length} 天全部平衡。`
              : `${days.length} 天中 ${unbalanced.length} 天不平衡（已标出）：${unbalanced
                  .slice(0, 3)
                  .map((d) => `${d.day} ${shortfall(d)}`)
                  .join('；')}${unbalanced.length > 3 ? '……' : ''}。`}
        </p>
      )}
      {days.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex lint/a11y/useSemanticElements: on a phone the table scrolls sideways and holds nothing a keyboard could reach, so its scroll box is a labelled, focusable region (axe: scrollable-region-focusable), as on 好评抽查
        <div class="table-scroll" tabIndex={0} role="region" aria-label="每日对账表">
          <table class={`data reconcile-days${res.loading ? ' loading' : ''}`}>
            <ColumnHeads columns={['日期', ...FIGURES.map(([, label]) => num(label)), '是否平衡']} />
            <tbody>
              {days.map((d) => (
                <tr key={d.day} class={d.balanced ? undefined : 'unbalanced'} data-testid="reconcile-day">
                  <th scope="row" class="when">
                    {d.day}
                  </th>
                  {FIGURES.map(([key]) => (
                    <td key={key} class="num">
                      {int(d[key] as number)}
                    </td>
                  ))}
                  <td>
                    {d.balanced ? (
                      <span class="badge ok">平衡</span>
                    ) : (
                      <>
                        <span class="badge bad">不平衡</span> <span class="why">{shortfall(d)}</span>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <dl class="legend">
        {FIGURES.map(([key, label, help]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd>{help}</dd>
          </div>
        ))}
        <div>
          <dt>是否平衡</dt>
          <dd>应上报的评价全部已确认；今天的记录通常还在推送中</dd>
        </div>
      </dl>
    </section>
  );
}
