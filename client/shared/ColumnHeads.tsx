// The heading row of a data table, shared by the staff app and the public rankings page.

/**
 * A column's heading: its text, or `num` for one over figures (right-aligned), `hidden` for a
 * decorative one, `sort` for one the table can be ordered by (the key the list's API takes), `class`
 * for the column's own style (a sticky first column).
 */
export type Column = string | { label: string; num?: boolean; hidden?: boolean; sort?: string; class?: string };

/** A heading over figures. */
export const num = (label: string, sort?: string): Column => ({ label, num: true, sort });

/** How a table is ordered now, and what a click on a sortable heading asks for. */
export interface Sorting {
  key: string;
  order: 'asc' | 'desc';
  onSort: (key: string) => void;
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;
const MARK = { asc: '▲', desc: '▼' } as const;

/**
 * The <thead> of a table: one row of column headings. A sortable heading is a button inside the
 * <th> (keyboard and screen readers reach it); the <th> carries aria-sort when the table is in its order.
 */
export function ColumnHeads({ columns, sorting }: { columns: readonly Column[]; sorting?: Sorting }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => {
          const { label, num: figures, hidden, sort, class: own } = typeof column === 'string' ? { label: column } : column;
          const current = sorting && sort !== undefined && sorting.key === sort ? sorting.order : undefined;
          const classes = [figures && 'num', sorting && sort !== undefined && 'sortable', own].filter(Boolean).join(' ');
          return (
            <th
              scope="col"
              class={classes || undefined}
              aria-hidden={hidden ? 'true' : undefined}
              aria-sort={current ? ARIA_SORT[current] : undefined}
            >
              {sorting && sort !== undefined ? (
                <button type="button" class="sort-head" onClick={() => sorting.onSort(sort)}>
                  {label}
                  <span class={current ? 'sort-mark active' : 'sort-mark'} aria-hidden="true">
                    {current ? MARK[current] : '↕'}
                  </span>
                </button>
              ) : (
                label || null
              )}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
