// 找回进度查询链接 (GET /s/): the case number and the last 4 digits of the phone left with the 差评
// give back the status link (POST /api/cases/lookup). The server's refusals are shown in its words.
import { Component } from 'preact';
import type { LookupData } from './types';
import { Frame, Hotline } from './views';

interface State {
  no: string;
  last4: string;
  /** Which field is wrong ('no' | 'p4'), and what the page says. */
  bad: string;
  err: string;
  busy: boolean;
}

export class Lookup extends Component<{ page: LookupData }, State> {
  override state: State = { no: '', last4: '', bad: '', err: '', busy: false };

  submit = async (e: Event) => {
    e.preventDefault();
    const { no, last4, busy } = this.state;
    if (busy) return;
    if (!no.trim()) return this.setState({ bad: 'no', err: '请填写受理编号' });
    if (!/^\d{4}$/.test(last4)) return this.setState({ bad: 'p4', err: '请填写手机号的后四位数字' });
    this.setState({ bad: '', err: '', busy: true });
    let err = '网络不通，请检查网络后重试';
    try {
      const res = await fetch('/api/cases/lookup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ caseNo: no.trim(), phoneLast4: last4 }),
      });
      const body = await res.json().catch(() => ({}));
      if (res.ok && /^\/s\/[\w-]+$/.test(body.statusUrl)) return location.assign(body.statusUrl);
      err = body.message || '查询失败，请稍后再试';
    } catch {
      /* offline */
    }
    this.setState({ err, busy: false });
  };

  override render({ page }: { page: LookupData }, { no, last4, bad, err, busy }: State) {
    const invalid = (id: string) => ({ 'aria-invalid': bad === id, 'aria-describedby': bad === id ? 'lk-err' : undefined });
    return (
      <Frame>
        <h1>查询处理进度</h1>
        <p class="hint">差评提交后会给出受理编号。请填写受理编号和评价时留下的手机号后四位。匿名评价没有留手机号，无法这样查询。</p>
        <form class="card lk" onSubmit={this.submit} noValidate>
          <label for="no">受理编号（如 CP20261123-0001）</label>
          <input
            id="no"
            value={no}
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            {...invalid('no')}
            onInput={(e) => this.setState({ no: e.currentTarget.value })}
          />
          <label for="p4">手机号后四位</label>
          <input
            id="p4"
            type="tel"
            inputMode="numeric"
            maxLength={4}
            autocomplete="off"
            value={last4}
            {...invalid('p4')}
            onInput={(e) => this.setState({ last4: e.currentTarget.value.replace(/\D/g, '') })}
          />
          <p id="lk-err" class="err" role="alert">
            {err}
          </p>
          <button class="primary" type="submit" disabled={busy}>
            {busy ? '正在查询…' : '查询'}
          </button>
        </form>
        {page.hotline && (
          <p>
            如需帮助，请拨打 <Hotline text={page.hotline} />
          </p>
        )}
      </Frame>
    );
  }
}
