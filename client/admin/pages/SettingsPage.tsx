import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { OrgUnitView as OrgUnit } from '../../../shared/api/org.js';
import type { HolidaysResponse, Settings, SettingsSources } from '../../../shared/api/settings.js';
import { DETAIL_CODE_PATTERN, isBadScore, SCORE_LABELS, SCORES, TAG_LIMITS } from '../../../shared/domain.js';
import { api } from '../../shared/api.js';
import { ColumnHeads, num } from '../../shared/ColumnHeads.js';
import { ErrorText } from '../components/ErrorText.js';
import { CheckField, InputField, SelectField } from '../components/Fields.js';
import { fromPercent, NumberField, type NumberRange, numberProblem, toPercent } from '../components/settings/NumberField.js';
import { TagEditor, tagProblems } from '../components/settings/TagEditor.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import type { PageProps } from '../routes.js';

type Section = keyof Settings;
type Source = SettingsSources['keys'][number];

/** The anchor of the holiday tables (the warnings here and on the home page link to it). */
const HOLIDAYS_ID = 'holidays';

/** Focuses the holiday tables' heading (which scrolls it into view), and puts its anchor in the address. */
function goToHolidays(e?: Event) {
  e?.preventDefault();
  const heading = document.getElementById(`${HOLIDAYS_ID}-title`);
  if (!heading) return;
  if (location.hash !== `#${HOLIDAYS_ID}`) history.replaceState(history.state, '', `#${HOLIDAYS_ID}`);
  heading.focus();
}

/** A number setting: its path (group.key), label, plain-Chinese explanation, and whether it is typed as a percent. */
type NumberSpec = [key: string, label: string, help: ComponentChildren, percent?: true];

const DEADLINE_FIELDS: NumberSpec[] = [
  [
    'deadlines.contactWorkingDays',
    '差评回访时限（工作日）',
    '收到差评后，部门须在这么多个工作日内联系群众、核实情况（0 = 当天）。从评价当天算起，周末和法定节假日不算。',
  ],
  [
    'deadlines.caseWorkingDays',
    '差评办结时限（工作日）',
    '收到差评后，须在这么多个工作日内整改办结。两个时限都在立案时算定：改了只影响今后的差评，不改已有案件。',
  ],
];

const CANNOT_HANDLE_FIELDS: NumberSpec[] = [
  [
    'cannotHandle.answerWorkingDays',
    '办不成事分类答复时限（工作日）',
    '群众反映“办不成事”后，部门须在这么多个工作日内分类（不能办 / 不好办 / 不给办）并开始处理。从反映当天算起。',
  ],
  [
    'cannotHandle.caseWorkingDays',
    '办不成事办结时限（工作日）',
    '反映后须在这么多个工作日内办结（解决或解释清楚并记录群众的评价）。改了只影响今后的反映。',
  ],
];

const COMPLAINT_FIELDS: NumberSpec[] = [
  [
    'complaints.verifyWorkingDays',
    '投诉核实时限（工作日）',
    '录入投诉（投诉电话、12345工单、信箱、来信来访）后，须在这么多个工作日内核实。从收到当天算起。',
  ],
  [
    'complaints.caseWorkingDays',
    '投诉办结时限（工作日）',
    '收到投诉后须在这么多个工作日内办结（整改或说明、回访并记录群众满意度）。改了只影响今后的投诉。',
  ],
];

const OBSERVATION_FIELDS: NumberSpec[] = [
  [
    'observation.answerWorkingDays',
    '监督报告答复时限（工作日）',
    '特邀监督员或一把手走流程提交监督报告后，部门须在这么多个工作日内答复（说明或整改）。从提交当天算起。',
  ],
  ['observation.caseWorkingDays', '监督报告办结时限（工作日）', '提交后须在这么多个工作日内由督查办结。改了只影响今后的报告。'],
];

const SPOT_CHECK_FIELDS: NumberSpec[] = [
  [
    'spotCheck.share',
    '好评抽查比例',
    '督查每月从每个部门的实名好评中随机抽出这个比例回访，核实评价是否出于本人意愿。如 5 % 即每 100 条抽 5 条，算出来不是整数时向上取整。',
    true,
  ],
  ['spotCheck.minPerDepartment', '每部门至少抽查（条）', '部门当月有实名好评时，按比例算出的条数少于此数，就抽这么多条（0 = 不设下限）。'],
];

const LIMIT_FIELDS: NumberSpec[] = [
  [
    'limits.perCodeMinutes',
    '同一设备对同一评议码的最短间隔（分钟）',
    '同一部手机评过一个窗口后，要隔这么久才能再评这个窗口（0 = 不限）。不到时间的提交被拒绝，群众会看到提示。',
  ],
  ['limits.perDevicePerDay', '同一设备每日最多评价次数', '一部手机一天（北京时间）最多提交这么多条评价，再多的被拒绝。'],
  [
    'limits.networkPerMinute',
    '同一网络每分钟最多提交（全平台）',
    '同一网络地址每分钟最多受理这么多次提交，再多的被拒绝。整个大厅可能共用一个 Wi-Fi，所以定得很宽松。全平台一个值，只有最高级管理员能改。',
  ],
  ['limits.burstWindowMinutes', '突发检测窗口（分钟）', '下面三条“窗口内”规则所看的时间段长度。'],
  ['limits.burstPerNetwork', '窗口内同一网络超过此数即暂扣', '同一网络在窗口内的评价超过这个数，这些评价暂扣待核查。'],
  ['limits.burstPerDevice', '窗口内同一设备超过此数即暂扣', '同一部手机在窗口内的评价超过这个数，这些评价暂扣待核查。'],
  [
    'limits.burstBadPerNetwork',
    '窗口内同一网络超过此数的差评：暂扣并归入同一件工单',
    '同一网络在窗口内的差评超过这个数，视为集中差评：暂扣，并合并为一件差评工单，不再各自立案。',
  ],
  [
    'limits.networkDayMin',
    '同一网络当日评价同一部门的暂扣下限（条）',
    '同一网络当天评价同一部门的条数，既超过这个下限、又超过下一项的倍数时，当天这些评价暂扣。',
  ],
  ['limits.networkDayFactor', '……且超过部门近 28 日日均的倍数', '与该部门近 28 天平均每天的评价数相比的倍数。'],
  ['limits.deviceDepartmentPerDay', '同一设备当日评价同一部门超过此数即暂扣', '一部手机当天评价同一部门超过这个数，这些评价暂扣。'],
  ['limits.deviceCodesPerDay', '同一设备当日评价窗口数超过此数即暂扣', '一部手机当天评价的窗口超过这个数，它当天的评价暂扣。'],
  ['limits.deviceDepartmentsPerDay', '同一设备当日评价部门数超过此数即暂扣', '一部手机当天评价的部门超过这个数，它当天的评价暂扣。'],
  [
    'limits.bareDevicesMin',
    '同一网络当日只给五星且无理由的设备数下限',
    '“光五星”指只给“非常满意”、不选理由也不留言。同一网络当天这样的手机数超过这个下限、下一项的倍数和再下一项的占比时，暂扣它们的这些评价。',
  ],
  ['limits.bareDevicesFactor', '……且超过部门近 28 日日均的倍数', '与该部门近 28 天平均每天的评价数相比的倍数。'],
  ['limits.bareDevicesPercent', '……且占该网络设备的百分比不低于', '这类手机占该网络当天评价该部门的手机的百分比。'],
  [
    'limits.paperMaxAgeDays',
    '录入纸质问卷、12345 回访：最早可录入多少天前的',
    '工作人员在「录入问卷」中补录的评价，问卷日期最早可在今天之前这么多天；更早的不再录入（统计早已报出）。',
  ],
];

const CREDIBILITY_FIELDS: NumberSpec[] = [
  ['credibility.bareFiveMinRatings', '无理由五星：窗口至少有多少条群众评价才判断', '评价太少的窗口不判断，样本小说明不了什么。'],
  ['credibility.bareFivePointsAbove', '无理由五星占比至少高出本部门多少个百分点', '窗口里“光五星”的占比比本部门高出这么多个百分点……'],
  ['credibility.bareFiveTimesBaseline', '且至少是本部门的多少倍', '……而且至少是本部门占比的这么多倍，才提示。'],
  ['credibility.quickSeconds', '办结即评：办结后多少秒内', '办件办结后这么多秒内就来的评价，算“办结即评”（可能是工作人员替群众评）。'],
  ['credibility.quickMinMatters', '同一设备办结即评本窗口的办件数达到', '同一部手机对本窗口这么多件办件都“办结即评”，才提示。'],
  ['credibility.vanishRecentDays', '差评骤失：看区间最后多少天', '差评突然消失（可能是群众被劝说撤评或改评）：看最近这么多天……'],
  ['credibility.vanishMinRecent', '这几天至少多少条群众评价', '……这几天至少有这么多条群众评价，而没有一条差评……'],
  ['credibility.vanishPriorDays', '与此前多少天比较', '……与此前这么多天相比……'],
  ['credibility.vanishMinPriorBad', '此前至少多少条差评', '……此前至少有这么多条差评，才提示。'],
];

const RANKING_FIELD: NumberSpec = [
  'ranking.minSample',
  '参与排名的最少评价数',
  '评价太少时好评率不稳定：少于这个数的部门显示“样本不足”，不参与排名（统计页和公开排名都是）。',
];
const PRIVACY_FIELD: NumberSpec = [
  'privacy.phoneRetentionDays',
  '办结后手机号保留天数',
  '群众留下的手机号只为回访用：案件办结这么多天后自动删除。全平台一个值，只有最高级管理员能改。',
];
const LINK_FIELD: NumberSpec = [
  'matters.linkValidDays',
  '评价链接有效期（办结后自然日）',
  '业务系统发给办事群众的一次性评价链接，办结后这么多天内可以评价；首次生成链接时算定，改了不影响已发出的链接。',
];

const NUMBER_SPECS = [
  ...DEADLINE_FIELDS,
  ...SPOT_CHECK_FIELDS,
  RANKING_FIELD,
  LINK_FIELD,
  PRIVACY_FIELD,
  ...LIMIT_FIELDS,
  ...CREDIBILITY_FIELDS,
];
const ABUSE_KEYS = new Set([...LIMIT_FIELDS, ...CREDIBILITY_FIELDS].map(([k]) => k));

/** A value of the settings by its path (deadlines.caseWorkingDays). */
function read(s: Settings, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], s);
}

/** The settings with one value changed, by its path. */
function written(s: Settings, path: string, value: unknown): Settings {
  const next = structuredClone(s) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  const last = keys.pop()!;
  (keys.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], next) as Record<string, unknown>)[last] = value;
  return next as unknown as Settings;
}

const BAD_LEVELS = SCORES.filter((s) => isBadScore(s));
const GOOD_LEVELS = SCORES.filter((s) => !isBadScore(s));
const levels = (scores: readonly (keyof typeof SCORE_LABELS)[]) => scores.map((s) => `“${SCORE_LABELS[s]}”`).join('');

/** Turns a pasted list (one date per line, or separated by commas/spaces) into dates. */
function parseDates(text: string): string[] {
  return text
    .split(/[\s,，、]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function HolidayTables({ data, reload, canEdit }: { data: HolidaysResponse | null; reload: () => void; canEdit: boolean }) {
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
    <section class="card" id={HOLIDAYS_ID} aria-labelledby={`${HOLIDAYS_ID}-title`}>
      <h2 id={`${HOLIDAYS_ID}-title`} tabIndex={-1}>
        节假日安排（工作日计算）
      </h2>
      <p class="muted">
        差评的回访、办结时限按工作日算：周末和法定节假日不算，调休上班的周末算。国务院办公厅每年年底公布次年安排，载入后立即用于新立的案件。
      </p>
      {data?.warnings.map((w) => (
        <p key={w} class="warn-note">
          ⚠ {w}
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

const DETAIL_CODE = new RegExp(DETAIL_CODE_PATTERN);
/** report.detailCodes with one reason's code set, or removed when left empty. */
function withDetailCode(codes: Record<string, string>, tag: string, code: string): Record<string, string> {
  const { [tag]: _old, ...rest } = codes;
  return code ? { ...rest, [tag]: code } : rest;
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
  report: '数据上报代码',
  cannotHandle: '办不成事处理时限',
  complaints: '投诉处理时限',
  observation: '监督报告处理时限',
};

export function SettingsPage({ user }: PageProps) {
  const isAdmin = user.role === 'admin';
  const units = useApi<{ orgUnits: OrgUnit[] }>(isAdmin ? '/api/org-units' : null);
  const [unitId, setUnitId] = useState('');
  const { data, error, reload } = useApi<SettingsSources>(`/api/settings/sources${unitId ? `?orgUnitId=${unitId}` : ''}`);
  const holidays = useApi<HolidaysResponse>('/api/settings/holidays');
  const [draft, setDraft] = useState<Settings | null>(null);
  // What was typed into the number fields (path → text), kept as typed while it is no valid value.
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [abuseOpen, setAbuseOpen] = useState(false);
  const saving = useAction('保存失败');
  const s = draft ?? data?.settings ?? null;
  const canEdit = data?.canChange ?? false;
  const canPlatform = data?.canChangePlatform ?? false;
  const sourceOf = (key: Section) => data?.keys.find((k) => k.key === key);
  const query = data ? `?orgUnitId=${data.orgUnit.id}` : '';
  const ranges = new Map<string, NumberRange>(data?.numberRanges.map((r) => [r.key, r]) ?? []);
  // Platform keys only for the top-level administrator; the per-network limit is one of them.
  const editable = (section: Section, key?: string) =>
    canEdit && (sourceOf(section)?.scope !== 'platform' || canPlatform) && (key !== 'networkPerMinute' || canPlatform);
  const editablePath = (path: string) => {
    const [section, key] = path.split('.') as [Section, string];
    return editable(section, key);
  };

  // Arriving by the warning's link (…/settings#holidays), from the home page: go to the tables once the page is drawn.
  const drawn = data !== null;
  useEffect(() => {
    if (drawn && location.hash === `#${HOLIDAYS_ID}`) goToHolidays();
  }, [drawn]);

  const shownText = (path: string, percent?: boolean) => {
    if (path in texts) return texts[path]!;
    const v = s ? (read(s, path) as number) : 0;
    return String(percent ? toPercent(v) : v);
  };
  const problemOf = ([path, , , percent]: NumberSpec) => {
    const range = ranges.get(path);
    return range && editablePath(path) ? numberProblem(shownText(path, percent), range, percent) : null;
  };

  function setNumber(path: string, text: string, percent?: boolean) {
    if (!s) return;
    setTexts({ ...texts, [path]: text });
    const range = ranges.get(path);
    const n = Number(text.trim());
    // A value that does not fit stays typed (and said wrong) without changing the draft: saving then says why.
    setDraft(range && numberProblem(text, range, percent) === null ? written(s, path, percent ? fromPercent(n) : n) : s);
  }

  /** A change to the 办件评价 group (nested and text values, unlike the number fields). */
  function setMatters(change: (m: Settings['matters']) => Settings['matters']) {
    if (s) setDraft({ ...s, matters: change(s.matters) });
  }

  function forget() {
    setDraft(null);
    setTexts({});
  }

  function pickUnit(value: string) {
    forget();
    setUnitId(value);
  }

  const tagNames = { bad: '差评理由', good: '好评理由' } as const;
  /** How many things the two reason lists have wrong (a bad item each, a list too long or empty). */
  const tagTrouble = (tags: Settings['tags']) =>
    (['bad', 'good'] as const).reduce((n, k) => {
      const p = tagProblems(tags[k], tags[k === 'bad' ? 'good' : 'bad'], tagNames[k === 'bad' ? 'good' : 'bad']);
      return n + (p.list === null ? 0 : 1) + Object.keys(p.items).length;
    }, 0);

  function save(e: Event) {
    e.preventDefault();
    if (!draft || !data) return;
    // The form's own checks first: the first field that does not fit gets the keyboard.
    const wrong = NUMBER_SPECS.filter((spec) => problemOf(spec) !== null);
    const badCodes = editable('report') ? Object.values(draft.report.detailCodes).filter((c) => !DETAIL_CODE.test(c)).length : 0;
    const count = wrong.length + (editable('tags') ? tagTrouble(draft.tags) : 0) + badCodes;
    if (count > 0) {
      const first = wrong[0]?.[0];
      if (first && ABUSE_KEYS.has(first)) setAbuseOpen(true);
      saving.fail(`有 ${count} 处填写不符合要求，请按红字提示修改后再保存`);
      const target = first ? `set-${first.replace(/\./g, '-')}` : null;
      requestAnimationFrame(() => {
        const el = target ? document.getElementById(target) : document.querySelector<HTMLElement>('.tag-group [aria-invalid="true"]');
        el?.focus();
      });
      return;
    }
    const tidy = { ...draft, tags: { good: draft.tags.good.map((t) => t.trim()), bad: draft.tags.bad.map((t) => t.trim()) } };
    // Only what changed: an untouched section stays inherited.
    const changed = Object.fromEntries(
      (Object.keys(tidy) as Section[]).filter((k) => JSON.stringify(tidy[k]) !== JSON.stringify(data.settings[k])).map((k) => [k, tidy[k]]),
    );
    void saving.run(async () => {
      await api(`/api/settings${query}`, { method: 'PATCH', body: changed });
      forget();
      reload();
      return '设置已保存';
    });
  }

  function clear(section: Section) {
    void saving.run(async () => {
      await api(`/api/settings${query}`, { method: 'PATCH', body: { [section]: null } });
      forget();
      reload();
      return `已清除「${SECTION_TITLES[section]}」的本单位设置`;
    });
  }

  const field = ([path, label, help, percent]: NumberSpec) => (
    <NumberField
      key={path}
      id={path}
      label={percent ? `${label}（%）` : label}
      help={help}
      range={ranges.get(path)}
      percent={percent}
      text={shownText(path, percent)}
      disabled={!editablePath(path)}
      onText={(text) => setNumber(path, text, percent)}
    />
  );
  const note = (section: Section) => (
    <SourceNote source={sourceOf(section)} onClear={editable(section) ? () => clear(section) : undefined} />
  );
  const warnings = holidays.data?.warnings ?? [];

  return (
    <section class="settings-page">
      <h1>设置</h1>
      <ErrorText message={error} />
      {warnings.map((w) => (
        <p key={w} role="alert" class="card warn-card">
          ⚠ {w}{' '}
          <a href={`#${HOLIDAYS_ID}`} onClick={goToHolidays}>
            {canPlatform ? '到本页下方「节假日安排」载入' : '查看本页下方「节假日安排」'}
          </a>
        </p>
      ))}
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
            未单独设置的项继承上级单位的值；处理时限、抽查、排名、办件评价、评价理由、群众评价页、防刷评限制和评价可信度线索按单位设置，手机号保留期限、同一网络每分钟上限和节假日表为全平台设置。
          </p>
          <p class="muted">
            本页分三部分：<a href="#rules-title">业务规则</a>、<a href="#abuse-title">防刷评与评价可信度</a>（一般不需要改）、
            <a href="#privacy-title">隐私</a>，最后是
            <a href={`#${HOLIDAYS_ID}`} onClick={goToHolidays}>
              节假日安排
            </a>
            。
          </p>
        </div>
      )}
      {s && (
        <form onSubmit={save} noValidate aria-label="设置">
          <section class="card settings-group" aria-labelledby="rules-title">
            <h2 id="rules-title">业务规则</h2>

            <h3>{SECTION_TITLES.deadlines}</h3>
            {note('deadlines')}
            <div class="settings-fields">{DEADLINE_FIELDS.map(field)}</div>

            <h3>{SECTION_TITLES.cannotHandle}</h3>
            {note('cannotHandle')}
            <div class="settings-fields">{CANNOT_HANDLE_FIELDS.map(field)}</div>

            <h3>{SECTION_TITLES.complaints}</h3>
            {note('complaints')}
            <div class="settings-fields">{COMPLAINT_FIELDS.map(field)}</div>
            <h3>{SECTION_TITLES.observation}</h3>
            {note('observation')}
            <div class="settings-fields">{OBSERVATION_FIELDS.map(field)}</div>

            <h3>{SECTION_TITLES.spotCheck}</h3>
            {note('spotCheck')}
            <div class="settings-fields">{SPOT_CHECK_FIELDS.map(field)}</div>
            <p class="muted">
              抽取在「好评抽查」页进行，可以填一个“随机种子”：它决定抽中哪几条——同样的种子对同样的数据抽出同样的评价，便于事后复核；不填则随机生成，并记在抽查记录里。
            </p>

            <h3>{SECTION_TITLES.ranking}</h3>
            {note('ranking')}
            <div class="settings-fields">{field(RANKING_FIELD)}</div>

            <h3>{SECTION_TITLES.matters}</h3>
            {note('matters')}
            <p class="muted">办件评价：业务系统推送办结的办件，群众通过一次性链接或窗口评价器对这一次办事评价（一次一评）。</p>
            <div class="settings-fields">
              {field(LINK_FIELD)}
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
                disabled={!editable('matters')}
                onChange={(enabled) => editable('matters') && setMatters((m) => ({ ...m, defaultRating: { ...m.defaultRating, enabled } }))}
              />
              <SelectField
                label="默认评价等级"
                disabled={!editable('matters')}
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
            <p class="muted">系统默认评价计入评价数，但不算群众评价（主动评价好评率不含它）。</p>

            <h3>{SECTION_TITLES.tags}</h3>
            {note('tags')}
            <p class="muted">
              群众选了等级后，评价页按下面的顺序列出理由供勾选：选{levels(BAD_LEVELS)}时列出差评理由，选{levels(GOOD_LEVELS)}
              时列出好评理由。每类 {TAG_LIMITS.minItems}–{TAG_LIMITS.maxItems} 个，每个 1–{TAG_LIMITS.maxLength}{' '}
              字，不能重复，同一理由也不能两类都列。
            </p>
            <p class="muted">
              改名或删除只影响今后的评价：已提交的评价保留当时选的理由，不会改动；统计按评价时的名称计数，旧名称仍出现在当时那段时间的理由统计里（标为“不在现行理由中”）。
            </p>
            <div class="tag-editors">
              <TagEditor
                kind="bad"
                name={tagNames.bad}
                when={`群众选${levels(BAD_LEVELS)}时列出，按此顺序。`}
                tags={s.tags.bad}
                other={s.tags.good}
                otherName={tagNames.good}
                editable={editable('tags')}
                onChange={(bad) => setDraft({ ...s, tags: { ...s.tags, bad } })}
              />
              <TagEditor
                kind="good"
                name={tagNames.good}
                when={`群众选${levels(GOOD_LEVELS)}时列出，按此顺序。`}
                tags={s.tags.good}
                other={s.tags.bad}
                otherName={tagNames.bad}
                editable={editable('tags')}
                onChange={(good) => setDraft({ ...s, tags: { ...s.tags, good } })}
              />
            </div>

            <h3>{SECTION_TITLES.report}</h3>
            {note('report')}
            <p class="muted">
              上报省级好差评系统时，每个评价理由以这里的评价详情代码（evalDetail）上报；代码按省里的规定填写（1–32 位字母、数字、_ 或
              -），留空的理由不上报代码。
            </p>
            <div class="settings-fields">
              {[...new Set([...s.tags.bad, ...s.tags.good])].map((tag) => {
                const code = s.report.detailCodes[tag] ?? '';
                const wrong = code !== '' && !DETAIL_CODE.test(code);
                return (
                  <div class="setting" key={tag}>
                    <InputField
                      label={`${s.tags.bad.includes(tag) ? '差评' : '好评'}「${tag}」的代码`}
                      maxLength={32}
                      disabled={!editable('report')}
                      value={code}
                      onValue={(v) => setDraft({ ...s, report: { detailCodes: withDetailCode(s.report.detailCodes, tag, v.trim()) } })}
                    />
                    {wrong && editable('report') && (
                      <span class="field-error error" data-detail-error>
                        代码只能用 1–32 位字母、数字、_ 或 -
                      </span>
                    )}
                  </div>
                );
              })}
            </div>

            <h3>{SECTION_TITLES.citizen}</h3>
            {note('citizen')}
            <div class="settings-fields">
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
          </section>

          <details class="card settings-group abuse" open={abuseOpen} onToggle={(e) => setAbuseOpen(e.currentTarget.open)}>
            <summary>
              <h2 id="abuse-title">防刷评与评价可信度</h2>
              <span class="muted">{abuseOpen ? '（点此收起）' : '（一般不需要改；点此展开）'}</span>
            </summary>
            <p>
              这些阈值用来识别刷评和引导评价。超出“拒绝”类限制的提交不保存；超出“暂扣”类规则的评价照常保存，但暂不计入统计，由督查在「待核查评价」中决定计入或排除。默认值适合大多数大厅。
            </p>
            <h3>{SECTION_TITLES.limits}</h3>
            {note('limits')}
            <div class="settings-fields">{LIMIT_FIELDS.map(field)}</div>
            <h3>{SECTION_TITLES.credibility}</h3>
            {note('credibility')}
            <p class="muted">「评价可信度」页上的三个信号（无理由五星偏高、办结即评、差评骤失）：只提示督查抽查、走访，不暂扣评价。</p>
            <div class="settings-fields">{CREDIBILITY_FIELDS.map(field)}</div>
          </details>

          <section class="card settings-group" aria-labelledby="privacy-title">
            <h2 id="privacy-title">{SECTION_TITLES.privacy}</h2>
            {note('privacy')}
            <div class="settings-fields">{field(PRIVACY_FIELD)}</div>
          </section>

          {canEdit && (
            <div class="save-bar">
              <button type="submit" disabled={!draft || saving.busy}>
                保存设置
              </button>
              {draft && !saving.outcome && <span class="muted">有未保存的修改</span>}
              {saving.outcome && (
                <span role="status" class={saving.error ? 'error' : undefined}>
                  {saving.outcome}
                </span>
              )}
            </div>
          )}
        </form>
      )}
      <HolidayTables data={holidays.data} reload={holidays.reload} canEdit={canPlatform} />
    </section>
  );
}
