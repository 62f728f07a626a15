// The rating flow: five levels → reasons, comment, optional phone → send (surviving weak signal)
// → thanks, with the case number for a 差评.
import { Component } from 'preact';
import { buildBody, checkDraft, type DraftErrors } from './draft';
import {
  clientIdOf,
  loadPending,
  randomId,
  savePending,
  startSending,
  type Pending,
  type RatingResult,
  type Sender,
} from './pending';
import { store } from './storage';
import type { RateData } from './types';
import { Frame } from './views';

// National wording and order, best first (DOMAIN.md, Rating).
const LEVELS: [number, string, string][] = [
  [5, '非常满意', '😄'],
  [4, '满意', '🙂'],
  [3, '基本满意', '😐'],
  [2, '不满意', '🙁'],
  [1, '非常不满意', '😠'],
];

type Stage =
  | { s: 'form'; err?: string }
  | { s: 'send'; retry: number; saved: boolean }
  | { s: 'done'; r: RatingResult };

// Wrapped: a bare `fetch` called as a method of another object throws "Illegal invocation".
const post = (u: string, i: RequestInit) => fetch(u, i);

interface State {
  stage: Stage;
  score: number;
  tags: string[];
  comment: string;
  phone: string;
  consent: boolean;
  errs: DraftErrors;
  /** The 好评 phone section (<details>) is open. */
  open: boolean;
}

// A class rather than hooks: preact/hooks would cost ~1 KB of the page's 12 KB budget.
export class Rate extends Component<{ d: RateData }, State> {
  // `declare` fields and constructor assignments: real class fields would pull in Babel helpers
  // at the es2019 build target.
  declare resume: Pending | null;
  declare sender: Sender | null;
  /** The element to focus once the next render is on screen (result heading, first error…). */
  declare focusId: string;
  declare kick: () => void;
  declare seen: () => void;

  constructor(props: { d: RateData }) {
    super(props);
    const resume = (this.resume = loadPending(store, props.d.code));
    this.sender = null;
    this.focusId = '';
    this.kick = () => this.sender && this.sender.now();
    this.seen = () => document.visibilityState == 'visible' && this.kick();
    this.state = {
      stage: resume ? { s: 'send', retry: 0, saved: true } : { s: 'form' },
      score: 0,
      tags: [],
      comment: '',
      phone: '',
      consent: false,
      errs: {},
      open: false,
    };
  }

  override componentDidMount() {
    if (this.resume) this.send(this.resume, true);
    addEventListener('online', this.kick);
    document.addEventListener('visibilitychange', this.seen);
  }

  override componentWillUnmount() {
    removeEventListener('online', this.kick);
    document.removeEventListener('visibilitychange', this.seen);
    if (this.sender) this.sender.stop();
  }

  override componentDidUpdate() {
    const el = this.focusId && document.getElementById(this.focusId);
    this.focusId = '';
    if (el) el.focus();
  }

  send(p: Pending, saved: boolean) {
    this.focusId = 'sh';
    this.setState({ stage: { s: 'send', retry: 0, saved } });
    this.sender = startSending(
      store,
      p,
      { fetch: post },
      {
        onRetry: (retry) => this.setState({ stage: { s: 'send', retry, saved } }),
        onOk: (r) => {
          this.focusId = 'rh';
          this.setState({ stage: { s: 'done', r } });
        },
        onFinal: (_status, err) => {
          this.sender = null;
          this.focusId = 'fe';
          this.setState({ stage: { s: 'form', err } });
        },
      },
    );
  }

  pick(v: number) {
    // Reasons belong to a class (好评/差评): switching class starts the reasons afresh.
    const was = this.state.score;
    this.setState(was && v <= 2 != was <= 2 ? { score: v, tags: [] } : { score: v });
  }

  submit(e: Event) {
    e.preventDefault();
    const { score, tags, comment, phone, consent } = this.state;
    if (this.sender || !score) return; // a double tap must not send a second rating
    const draft = { score, tags, comment, phone, consent };
    const errs = checkDraft(draft);
    if (errs.phone || errs.consent) {
      this.focusId = errs.phone ? 'phone' : 'consent';
      this.setState({ errs, open: true });
      return;
    }
    this.setState({ errs });
    const p: Pending = {
      code: this.props.d.code,
      body: buildBody(draft, clientIdOf(store), randomId()),
      savedAt: Date.now(),
    };
    this.send(p, savePending(store, p));
  }

  override render({ d }: { d: RateData }, { stage, score, tags, comment, phone, consent, errs, open }: State) {
    const max = d.commentMax || 500;
    const bad = score > 0 && score <= 2;
    const choices = (d.tags && (bad ? d.tags.bad : d.tags.good)) || [];
    const set = (patch: Partial<State>) => this.setState(patch as State);
    let body;
    if (stage.s == 'done') {
      const f = stage.r.followUp;
      body = (
        <section class="card" data-testid="result">
          <h2 id="rh" tabIndex={-1}>
            感谢您的评价
          </h2>
          {f ? (
            <>
              <p>
                受理编号
                <strong class="caseno" data-testid="case-no">
                  {f.caseNo}
                </strong>
              </p>
              <p>我们将在 {f.dueDate} 前回访处理</p>
              <p class="hint">请截图或记下受理编号，以便查询处理进度。</p>
              {f.statusUrl && /^(https?:\/\/|\/)/.test(f.statusUrl) && (
                <p>
                  <a href={f.statusUrl}>查看处理进度</a>
                </p>
              )}
            </>
          ) : (
            <p>您的评价已收到，我们将持续改进服务。</p>
          )}
        </section>
      );
    } else if (stage.s == 'send') {
      body = (
        <section class="card sending">
          <div class="spin" aria-hidden="true" />
          <h2 id="sh" tabIndex={-1}>
            正在提交评价…
          </h2>
          <p role="status">
            {stage.retry
              ? stage.saved
                ? '网络不佳，正在重试…评价已保存在本机，不会丢失'
                : '网络不佳，正在重试…请不要关闭本页'
              : '请稍候'}
          </p>
          {stage.retry > 0 && (
            <button type="button" onClick={this.kick}>
              立即重试
            </button>
          )}
        </section>
      );
    } else {
      const phoneIds = ['ph', errs.phone && 'pe'].filter(Boolean).join(' ');
      const phoneBody = (
        <>
          <p class="hint" id="ph">
            仅用于本次回访
          </p>
          <label for="phone">手机号码</label>
          <input
            id="phone"
            type="tel"
            inputMode="numeric"
            autoComplete="tel"
            maxLength={20}
            value={phone}
            aria-invalid={!!errs.phone}
            aria-describedby={phoneIds}
            onInput={(e) => set({ phone: e.currentTarget.value })}
          />
          {errs.phone && (
            <p id="pe" class="err" role="alert">
              {errs.phone}
            </p>
          )}
          <div class="chk">
            <input
              id="consent"
              type="checkbox"
              checked={consent}
              aria-invalid={!!errs.consent}
              aria-describedby={errs.consent ? 'ce' : undefined}
              onChange={(e) => set({ consent: e.currentTarget.checked })}
            />
            <label for="consent">我同意工作人员使用此号码联系我</label>
          </div>
          {errs.consent && (
            <p id="ce" class="err" role="alert">
              {errs.consent}
            </p>
          )}
        </>
      );
      // A final refusal (429, 410…) shows by the submit button, or on top when a resumed rating
      // was refused and there is no filled-in form to go back to.
      const failure = stage.err && (
        <p id="fe" class="err" role="alert" tabIndex={-1}>
          {stage.err}
        </p>
      );
      body = (
        <form onSubmit={(e) => this.submit(e)} noValidate>
          {!score && failure}
          <fieldset>
            <legend>您对本次服务满意吗？</legend>
            {LEVELS.map(([v, name, face]) => (
              <label class={score == v ? 'lv on' : 'lv'} key={v}>
                <input type="radio" name="score" value={v} checked={score == v} onChange={() => this.pick(v)} />
                <span class="face" aria-hidden="true">
                  {face}
                </span>
                {name}
              </label>
            ))}
          </fieldset>
          {score > 0 && (
            <>
              {choices.length > 0 && (
                <fieldset>
                  <legend>{bad ? '不满意的原因' : '满意的方面'}（可多选）</legend>
                  <div class="chips">
                    {choices.map((t) => {
                      const on = tags.indexOf(t) >= 0;
                      return (
                        <button
                          type="button"
                          class="chip"
                          key={t}
                          aria-pressed={on}
                          onClick={() => set({ tags: on ? tags.filter((x) => x != t) : tags.concat(t) })}
                        >
                          {on && <span aria-hidden="true">✓ </span>}
                          {t}
                        </button>
                      );
                    })}
                  </div>
                </fieldset>
              )}
              <label for="comment">意见建议（选填）</label>
              <textarea
                id="comment"
                rows={4}
                maxLength={max}
                value={comment}
                aria-describedby="cc"
                onInput={(e) => set({ comment: e.currentTarget.value })}
              />
              <p id="cc" class="count">
                {comment.length}/{max}
              </p>
              {bad ? (
                <fieldset class="card">
                  <legend>留下电话，我们将回访处理</legend>
                  {phoneBody}
                </fieldset>
              ) : (
                <details class="card" open={open} onToggle={(e) => set({ open: e.currentTarget.open })}>
                  <summary>愿意接受回访抽查</summary>
                  {phoneBody}
                </details>
              )}
              {failure}
              <button type="submit" class="primary">
                提交评价
              </button>
            </>
          )}
        </form>
      );
    }

    return (
      <Frame>
        <h1>{d.departmentName}</h1>
        <p class="loc">
          {d.location}
          {d.staffName && <> · 工作人员 {d.staffName}</>}
        </p>
        {body}
      </Frame>
    );
  }
}
