import type { RatingHistory } from '../../../../shared/api/cases.js';
import { chinaMinute } from '../../../../shared/china-time.js';
import { BASE } from '../../router.js';
import { ErrorText } from '../ErrorText.js';
import { useApi } from '../use-api.js';
import './held.css';

const KIND_LABELS: Record<string, string> = { release: '已核实计入', exclude: '已排除' };

/**
 * Where a flagged or excluded rating stands (GET /api/ratings/{id}/history): 暂扣待核查, or each recorded
 * decision — 已排除 / 已核实计入 · 理由 · 谁 · 何时 (an appeal's exclusion links to its case) — and the
 * rules that flagged it.
 */
export function RatingDecisions({ ratingId }: { ratingId: number }) {
  const { data: history, error } = useApi<RatingHistory>(`/api/ratings/${ratingId}/history`);
  if (error) return <ErrorText message={error} inline />;
  if (!history) return <span class="muted">核查记录加载中…</span>;
  const data = { ...history.rating, decisions: history.decisions };
  const rules = data.flagLabels.join('、');
  return (
    <span class="rating-decisions" data-testid={`decisions-${ratingId}`}>
      {data.held && (
        <span class="decision">
          <span class="badge warn">暂扣待核查</span>
        </span>
      )}
      {data.decisions.map((d, i) => (
        // Oldest first and append-only: the index is the decision's place.
        <span class="decision" key={i}>
          <span class={d.kind === 'exclude' ? 'badge bad' : 'badge ok'}>{KIND_LABELS[d.kind] ?? d.kind}</span>{' '}
          {[d.reason, d.decidedByName ?? '—', chinaMinute(d.decidedAt)].join(' · ')}
          {d.caseId !== null && (
            <>
              {' · '}
              <a href={`${BASE}/cases/${d.caseId}`}>相关案件</a>
            </>
          )}
        </span>
      ))}
      {!data.held && data.decisions.length === 0 && rules && (
        <span class="decision">
          <span class="badge">已标记，计入统计</span>
        </span>
      )}
      {rules && <span class="decision muted">标记规则：{rules}</span>}
    </span>
  );
}
