/**
 * The generic table of aggregate answers (top, cost, rejects) as fixed-width text, shared by the text and Block Kit
 * renderers: columns with a unit are humanised (`bytes` → 1.2 MiB, `usd` → $0.05) and right-aligned, numbers too,
 * and the total (when the answer has one) is the last row. Pure.
 */
import type { TableData } from '../commands/answer.js';
import { humanBytes, textTable, usd } from './format.js';

type Table = TableData;

function cell(t: Table, column: string, value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const unit = t.units?.[column];
  if (typeof value === 'number' && unit === 'bytes') return humanBytes(value);
  if (typeof value === 'number' && unit === 'usd') return usd(value);
  return String(value);
}

/** Renders the first `maxRows` rows (all by default) plus the total row. */
export function tableText(t: Table, maxRows = Number.POSITIVE_INFINITY): string {
  const rows = t.rows.slice(0, maxRows).map((r) => t.columns.map((c) => cell(t, c, r[c])));
  if (t.total) {
    const total = t.total;
    rows.push(t.columns.map((c, i) => (c in total ? cell(t, c, total[c]) : i === 0 ? 'total' : '')));
  }
  const numeric = t.columns.flatMap((c, i) => (t.rows.some((r) => typeof r[c] === 'number') ? [i] : []));
  return textTable(t.columns, rows, numeric);
}
