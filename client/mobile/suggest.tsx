// 金点子 (GET /i/{code}, GET /i/): a citizen or an enterprise suggests something to a department (the
// window's, or one picked from the list) → POST /api/public/suggestions → the suggestion's number. The
// choices come in the page data and the server's messages name a missing field: the status bundle
// has little room left (docs/domain.md, the 12 KB budget).
import { Component } from 'preact';
import type { SuggestData } from './types';
import { Frame } from './views';

type F = { d: string; c: string; w: string; t: string; x: string; p: string; ok: boolean; err: string; busy: boolean; no: string };

export class Suggest extends Component<{ page: SuggestData }, F> {
  override state: F = { d: '', c: '', w: '群众', t: '', x: '', p: '', ok: false, err: '', busy: false, no: '' };

  submit = async (e: Event) => {
    e.preventDefault();
    const s = this.state;
    const { page } = this.props;
    if (s.busy) return;
    this.setState({ err: '', busy: true });
    let msg = '网络不通，请检查网络后重试';
    try {
      const res = await fetch('/api/public/suggestions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...(page.code ? { code: page.code } : { departmentId: Number(s.d) || undefined }),
          category: s.c,
          submitterType: s.w,
          title: s.t,
          content: s.x,
          ...(s.p.trim() ? { contact: s.p, consent: s.ok } : {}),
        }),
      });
      const body = await res.json().catch(() => ({}));
      if (res.status === 201) return this.setState({ no: body.suggestionNo, busy: false });
      msg = body.message || '提交失败，请稍后再试';
    } catch {
      /* offline */
    }
    this.setState({ err: msg, busy: false });
  };

  override render({ page }: { page: SuggestData }, s: F) {
    const on = (k: keyof F) => (e: Event) => {
      const el = e.currentTarget as HTMLInputElement;
      this.setState({ [k]: el.type === 'checkbox' ? el.checked : el.value } as Pick<F, 'd'>);
    };
    const pick = (label: string, k: 'd' | 'c' | 'w', list: readonly string[], values = list) => (
      <label>
        {label}
        <select value={s[k]} onChange={on(k)}>
          {k !== 'w' && <option value="">请选择</option>}
          {list.map((t, i) => (
            <option value={values[i]}>{t}</option>
          ))}
        </select>
      </label>
    );
    return (
      <Frame>
        <h1>金点子</h1>
        {page.code && (
          <p class="loc">
            {page.departmentName} · {page.location}
          </p>
        )}
        {s.no ? (
          <p class="card" role="status">
            已收到，部门答复后在公示页公开。建议编号 <b class="caseno">{s.no}</b>
          </p>
        ) : (
          <form class="card lk" onSubmit={this.submit} noValidate>
            {!page.code &&
              pick(
                '部门',
                'd',
                page.departments.map((d) => d.name),
                page.departments.map((d) => `${d.id}`),
              )}
            {pick('类别', 'c', page.categories)}
            {pick('您的身份', 'w', page.submitterTypes)}
            <label>
              标题
              <input value={s.t} onInput={on('t')} />
            </label>
            <label>
              建议内容
              <textarea rows={5} value={s.x} onInput={on('x')} />
            </label>
            <label>
              联系方式（可不填，不公开）
              <input value={s.p} onInput={on('p')} />
            </label>
            <label class="ok">
              <input type="checkbox" checked={s.ok} onChange={on('ok')} />
              同意工作人员联系我
            </label>
            <p class="err" role="alert">
              {s.err}
            </p>
            <button class="primary" type="submit" disabled={s.busy}>
              提交建议
            </button>
          </form>
        )}
      </Frame>
    );
  }
}
