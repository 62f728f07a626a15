// 录入投诉: staff type in a complaint received by phone, 12345, mailbox or letter (POST /api/cases/complaints).
// One form, keyboard first: Tab through the fields, Enter in a field or Ctrl+Enter in the text sends it;
// after each entry the channel, department and date stay for the next one.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComplaintInput } from '../../../shared/api/cases.js';
import type { CodeListT } from '../../../shared/api/codes.js';
import type { DepartmentView } from '../../../shared/api/org.js';
import { chinaDay } from '../../../shared/china-time.js';
import { COMPLAINT_CHANNEL_LABELS, COMPLAINT_CHANNELS, type ComplaintChannel } from '../../../shared/domain.js';
import { api, errorMessage } from '../../shared/api.js';
import { ErrorText } from '../components/ErrorText.js';
import { useApi } from '../components/use-api.js';
import { BASE } from '../router.js';
import type { PageProps } from '../routes.js';

interface Draft {
  channel: ComplaintChannel;
  departmentId: string;
  code: string;
  subject: string;
  orderNo: string;
  description: string;
  phone: string;
  consent: boolean;
  receivedOn: string;
}

const blank = (keep: Pick<Draft, 'channel' | 'departmentId' | 'receivedOn'>): Draft => ({
  ...keep,
  code: '',
  subject: '',
  orderNo: '',
  description: '',
  phone: '',
  consent: false,
});

/** 录入投诉 (supervisor, admin; a department head for their own departments). */
export function ComplaintEntryPage(_: PageProps) {
  const departments = useApi<{ departments: DepartmentView[] }>('/api/departments');
  const codes = useApi<CodeListT>('/api/codes');
  const [d, setD] = useState<Draft>(blank({ channel: 'phone', departmentId: '', receivedOn: chinaDay(Date.now()) }));
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ id: number; caseNo: string }[]>([]);
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));
  const deptCodes = (codes.data?.codes ?? []).filter((c) => String(c.departmentId) === d.departmentId);

  async function submit(e?: Event) {
    e?.preventDefault();
    if (sending) return;
    if (!d.departmentId) return setError('请选择被投诉的部门');
    if (!d.description.trim()) return setError('请填写群众反映的内容');
    setSending(true);
    setError(null);
    try {
      const body: ComplaintInput = {
        channel: d.channel,
        departmentId: Number(d.departmentId),
        description: d.description,
        receivedOn: d.receivedOn,
        ...(d.code && { code: d.code }),
        ...(d.subject.trim() && { subject: d.subject.trim() }),
        ...(d.orderNo.trim() && { orderNo: d.orderNo.trim() }),
        ...(d.phone.trim() && { phone: d.phone.trim(), consent: d.consent }),
      };
      const res = await api<{ id: number; caseNo: string }>('/api/cases/complaints', { method: 'POST', body });
      setDone((list) => [{ id: res.id, caseNo: res.caseNo }, ...list]);
      setD(blank(d));
      first.current?.focus();
    } catch (err) {
      setError(errorMessage(err, '录入失败，请稍后再试；已填写的内容仍保留'));
    } finally {
      setSending(false);
    }
  }

  return (
    <section class="complaint-entry">
      <h1>录入投诉</h1>
      <p class="muted">
        投诉电话、12345 工单、意见箱·信箱、来信来访收到的投诉，录入后立投诉案件（核实 → 整改或说明 → 回访 → 办结），录入人记在案件上。
        <kbd>Tab</kbd> 逐项填写，<kbd>Enter</kbd>（在正文中 <kbd>Ctrl</kbd>+<kbd>Enter</kbd>）提交。
      </p>
      {done.length > 0 && (
        <section class="card" role="status" data-testid="complaint-done">
          已录入：
          {done.map((c) => (
            <a key={c.id} href={`${BASE}/cases/${c.id}`} class="paper-case">
              {c.caseNo}
            </a>
          ))}
        </section>
      )}
      <form class="inline-form" onSubmit={submit} aria-label="录入一件投诉">
        <label>
          来源渠道
          <select ref={first} value={d.channel} onChange={(e) => set('channel', e.currentTarget.value as ComplaintChannel)}>
            {COMPLAINT_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {COMPLAINT_CHANNEL_LABELS[c]}
              </option>
            ))}
          </select>
        </label>
        {d.channel === '12345' && (
          <label>
            工单编号
            <input value={d.orderNo} required maxLength={64} onInput={(e) => set('orderNo', e.currentTarget.value)} />
          </label>
        )}
        <label>
          收到日期
          <input type="date" value={d.receivedOn} required onInput={(e) => set('receivedOn', e.currentTarget.value)} />
        </label>
        <label>
          被投诉部门
          <select value={d.departmentId} required onChange={(e) => setD((x) => ({ ...x, departmentId: e.currentTarget.value, code: '' }))}>
            <option value="">请选择部门</option>
            {(departments.data?.departments ?? []).map((dep) => (
              <option key={dep.id} value={String(dep.id)}>
                {dep.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          窗口（可不选）
          <select value={d.code} onChange={(e) => set('code', e.currentTarget.value)} disabled={!d.departmentId}>
            <option value="">未指明窗口</option>
            {deptCodes.map((c) => (
              <option key={c.code} value={c.code}>
                {c.location}
                {c.staffName ? ` · ${c.staffName}` : ''}
              </option>
            ))}
          </select>
        </label>
        <label class="grow">
          事项（可不填）
          <input value={d.subject} maxLength={100} onInput={(e) => set('subject', e.currentTarget.value)} />
        </label>
        <label class="full">
          群众反映的内容
          <textarea
            rows={4}
            value={d.description}
            required
            maxLength={1000}
            onInput={(e) => set('description', e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit(e);
            }}
          />
        </label>
        <label>
          群众手机号（可不填）
          <input type="tel" value={d.phone} maxLength={20} onInput={(e) => set('phone', e.currentTarget.value)} />
        </label>
        <label class="check">
          <input type="checkbox" checked={d.consent} onChange={(e) => set('consent', e.currentTarget.checked)} />
          群众同意回访
        </label>
        <button type="submit" class="primary" disabled={sending}>
          {sending ? '录入中…' : '录入'}
        </button>
        <ErrorText message={error ?? departments.error ?? codes.error} />
      </form>
    </section>
  );
}
