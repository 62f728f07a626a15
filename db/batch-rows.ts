// Many rows written by one statement: `WITH batch (…) AS (VALUES …)` then a body that reads them. The
// rollups of a rating batch and the upward-reporting outbox write this way: one statement per table and
// batch, prepared once per size, whatever the number of rows.
import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, execCached } from './client.js';

/** A column's type: 'bigint' for ids and ms timestamps (PostgreSQL's integer is 32 bits; SQLite reads both as INTEGER). */
export type Column = readonly [name: string, type: 'text' | 'integer' | 'bigint'];

/**
 * A statement writing a table's rows of a batch: `WITH batch (columns) AS (VALUES …)` then `body`,
 * which reads them from `batch`. Its first column is the key that padding rows leave NULL: `body`
 * skips them (`WHERE batch.<key> IS NOT NULL`, or a join on it). `name` tells apart the statements
 * whose text differs (statements are kept per name and size).
 */
export interface BatchStatement<R> {
  name: string;
  columns: readonly Column[];
  /** Built only when the statement of a size is first prepared. */
  body(): SQL;
  /** Appends a row's values, in the order of `columns`. */
  values(r: R, out: unknown[]): void;
}

/** Most rows in one statement (62 values a row at most: 15 872 values, below both drivers' limits). */
const MAX_ROWS = 256;

/**
 * The VALUES lists come in a few sizes (1, 2, 4, … 256 rows), padded with NULL rows: each statement
 * is built, rendered and prepared once per size (execCached), and a batch only binds its values.
 */
export async function writeRows<R>(tx: DbOrTx, st: BatchStatement<R>, rows: readonly R[]): Promise<void> {
  for (let at = 0; at < rows.length; at += MAX_ROWS) {
    const part = rows.slice(at, at + MAX_ROWS);
    let size = 1;
    while (size < part.length) size *= 2;
    const values: unknown[] = [];
    for (const r of part) st.values(r, values);
    const total = size * st.columns.length;
    while (values.length < total) values.push(null);
    await execCached(tx, `${st.name}:${size}`, () => sql`${batchRows(st.columns, size)} ${st.body()}`, values);
  }
}

/**
 * `WITH batch (…) AS (VALUES …)` with `size` rows of numbered placeholders. The first row casts each
 * to its column's type: PostgreSQL types the columns of VALUES from it (it would read an untyped
 * parameter as text), SQLite evaluates the casts of one row only.
 */
function batchRows(columns: readonly Column[], size: number): SQL {
  let i = 0;
  const value = (type: string, cast: boolean) => {
    const p = sql.placeholder(String(i++));
    return cast ? sql`CAST(${p} AS ${sql.raw(type)})` : sql`${p}`;
  };
  const rows = Array.from(
    { length: size },
    (_, r) =>
      sql`(${sql.join(
        columns.map(([, type]) => value(type, r === 0)),
        sql`, `,
      )})`,
  );
  return sql`WITH batch (${sql.raw(columns.map(([name]) => name).join(', '))}) AS (VALUES ${sql.join(rows, sql`, `)})`;
}
