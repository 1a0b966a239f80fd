import type { GetQueryResultsCommandOutput } from '@aws-sdk/client-athena';
import type { ResultRow } from './types.js';

/** A result column as `ResultSetMetadata.ColumnInfo` describes it. */
export interface ResultColumn {
  name: string;
  /** Athena type name: `bigint`, `varchar`, `array`, `array(varchar)`, `timestamp(3) with time zone`, … */
  type: string;
}

type Value = ResultRow[string];

const INTEGER = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint']);
const FLOAT = new Set(['double', 'real', 'float', 'decimal']);

const baseType = (type: string) => type.toLowerCase().replace(/\(.*$/, '').trim();

/**
 * Converts one `VarCharValue` by its column type. Integers and floats become numbers (the product keeps byte counts as
 * integers, safe below 2^53), booleans booleans, timestamps epoch seconds (the product's time unit), arrays lists
 * (Athena renders them `[a, b]`), everything else the text as is. A missing value (Athena omits it for NULL) is null.
 */
export function convertValue(type: string, text: string | undefined): Value {
  if (text === undefined) return null;
  const base = baseType(type);
  if (INTEGER.has(base) || FLOAT.has(base)) return Number(text);
  if (base === 'boolean') return text === 'true';
  if (base === 'timestamp') return parseTimestamp(text);
  if (base === 'array') {
    const inner = /^array\((.*)\)$/i.exec(type.trim())?.[1];
    const body = text.replace(/^\[/, '').replace(/\]$/, '');
    const items = body === '' ? [] : body.split(', ');
    if (inner && (INTEGER.has(baseType(inner)) || FLOAT.has(baseType(inner)))) return items.map(Number);
    return items;
  }
  return text;
}

/** `2026-11-20 12:00:00.000` (optionally `UTC`/offset) → epoch seconds; Athena prints timestamps in UTC. */
function parseTimestamp(text: string): number | string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*(UTC|Z)?$/.exec(text.trim());
  if (!m) return text;
  const ms = Date.parse(`${m[1]}T${m[2]}Z`);
  return Number.isNaN(ms) ? text : ms / 1000;
}

/** Fetches one page; `token` undefined for the first. */
export type PageFetcher = (token: string | undefined) => Promise<GetQueryResultsCommandOutput>;

/**
 * Reads every page of a query's results (≤ 1000 rows each, following NextToken) into typed rows. For DML the first
 * row of the first page is the header, so it is dropped; DDL/utility results have no header.
 */
export async function readAllResults(
  fetchPage: PageFetcher,
  hasHeader: boolean,
): Promise<{ columns: ResultColumn[]; rows: ResultRow[] }> {
  let columns: ResultColumn[] | undefined;
  const rows: ResultRow[] = [];
  let token: string | undefined;
  let first = true;
  do {
    const page = await fetchPage(token);
    columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c, i) => ({
      name: c.Label || c.Name || `_col${i}`,
      type: c.Type ?? 'varchar',
    }));
    const data = page.ResultSet?.Rows ?? [];
    for (const [i, r] of data.entries()) {
      if (first && hasHeader && i === 0) continue;
      const out: ResultRow = {};
      columns.forEach((c, j) => {
        out[c.name] = convertValue(c.type, r.Data?.[j]?.VarCharValue);
      });
      rows.push(out);
    }
    first = false;
    token = page.NextToken;
  } while (token);
  return { columns: columns ?? [], rows };
}
