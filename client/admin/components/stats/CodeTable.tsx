import type { Ref } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { type Column, ColumnHeads, num } from '../../../shared/ColumnHeads.js';
import { FigureCells } from '../../../shared/FigureCells.js';
import { HeldCount, heldLink } from '../held/HeldNote.js';
import { pageOf } from '../Pager.js';
import { useApi } from '../use-api.js';
import { int, pct, qs, type Range, ratingsLink, score } from './format.js';
import { Section } from './Section.js';
import type { CodeSort, CodesResponse } from './types.js';

const PAGE = 50;

type Order = 'asc' | 'desc';

const COLUMNS = [
  { label: '位置', sort: 'location', class: 'place' },
  { label: '评议码', sort: 'code' },
  num('扫码打开', 'opens'),
  num('评价数', 'total'),
  num('好评率', 'goodRate'),
  num('主动评价好评率', 'activeGoodRate'),
  num('差评数', 'badCount'),
  num('综合评分', 'score'),
  num('办结办件', 'finishedMatters'),
  num('评价率', 'ratingRate'),
] satisfies readonly Column[];

/**
 * 各窗口（评议码）: a department's codes and their figures, 50 a page, sorted by any column; a 待核查
 * column when a window of the page has ratings held for review (linked to the queue when `queue`).
 */
export function CodeTable({ departmentId, range, queue = false }: { departmentId: number; range: Range; queue?: boolean }) {
  // Within one department, location A to Z is the list's own order (department, location, code).
  const [sorting, setSorting] = useState<{ sort: CodeSort; order: Order }>({ sort: 'location', order: 'asc' });
  // A page belongs to one list: another period, department or sort starts again at page 1.
  const list = `${qs({ ...range, departmentId })}|${sorting.sort}|${sorting.order}`;
  const [at, setAt] = useState({ list, offset: 0 });
  const offset = at.list === list ? at.offset : 0;
  const codes = useApi<CodesResponse>(
    `/api/stats/codes?${qs({ ...range, departmentId, sort: sorting.sort, order: sorting.order, limit: PAGE, offset })}`,
  );
  const top = useRef<HTMLElement>(null);
  const anyHeld = codes.data?.codes.some((k) => k.held > 0) ?? false;

  /** A click on a heading: that column, figures highest first and texts A to Z; again, the other way. */
  const sortBy = (key: string) => {
    const sort = key as CodeSort;
    const text = sort === 'location' || sort === 'code';
    setSorting((s) => (s.sort === sort ? { sort, order: s.order === 'asc' ? 'desc' : 'asc' } : { sort, order: text ? 'asc' : 'desc' }));
  };
  /** To another page; from the pager under the table, back up to the top of the new page, focus on the same button there. */
  const goTo = (next: number, from: 'top' | 'bottom', button: 'prev' | 'next') => {
    setAt({ list, offset: next });
    if (from === 'bottom') {
      top.current?.querySelector<HTMLButtonElement>(`[data-go='${button}']`)?.focus({ preventScroll: true });
      top.current?.scrollIntoView({ block: 'start' });
    }
  };

  return (
    <Section title="各窗口（评议码）" state={codes}>
      {(c) => (
        <>
          <Pager total={c.total} offset={offset} loading={codes.loading} onPage={(n, b) => goTo(n, 'top', b)} navRef={top} status />
          <div class={codes.loading ? 'table-wrap loading' : 'table-wrap'}>
            <table class="data code-figures" data-testid="windows-table">
              <caption class="sr-only">各窗口指标</caption>
              <ColumnHeads
                columns={anyHeld ? [...COLUMNS, num('待核查')] : COLUMNS}
                sorting={{ key: sorting.sort, order: sorting.order, onSort: sortBy }}
              />
              <tbody>
                {c.codes.map((k) => (
                  <tr key={k.codeId}>
                    <td class="place">
                      {k.location}
                      {k.staffName ? `（${k.staffName}）` : ''}
                      {!k.active && <span class="badge warn">已停用</span>}
                    </td>
                    <td>{k.codeId}</td>
                    <FigureCells
                      figures={[
                        <ScanCount opens={k.opens} submissions={k.submissions} />,
                        <a href={ratingsLink(range, { departmentId, codeId: k.codeId })}>{int(k.total)}</a>,
                        pct(k.goodRate),
                        pct(k.activeGoodRate),
                        <a href={ratingsLink(range, { departmentId, codeId: k.codeId, kind: 'bad' })}>{int(k.badCount)}</a>,
                        score(k.score),
                        int(k.finishedMatters),
                        pct(k.ratingRate),
                        ...(anyHeld
                          ? [<HeldCount held={k.held} href={queue ? heldLink({ range, departmentId, codeId: k.codeId }) : undefined} />]
                          : []),
                      ]}
                    />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {c.total > PAGE && <Pager total={c.total} offset={offset} loading={codes.loading} onPage={(n, b) => goTo(n, 'bottom', b)} />}
          <p class="note muted">{SCAN_NOTE}</p>
        </>
      )}
    </Section>
  );
}

/** Why a window's scans may be fewer than its ratings (docs/domain.md 2, 扫码漏斗). */
export const SCAN_NOTE =
  '扫码打开数来自评价页的页面统计：手机离线、浏览器拦截统计请求时会少计；评价数还包括办件评价链接和评价器的评价，它们不经过扫码。';

/**
 * A window's page opens, marked when fewer than its submissions: lost page counts, or ratings made
 * through 办件 links and the 评价器 (no scan) — not a sign of made-up ratings by itself.
 */
export function ScanCount({ opens, submissions }: { opens: number; submissions: number }) {
  if (submissions <= opens) return <>{int(opens)}</>;
  return (
    <>
      {int(opens)}{' '}
      <span class="badge warn" title={`提交 ${int(submissions)} 次多于扫码打开 ${int(opens)} 次：${SCAN_NOTE}`}>
        提交多于扫码
      </span>
    </>
  );
}

/**
 * 共 N 个窗口 · 第 x/y 页 and the buttons to the pages before and after. At either end a button stays
 * focusable (aria-disabled, not disabled): a keyboard user paging through keeps their place.
 */
function Pager({
  total,
  offset,
  loading,
  onPage,
  navRef,
  status = false,
}: {
  total: number;
  offset: number;
  /** The rows shown are still the last page's. */
  loading: boolean;
  onPage: (offset: number, button: 'prev' | 'next') => void;
  navRef?: Ref<HTMLElement>;
  status?: boolean;
}) {
  const { page, pages } = pageOf(total, offset, PAGE);
  const first = offset === 0;
  const last = offset + PAGE >= total;
  const text = `共 ${int(total)} 个窗口 · 第 ${page}/${pages} 页${loading ? '（加载中…）' : ''}`;
  return (
    <nav class="pager code-pager" aria-label={status ? '各窗口翻页' : '各窗口翻页（表格下方）'} ref={navRef}>
      {pages > 1 && (
        <button type="button" data-go="prev" aria-disabled={first} onClick={() => !first && onPage(Math.max(0, offset - PAGE), 'prev')}>
          上一页
        </button>
      )}
      {status ? (
        <span class="count" role="status">
          {text}
        </span>
      ) : (
        <span class="count">{text}</span>
      )}
      {pages > 1 && (
        <button type="button" data-go="next" aria-disabled={last} onClick={() => !last && onPage(offset + PAGE, 'next')}>
          下一页
        </button>
      )}
    </nav>
  );
}
