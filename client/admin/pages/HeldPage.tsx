import { useState } from 'preact/hooks';
import type { HoldGroupsResponse } from '../../../shared/api/ratings.js';
import type { DepartmentItem } from '../components/code-types.js';
import { ErrorText } from '../components/ErrorText.js';
import { InputField, NamedOptions, SelectField } from '../components/Fields.js';
import { BURST_PAGE, BurstList } from '../components/held/BurstList.js';
import { DECISION_LABELS, type Decision, DecisionDialog, type DecisionRequest } from '../components/held/DecisionDialog.js';
import { type HeldFilter, HeldList, shortSubject } from '../components/held/HeldList.js';
import { int, qs } from '../components/stats/format.js';
import { useApi } from '../components/use-api.js';
import { BASE, navigate } from '../router.js';
import type { PageProps } from '../routes.js';
import '../components/stats/stats.css';

type View = 'bursts' | 'list';

const VIEWS: Record<View, string> = { bursts: '按批次', list: '逐条' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const SUBJECT = /^[A-Za-z0-9_-]{6,64}$/;

/** The queue's filter as the URL gives it (what does not fit the API's rules is left out). */
function filterFrom(query: URLSearchParams): HeldFilter {
  const id = (name: string) => {
    const n = Number(query.get(name));
    return Number.isInteger(n) && n > 0 ? n : undefined;
  };
  const text = (name: string, pattern: RegExp) => {
    const v = query.get(name)?.trim();
    return v && pattern.test(v) ? v : undefined;
  };
  return {
    departmentId: id('departmentId'),
    codeId: text('codeId', /^[A-Za-z0-9_-]{1,64}$/),
    groupId: id('groupId'),
    network: text('network', SUBJECT),
    device: text('device', SUBJECT),
    from: text('from', DAY),
    to: text('to', DAY),
  };
}

/**
 * A decision on everything the filter matches, when it narrows the queue at all: a burst by its id, the
 * rest by the decision's own filter (which has no burst: a burst with more filters is decided by ticking).
 */
function bulkOf(f: HeldFilter, described: string[]): { target: DecisionRequest['target']; what: string } | undefined {
  const { groupId, departmentId, ...rest } = f;
  const others = Object.values(rest).some((v) => v !== undefined);
  if (groupId !== undefined && others) return undefined;
  if (groupId === undefined && !others && departmentId === undefined) return undefined;
  return {
    target: groupId !== undefined ? { groupIds: [groupId] } : { filter: { departmentId, ...rest } },
    what: `符合筛选条件（${described.join(' · ')}）的全部待核查评价。`,
  };
}

/** The queue's address for a view and filter. */
function queueUrl(view: View, f: HeldFilter): string {
  return `${BASE}/held?${qs({ view, ...f })}`;
}

/**
 * 待核查评价: the ratings the anti-rigging rules hold, bursts first. A supervisor releases (计入) or
 * excludes (排除) a burst, the ratings they tick or all the filter matches, with a reason; an admin
 * reads the queue. Every figure view links here with its department and period.
 */
export function HeldPage({ user, query }: PageProps) {
  const filter = filterFrom(query);
  const narrowed = Object.entries(filter).some(([k, v]) => k !== 'departmentId' && v !== undefined);
  const view: View = query.get('view') === 'list' || (query.get('view') !== 'bursts' && narrowed) ? 'list' : 'bursts';
  const canDecide = user.role === 'supervisor';
  const departments = useApi<{ departments: DepartmentItem[] }>('/api/departments');
  const depts = departments.data?.departments ?? [];
  const [burstOffset, setBurstOffset] = useState(0);
  const groups = useApi<HoldGroupsResponse>(
    `/api/ratings/held/groups?${qs({ departmentId: filter.departmentId, limit: view === 'bursts' ? BURST_PAGE : 1, offset: view === 'bursts' ? burstOffset : 0 })}`,
  );
  const [tick, setTick] = useState(0);
  const [request, setRequest] = useState<DecisionRequest | null>(null);
  const [message, setMessage] = useState('');

  const go = (v: View, f: HeldFilter) => {
    setBurstOffset(0);
    navigate(queueUrl(v, f));
  };
  const subjectHref = (kind: 'network' | 'device', subject: string) =>
    queueUrl('list', { departmentId: filter.departmentId, [kind]: subject });
  const done = (decision: Decision, asked: number, affected: number) => {
    setRequest(null);
    const rest = asked - affected;
    setMessage(
      `已${DECISION_LABELS[decision]} ${int(affected)} 条评价${decision === 'release' ? '，从现在起计入各项统计' : '，不计入任何统计'}` +
        (rest > 0 ? `（另有 ${int(rest)} 条已不在待核查中，未改动）` : '') +
        '。',
    );
    setTick((t) => t + 1);
    groups.reload();
  };
  const deptName = (id: number | undefined) => depts.find((d) => d.id === id)?.name ?? (id === undefined ? '' : `部门 ${id}`);

  // The active filters as removable chips (the department is the select's).
  const chips: { key: keyof HeldFilter; text: string }[] = [];
  if (filter.groupId !== undefined) chips.push({ key: 'groupId', text: `批次 ${filter.groupId}` });
  if (filter.network) chips.push({ key: 'network', text: `网络 ${shortSubject(filter.network)}` });
  if (filter.device) chips.push({ key: 'device', text: `设备 ${shortSubject(filter.device)}` });
  if (filter.codeId) chips.push({ key: 'codeId', text: `评议码 ${filter.codeId}` });
  if (filter.from || filter.to) chips.push({ key: 'from', text: `${filter.from ?? '…'} 至 ${filter.to ?? '…'}` });
  const described = [filter.departmentId !== undefined ? deptName(filter.departmentId) : '', ...chips.map((c) => c.text)].filter(Boolean);

  return (
    <section class="held-page">
      <h1>待核查评价</h1>
      <p class="muted">
        被防刷规则标记的评价先暂扣：照常保存，但不计入任何指标、排名和导出，直到督查核查后“计入”或“排除”（须填写理由，记入审计日志）。
        同一网络或设备、同一部门、同一规则的暂扣评价归为一批，可以整批裁决。
      </p>
      {!canDecide && <p class="card">您可以查看待核查的评价；计入或排除由督查裁决。</p>}
      <p class="held-totals" data-testid="held-totals">
        {groups.data ? (
          <>
            {filter.departmentId !== undefined && `${deptName(filter.departmentId)}：`}共 <strong>{int(groups.data.held)}</strong>{' '}
            条待核查，
            <strong>{int(groups.data.total)}</strong> 批
          </>
        ) : (
          !groups.error && '加载中…'
        )}
      </p>
      <ErrorText message={groups.error} />
      <p class="decision-message" role="status" data-testid="decision-message">
        {message}
      </p>

      <Filters key={query.toString()} filter={filter} depts={depts} view={view} onApply={(f, v) => go(v, f)} />
      {chips.length > 0 && (
        <ul class="chips" aria-label="当前筛选">
          {chips.map((c) => (
            <li key={c.key}>
              {c.text}{' '}
              <a
                href={queueUrl(view, { ...filter, [c.key]: undefined, ...(c.key === 'from' ? { to: undefined } : {}) })}
                aria-label={`取消筛选：${c.text}`}
              >
                ×
              </a>
            </li>
          ))}
        </ul>
      )}

      <nav class="view-tabs" aria-label="查看方式">
        {(Object.keys(VIEWS) as View[]).map((v) => (
          <a
            key={v}
            class="tab"
            href={queueUrl(v, v === 'bursts' ? { departmentId: filter.departmentId } : filter)}
            aria-current={v === view ? 'page' : undefined}
          >
            {VIEWS[v]}
          </a>
        ))}
      </nav>

      {view === 'bursts' ? (
        <BurstList
          groups={groups}
          offset={burstOffset}
          onOffset={setBurstOffset}
          canDecide={canDecide}
          tick={tick}
          onDecide={setRequest}
          subjectHref={subjectHref}
        />
      ) : (
        <HeldList
          filter={filter}
          canDecide={canDecide}
          tick={tick}
          onDecide={setRequest}
          subjectHref={subjectHref}
          bulk={bulkOf(filter, described)}
          label="待核查评价"
        />
      )}
      {request && <DecisionDialog request={request} onClose={() => setRequest(null)} onDone={done} />}
    </section>
  );
}

/** 部门, 评议码 and the period; 筛选 applies them (by 评议码, period or network: one by one). */
function Filters({
  filter,
  depts,
  view,
  onApply,
}: {
  filter: HeldFilter;
  depts: readonly DepartmentItem[];
  view: View;
  onApply: (f: HeldFilter, view: View) => void;
}) {
  const [departmentId, setDepartmentId] = useState(filter.departmentId ? String(filter.departmentId) : '');
  const [codeId, setCodeId] = useState(filter.codeId ?? '');
  const [from, setFrom] = useState(filter.from ?? '');
  const [to, setTo] = useState(filter.to ?? '');
  const submit = (e: Event) => {
    e.preventDefault();
    const f: HeldFilter = {
      ...filter,
      departmentId: departmentId ? Number(departmentId) : undefined,
      codeId: codeId.trim() || undefined,
      from: from || undefined,
      to: to || undefined,
    };
    const narrowed = f.codeId || f.from || f.to || f.groupId || f.network || f.device;
    onApply(f, narrowed ? 'list' : view);
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is not yet in every browser the county runs; role=search on the form is the equivalent
    <form class="toolbar held-filters" role="search" aria-label="筛选待核查评价" onSubmit={submit}>
      {depts.length > 1 && (
        <SelectField label="部门" value={departmentId} onChange={setDepartmentId}>
          <option value="">全部部门</option>
          <NamedOptions units={depts} />
        </SelectField>
      )}
      <InputField label="评议码" value={codeId} maxLength={64} onValue={setCodeId} />
      <InputField label="开始日期" type="date" value={from} onValue={setFrom} />
      <InputField label="结束日期" type="date" value={to} onValue={setTo} />
      <button type="submit">筛选</button>
    </form>
  );
}
