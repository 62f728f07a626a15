import type { ComponentChildren } from 'preact';
import type { Home } from '../../../shared/api/home.js';
import { ROLE_LABELS } from '../../../shared/domain.js';
import { formatTime } from '../components/cases/types.js';
import { ErrorText } from '../components/ErrorText.js';
import { useApi } from '../components/use-api.js';
import { BASE } from '../router.js';
import type { PageProps } from '../routes.js';

type CaseCount = NonNullable<Home['cases']['actionable']>;

/** The case list a count was taken from (every status: the page's own default is the unclosed ones). */
function casesHref(c: CaseCount, sort: 'queue' | 'newest' = 'queue'): string {
  return `${BASE}/cases?${c.query}&status=all&sort=${sort}`;
}

/** 11-24 as 11月24日 (周二). */
function dayLabel(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const weekday = '日一二三四五六'[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return `${m}月${d}日（周${weekday}）`;
}

function Item({ testId, href, children }: { testId: string; href: string; children: ComponentChildren }) {
  return (
    <li data-testid={testId}>
      <a href={href}>{children}</a>
    </li>
  );
}

/** 首页: the role's work queue. Each line links to the list it counts; nothing waiting says so. */
export function HomePage({ user }: PageProps) {
  const { data: h, error } = useApi<Home>('/api/home');
  return (
    <section class="home">
      <h1>
        您好，{user.displayName}
        <span class="muted role">（{ROLE_LABELS[user.role]}）</span>
      </h1>
      <ErrorText message={error} />
      {h?.holidayWarnings.map((w) => (
        <p key={w} role="alert" class="card">
          ⚠ {w} <a href={`${BASE}/settings#holidays`}>去载入</a>
        </p>
      ))}
      {h ? <Queue h={h} /> : !error && <p class="muted">加载中…</p>}
    </section>
  );
}

function Queue({ h }: { h: Home }) {
  const c = h.cases;
  const items: ComponentChildren[] = [];
  if (c.dueToday && c.dueToday.count > 0) {
    items.push(
      <Item testId="home-due-today" href={casesHref(c.dueToday)}>
        今天到期 <strong>{c.dueToday.count}</strong> 件
      </Item>,
    );
  }
  if (c.dueNext && c.dueNext.count > 0) {
    items.push(
      <Item testId="home-due-next" href={casesHref(c.dueNext)}>
        下一个工作日 {dayLabel(h.nextWorkingDay)} 到期 <strong>{c.dueNext.count}</strong> 件
      </Item>,
    );
  }
  if (c.newBad.count > 0) {
    items.push(
      <Item testId="home-new-bad" href={casesHref(c.newBad, 'newest')}>
        {h.previousLoginAt !== null ? `上次登录（${formatTime(h.previousLoginAt)}）以来` : '近 7 天'}新差评{' '}
        <strong>{c.newBad.count}</strong> 件
      </Item>,
    );
  }
  if (h.held !== null && h.held > 0) {
    items.push(
      <Item testId="home-held" href={`${BASE}/held`}>
        待核查评价 <strong>{h.held}</strong> 条
      </Item>,
    );
  }
  for (const m of h.spotChecksDue ?? []) {
    items.push(
      <Item testId={`home-spot-${m.month}`} href={`${BASE}/spot-checks?month=${m.month}`}>
        {m.month} 好评抽查：<strong>{m.candidates}</strong> 条实名好评尚未抽取
      </Item>,
    );
  }
  if (h.integrationsFailing !== null && h.integrationsFailing > 0) {
    items.push(
      <Item testId="home-integrations" href={`${BASE}/integrations`}>
        系统对接：<strong>{h.integrationsFailing}</strong> 个对接最近一次调用出错
      </Item>,
    );
  }
  const waiting = c.waitingOnSupervisor;
  return (
    <>
      {c.actionable && c.overdue && (
        <p class="card queue-head" data-testid="home-actionable">
          <a href={casesHref(c.actionable)}>
            待我处理 <strong data-testid="home-actionable-count">{c.actionable.count}</strong> 件
          </a>
          （
          <a href={casesHref(c.overdue)} class={c.overdue.count > 0 ? 'bad' : undefined}>
            超期 <strong data-testid="home-overdue-count">{c.overdue.count}</strong> 件
          </a>
          ）
        </p>
      )}
      {items.length > 0 ? (
        <ul class="queue" aria-label="待办">
          {items}
        </ul>
      ) : (
        (!c.actionable || c.actionable.count === 0) && (
          <p class="card muted" data-testid="home-empty">
            暂无待办。
          </p>
        )
      )}
      {waiting && waiting.count > 0 && c.overdueWaitingOnSupervisor && (
        <p class="muted" data-testid="home-waiting-supervisor">
          另有 <a href={casesHref(waiting)}>{waiting.count} 件</a>等待督查（申诉复核、办结），其中超期 {c.overdueWaitingOnSupervisor.count}{' '}
          件：这些不是本部门的待办。
        </p>
      )}
    </>
  );
}
