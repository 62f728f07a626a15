// The rating flow: five levels; a first tap on 非常满意 or 满意 sends at once, any other level (or
// "先写理由") opens reasons, comment, optional phone → send (surviving weak signal) → the receipt,
// with the case number for a 差评, kept on the phone and shown again before any form (reload, Back,
// rescan). The same for a window code (/r/{code}) and a 办件's one-time link (/e/{token}, 一次一评):
// only the header, the POST address and the 追评 differ.
import { Component } from 'preact';
import { chinaMinute } from '../../shared/china-time.js';
import { isBadScore, SCORE_LABELS, SCORES, type Score } from '../../shared/domain.js';
import { buildBody, checkDraft, type Draft, type DraftErrors } from './draft';
import {
  clientIdOf,
  loadPending,
  loadReceipt,
  type Pending,
  type Receipt,
  randomId,
  type Sender,
  savePending,
  startSending,
} from './pending';
import { store } from './storage';
import type { MatterData, RateData } from './types';
import { Frame, fmtTime } from './views';

/**
 * The face beside each level's national wording (SCORE_LABELS), drawn (no emoji font on many phones):
 * green and smiling at 5 to red and frowning at 1; the mouth's curve is the level's distance from 3.
 */
function Face({ level }: { level: number }) {
  const c = (level - 3) * 3;
  return (
    <svg class="face" viewBox="0 0 32 32" aria-hidden="true">
      <circle cx="16" cy="16" r="15" fill={`hsl(${level * 30 - 30},70%,50%)`} />
      <path d={`M11 12h0m10 0h0M9 ${21 - c / 2}q7 ${c * 2} 14 0`} />
    </svg>
  );
}

type Stage =
  | { step: 'form'; refusal?: string }
  | { step: 'sending'; retries: number; saved: boolean }
  /** `fresh`: just sent (else the receipt kept on the phone). */
  | { step: 'done'; receipt: Receipt; fresh?: boolean };

// Wrapped: a bare `fetch` called as a method of another object throws "Illegal invocation".
const post = (url: string, init: RequestInit) => fetch(url, init);

interface State extends Draft {
  stage: Stage;
  errors: DraftErrors;
  /** The 好评 phone section (<details>) is open. */
  phoneOpen: boolean;
  /** The form first ("先写理由"): no level sends at once. */
  detail?: boolean;
  /** All five levels shown again to change the one chosen. */
  choosing?: boolean;
  /** The case number was copied (the receipt says 已复制). */
  copied?: boolean;
}

type Change = (patch: Partial<State>) => void;

/** A message by the field it is about, announced; nothing without a message. */
function FieldError({ id, message, tabIndex }: { id: string; message?: string; tabIndex?: number }) {
  return message ? (
    <p id={id} class="err" role="alert" tabIndex={tabIndex}>
      {message}
    </p>
  ) : null;
}

/**
 * 您对本次服务满意吗: the five levels as large buttons, best first. Once one is chosen only it stays
 * (fewer things on the screen), with 重新选择 beside it.
 */
function SatisfactionLevels({ form, onPick, onChange }: { form: State; onPick: (score: Score) => void; onChange: Change }) {
  const { score } = form;
  const quick = !score && !form.detail;
  return (
    <fieldset>
      <legend>您对本次服务满意吗？</legend>
      {quick && <p class="hint">点“非常满意”“满意”即提交</p>}
      {SCORES.map(
        (level) =>
          (!score || form.choosing || level === score) && (
            <button type="button" class="lv" aria-pressed={score === level} key={level} onClick={() => onPick(level)}>
              <Face level={level} />
              {SCORE_LABELS[level]}
            </button>
          ),
      )}
      {/* Stays while choosing again, so the focus stays where it was. */}
      {(quick || score > 0) && (
        <button type="button" onClick={() => onChange(score ? { choosing: true } : { detail: true })}>
          {score ? '重新选择' : '先写理由或留言'}
        </button>
      )}
    </fieldset>
  );
}

/** The reasons offered for the chosen class (差评 or 好评) as toggle chips; none offered, nothing shown. */
function ReasonTags({ bad, offered, chosen, onChange }: { bad: boolean; offered: string[]; chosen: string[]; onChange: Change }) {
  if (!offered.length) return null;
  return (
    <fieldset>
      <legend>{bad ? '不满意的原因' : '满意的方面'}（可多选）</legend>
      <div class="chips">
        {offered.map((tag) => {
          const on = chosen.indexOf(tag) >= 0;
          return (
            <button
              type="button"
              class="chip"
              key={tag}
              aria-pressed={on}
              onClick={() => onChange({ tags: on ? chosen.filter((other) => other !== tag) : chosen.concat(tag) })}
            >
              {on && <span aria-hidden="true">✓ </span>}
              {tag}
            </button>
          );
        })}
      </div>
    </fieldset>
  );
}

/** The optional comment with its count against the limit. */
function CommentField({ comment, max, onChange }: { comment: string; max: number; onChange: Change }) {
  return (
    <>
      <label for="comment">意见建议（选填）</label>
      <p class="hint" id="ch">
        留言中的手机号会被隐藏；需回访请填下方手机号码
      </p>
      <textarea
        id="comment"
        rows={3}
        maxLength={max}
        value={comment}
        aria-describedby="ch cc"
        onInput={(e) => onChange({ comment: e.currentTarget.value })}
      />
      <p id="cc" class="count">
        {comment.length}/{max}
      </p>
    </>
  );
}

/**
 * The phone, never required, with the explicit consent that must come with it: a 差评 asks for it to
 * follow the rating up (差评必查); a 好评 offers it, folded, for 好评抽查.
 */
function FollowUpPhone({ bad, form, onChange }: { bad: boolean; form: State; onChange: Change }) {
  const { errors } = form;
  const fields = (
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
        value={form.phone}
        aria-invalid={!!errors.phone}
        aria-describedby={errors.phone ? 'ph pe' : 'ph'}
        onInput={(e) => onChange({ phone: e.currentTarget.value })}
      />
      <FieldError id="pe" message={errors.phone} />
      <div class="chk">
        <input
          id="consent"
          type="checkbox"
          checked={form.consent}
          aria-invalid={!!errors.consent}
          aria-describedby={errors.consent ? 'ce' : undefined}
          onChange={(e) => onChange({ consent: e.currentTarget.checked })}
        />
        <label for="consent">我同意工作人员使用此号码联系我</label>
      </div>
      <FieldError id="ce" message={errors.consent} />
    </>
  );
  return bad ? (
    <fieldset class="card">
      <legend>回访电话（选填）</legend>
      {fields}
    </fieldset>
  ) : (
    <details class="card" open={form.phoneOpen} onToggle={(e) => onChange({ phoneOpen: e.currentTarget.open })}>
      <summary>愿意接受回访抽查</summary>
      {fields}
    </details>
  );
}

interface RatingFormProps {
  page: Rated;
  form: State;
  /** The server's final refusal (429, 410…) of the last try. */
  refusal?: string;
  onPick: (score: Score) => void;
  onChange: Change;
  onSubmit: (e: Event) => void;
}

/** The level first; the rest of the form once one is chosen (a 差评 says first what will follow). */
function RatingForm({ page, form, refusal, onPick, onChange, onSubmit }: RatingFormProps) {
  const { score } = form;
  const bad = score > 0 && isBadScore(score);
  const max = page.commentMax;
  // The refusal shows by the submit button, or on top when a resumed rating was refused and there
  // is no filled-in form to go back to.
  const failure = <FieldError id="fe" message={refusal} tabIndex={-1} />;
  return (
    <form onSubmit={onSubmit} noValidate>
      {!score && failure}
      <SatisfactionLevels form={form} onPick={onPick} onChange={onChange} />
      {score > 0 && (
        <>
          {bad && <p class="note">提交后给您受理编号，凭它查进度；留电话的，有专人联系您</p>}
          <ReasonTags
            bad={bad}
            offered={(page.tags && (bad ? page.tags.bad : page.tags.good)) || []}
            chosen={form.tags}
            onChange={onChange}
          />
          <CommentField comment={form.comment} max={max} onChange={onChange} />
          <FollowUpPhone bad={bad} form={form} onChange={onChange} />
          {failure}
          <button type="submit" class="primary">
            提交评价
          </button>
        </>
      )}
    </form>
  );
}

/** While the rating is on its way; after a failed try, reassurance and a button to try again now. */
function Sending({ retries, saved, onRetryNow }: { retries: number; saved: boolean; onRetryNow: () => void }) {
  return (
    <section class="card sending">
      <div class="spin" aria-hidden="true" />
      <h2 id="sh" tabIndex={-1}>
        正在提交评价…
      </h2>
      <p role="status">
        {retries ? (saved ? '网络不佳，正在重试…评价已保存在本机，不会丢失' : '网络不佳，正在重试…请不要关闭本页') : '请稍候'}
      </p>
      {retries > 0 && (
        <button type="button" onClick={onRetryNow}>
          立即重试
        </button>
      )}
    </section>
  );
}

/** Copies the case number; where the clipboard API is missing or refused, selects it and tries the old way. */
function copyCaseNo(text: string, done: () => void) {
  Promise.resolve()
    .then(() => navigator.clipboard.writeText(text))
    .then(done, () => {
      (getSelection() as Selection).selectAllChildren(document.getElementById('cn') as Node);
      if (document.execCommand('copy')) done();
    });
}

interface ReceiptProps {
  receipt: Receipt;
  fresh?: boolean;
  /** The 追评's end, after a 办件's first rating; '' otherwise. */
  until: string;
  copied?: boolean;
  onCopied: () => void;
  /** 再评价一次 / 追评, once allowed. */
  again?: { label: string; go: () => void };
}

/**
 * The thanks, or on a later visit "您已评价"; for a 差评 the case number (with a copy button), what
 * happens by when — a call only when a phone was left — and the link to follow it; after a 办件's
 * first rating, until when a 追评 is possible.
 */
function ReceiptCard({ receipt: r, fresh, until, copied, onCopied, again }: ReceiptProps) {
  return (
    <section class="card" data-testid="result">
      <h2 id="rh" tabIndex={-1}>
        {fresh ? '感谢您的评价' : r.caseNo ? '您已评价' : '您已评价，感谢'}
      </h2>
      {r.caseNo ? (
        <>
          <p>
            受理编号
            <strong class="caseno" id="cn" data-testid="case-no">
              {r.caseNo}
            </strong>
            <button type="button" onClick={() => copyCaseNo(r.caseNo as string, onCopied)}>
              复制编号
            </button>{' '}
            <span role="status">{copied ? '已复制' : ''}</span>
          </p>
          <p>{r.promise}</p>
          {r.statusUrl && /^(https?:\/\/|\/)/.test(r.statusUrl) && (
            <p>
              <a href={r.statusUrl}>查看处理进度</a>
            </p>
          )}
        </>
      ) : null}
      {until && <p>如需追评，请于 {until} 前再次打开本链接。</p>}
      {again && (
        <button type="button" onClick={again.go}>
          {again.label}
        </button>
      )}
    </section>
  );
}

type Rated = RateData | MatterData;

/** The key of the page's pending rating: its window code, or `e/{token}` (pending.ts ratingUrl). */
export const pendingKey = (page: Rated) => (page.kind === 'matter' ? `e/${page.token}` : page.code);

/**
 * The receipt kept on this phone that stands in for the form: a window code's for `perCodeMinutes` after
 * the rating (the server refuses another one then), and a 差评's until its case's 办结 day; a 办件
 * link's once the link has been rated.
 */
function keptReceipt(page: Rated): Receipt | null {
  const r = loadReceipt(store, pendingKey(page));
  if (!r) return null;
  if (page.kind === 'matter') return page.rated ? r : null;
  return recent(page, r) || (r.dueDate || '') >= chinaMinute(Date.now()).slice(0, 10) ? r : null;
}

/** Within the per-code window after the receipt's rating. */
const recent = (page: RateData, r: Receipt) => Date.now() < r.at + page.perCodeMinutes * 60_000;

// A class rather than hooks: preact/hooks would cost ~1 KB of the page's 12 KB budget. No `?.` in
// the citizen page either: the es2019 target writes each one out as two null checks (biome.json turns
// useOptionalChain off for client/mobile).
export class Rate extends Component<{ page: Rated }, State> {
  // `declare` fields and constructor assignments: real class fields would pull in Babel helpers
  // at the es2019 build target.
  declare resume: Pending | null;
  declare sender: Sender | null;
  /** The element to focus once the next render is on screen (result heading, first error…). */
  declare focusId: string;
  declare retryNow: () => void;
  declare retryWhenVisible: () => void;

  constructor(props: { page: Rated }) {
    super(props);
    const resume = loadPending(store, pendingKey(props.page));
    const kept = resume ? null : keptReceipt(props.page);
    this.resume = resume;
    this.sender = null;
    this.focusId = '';
    this.retryNow = () => this.sender && this.sender.now();
    this.retryWhenVisible = () => document.visibilityState === 'visible' && this.retryNow();
    this.state = {
      stage: resume ? { step: 'sending', retries: 0, saved: true } : kept ? { step: 'done', receipt: kept } : { step: 'form' },
      score: 0,
      tags: [],
      comment: '',
      phone: '',
      consent: false,
      errors: {},
      phoneOpen: false,
    };
  }

  override componentDidMount() {
    if (this.resume) this.send(this.resume, true);
    addEventListener('online', this.retryNow);
    document.addEventListener('visibilitychange', this.retryWhenVisible);
  }

  override componentWillUnmount() {
    removeEventListener('online', this.retryNow);
    document.removeEventListener('visibilitychange', this.retryWhenVisible);
    if (this.sender) this.sender.stop();
  }

  override componentDidUpdate() {
    const target = this.focusId && document.getElementById(this.focusId);
    this.focusId = '';
    if (target) target.focus();
  }

  send(pending: Pending, saved: boolean) {
    this.focusId = 'sh';
    this.setState({ stage: { step: 'sending', retries: 0, saved } });
    this.sender = startSending(
      store,
      pending,
      { fetch: post },
      {
        onRetry: (retries) => this.setState({ stage: { step: 'sending', retries, saved } }),
        onOk: (receipt) => {
          this.focusId = 'rh';
          this.setState({ stage: { step: 'done', receipt, fresh: true } });
        },
        onFinal: (_status, refusal) => {
          this.sender = null;
          this.focusId = 'fe';
          this.setState({ stage: { step: 'form', refusal } });
        },
      },
    );
  }

  /**
   * A first tap on 非常满意 or 满意 is the whole rating (one tap; a rating is never amended, so reasons
   * come first through "先写理由"). 基本满意 and the 差评 levels open the form: their reasons are what
   * the department needs. Reasons belong to a class (好评/差评): switching class starts them afresh.
   */
  pick(score: Score) {
    const was = this.state.score;
    if (!was && !this.state.detail && score > 3) return this.submit(undefined, score);
    this.setState(was && isBadScore(score) !== isBadScore(was) ? { score, tags: [], choosing: false } : { score, choosing: false });
  }

  submit(e?: Event, quick?: Score) {
    if (e) e.preventDefault();
    const { score, tags, comment, phone, consent } = this.state;
    if (this.sender || !(quick || score)) return; // a double tap must not send a second rating
    const draft = quick ? { score: quick, tags: [], comment: '', phone: '', consent: false } : { score, tags, comment, phone, consent };
    const errors = checkDraft(draft);
    if (errors.phone || errors.consent) {
      this.focusId = errors.phone ? 'phone' : 'consent';
      this.setState({ errors, phoneOpen: true });
      return;
    }
    this.setState({ errors });
    const pending: Pending = {
      code: pendingKey(this.props.page),
      body: buildBody(draft, clientIdOf(store), randomId()),
      savedAt: Date.now(),
    };
    this.send(pending, savePending(store, pending));
  }

  override render({ page }: { page: Rated }, state: State) {
    const { stage } = state;
    const matter = page.kind === 'matter';
    const until = matter ? fmtTime(page.expiresAt) : '';
    const form = () => this.setState({ stage: { step: 'form' }, score: 0, detail: false });
    return (
      <Frame>
        <h1>{page.departmentName}</h1>
        <p class="loc">
          {page.location}
          {!matter && page.staffName && <> · 工作人员 {page.staffName}</>}
          {!matter && <a href={`/g/?code=${page.code}`}> 办事指南</a>}
        </p>
        {matter && (
          <p>
            您于 {page.finishedOn} 在 {page.departmentName} 办理的「{page.taskName}」已办结
            {/* Once rated here, the receipt says the rest. */}
            {stage.step === 'done' && stage.fresh ? '。' : page.standing}
          </p>
        )}
        {stage.step === 'done' ? (
          <ReceiptCard
            receipt={stage.receipt}
            fresh={stage.fresh}
            until={stage.fresh && stage.receipt.assess === 1 ? until : ''}
            copied={state.copied}
            onCopied={() => this.setState({ copied: true })}
            again={
              !stage.fresh && (matter ? page.rated === 1 : !recent(page, stage.receipt))
                ? { label: matter ? '追评一次' : '再评价一次', go: form }
                : undefined
            }
          />
        ) : stage.step === 'sending' ? (
          <Sending retries={stage.retries} saved={stage.saved} onRetryNow={this.retryNow} />
        ) : matter && page.rated > 1 ? null : (
          <RatingForm
            page={page}
            form={state}
            refusal={stage.refusal}
            onPick={(score) => this.pick(score)}
            onChange={(patch) => this.setState(patch as State)}
            onSubmit={(e) => this.submit(e)}
          />
        )}
      </Frame>
    );
  }
}
