// Held ratings (docs/domain.md): a rating an anti-rigging rule flags counts in no figure until a
// supervisor releases or excludes it. Every view of figures says how many of its period are held.
import type { SessionUser } from '../../../shared/api.js';
import { BASE } from '../../router.js';
import { int, qs, type Range } from '../stats/format.js';
import './held.css';

/** Who may open the review queue (a supervisor decides; an admin reads it). */
export function canOpenQueue(user: SessionUser): boolean {
  return user.role === 'supervisor' || user.role === 'admin';
}

/** The review queue, one by one, of a period and (optionally) a department or window. */
export function heldLink(filter: { range?: Range; departmentId?: number; codeId?: string } = {}): string {
  const { range, departmentId, codeId } = filter;
  return `${BASE}/held?${qs({ view: 'list', departmentId, codeId, from: range?.from, to: range?.to })}`;
}

/**
 * 另有 N 条评价暂扣待核查，未计入本页各项数据 · 去核查: over the figures of a scope or department, when any
 * rating of the period is held. Without `href` (a head cannot open the queue) the line says who decides.
 */
export function HeldNote({ held, href }: { held: number; href?: string }) {
  if (held <= 0) return null;
  return (
    <p class="held-note" data-testid="held-note">
      另有 <strong>{int(held)}</strong> 条评价暂扣待核查，未计入本页各项数据
      {href ? (
        <>
          {' · '}
          <a href={href}>去核查</a>
        </>
      ) : (
        '（由督查核查后决定是否计入）'
      )}
    </p>
  );
}

/** A row's held ratings: 0 as a dash, otherwise the count (a link to the queue when one is given). */
export function HeldCount({ held, href }: { held: number; href?: string }) {
  if (held <= 0) return <span class="muted">—</span>;
  return href ? (
    <a href={href} class="held-count" aria-label={`${int(held)} 条待核查（去核查）`}>
      {int(held)}
    </a>
  ) : (
    <span class="held-count">{int(held)}</span>
  );
}
