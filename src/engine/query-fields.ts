import { columnName, FLOW_LOG_FIELDS } from '../flowlogs/fields.js';
import { stripComments } from './query-files.js';

/** Removes string literals so a word inside `'…'` is never taken for a column. */
function stripLiterals(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, "''");
}

/**
 * Flow-log fields (AWS names, `pkt-srcaddr`) a query's SQL reads, from its text and the known column names: every
 * unqualified identifier (not after a `.`, which would be a CTE or struct member) that is a flow-log column. `end` is
 * an SQL keyword (CASE … END), so only its quoted form `"end"` counts. Pure.
 */
export function flowFieldsUsed(sql: string): string[] {
  const code = stripLiterals(stripComments(sql));
  const words = new Set<string>();
  for (const m of code.matchAll(/(^|[^.\w"])("?)([a-z_][a-z0-9_]*)\2(?![\w"])/gi)) {
    const word = (m[3] as string).toLowerCase();
    if (word === 'end' && m[2] !== '"') continue;
    words.add(word);
  }
  return Object.keys(FLOW_LOG_FIELDS).filter((f) => words.has(columnName(f)));
}

/** The conjuncts that keep only NAT-translated records, in the two forms the queries write them. */
const TRANSLATED = [
  /\b(?:WHERE|AND)\s+\(\s*srcaddr\s*<>\s*pkt_srcaddr\s+OR\s+dstaddr\s*<>\s*pkt_dstaddr\s*\)/gi,
  /\b(?:WHERE|AND)\s+dstaddr\s*<>\s*pkt_dstaddr\b/gi,
];

/**
 * Whether every read of `vpc_flow_logs_nat` in a query keeps only NAT-translated records (each `FROM
 * vpc_flow_logs_nat` is matched by a translated-legs predicate), so the columnar store — which holds only those legs —
 * answers it exactly as the raw objects would. A query that reads other records (doctor's "any record?") reads raw.
 */
export function readsOnlyTranslated(sql: string): boolean {
  const code = stripLiterals(stripComments(sql));
  const reads = [...code.matchAll(/\bFROM\s+vpc_flow_logs_nat\b/gi)].length;
  const preds = TRANSLATED.reduce((n, re) => n + [...code.matchAll(re)].length, 0);
  return reads > 0 && preds >= reads;
}
