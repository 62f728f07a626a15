// The page frame and the two read-only views: an unusable code or link, and a case's progress.

import { Component, type ComponentChildren } from 'preact';
import { chinaMinute } from '../../shared/china-time.js';
import { setBig } from './storage';
import type { CaseData, MissingData } from './types';

/** Who issues the page (settings citizen.authority), named in the header; the product's name when unset. */
let issuer = '码上评议';
export function setIssuer(name: string | undefined): void {
  if (name) issuer = name;
}

/** The issuer and the 长辈模式 (large text) toggle, remembered on this phone. */
class TopBar extends Component<Record<string, never>, { big: boolean }> {
  constructor() {
    super();
    this.state = { big: document.documentElement.classList.contains('big') };
  }
  override render(_: Record<string, never>, { big }: { big: boolean }) {
    return (
      <header class="top">
        <span class="brand">{issuer}</span>
        <button
          type="button"
          class="tog"
          aria-pressed={big}
          onClick={() => {
            setBig(!big);
            this.setState({ big: !big });
          }}
        >
          <span aria-hidden="true">{big ? '✓ ' : ''}</span>长辈模式
        </button>
      </header>
    );
  }
}

/** Header (with the 长辈模式 toggle) and the one <main> every view sits in. */
export function Frame({ children }: { children: ComponentChildren }) {
  return (
    <>
      <TopBar />
      <main>{children}</main>
    </>
  );
}

/** The other channel (settings citizen.hotline), a tap to call when it starts with a number. */
export function Hotline({ text }: { text: string }) {
  const number = /^[\d-]{3,}/.exec(text);
  return number ? <a href={`tel:${number[0]}`}>{text}</a> : text;
}

/**
 * An unusable code or link, in the server's words (they are not in this bundle); a disabled code and
 * an expired link still say where they were; and where else the citizen can turn.
 */
export function Missing({ page }: { page: MissingData }) {
  return (
    <Frame>
      <h1>{page.title}</h1>
      {page.departmentName && <p class="loc">{page.departmentName}</p>}
      {page.location && <p class="loc">{page.location}</p>}
      <p>{page.advice}</p>
      {page.reason === 'case' && (
        <p>
          <a href="/s/">用受理编号查询处理进度</a>
        </p>
      )}
      {page.hotline && (
        <p class="card">
          其他反映渠道：
          <Hotline text={page.hotline} />
        </p>
      )}
    </Frame>
  );
}

/** "2026-11-22T10:00:00+08:00" → "2026-11-22 10:00", always in Beijing time. */
export function fmtTime(iso: string): string {
  const time = Date.parse(iso);
  return time ? chinaMinute(time) : iso;
}

export function CaseView({ page }: { page: CaseData }) {
  const events = page.events.slice().sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  // 办不成事: a report, not a rating; its first deadline is the answer's.
  const rep = page.caseKind === 'cannot_handle';
  return (
    <Frame>
      <h1>{rep ? '办不成事处理进度' : '评价处理进度'}</h1>
      <dl class="card facts">
        <dt>受理编号</dt>
        <dd class="caseno" data-testid="case-no">
          {page.caseNo}
        </dd>
        <dt>当前状态</dt>
        <dd data-testid="status">{page.statusLabel}</dd>
        <dt>部门</dt>
        <dd data-testid="department">{page.departmentName}</dd>
        <dt>窗口</dt>
        <dd data-testid="location">{page.location}</dd>
        <dt>{rep ? '答复时限' : page.anonymous ? '核实时限' : '回访时限'}</dt>
        <dd data-testid="contact-due">{page.contactDueDate} 前</dd>
        <dt>办结时限</dt>
        <dd data-testid="due">{page.dueDate} 前</dd>
      </dl>
      {page.anonymous && !rep && <p class="hint">匿名评价：不电话回访，由部门核实整改。</p>}
      {rep ? (
        <>
          <h2>您反映的情况</h2>
          <dl class="card facts">
            <dt>事项</dt>
            <dd data-testid="subject">{page.subject ?? '未填写'}</dd>
            <dt>情况</dt>
            <dd class="said" data-testid="description">
              {page.description}
            </dd>
            <dt>反映时间</dt>
            <dd>{fmtTime(page.createdAt)}</dd>
          </dl>
        </>
      ) : (
        <>
          <h2>您的评价</h2>
          <dl class="card facts">
            <dt>评价</dt>
            <dd data-testid="level">{page.scoreLabel}</dd>
            {page.tags.length > 0 && <dt>理由</dt>}
            {page.tags.length > 0 && <dd data-testid="reasons">{page.tags.join('、')}</dd>}
            {page.comment && <dt>留言</dt>}
            {page.comment && (
              <dd class="said" data-testid="comment">
                {page.comment}
              </dd>
            )}
            <dt>评价时间</dt>
            <dd>{fmtTime(page.createdAt)}</dd>
          </dl>
        </>
      )}
      <h2>处理记录</h2>
      <ol class="tl">
        {events.map((event) => (
          <li>
            <strong>{event.label}</strong>
            <time dateTime={event.at}>{fmtTime(event.at)}</time>
            {event.note && <p>{event.note}</p>}
          </li>
        ))}
      </ol>
    </Frame>
  );
}
