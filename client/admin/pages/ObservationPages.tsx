// 监督报告 (docs/domain.md 4.9): the form an invited observer (特邀监督员) fills in on a phone — the
// same one a department head, supervisor or administrator uses for a 一把手走流程 — and the observer's
// own reports with their progress and the department's answers. Phone first: one column of large
// fields; nothing here calls a route an observer may not call.
import { useRef, useState } from 'preact/hooks';
import type { ObservationInput, ObservationListT, ObservationOptionsT } from '../../../shared/api/cases.js';
import { addDays, chinaDay } from '../../../shared/china-time.js';
import { OBSERVED_DAYS_MAX, WALKTHROUGH_LABEL } from '../../../shared/domain.js';
import { api } from '../../shared/api.js';
import { formatTime } from '../components/cases/types.js';
import { ErrorText } from '../components/ErrorText.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import { BASE } from '../router.js';
import type { PageProps } from '../routes.js';

/** 提交监督报告 (observer) / 走流程 (staff): department → window (optional) → day → what was seen → 办件编号. */
export function ObservationFormPage({ user }: PageProps) {
  const observer = user.role === 'observer';
  const options = useApi<ObservationOptionsT>('/api/observations/options');
  const departments = options.data?.departments ?? [];
  const today = chinaDay(Date.now());
  const [picked, setPicked] = useState('');
  const [code, setCode] = useState('');
  const [observedOn, setObservedOn] = useState(today);
  const [description, setDescription] = useState('');
  const [projectNo, setProjectNo] = useState('');
  const [filed, setFiled] = useState<{ id: number; caseNo: string } | null>(null);
  const filing = useAction('提交失败，请检查网络；已填写的内容仍保留');
  const done = useRef<HTMLElement>(null);
  // One department in scope (a head's own): chosen already.
  const departmentId = picked || (departments.length === 1 ? String(departments[0]!.id) : '');
  const windows = departments.find((d) => String(d.id) === departmentId)?.windows ?? [];

  const send = async () => {
    const body: ObservationInput = {
      departmentId: Number(departmentId),
      observedOn,
      description,
      ...(code && { code }),
      ...(projectNo.trim() && { projectNo: projectNo.trim() }),
    };
    const res = await api<{ id: number; caseNo: string }>('/api/observations', { method: 'POST', body });
    setFiled(res);
    // The department and day stay for a next report of the same visit.
    setCode('');
    setDescription('');
    setProjectNo('');
    setTimeout(() => {
      done.current?.focus();
      done.current?.scrollIntoView({ block: 'nearest' });
    });
  };
  const submit = (e: Event) => {
    e.preventDefault();
    if (!departmentId) return filing.fail('请选择部门');
    if (!description.trim()) return filing.fail('请填写看到的情况');
    void filing.run(send);
  };

  return (
    <section class="observation">
      <h1>{observer ? '提交监督报告' : '一把手走流程'}</h1>
      <p class="muted">
        {observer
          ? '记下您在窗口看到的情况，提交后由部门答复、督查办结；进展和答复在「我的报告」查看。'
          : `以群众身份走一遍办事流程，把看到的问题记下来：与特邀监督员的报告同样立案（记为「${WALKTHROUGH_LABEL}」）。`}
        {!observer && <a href={`${BASE}/observations`}>我提交过的报告</a>}
      </p>
      {filed && (
        <section class="card obs-done" role="status" tabIndex={-1} ref={done} data-testid="observation-done">
          <p>
            已提交，受理编号 <strong class="obs-no">{filed.caseNo}</strong>
          </p>
          {observer ? (
            <a class="big-link" href={`${BASE}/observations`}>
              在「我的报告」查看进展
            </a>
          ) : (
            <a class="big-link" href={`${BASE}/cases/${filed.id}`}>
              查看这件案件
            </a>
          )}
        </section>
      )}
      <form class="obs-form card" onSubmit={submit} aria-label="监督报告" noValidate>
        <label>
          部门
          <select
            value={departmentId}
            required
            onChange={(e) => {
              setPicked(e.currentTarget.value);
              setCode('');
            }}
          >
            <option value="">{options.loading ? '加载中…' : '请选择部门'}</option>
            {departments.map((d) => (
              <option key={d.id} value={String(d.id)}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          窗口（可不选）
          <select value={code} disabled={!departmentId} onChange={(e) => setCode(e.currentTarget.value)}>
            <option value="">不指定窗口（整个大厅）</option>
            {windows.map((w) => (
              <option key={w.code} value={w.code}>
                {w.location || w.code}
              </option>
            ))}
          </select>
        </label>
        <label>
          看到的日期
          <input
            type="date"
            value={observedOn}
            required
            min={addDays(today, -OBSERVED_DAYS_MAX)}
            max={today}
            onInput={(e) => setObservedOn(e.currentTarget.value)}
          />
        </label>
        <label>
          看到的情况
          <textarea
            rows={6}
            value={description}
            required
            maxLength={2000}
            placeholder="例如：上午 9 点窗口无人值守 20 分钟，群众排队无人引导"
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        </label>
        <label>
          办件编号（可不填）
          <input value={projectNo} maxLength={64} autoComplete="off" onInput={(e) => setProjectNo(e.currentTarget.value)} />
        </label>
        <ErrorText message={filing.error ?? options.error} />
        <button type="submit" class="primary" disabled={filing.busy}>
          {filing.busy ? '提交中…' : '提交报告'}
        </button>
      </form>
    </section>
  );
}

/** 我的报告: the caller's own reports, newest first, each with its status, public steps and the answers. */
export function MyObservationsPage({ user }: PageProps) {
  const { data, error, loading } = useApi<ObservationListT>('/api/observations');
  const formPath = user.role === 'observer' ? '/' : '/walkthrough';
  if (error) return <ErrorText message={error} />;
  if (!data || loading) return <p>加载中…</p>;
  return (
    <section class="observation">
      <h1>{user.role === 'observer' ? '我的报告' : '我的走流程报告'}</h1>
      {data.reports.length === 0 ? (
        <p class="muted">
          还没有提交过报告。<a href={BASE + formPath}>提交一份</a>
        </p>
      ) : (
        <ul class="obs-list" data-testid="observation-list">
          {data.reports.map((r) => (
            <li key={r.id} class="card">
              <div class="obs-head">
                <strong class="obs-no">{r.caseNo}</strong>
                <span class={`badge ${r.status === 'closed' ? 'ok' : 'warn'}`}>{r.statusLabel}</span>
                {r.walkthrough && <span class="badge">{WALKTHROUGH_LABEL}</span>}
              </div>
              <dl class="facts">
                <dt>部门</dt>
                <dd>{r.departmentName}</dd>
                <dt>窗口</dt>
                <dd>{r.location || '未指定窗口'}</dd>
                <dt>看到的日期</dt>
                <dd>{r.observedOn}</dd>
                {r.projectNo && (
                  <>
                    <dt>办件编号</dt>
                    <dd class="code-line">{r.projectNo}</dd>
                  </>
                )}
                <dt>看到的情况</dt>
                <dd class="comment">{r.description}</dd>
                {r.status !== 'closed' && (
                  <>
                    <dt>办结期限</dt>
                    <dd>{r.dueDate}</dd>
                  </>
                )}
              </dl>
              <h2 class="obs-steps-title">进展与答复</h2>
              <ol class="obs-steps">
                {r.events.map((e) => (
                  <li key={`${e.at}-${e.label}`}>
                    <span class="muted">{formatTime(e.at)}</span> {e.label}
                    {e.note && <p class="note">{e.note}</p>}
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
