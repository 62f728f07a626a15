import { useEffect, useState } from 'preact/hooks';
import type { PublicSuggestionsT } from '../../shared/api/suggestions.js';
import {
  SUBMITTER_TYPES,
  SUGGESTION_CATEGORIES,
  SUGGESTION_CONTACT_MAX,
  SUGGESTION_CONTENT_MAX,
  SUGGESTION_DECISION_LABELS,
  SUGGESTION_TITLE_MAX,
} from '../../shared/domain.js';

// 金点子 on the public page: the 「我有金点子」 form, the answered suggestions and the adoption figures
// (counts only: no contact, no submitter).

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

function SuggestionForm({ departments, onDone }: { departments: PublicSuggestionsT['departments']; onDone: () => void }) {
  const [f, setF] = useState({
    departmentId: '',
    category: '',
    submitterType: '群众',
    title: '',
    content: '',
    contact: '',
    consent: false,
  });
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const set = (k: keyof typeof f) => (e: Event) => {
    const el = e.currentTarget as HTMLInputElement;
    setF({ ...f, [k]: el.type === 'checkbox' ? el.checked : el.value });
  };
  if (done) {
    return (
      <div class="card" role="status">
        <p>
          感谢您的建议！建议编号 <strong data-testid="suggestion-no">{done}</strong>。部门答复后将在本页公示（不公示任何个人信息）。
        </p>
        <button
          type="button"
          onClick={() => {
            setDone(null);
            onDone();
          }}
        >
          再提一条
        </button>
      </div>
    );
  }
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!f.departmentId) return setErr('请选择建议涉及的部门');
    if (!f.category) return setErr('请选择类别');
    if (!f.title.trim()) return setErr('请填写标题');
    if (!f.content.trim()) return setErr('请填写建议内容');
    if (f.contact.trim() && !f.consent) return setErr('留下联系方式需勾选同意');
    setErr('');
    setBusy(true);
    try {
      const res = await fetch('/api/public/suggestions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          departmentId: Number(f.departmentId),
          category: f.category,
          submitterType: f.submitterType,
          title: f.title,
          content: f.content,
          ...(f.contact.trim() ? { contact: f.contact, consent: f.consent } : {}),
        }),
      });
      const body = await res.json().catch(() => ({}));
      if (res.status === 201) {
        setDone(body.suggestionNo);
        setF({ ...f, title: '', content: '', contact: '', consent: false });
      } else setErr(body.message || '提交失败，请稍后再试');
    } catch {
      setErr('网络不通，请检查网络后重试');
    }
    setBusy(false);
  };
  return (
    <form class="card idea-form" onSubmit={submit} noValidate aria-label="我有金点子">
      <div class="row">
        <label>
          涉及部门
          <select value={f.departmentId} onChange={set('departmentId')} required>
            <option value="">请选择</option>
            {departments.map((d) => (
              <option key={d.id} value={String(d.id)}>
                {d.name}（{d.orgUnitName}）
              </option>
            ))}
          </select>
        </label>
        <label>
          类别
          <select value={f.category} onChange={set('category')} required>
            <option value="">请选择</option>
            {SUGGESTION_CATEGORIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          您的身份
          <select value={f.submitterType} onChange={set('submitterType')}>
            {SUBMITTER_TYPES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
      </div>
      <label>
        标题
        <input value={f.title} maxLength={SUGGESTION_TITLE_MAX} onInput={set('title')} required />
      </label>
      <label>
        建议内容
        <textarea rows={4} value={f.content} maxLength={SUGGESTION_CONTENT_MAX} onInput={set('content')} required />
      </label>
      <label>
        联系方式（姓名或手机号，可不填；不会公示）
        <input value={f.contact} maxLength={SUGGESTION_CONTACT_MAX} onInput={set('contact')} autocomplete="tel" />
      </label>
      <label class="check">
        <input type="checkbox" checked={f.consent} onChange={set('consent')} />
        同意工作人员用此联系方式联系我
      </label>
      <p class="error" role="alert">
        {err}
      </p>
      <button class="primary" type="submit" disabled={busy}>
        {busy ? '正在提交…' : '提交建议'}
      </button>
    </form>
  );
}

export function Suggestions() {
  const [data, setData] = useState<PublicSuggestionsT | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    fetch('/api/public/suggestions?limit=30', { cache: 'no-store' })
      .then(async (res) => {
        const body = await res.json();
        if (!res.ok) throw new Error(body.message ?? `加载失败（${res.status}）`);
        setData(body as PublicSuggestionsT);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : '加载失败，请稍后再试'));
  }, [reload]);
  const fig = data?.figures;
  return (
    <section class="ideas" aria-labelledby="ideas-h">
      <h2 id="ideas-h">金点子 · 建言献策</h2>
      <p class="lead">对政务服务有好的想法？欢迎群众、企业、人大代表、政协委员提出建议，部门逐条答复并在此公示。</p>
      {!open && (
        <button class="primary" type="button" onClick={() => setOpen(true)}>
          我有金点子
        </button>
      )}
      {open && data && <SuggestionForm departments={data.departments} onDone={() => setReload(reload + 1)} />}
      {error && <p class="error">{error}</p>}
      {fig && (
        <p class="idea-figures" data-testid="idea-figures">
          共收到建议 {fig.total} 条，已答复 {fig.answered} 条，其中采纳 {fig.adopted} 条、部分采纳 {fig.partial} 条，采纳率{' '}
          {pct(fig.adoptionRate)}
          {fig.submitterTypes.length > 0 && `（提出人：${fig.submitterTypes.map((s) => `${s.submitterType} ${s.count}`).join('、')}）`}。
        </p>
      )}
      {fig && fig.departments.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex lint/a11y/useSemanticElements: a focusable scroll box, as the rankings table's
        <div class="scroll" tabIndex={0} role="region" aria-label="各部门金点子采纳情况">
          <table class="rankings">
            <caption>各部门金点子采纳情况</caption>
            <thead>
              <tr>
                <th scope="col">部门</th>
                <th scope="col" class="num">
                  收到
                </th>
                <th scope="col" class="num">
                  已答复
                </th>
                <th scope="col" class="num">
                  采纳 / 部分采纳
                </th>
                <th scope="col" class="num">
                  采纳率
                </th>
              </tr>
            </thead>
            <tbody>
              {fig.departments.map((d) => (
                <tr key={d.departmentId}>
                  <th scope="row">{d.departmentName}</th>
                  <td class="num" data-label="收到">
                    {d.total}
                  </td>
                  <td class="num" data-label="已答复">
                    {d.answered}
                  </td>
                  <td class="num" data-label="采纳 / 部分采纳">
                    {d.adopted} / {d.partial}
                  </td>
                  <td class="num" data-label="采纳率">
                    {pct(d.adoptionRate)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && (
        <ul class="idea-list" data-testid="idea-list">
          {data.suggestions.length === 0 && <li>暂无已答复的建议。</li>}
          {data.suggestions.map((s) => (
            <li key={s.suggestionNo} class="card">
              <p class="idea-head">
                <span class={`badge ${s.decision}`}>{SUGGESTION_DECISION_LABELS[s.decision]}</span>
                <strong>{s.title}</strong>
              </p>
              <p class="unit">
                {s.departmentName} · {s.category} · 提出 {s.submittedDay} · 答复 {s.answeredDay}
              </p>
              <p>答复：{s.reason}</p>
              {s.action && <p>措施：{s.action}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
