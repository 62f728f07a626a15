import { useState } from 'preact/hooks';
import type { HeldRecordsResponse } from '../../../shared/api/reporting.js';
import { addMonths, chinaMonth } from '../../../shared/china-time.js';
import { openAuthed } from '../../shared/api.js';
import { ErrorText } from '../components/ErrorText.js';
import { NamedOptions, SelectField } from '../components/Fields.js';
import { OutboxView } from '../components/reporting/OutboxView.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import type { PageProps } from '../routes.js';

/**
 * 数据上报: the month's records in the provincial record model, as files for a county that uploads by
 * file, and the records held for a missing code, with why (docs/domain.md 10). An administrator sees
 * first how the delivery to REPORT_URL runs, and the daily reconciliation (supervisors: the routes answer 403).
 */
export function ReportsPage({ user }: PageProps) {
  const units = useApi<{ orgUnits: { id: number; name: string }[] }>('/api/org-units');
  const [month, setMonth] = useState(() => addMonths(chinaMonth(Date.now()), -1));
  const [picked, setPicked] = useState('');
  const orgUnitId = picked || String(units.data?.orgUnits[0]?.id ?? '');
  const q = orgUnitId && /^\d{4}-\d{2}$/.test(month) ? `month=${month}&orgUnitId=${orgUnitId}` : null;
  const held = useApi<HeldRecordsResponse>(q && `/api/reports/held?${q}`);
  const exporting = useAction('下载失败');
  const download = (ext: string) => exporting.run(() => openAuthed(`/api/reports/records.${ext}?${q}`, `数据上报_${month}.${ext}`));

  return (
    <section>
      <h1>数据上报</h1>
      {user.role === 'admin' && <OutboxView />}
      <h2>按月导出</h2>
      <p>当月的评价记录和办结差评的整改结果，按省级好差评系统的字段导出，供按文件上报；缺少代码的记录暂缓上报。</p>
      <p class="exports">
        <label>
          月份 <input type="month" value={month} onInput={(e) => setMonth(e.currentTarget.value)} />
        </label>
        <SelectField label="组织单位" value={orgUnitId} onChange={setPicked}>
          <NamedOptions units={units.data?.orgUnits} />
        </SelectField>
      </p>
      <p class="exports">
        <button type="button" disabled={!q} onClick={() => download('jsonl')}>
          下载 JSON Lines
        </button>
        <button type="button" disabled={!q} onClick={() => download('xlsx')}>
          下载 Excel
        </button>
        <ErrorText message={exporting.error ?? units.error} inline />
      </p>
      <h3>暂缓上报</h3>
      <ErrorText message={held.error} />
      {held.data &&
        (held.data.total === 0 ? (
          <p>没有暂缓上报的记录。</p>
        ) : (
          <>
            <p>
              共 <strong>{held.data.total}</strong> 条记录暂缓上报，补齐代码后即可上报：
            </p>
            <ul>
              {held.data.reasons.map((r) => (
                <li key={r.reason}>
                  {r.reason}：{r.count} 条
                </li>
              ))}
            </ul>
            <p>前 {held.data.records.length} 条：</p>
            <ul>
              {held.data.records.map((r) => (
                <li key={r.recordId}>
                  {r.recordId}（评价 {r.ratingId}）：{r.reasons.join('；')}
                </li>
              ))}
            </ul>
          </>
        ))}
    </section>
  );
}
