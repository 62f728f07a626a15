// The 评价器 (kiosk) page, /k/{token}: the window's tablet. Idle it shows the window and no rating
// controls; when a 办件 is finished at the window the server tells it (feed.ts) and it shows that
// 办件's rating screen; one tap is the rating (kept on the tablet at once, outbox.ts), reasons may be
// added for a few seconds, then thanks, then idle again. Untouched for 30 s it returns to idle and
// leaves the 办件 unrated: the next person at the window must never find someone else's 办件.
import { Component, render } from 'preact';
import type { KioskInfoT, KioskMatterT } from '../../shared/api/kiosks.js';
import { isBadScore, SCORE_LABELS, SCORES, type Score } from '../../shared/domain.js';
import { randomId } from '../mobile/pending';
import { Face, Tick } from './faces';
import { checkKiosk, openFeed, type Stopped } from './feed';
import { createOutbox, createSeen, type Outcome } from './outbox';
import './kiosk.css';

/** Untouched this long, the rating and thanks screens return to idle (`?idle=` seconds for trials). */
const IDLE_SECONDS = 30;
/** After the tap, reasons may be chosen for this long (each touch starts it again), then it is sent. */
const REASON_SECONDS = 8;

const token = decodeURIComponent(location.pathname.replace(/^\/k\//, '').split('/')[0] ?? '');
const idleParam = Number(new URLSearchParams(location.search).get('idle'));
const idleMs = (Number.isInteger(idleParam) && idleParam >= 3 && idleParam <= 600 ? idleParam : IDLE_SECONDS) * 1000;

type Screen =
  | { kind: 'loading' }
  | { kind: 'idle' }
  | { kind: 'rate'; matter: KioskMatterT }
  | { kind: 'reasons'; matter: KioskMatterT; score: Score; key: string; tags: string[]; left: number }
  | { kind: 'thanks'; matter: KioskMatterT; score: Score; key: string; outcome: Outcome | null }
  | { kind: 'stopped'; reason: Stopped };

interface State {
  info: KioskInfoT | null;
  live: boolean;
  screen: Screen;
}

const STOPPED_TEXT: Record<Stopped, [string, string]> = {
  revoked: ['此评价器已停用', '管理员已撤销本评价器。如需继续使用，请联系管理员重新开通。'],
  unknown: ['评价器地址无效', '请联系管理员在管理后台「评议码 → 评价器」开通，并用新地址打开。'],
  disabled: ['此窗口的评议码已停用', '评价器暂停使用；评议码重新启用后自动恢复。'],
};

class Kiosk extends Component<Record<string, never>, State> {
  override state: State = { info: null, live: false, screen: { kind: 'loading' } };
  private seen = createSeen();
  private outbox = createOutbox((key, outcome) => this.outcome(key, outcome));
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private countdown: ReturnType<typeof setInterval> | undefined;
  private closeFeed: (() => void) | null = null;

  override async componentDidMount() {
    document.addEventListener('pointerdown', this.touched, true);
    window.addEventListener('online', this.outbox.flush);
    this.keepAwake();
    const check = await checkKiosk(token);
    if (check.kind === 'stopped') return this.setState({ screen: { kind: 'stopped', reason: check.reason } });
    this.setState({ info: check.kind === 'ok' ? check.info : null, screen: { kind: 'idle' } });
    this.outbox.flush();
    this.closeFeed = openFeed(token, {
      info: (info) => this.setState({ info }),
      matter: (m) => this.show(m),
      cleared: (projectNo) => {
        const s = this.state.screen;
        if (s.kind === 'rate' && s.matter.projectNo === projectNo) this.toIdle();
      },
      live: (live) => {
        // A disabled code enabled again: the stream is back, and so is the idle screen.
        if (live && this.state.screen.kind === 'stopped') this.setState({ screen: { kind: 'idle' } });
        this.setState({ live });
      },
      stopped: (reason) => {
        this.releaseHeld();
        this.stopTimers();
        this.setState({ live: false, screen: { kind: 'stopped', reason } });
      },
      reconnected: () => this.outbox.flush(),
    });
  }

  override componentWillUnmount() {
    this.closeFeed?.();
    this.stopTimers();
  }

  /** The screen stays on while the page is shown (where the browser allows it: HTTPS). */
  private keepAwake() {
    const lock = (navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<unknown> } }).wakeLock;
    if (!lock) return;
    const request = () => void lock.request('screen').catch(() => undefined);
    request();
    document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && request());
  }

  private stopTimers() {
    clearTimeout(this.idleTimer);
    clearInterval(this.countdown);
  }

  /** Back to idle after `idleMs` untouched. */
  private armIdle() {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.toIdle(), idleMs);
  }

  private toIdle = () => {
    this.releaseHeld();
    this.stopTimers();
    if (this.state.screen.kind !== 'stopped') this.setState({ screen: { kind: 'idle' } });
  };

  /** Any touch: the person is still there. */
  private touched = () => {
    const s = this.state.screen;
    if (s.kind === 'rate' || s.kind === 'thanks') this.armIdle();
    else if (s.kind === 'reasons' && s.left !== REASON_SECONDS) this.setState({ screen: { ...s, left: REASON_SECONDS } });
  };

  private show(matter: KioskMatterT) {
    if (this.seen.has(matter.projectNo) || this.state.screen.kind === 'stopped') return;
    // A newer 办件 at the window: the one being rated is sent as it is.
    this.releaseHeld();
    this.stopTimers();
    this.seen.add(matter.projectNo);
    this.setState({ screen: { kind: 'rate', matter } });
    this.armIdle();
  }

  private tagsFor(score: Score): string[] {
    const tags = this.state.info?.tags;
    return (isBadScore(score) ? tags?.bad : tags?.good) ?? [];
  }

  /** The tap: the rating is kept at once; reasons may follow. */
  private pick(score: Score) {
    const s = this.state.screen;
    if (s.kind !== 'rate') return;
    const key = randomId();
    this.outbox.hold({ token, projectNo: s.matter.projectNo, score, tags: [], idempotencyKey: key });
    this.stopTimers();
    if (this.tagsFor(score).length === 0) return this.send(s.matter, score, key);
    this.setState({ screen: { kind: 'reasons', matter: s.matter, score, key, tags: [], left: REASON_SECONDS } });
    this.countdown = setInterval(() => {
      const r = this.state.screen;
      if (r.kind !== 'reasons') return;
      if (r.left <= 1) this.send(r.matter, r.score, r.key);
      else this.setState({ screen: { ...r, left: r.left - 1 } });
    }, 1000);
  }

  private toggle(tag: string) {
    const s = this.state.screen;
    if (s.kind !== 'reasons') return;
    const tags = s.tags.includes(tag) ? s.tags.filter((t) => t !== tag) : [...s.tags, tag];
    this.outbox.setTags(s.key, tags);
    this.setState({ screen: { ...s, tags, left: REASON_SECONDS } });
  }

  private send(matter: KioskMatterT, score: Score, key: string) {
    this.stopTimers();
    this.setState({ screen: { kind: 'thanks', matter, score, key, outcome: null } });
    this.outbox.release(key);
    this.armIdle();
  }

  /** A rating tapped but still open to reasons goes now (the screen is left). */
  private releaseHeld() {
    const s = this.state.screen;
    if (s.kind === 'reasons') this.outbox.release(s.key);
  }

  private outcome(key: string, outcome: Outcome) {
    const s = this.state.screen;
    if (s.kind === 'thanks' && s.key === key) this.setState({ screen: { ...s, outcome } });
  }

  override render(_: Record<string, never>, { info, live, screen }: State) {
    switch (screen.kind) {
      case 'loading':
        return <main class="screen idle" aria-busy="true" />;
      case 'stopped': {
        const [title, text] = STOPPED_TEXT[screen.reason];
        return (
          <main class="screen stopped" data-testid="stopped">
            <h1>{title}</h1>
            <p>{text}</p>
          </main>
        );
      }
      case 'idle':
        return (
          <main class="screen idle" data-testid="idle">
            {info && <p class="dept">{info.departmentName}</p>}
            {info && <h1 class="window">{info.location}</h1>}
            {info?.staffName && <p class="staff">服务人员：{info.staffName}</p>}
            <p class="prompt">办理完成后请在此评价</p>
            <p class={live ? 'status on' : 'status'} role="status">
              {live ? '已连接' : '网络连接中断，正在重新连接…'}
            </p>
          </main>
        );
      case 'rate':
        return (
          <main class="screen rate" data-testid="rate">
            <header class="matter">
              <p class="dept">
                {screen.matter.departmentName}
                {info ? ` · ${info.location}` : ''}
              </p>
              <h1>{screen.matter.taskName}</h1>
              <p class="ask">请您对本次服务进行评价</p>
            </header>
            <div class="levels">
              {SCORES.map((score) => (
                <button type="button" class={`level l${score}`} key={score} onClick={() => this.pick(score)}>
                  <Face score={score} />
                  <span class="label">{SCORE_LABELS[score]}</span>
                </button>
              ))}
            </div>
          </main>
        );
      case 'reasons': {
        const bad = isBadScore(screen.score);
        return (
          <main class="screen reasons" data-testid="reasons">
            <p class={`chosen l${screen.score}`}>
              <Face score={screen.score} />
              <span>您的评价：{SCORE_LABELS[screen.score]}</span>
            </p>
            <h1>{bad ? '请选择不满意的原因' : '请选择满意的方面'}（可多选，也可不选）</h1>
            <div class="chips">
              {this.tagsFor(screen.score).map((tag) => (
                <button type="button" class="chip" aria-pressed={screen.tags.includes(tag)} key={tag} onClick={() => this.toggle(tag)}>
                  {tag}
                </button>
              ))}
            </div>
            <button type="button" class="submit" onClick={() => this.send(screen.matter, screen.score, screen.key)}>
              提交评价
            </button>
            <p class="count">{screen.left} 秒后自动提交</p>
          </main>
        );
      }
      case 'thanks':
        return (
          <main class="screen thanks" data-testid="thanks">
            <Tick />
            <h1>感谢您的评价</h1>
            <p class="yours">您的评价：{SCORE_LABELS[screen.score]}</p>
            <OutcomeNote bad={isBadScore(screen.score)} outcome={screen.outcome} />
          </main>
        );
    }
  }
}

function OutcomeNote({ bad, outcome }: { bad: boolean; outcome: Outcome | null }) {
  if (!outcome) return <p class="note">正在提交…</p>;
  if (outcome.kind === 'waiting') return <p class="note">网络暂时不通：评价已保存在本机，网络恢复后自动提交{bad ? '并转交处理' : ''}。</p>;
  if (outcome.kind === 'final') return <p class="note">{outcome.message}</p>;
  const followUp = outcome.result.followUp;
  if (!followUp) return <p class="note">评价已提交。</p>;
  return (
    <p class="note follow" data-testid="follow-up">
      您的意见已转交处理，受理编号 <strong>{followUp.caseNo}</strong>，我们将在 {followUp.dueDate}{' '}
      前核实处理；可凭此编号在窗口查询处理进度。
    </p>
  );
}

render(<Kiosk />, document.getElementById('app')!);
