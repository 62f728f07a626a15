import { useState } from 'preact/hooks';
import { api } from '../../shared/api.js';
import { ColumnHeads, num } from '../../shared/ColumnHeads.js';
import { ErrorText } from '../components/ErrorText.js';
import { InputField } from '../components/Fields.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import type { PageProps } from '../routes.js';

interface Settings {
  tags: { good: string[]; bad: string[] };
  limits: Record<string, number>;
  deadlines: { contactWorkingDays: number; caseWorkingDays: number };
  spotCheck: { share: number; minPerDepartment: number };
  ranking: { minSample: number };
  privacy: { phoneRetentionDays: number };
}
interface HolidayTable {
  year: number;
  holidays: string[];
  workdays: string[];
  source?: string;
  loadedAt?: number;
}

const LIMIT_LABELS: Record<string, string> = {
  perCodeMinutes: '同一设备对同一评议码的最短间隔（分钟）',
  perDevicePerDay: '同一设备每日最多评价次数',
  networkPerMinute: '同一网络每分钟最多提交（超出拒绝）',
  burstWindowMinutes: '突发检测窗口（分钟）',
  burstPerNetwork: '窗口内同一网络超过此数即标记待核查',
  burstPerDevice: '窗口内同一设备超过此数即标记待核查',
};

/** Turns a pasted list (one date per line, or separated by commas/spaces) into dates. */
function parseDates(text: string): string[] {
  return text
    .split(/[\s,，、]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function HolidayTables({ canEdit }: { canEdit: boolean }) {
  const { data, reload } = useApi<{ tables: HolidayTable[]; warnings: string[] }>('/api/settings/holidays');
  const [year, setYear] = useState(String(new Date().getFullYear() + 1));
  const [holidays, setHolidays] = useState('');
  const [workdays, setWorkdays] = useState('');
  const [source, setSource] = useState('国务院办公厅关于部分节假日安排的通知');
  const loading = useAction('载入失败');

  const load = loading.onSubmit(async () => {
    await api('/api/settings/holidays', {
      method: 'PUT',
      body: { year: Number(year), holidays: parseDates(holidays), workdays: parseDates(workdays), source },
    });
    reload();
    return `已载入 ${year} 年节假日安排`;
  });

  return (
    <section class="card" aria-labelledby="hol-title">
      <h2 id="hol-title">节假日安排（工作日计算）</h2>
      {data?.warnings.map((w) => (
        <p key={w} role="alert" class="badge warn">
          {w}
        </p>
      ))}
      <table class="data">
        <caption>已载入的官方节假日表（优先于内置日历）</caption>
        <ColumnHeads columns={['年份', num('放假日'), num('调休上班日'), '来源']} />
        <tbody>
          {data?.tables.map((t) => (
            <tr key={t.year}>
              <td>{t.year}</td>
              <td class="num">{t.holidays.length}</td>
              <td class="num">{t.workdays.length}</td>
              <td>{t.source ?? ''}</td>
            </tr>
          ))}
          {data && data.tables.length === 0 && (
            <tr>
              <td colSpan={4}>尚未载入；2004–2026 年使用内置的官方日历数据。</td>
            </tr>
          )}
        </tbody>
      </table>
      {canEdit && (
        <form class="inline-form" onSubmit={load}>
          <InputField label="年份" type="number" min={2000} max={2100} value={year} onValue={setYear} />
          <label>
            放假日期（每行一个 YYYY-MM-DD）
            <textarea rows={6} value={holidays} onInput={(e) => setHolidays((e.target as HTMLTextAreaElement).value)} />
          </label>
          <label>
            调休上班日期（周末上班）
            <textarea rows={6} value={workdays} onInput={(e) => setWorkdays((e.target as HTMLTextAreaElement).value)} />
          </label>
          <InputField label="来源" value={source} maxLength={200} onValue={setSource} />
          <button type="submit">载入</button>
          {loading.outcome && <span role="status">{loading.outcome}</span>}
        </form>
      )}
    </section>
  );
}

export function SettingsPage({ user }: PageProps) {
  const { data, error, reload } = useApi<Settings>('/api/settings');
  const [draft, setDraft] = useState<Settings | null>(null);
  const saving = useAction('保存失败');
  const s = draft ?? data;
  const canEdit = user.role === 'admin';

  function setNum(section: 'limits' | 'deadlines' | 'spotCheck' | 'ranking' | 'privacy', key: string, value: string) {
    if (!s) return;
    const next = structuredClone(s) as unknown as Record<string, Record<string, number>>;
    next[section]![key] = Number(value);
    setDraft(next as unknown as Settings);
  }

  function save(e: Event) {
    e.preventDefault();
    if (!draft) return;
    void saving.run(async () => {
      await api('/api/settings', { method: 'PATCH', body: draft });
      setDraft(null);
      reload();
      return '设置已保存';
    });
  }

  const num = (section: 'limits' | 'deadlines' | 'spotCheck' | 'ranking' | 'privacy', key: string, label: string, step = 1) => (
    <InputField
      key={`${section}.${key}`}
      label={label}
      type="number"
      step={step}
      disabled={!canEdit}
      value={String((s as unknown as Record<string, Record<string, number>>)[section]![key])}
      onValue={(value) => setNum(section, key, value)}
    />
  );

  return (
    <section>
      <h1>设置</h1>
      <ErrorText message={error} />
      <HolidayTables canEdit={canEdit} />
      {s && (
        <form class="card" onSubmit={save}>
          <h2>规则</h2>
          <div class="grid">
            {num('deadlines', 'contactWorkingDays', '差评回访时限（工作日）')}
            {num('deadlines', 'caseWorkingDays', '差评办结时限（工作日）')}
            {num('spotCheck', 'share', '好评抽查比例（0–1）', 0.01)}
            {num('spotCheck', 'minPerDepartment', '每部门至少抽查')}
            {num('ranking', 'minSample', '参与排名的最少评价数')}
            {num('privacy', 'phoneRetentionDays', '办结后手机号保留天数')}
            {Object.keys(LIMIT_LABELS).map((k) => num('limits', k, LIMIT_LABELS[k]!))}
          </div>
          <h2>评价理由</h2>
          <p>好评：{s.tags.good.join(' · ')}</p>
          <p>差评：{s.tags.bad.join(' · ')}</p>
          {canEdit && (
            <p>
              <button type="submit" disabled={!draft}>
                保存设置
              </button>{' '}
              {saving.outcome && <span role="status">{saving.outcome}</span>}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
