// 办不成事 (GET /b/{code}, or a rejected 办件's link GET /e/{token}, sent with its token): a citizen
// reports what they could not get done at this window (事项 optional, prefilled from ?task= or the
// 办件's; what happened; a phone only with consent) → POST /api/public/reports
// → the 受理编号 and the status page (/s/{token}). The receipt is kept on the phone (localStorage), so a
// reload or a rescan shows it again before any form.
import { Component } from 'preact';
import { MOBILE_PATTERN, normalizePhone } from '../../shared/domain.js';
import { store } from './storage';
import type { ReportData } from './types';
import { Frame, fmtTime } from './views';

interface Receipt {
  caseNo: string;
  statusUrl: string;
  at: string;
}

interface State {
  subject: string;
  text: string;
  phone: string;
  consent: boolean;
  /** Which field is wrong, and what the page says. */
  bad: string;
  err: string;
  busy: boolean;
  receipt: Receipt | null;
}

const keyOf = (code: string) => `mspy:bb:${code}`;

function loadReceipt(code: string): Receipt | null {
  try {
    const r = JSON.parse(store.getItem(keyOf(code)) || 'null');
    return r && /^\/s\/[\w-]+$/.test(r.statusUrl) ? r : null;
  } catch {
    return null;
  }
}

export class Report extends Component<{ page: ReportData }, State> {
  constructor({ page }: { page: ReportData }) {
    super();
    this.state = {
      subject: page.subject,
      text: '',
      phone: '',
      consent: false,
      bad: '',
      err: '',
      busy: false,
      receipt: loadReceipt(page.token || page.code),
    };
  }

  submit = async (e: Event) => {
    e.preventDefault();
    const { subject, text, phone, consent, busy } = this.state;
    if (busy) return;
    const tel = normalizePhone(phone.trim());
    if (!text.trim()) return this.setState({ bad: 'text', err: '请写下遇到的情况' });
    if (tel && !MOBILE_PATTERN.test(tel)) return this.setState({ bad: 'tel', err: '手机号格式不正确，请填写 11 位手机号码' });
    if (tel && !consent) return this.setState({ bad: 'ok', err: '留下手机号需勾选同意' });
    this.setState({ bad: '', err: '', busy: true });
    let err = '网络不通，请检查网络后重试';
    try {
      const res = await fetch('/api/public/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...(this.props.page.token ? { matterToken: this.props.page.token } : { code: this.props.page.code }),
          subject: subject.trim() || undefined,
          description: text,
          ...(tel ? { phone: tel, consent } : {}),
        }),
      });
      const body = await res.json().catch(() => ({}));
      if (res.status === 201) {
        const receipt = { caseNo: body.caseNo, statusUrl: body.statusUrl, at: new Date().toISOString() };
        try {
          store.setItem(keyOf(this.props.page.token || this.props.page.code), JSON.stringify(receipt));
        } catch {
          /* shown, not kept */
        }
        return this.setState({ receipt, busy: false, text: '', phone: '', consent: false });
      }
      err = body.message || '提交失败，请稍后再试';
    } catch {
      /* offline */
    }
    this.setState({ err, busy: false });
  };

  override render({ page }: { page: ReportData }, s: State) {
    const invalid = (id: string) => ({ 'aria-invalid': s.bad === id, 'aria-describedby': s.bad === id ? 'bb-err' : undefined });
    const r = s.receipt;
    return (
      <Frame>
        <h1>办不成事反映</h1>
        <p class="loc">
          {page.departmentName} · {page.location}
        </p>
        {r ? (
          <div class="card" role="status">
            <p>已受理，我们会尽快核实处理。</p>
            <dl class="facts">
              <dt>受理编号</dt>
              <dd class="caseno" data-testid="case-no">
                {r.caseNo}
              </dd>
              <dt>反映时间</dt>
              <dd>{fmtTime(r.at)}</dd>
            </dl>
            <p>
              <a class="primary" href={r.statusUrl}>
                查看处理进度
              </a>
            </p>
            <button type="button" onClick={() => this.setState({ receipt: null })}>
              再反映一件
            </button>
          </div>
        ) : (
          <form class="card lk" onSubmit={this.submit} noValidate>
            <p class="hint">在这里没能办成事？请告诉我们，部门会核实：不能办的说明原因，不好办的协调办理，不给办的督办解决。</p>
            <label for="bb-s">想办的事项（可不填）</label>
            <input
              id="bb-s"
              value={s.subject}
              maxLength={page.subjectMax}
              onInput={(e) => this.setState({ subject: e.currentTarget.value })}
            />
            <label for="bb-t">遇到的情况</label>
            <textarea
              id="bb-t"
              rows={5}
              maxLength={page.descriptionMax}
              value={s.text}
              {...invalid('text')}
              onInput={(e) => this.setState({ text: e.currentTarget.value })}
            />
            <label for="bb-p">手机号（可不填，方便工作人员联系您）</label>
            <input
              id="bb-p"
              type="tel"
              inputMode="numeric"
              autocomplete="tel"
              value={s.phone}
              {...invalid('tel')}
              onInput={(e) => this.setState({ phone: e.currentTarget.value })}
            />
            <label class="ok">
              <input
                type="checkbox"
                checked={s.consent}
                {...invalid('ok')}
                onChange={(e) => this.setState({ consent: e.currentTarget.checked })}
              />
              同意工作人员使用此号码联系我
            </label>
            <p id="bb-err" class="err" role="alert">
              {s.err}
            </p>
            <button class="primary" type="submit" disabled={s.busy}>
              {s.busy ? '正在提交…' : '提交反映'}
            </button>
          </form>
        )}
      </Frame>
    );
  }
}
