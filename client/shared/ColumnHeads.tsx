// The heading row of a data table, shared by the staff app and the public rankings page.

/** A column's heading: its text, or `num` for one over figures (right-aligned), `hidden` for a decorative one. */
export type Column = string | { label: string; num?: boolean; hidden?: boolean };

/** A heading over figures. */
export const num = (label: string): Column => ({ label, num: true });

/** The <thead> of a table: one row of column headings. */
export function ColumnHeads({ columns }: { columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => {
          const { label, num: figures, hidden } = typeof column === 'string' ? { label: column } : column;
          return (
            <th scope="col" class={figures ? 'num' : undefined} aria-hidden={hidden ? 'true' : undefined}>
              {label || null}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
