import { readdir, readFile } from 'node:fs/promises';
import { columnName, FLOW_LOG_FIELDS } from '../flowlogs/fields.js';
import { QUERIES_DIR, stripComments } from './query-files.js';

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

/** Splits a WHERE body at its top-level ANDs (not inside parentheses, not the AND of a BETWEEN); none if it has a top-level OR. */
function conjuncts(body: string): Array<{ text: string; at: number }> {
  const out: Array<{ text: string; at: number }> = [];
  let depth = 0;
  let start = 0;
  let between = false;
  const re = /\(|\)|\bBETWEEN\b|\bAND\b|\bOR\b/gi;
  for (const m of body.matchAll(re)) {
    const tok = m[0].toUpperCase();
    // A top-level OR makes no conjunct required of every row.
    if (tok === 'OR' && depth === 0) return [];
    if (tok === '(') depth++;
    else if (tok === ')') depth--;
    else if (depth === 0 && tok === 'BETWEEN') between = true;
    else if (depth === 0 && tok === 'AND') {
      if (between) between = false;
      else {
        out.push({ text: body.slice(start, m.index), at: start });
        start = (m.index ?? 0) + 3;
      }
    }
  }
  out.push({ text: body.slice(start), at: start });
  return out;
}

/** A one-address conjunct of a table's WHERE, per table the queries read with one. */
const ADDRESS_CONJUNCTS = {
  vpc_flow_logs_nat: /^\s*\(?\s*pkt_(?:src|dst)addr\s*=\s*\?\s*(?:OR\s+pkt_(?:src|dst)addr\s*=\s*\?\s*)?\)?\s*$/i,
  // `cardinality(filter(answers, x -> x.rdata = ? AND x.type IN (…))) > 0`: a query with an answer equal to it.
  resolver_query_logs:
    /^\s*cardinality\s*\(\s*filter\s*\(\s*answers\s*,\s*(\w+)\s*->\s*\1\.rdata\s*=\s*\?\s*(?:AND\s+\1\.type\s+IN\s*\([^()]*\)\s*)?\)\s*\)\s*>\s*0\s*$/i,
} as const;

/**
 * The parameter a query's only read of `table` requires an address to equal: a top-level conjunct of its WHERE —
 * for flow logs `(pkt_dstaddr = ? OR pkt_srcaddr = ?)` (or one of the two alone), for resolver logs an answer whose
 * Rdata is `?` — whose placeholders are one parameter. No record of an object that holds no such address can then
 * reach the answer, so the engine may skip such objects (their address Bloom filter says so) without changing a row.
 * Undefined when the query has no such shape. Pure.
 */
export function addressParam(
  sql: string,
  params: readonly string[],
  table: keyof typeof ADDRESS_CONJUNCTS = 'vpc_flow_logs_nat',
): string | undefined {
  const code = stripLiterals(stripComments(sql));
  const reads = [...code.matchAll(new RegExp(`\\bFROM\\s+${table}\\s+WHERE\\b`, 'gi'))];
  if (reads.length !== 1 || [...code.matchAll(new RegExp(`\\b${table}\\b`, 'gi'))].length !== 1) return undefined;
  const from = (reads[0]?.index ?? 0) + (reads[0]?.[0].length ?? 0);
  let depth = 0;
  let end = code.length;
  for (const m of code.slice(from).matchAll(/\(|\)|\b(?:GROUP|ORDER|LIMIT|HAVING|UNION)\b/gi)) {
    if (m[0] === '(') depth++;
    else if (m[0] === ')' && --depth < 0) {
      end = from + (m.index ?? 0);
      break;
    } else if (m[0] !== ')' && depth === 0) {
      end = from + (m.index ?? 0);
      break;
    }
  }
  const body = code.slice(from, end);
  for (const c of conjuncts(body)) {
    if (!ADDRESS_CONJUNCTS[table].test(c.text)) continue;
    const before = [...code.slice(0, from + c.at)].filter((ch) => ch === '?').length;
    const count = [...c.text].filter((ch) => ch === '?').length;
    const names = new Set(params.slice(before, before + count));
    if (names.size === 1) return [...names][0];
  }
  return undefined;
}

/**
 * The flow columns any query in queries/ reads: what the columnar store keeps (its name includes them, so a query
 * that starts reading a new column makes the store convert again by itself).
 */
export async function storeFieldsOfQueries(): Promise<string[]> {
  const names = (await readdir(QUERIES_DIR)).filter((f) => f.endsWith('.sql')).sort();
  const texts = await Promise.all(names.map((n) => readFile(`${QUERIES_DIR}${n}`, 'utf8')));
  return [...new Set(texts.flatMap(flowFieldsUsed))].sort();
}
