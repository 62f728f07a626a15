import { useEffect, useState } from 'preact/hooks';
import type { HoldGroup, HoldGroupsResponse } from '../../../../shared/api/ratings.js';
import { chinaMinute } from '../../../../shared/china-time.js';
import { BASE } from '../../router.js';
import { ErrorText } from '../ErrorText.js';
import { Pager } from '../Pager.js';
import { int } from '../stats/format.js';
import type { Loading } from '../stats/Section.js';
import type { DecisionRequest } from './DecisionDialog.js';
import { HeldList, SUBJECT_LABELS, shortSubject } from './HeldList.js';

export const BURST_PAGE = 20;

/** 2026-11-23 10:00 – 10:09, or both days when the burst spans midnight. */
function span(first: number, last: number): string {
  const a = chinaMinute(first);
  const b = chinaMinute(last);
  if (a === b) return a;
  return `${a} – ${a.slice(0, 10) === b.slice(0, 10) ? b.slice(11) : b}`;
}

/** 这一批（同一网络短时大量评价 · 网络 3fa9… · 某部门）: a burst in words, for the decision's confirmation. */
function describe(g: HoldGroup): string {
  return `这一批（${g.ruleLabel} · ${SUBJECT_LABELS[g.subjectKind]} ${shortSubject(g.subject)} · ${g.departmentName} · ${span(g.firstAt, g.lastAt)}）仍待核查的评价。`;
}

/** The grouped case of a burst of 差评 (its first 差评 opened it): a link to the case. */
function GroupCase({ caseId, caseNo }: { caseId: number; caseNo: string }) {
  return (
    <a class="case-no" href={`${BASE}/cases/${caseId}`}>
      {caseNo}
    </a>
  );
}

/**
 * The bursts with ratings still held, latest first: the rule in Chinese, the network or device, the
 * department, when, how many are still held of how many, the grouped case. 查看评价 opens the burst's
 * ratings; a supervisor releases or excludes a whole burst at once.
 */
export function BurstList({
  groups,
  offset,
  onOffset,
  canDecide,
  tick,
  onDecide,
  subjectHref,
}: {
  groups: Loading<HoldGroupsResponse>;
  offset: number;
  onOffset: (offset: number) => void;
  canDecide: boolean;
  tick: number;
  onDecide: (request: DecisionRequest) => void;
  subjectHref: (kind: 'network' | 'device', subject: string) => string;
}) {
  const [open, setOpen] = useState<number | null>(null);
  const data = groups.data;
  // A decision may empty the last page: back to the one before.
  useEffect(() => {
    if (data && offset > 0 && offset >= data.total) onOffset(Math.max(0, Math.floor((data.total - 1) / BURST_PAGE) * BURST_PAGE));
  }, [data, offset, onOffset]);
  if (!data) return <ErrorText message={groups.error} />;
  if (data.groups.length === 0) return <p class="card muted">没有待核查的评价批次。</p>;
  const decide = (g: HoldGroup, decision: DecisionRequest['decision']) =>
    onDecide({ decision, target: { groupIds: [g.id] }, count: g.heldCount, what: describe(g) });
  return (
    <>
      <ErrorText message={groups.error} />
      <ul class="bursts" aria-busy={groups.loading}>
        {data.groups.map((g) => (
          <li key={g.id} class="burst card" data-testid={`burst-${g.id}`}>
            <h3>
              {g.ruleLabel}
              <span class="badge warn">
                待核查 {int(g.heldCount)}
                {g.ratingCount !== g.heldCount && ` / 共 ${int(g.ratingCount)}`} 条
              </span>
            </h3>
            <dl class="facts">
              <dt>部门</dt>
              <dd>{g.departmentName}</dd>
              <dt>来源</dt>
              <dd>
                <a href={subjectHref(g.subjectKind, g.subject)} title={`只看这个${SUBJECT_LABELS[g.subjectKind]}的待核查评价`}>
                  同一{SUBJECT_LABELS[g.subjectKind]} <code title={g.subject}>{shortSubject(g.subject)}</code>
                </a>
              </dd>
              <dt>时间</dt>
              <dd>{span(g.firstAt, g.lastAt)}</dd>
              {g.caseNo !== null && g.caseId !== null && (
                <>
                  <dt>合并工单</dt>
                  <dd>
                    <GroupCase caseId={g.caseId} caseNo={g.caseNo} />
                  </dd>
                </>
              )}
            </dl>
            <div class="row-actions">
              <button
                type="button"
                aria-expanded={open === g.id}
                aria-controls={`burst-ratings-${g.id}`}
                onClick={() => setOpen(open === g.id ? null : g.id)}
              >
                {open === g.id ? '收起评价' : `查看评价（${int(g.heldCount)} 条）`}
              </button>
              {canDecide && (
                <>
                  <button type="button" class="release" onClick={() => decide(g, 'release')}>
                    计入<span class="sr-only">这一批 {int(g.heldCount)} 条</span>
                  </button>
                  <button type="button" class="exclude" onClick={() => decide(g, 'exclude')}>
                    排除<span class="sr-only">这一批 {int(g.heldCount)} 条</span>
                  </button>
                </>
              )}
            </div>
            {open === g.id && (
              <div id={`burst-ratings-${g.id}`}>
                <HeldList
                  filter={{ groupId: g.id }}
                  canDecide={canDecide}
                  tick={tick}
                  onDecide={onDecide}
                  subjectHref={subjectHref}
                  pageSize={20}
                  label={`${g.ruleLabel}：这一批的待核查评价`}
                />
              </div>
            )}
          </li>
        ))}
      </ul>
      {data.total > BURST_PAGE && <Pager total={data.total} offset={offset} pageSize={BURST_PAGE} onOffset={onOffset} />}
    </>
  );
}
