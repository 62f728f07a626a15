// CSV for Excel users: UTF-8 with a BOM (so Excel reads Chinese correctly), RFC 4180 quoting, and
// text cells that would start a formula neutralised (CSV/formula injection, OWASP).

export const UTF8_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;

/** One text cell, safe to open in a spreadsheet: a leading = + - @ (or tab/CR) gets a single quote. */
export function csvText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return csvQuoted(FORMULA_START.test(value) ? `'${value}` : value);
}

/**
 * One text cell written verbatim, RFC 4180-quoted when it must be. A cell that looks like a formula is
 * quoted too, which is all a verbatim cell can do: importers told to read quoted fields as text keep it.
 */
export function csvQuoted(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() || FORMULA_START.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A numeric cell: written as is (numbers are never formulas), empty for null. */
export function csvNumber(value: number | null | undefined, digits?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  return digits === undefined ? String(value) : value.toFixed(digits);
}

/** A rate 0..1 as a percentage Excel recognises ("66.67%"), empty for null. */
export function csvPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  return `${(value * 100).toFixed(2)}%`;
}

/** One CSV record (CRLF-terminated, RFC 4180) from already-encoded cells. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.join(',')}\r\n`;
}
