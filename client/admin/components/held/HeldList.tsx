import { useEffect, useState } from 'preact/hooks';
import type { HeldRatingsQuery, HeldRatingsResponse } from '../../../../shared/api/ratings.js';
import { SCORE_LABELS, type Score } from '../../../../shared/domain.js';
import { formatTime } from '../cases/types.js';
import { ErrorText } from '../ErrorText.js';
import { Pager } from '../Pager.js';
import { int, qs } from '../stats/format.js';
import { useApi } from '../use-api.js';
import type { DecisionRequest } from './DecisionDialog.js';
import './held.css';

/** What the queue can be narrowed to (GET /api/ratings/held without paging). */
export type HeldFilter = Omit<HeldRatingsQuery, 'limit' | 'offset'>;

/** 网络 / 设备 and the first characters of its keyed hash, as the queue shows it (never an address). */
export const SUBJECT_LABELS = { network: '网络', device: '设备' } as const;

/** A network's or device's keyed hash as the page shows it (the full one is its title and its filter). */
export const shortSubject = (hash: string) => `${hash.slice(0, 8)}…`;

/**
 * The held ratings of a filter, newest first, a page at a time: time, window, the score in words, tags,
 * comment, the rules that held it and its network / device. A supervisor (`canDecide`) ticks ratings and
 * asks for a decision on them; with `bulk`, also on every rating the filter matches.
 */
export function HeldList({
  filter,
  canDecide,
  tick,
  onDecide,
  subjectHref,
  bulk,
  pageSize = 50,
  label,
}: {
  filter: HeldFilter;
  canDecide: boolean;
  /** Changes after each decision: the list loads again. */
  tick: number;
  onDecide: (request: DecisionRequest) => void;
  /** The queue narrowed to a rating's network or device. */
  subjectHref: (kind: 'network' | 'device', subject: string) => string;
  /** Offer a decision on all the filter matches: on which target, described in which words. */
  bulk?: { target: DecisionRequest['target']; what: string };
  pageSize?: number;
  label: string;
}) {
  const key = qs(filter);
  const [at, setAt] = useState({ key, offset: 0 });
  const [picked, setPicked] = useState({ key, ids: new Set<number>() });
  const offset = at.key === key ? at.offset : 0;
  const selected = picked.key === key ? picked.ids : new Set<number>();
  const list = useApi<HeldRatingsResponse>(`/api/ratings/held?${qs({ ...filter, limit: pageSize, offset })}`);
  // Reload only when a decision was made (tick), not on every render's new reload function.
  useEffect(() => {
    if (tick > 0) {
      list.reload();
      setPicked({ key, ids: new Set() });
    }
  }, [tick]);
  const data = list.data;
  // A decision may leave this page past the end: back to the last page there is.
  useEffect(() => {
    if (data && offset > 0 && offset >= data.total) setAt({ key, offset: Math.max(0, Math.floor((data.total - 1) / pageSize) * pageSize) });
  }, [data, offset, key, pageSize]);

  const rows = data?.ratings ?? [];
  const pick = (id: number, on: boolean) => {
    const ids = new Set(selected);
    if (on) ids.add(id);
    else ids.delete(id);
    setPicked({ key, ids });
  };
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const pickPage = (on: boolean) => {
    const ids = new Set(selected);
    for (const r of rows)
      if (on) ids.add(r.id);
      else ids.delete(r.id);
    setPicked({ key, ids });
  };
  const decideSelected = (decision: DecisionRequest['decision']) =>
    onDecide({ decision, target: { ids: [...selected] }, count: selected.size, what: `所选的 ${int(selected.size)} 条待核查评价。` });
  const decideAll = (decision: DecisionRequest['decision']) =>
    bulk && onDecide({ decision, target: bulk.target, count: data?.total ?? 0, what: bulk.what });

  return (
    <div class="held-list" aria-busy={list.loading}>
      <ErrorText message={list.error} />
      {data && (
        <p class="held-count-line" role="status">
          {data.total === 0 ? '没有符合条件的待核查评价。' : `符合条件的待核查评价 ${int(data.total)} 条`}
          {selected.size > 0 && `，已选 ${int(selected.size)} 条`}
        </p>
      )}
      {canDecide && data && data.total > 0 && (
        <div class="decision-bar">
          <span class="row-actions">
            {rows.length > 1 && (
              <label class="check pick-page">
                <input type="checkbox" checked={allOnPage} onChange={(e) => pickPage(e.currentTarget.checked)} />
                全选本页 {rows.length} 条
              </label>
            )}
            <button type="button" class="release" disabled={selected.size === 0} onClick={() => decideSelected('release')}>
              计入所选
            </button>
            <button type="button" class="exclude" disabled={selected.size === 0} onClick={() => decideSelected('exclude')}>
              排除所选
            </button>
          </span>
          {bulk && (
            <span class="row-actions">
              <button type="button" class="release" onClick={() => decideAll('release')}>
                全部 {int(data.total)} 条计入
              </button>
              <button type="button" class="exclude" onClick={() => decideAll('exclude')}>
                全部 {int(data.total)} 条排除
              </button>
            </span>
          )}
        </div>
      )}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class={canDecide ? 'data cards held-ratings pickable' : 'data cards held-ratings'}>
            <caption class="sr-only">{label}</caption>
            <thead>
              <tr>
                {canDecide && (
                  <th scope="col" class="pick">
                    <span class="sr-only">选择</span>
                  </th>
                )}
                {['时间', '部门 / 位置', '评价', '标签', '留言', '标记'].map((h) => (
                  <th scope="col" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-testid={`held-${r.id}`} class={selected.has(r.id) ? 'picked' : undefined}>
                  {canDecide && (
                    <td class="pick">
                      <input
                        type="checkbox"
                        aria-label={`选择 ${formatTime(r.createdAt)} ${r.location} 的评价`}
                        checked={selected.has(r.id)}
                        onChange={(e) => pick(r.id, e.currentTarget.checked)}
                      />
                    </td>
                  )}
                  <td class="nowrap when" data-label="时间">
                    {formatTime(r.createdAt)}
                  </td>
                  <td data-label="部门 / 位置">
                    {r.departmentName}
                    <br />
                    <span class="muted">
                      {r.location}（{r.codeId}）
                    </span>
                  </td>
                  <td class="score" data-label="评价">
                    <span class={r.score <= 2 ? 'badge bad' : 'badge ok'}>{SCORE_LABELS[r.score as Score] ?? r.score}</span>
                    {r.realName && <span class="badge">实名</span>}
                  </td>
                  <td data-label="标签">{r.tags.length ? r.tags.join('、') : <span class="muted">—</span>}</td>
                  <td class="comment" data-label="留言">
                    {r.comment ?? <span class="muted">—</span>}
                  </td>
                  <td data-label="标记">
                    {r.flagLabels.join('、')}
                    {(['network', 'device'] as const).map((kind) => {
                      const subject = r[kind];
                      return subject ? (
                        <span key={kind} class="subject">
                          <a href={subjectHref(kind, subject)} title={`只看这个${SUBJECT_LABELS[kind]}的待核查评价`}>
                            {SUBJECT_LABELS[kind]} <code title={subject}>{shortSubject(subject)}</code>
                          </a>
                        </span>
                      ) : null;
                    })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && data.total > pageSize && (
        <Pager total={data.total} offset={offset} pageSize={pageSize} onOffset={(o) => setAt({ key, offset: o })} />
      )}
    </div>
  );
}
