import { useState } from 'preact/hooks';
import type { OrgUnitView as OrgUnit } from '../../../shared/api/org.js';
import type { Settings, SettingsSources } from '../../../shared/api/settings.js';
import { SCORE_LABELS, SCORES } from '../../../shared/domain.js';
import { api } from '../../shared/api.js';
import { ColumnHeads, num } from '../../shared/ColumnHeads.js';
import { ErrorText } from '../components/ErrorText.js';
import { CheckField, InputField, SelectField } from '../components/Fields.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import type { PageProps } from '../routes.js';

type Section = keyof Settings;
type Source = SettingsSources['keys'][number];
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
  networkPerMinute: '同一网络每分钟最多提交（超出拒绝；全平台）',
  burstWindowMinutes: '突发检测窗口（分钟）',
  burstPerNetwork: '窗口内同一网络超过此数即标记待核查',
  burstPerDevice: '窗口内同一设备超过此数即标记待核查',
  burstBadPerNetwork: '窗口内同一网络超过此数的差评：暂扣并归入同一件工单',
  networkDayMin: '同一网络当日评价同一部门的暂扣下限（条）',
  networkDayFactor: '……且超过部门近 28 日日均的倍数',
  deviceDepartmentPerDay: '同一设备当日评价同一部门超过此数即暂扣',
  deviceCodesPerDay: '同一设备当日评价窗口数超过此数即暂扣',
  deviceDepartmentsPerDay: '同一设备当日评价部门数超过此数即暂扣',
  bareDevicesMin: '同一网络当日只给五星且无理由的设备数下限',
  bareDevicesFactor: '……且超过部门近 28 日日均的倍数',
  bareDevicesPercent: '……且占该网络设备的百分比不低于',
};

/** The 评价可信度 thresholds (docs/domain.md): label and input step of each. */
const CREDIBILITY_FIELDS: Array<[key: keyof Settings['credibility'], label: string, step?: number]> = [
  ['bareFiveMinRatings', '无理由五星：窗口至少有多少条群众评价才判断'],
  ['bareFivePointsAbove', '无理由五星占比至少高出本部门多少个百分点'],
  ['bareFiveTimesBaseline', '且至少是本部门的多少倍', 0.1],
  ['quickSeconds', '办结即评：办结后多少秒内'],
  ['quickMinMatters', '同一设备办结即评本窗口的办件数达到'],
  ['vanishRecentDays', '差评骤失：看区间最后多少天'],
  ['vanishMinRecent', '这几天至少多少条群众评价'],
  ['vanishPriorDays', '与此前多少天比较'],
  ['vanishMinPriorBad', '此前至少多少条差评'],
];

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
      {!canEdit && <p>节假日表为全平台设置，由最高级管理员载入；此处只读。</p>}
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

/** Where a section's values come from: set for this unit, inherited from a unit above, or the platform's. */
function SourceNote({ source, onClear }: { source: Source | undefined; onClear?: () => void }) {
  if (!source) return null;
  const text = source.setHere
    ? source.scope === 'platform'
      ? '全平台设置（已设置）'
      : '本单位设置'
    : source.inheritedFrom
      ? `继承自 ${source.inheritedFrom.name}`
      : source.scope === 'platform'
        ? '全平台设置（默认值）'
        : '继承自 平台默认值';
  return (
    <p class="source-note">
      <span class={source.setHere ? 'badge ok' : 'badge muted'}>{text}</span>
      {source.scope === 'platform' && !source.setHere && source.inheritedFrom && '（全平台设置）'}
      {onClear && source.setHere && (
        <>
          {' '}
          <button type="button" onClick={onClear}>
            {source.scope === 'platform' ? '恢复默认值' : '恢复继承'}
          </button>
        </>
      )}
    </p>
  );
}

const SECTION_TITLES: Record<Section, string> = {
  deadlines: '处理时限',
  spotCheck: '好评抽查',
  ranking: '排名',
  privacy: '隐私（全平台）',
  matters: '办件评价',
  limits: '防刷评限制',
  credibility: '评价可信度线索',
  tags: '评价理由',
  citizen: '群众评价页',
};

export function SettingsPage({ user }: PageProps) {
  const isAdmin = user.role === 'admin';
  const units = useApi<{ orgUnits: OrgUnit[] }>(isAdmin ? '/api/org-units' : null);
  const [unitId, setUnitId] = useState('');
  const { data, error, reload } = useApi<SettingsSources>(`/api/settings/sources${unitId ? `?orgUnitId=${unitId}` : ''}`);
  const [draft, setDraft] = useState<Settings | null>(null);
  const saving = useAction('保存失败');
  const s = draft ?? data?.settings ?? null;
  const canEdit = data?.canChange ?? false;
  const canPlatform = data?.canChangePlatform ?? false;
  const sourceOf = (key: Section) => data?.keys.find((k) => k.key === key);
  const query = data ? `?orgUnitId=${data.orgUnit.id}` : '';
  // Platform keys only for the top-level administrator; the per-network limit is one of them.
  const editable = (section: Section, key?: string) =>
    canEdit && (sourceOf(section)?.scope !== 'platform' || canPlatform) && (key !== 'networkPerMinute' || canPlatform);

  function setNum(section: Exclude<Section, 'tags'>, key: string, value: string) {
    if (!s) return;
    const next = structuredClone(s) as unknown as Record<string, Record<string, number>>;
    next[section]![key] = Number(value);
    setDraft(next as unknown as Settings);
  }

  /** A change to the 办件评价 group (nested and text values, unlike the number fields). */
  function setMatters(change: (m: Settings['matters']) => Settings['matters']) {
    if (s) setDraft({ ...s, matters: change(s.matters) });
  }

  function pickUnit(value: string) {
    setDraft(null);
    setUnitId(value);
  }

  function save(e: Event) {
    e.preventDefault();
    if (!draft || !data) return;
    // Only what changed: an untouched section stays inherited.
    const changed = Object.fromEntries(
      (Object.keys(draft) as Section[])
        .filter((k) => JSON.stringify(draft[k]) !== JSON.stringify(data.settings[k]))
        .map((k) => [k, draft[k]]),
    );
    void saving.run(async () => {
      await api(`/api/settings${query}`, { method: 'PATCH', body: changed });
      setDraft(null);
      reload();
      return '设置已保存';
    });
  }

  function clear(section: Section) {
    void saving.run(async () => {
      await api(`/api/settings${query}`, { method: 'PATCH', body: { [section]: null } });
      setDraft(null);
      reload();
      return `已清除「${SECTION_TITLES[section]}」的本单位设置`;
    });
  }

  const field = (section: Exclude<Section, 'tags'>, key: string, label: string, step = 1) => (
    <InputField
      key={`${section}.${key}`}
      label={label}
      type="number"
      step={step}
      disabled={!editable(section, key)}
      value={String((s as unknown as Record<string, Record<string, number>>)[section]![key])}
      onValue={(value) => setNum(section, key, value)}
    />
  );
  const note = (section: Section) => (
    <SourceNote source={sourceOf(section)} onClear={editable(section) ? () => clear(section) : undefined} />
  );

  return (
    <section>
      <h1>设置</h1>
      <ErrorText message={error} />
      {data && (
        <div class="card">
          <p>
            正在{canEdit ? '编辑' : '查看'}：<strong>{data.orgUnit.name}</strong>
            {data.orgUnit.parentId === null && '（组织树根：其值即平台默认值）'}
          </p>
          {units.data && units.data.orgUnits.length > 1 && (
            <SelectField label="组织单位" value={unitId || String(data.orgUnit.id)} onChange={pickUnit}>
              {units.data.orgUnits.map((u) => (
                <option key={u.id} value={String(u.id)}>
                  {u.name}
                </option>
              ))}
            </SelectField>
          )}
          <p>
            未单独设置的项继承上级单位的值；处理时限、抽查、排名、办件评价、防刷评限制、评价可信度线索和评价理由按单位设置，手机号保留期限、同一网络每分钟上限和节假日表为全平台设置。
          </p>
        </div>
      )}
      <HolidayTables canEdit={canPlatform} />
      {s && (
        <form class="card" onSubmit={save}>
          <h2>规则</h2>
          <h3>{SECTION_TITLES.deadlines}</h3>
          {note('deadlines')}
          <div class="grid">
            {field('deadlines', 'contactWorkingDays', '差评回访时限（工作日）')}
            {field('deadlines', 'caseWorkingDays', '差评办结时限（工作日）')}
          </div>
          <h3>{SECTION_TITLES.spotCheck}</h3>
          {note('spotCheck')}
          <div class="grid">
            {field('spotCheck', 'share', '好评抽查比例（0–1）', 0.01)}
            {field('spotCheck', 'minPerDepartment', '每部门至少抽查')}
          </div>
          <h3>{SECTION_TITLES.ranking}</h3>
          {note('ranking')}
          <div class="grid">{field('ranking', 'minSample', '参与排名的最少评价数')}</div>
          <h3>{SECTION_TITLES.privacy}</h3>
          {note('privacy')}
          <div class="grid">{field('privacy', 'phoneRetentionDays', '办结后手机号保留天数')}</div>
          <h3>{SECTION_TITLES.matters}</h3>
          {note('matters')}
          <div class="grid">
            {field('matters', 'linkValidDays', '评价链接有效期（办结后自然日，1–30）')}
            <InputField
              label="评价短信签名（不含【】；空则用“县区名称+政务服务”）"
              maxLength={20}
              disabled={!editable('matters')}
              value={s.matters.smsSign}
              onValue={(smsSign) => setMatters((m) => ({ ...m, smsSign }))}
            />
            <CheckField
              label="有效期内未评价的办件给系统默认评价"
              checked={s.matters.defaultRating.enabled}
              onChange={(enabled) => editable('matters') && setMatters((m) => ({ ...m, defaultRating: { ...m.defaultRating, enabled } }))}
            />
            <SelectField
              label="默认评价等级"
              value={String(s.matters.defaultRating.score)}
              onChange={(v) =>
                editable('matters') && setMatters((m) => ({ ...m, defaultRating: { ...m.defaultRating, score: Number(v) } }))
              }
            >
              {SCORES.map((score) => (
                <option key={score} value={String(score)}>
                  {SCORE_LABELS[score]}
                </option>
              ))}
            </SelectField>
          </div>
          <h3>{SECTION_TITLES.citizen}</h3>
          {note('citizen')}
          <div class="grid">
            <InputField
              label="发布机关（页顶写明，如“示例县政务服务和大数据管理局”）"
              maxLength={40}
              disabled={!editable('citizen')}
              value={s.citizen.authority}
              onValue={(authority) => setDraft({ ...s, citizen: { ...s.citizen, authority } })}
            />
            <InputField
              label="其他反映渠道（码失效、链接过期时告诉群众，如“12345 政务服务便民热线”）"
              maxLength={40}
              disabled={!editable('citizen')}
              value={s.citizen.hotline}
              onValue={(hotline) => setDraft({ ...s, citizen: { ...s.citizen, hotline } })}
            />
          </div>
          <h3>{SECTION_TITLES.limits}</h3>
          {note('limits')}
          <div class="grid">
            {Object.keys(LIMIT_LABELS).map((k) => field('limits', k, LIMIT_LABELS[k]!, k.endsWith('Factor') ? 0.1 : 1))}
          </div>
          <h3>{SECTION_TITLES.credibility}</h3>
          {note('credibility')}
          <p class="muted">「评价可信度」页的三个信号：只提示督查抽查、走访，不暂扣评价。</p>
          <div class="grid">{CREDIBILITY_FIELDS.map(([k, label, step]) => field('credibility', k, label, step))}</div>
          <h2>{SECTION_TITLES.tags}</h2>
          {note('tags')}
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
