// The page frame and the two read-only views: an unusable code or link, and a case's progress.

import { Component, type ComponentChildren } from 'preact';
import { chinaMinute } from '../../shared/china-time.js';
import { setBig } from './storage';
import type { CaseData, MissingData } from './types';

/** The brand and the 长辈模式 (large text) toggle, remembered on this phone. */
class TopBar extends Component<Record<string, never>, { big: boolean }> {
  constructor() {
    super();
    this.state = { big: document.documentElement.classList.contains('big') };
  }
  override render(_: Record<string, never>, { big }: { big: boolean }) {
    return (
      <header class="top">
        <span class="brand">码上评议</span>
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

/**
 * An unusable code or link, in the server's words (they are not in this bundle); a disabled code and
 * an expired link still say where they were.
 */
export function Missing({ page }: { page: MissingData }) {
  return (
    <Frame>
      <h1>{page.title}</h1>
      {page.departmentName && <p class="loc">{page.departmentName}</p>}
      {page.location && <p class="loc">{page.location}</p>}
      <p>{page.advice}</p>
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
  return (
    <Frame>
      <h1>评价处理进度</h1>
      <dl class="card facts">
        <dt>受理编号</dt>
        <dd class="caseno" data-testid="case-no">
          {page.caseNo}
        </dd>
        <dt>当前状态</dt>
        <dd data-testid="status">{page.statusLabel}</dd>
        <dt>办结时限</dt>
        <dd>{page.dueDate} 前</dd>
        <dt>评价时间</dt>
        <dd>{fmtTime(page.createdAt)}</dd>
      </dl>
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
