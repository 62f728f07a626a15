// One row per measured figure; the table and latest.json are both made from these rows.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Row {
  part: string;
  name: string;
  metric: string;
  value: number | null;
  unit: string;
  /** Human-readable goal, e.g. "≤ 5 ms" or "≥ 0.80"; empty when the figure is informational. */
  goal: string;
  /** true/false when the figure has a goal; null for information only. */
  pass: boolean | null;
  note?: string;
}

export type Check = { op: '<=' | '>='; limit: number; unit?: string } | null;

export function row(
  part: string,
  name: string,
  metric: string,
  value: number | null,
  unit: string,
  check: Check = null,
  note?: string,
): Row {
  const goal = check ? `${check.op === '<=' ? '≤' : '≥'} ${fmt(check.limit)}${check.unit ?? (unit ? ` ${unit}` : '')}` : '';
  const pass = check && value !== null ? (check.op === '<=' ? value <= check.limit : value >= check.limit) : check ? false : null;
  return { part, name, metric, value, unit, goal, pass, ...(note ? { note } : {}) };
}

export function fmt(v: number | null): string {
  if (v === null) return '—';
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** A fixed-width text table (also valid Markdown, so README.md can take it verbatim). */
export function renderTable(rows: Row[]): string {
  const head = ['name', 'metric', 'value', 'goal', 'pass'];
  const body = rows.map((r) => [
    r.name,
    r.metric,
    `${fmt(r.value)}${r.unit ? ` ${r.unit}` : ''}`,
    r.goal || '',
    r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL',
  ]);
  // CJK characters take two columns in a terminal.
  const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u2e80-\uffff]/.test(ch) && !/[≤≥×—]/.test(ch) ? 2 : 1), 0);
  const widths = head.map((h, i) => Math.max(width(h), ...body.map((b) => width(b[i]!))));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c + ' '.repeat(widths[i]! - width(c))).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

export function writeJson(file: string, data: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
