import type { QueryRecord } from './athena-query.js';
import { invalid } from './athena-wire.js';

/** A result column as the executor describes it, using Athena type names. */
export interface SqlColumn {
  name: string;
  /** Athena type name: varchar, bigint, integer, double, boolean, timestamp, date, array(varchar) … */
  type: string;
}

/** What an executor returns for one statement. */
export interface SqlResult {
  columns: SqlColumn[];
  /** Values already rendered as Athena's `VarCharValue` strings; `null` for SQL NULL. */
  rows: (string | null)[][];
  bytesScanned: number;
}

/** Athena caps `MaxResults` at 1000 and uses that as the default page size. */
const MAX_PAGE = 1000;

// Athena's JDBC-style precision for common types; anything else reports 0 like Athena does for complex types.
const PRECISION: Record<string, number> = {
  varchar: 2147483647,
  string: 2147483647,
  char: 2147483647,
  bigint: 19,
  integer: 10,
  int: 10,
  smallint: 5,
  tinyint: 3,
  double: 17,
  real: 7,
  float: 7,
  timestamp: 3,
  date: 0,
  boolean: 0,
};

function columnInfo(col: SqlColumn) {
  const base = col.type.replace(/\(.*$/, '').toLowerCase();
  return {
    CatalogName: 'hive',
    SchemaName: '',
    TableName: '',
    Name: col.name,
    Label: col.name,
    Type: col.type,
    Precision: PRECISION[base] ?? 0,
    Scale: 0,
    Nullable: 'UNKNOWN',
    CaseSensitive: base === 'varchar' || base === 'string' || base === 'char',
  };
}

function row(values: readonly (string | null)[]) {
  // Athena omits VarCharValue entirely for NULL; an empty string stays an empty string.
  return { Data: values.map((v) => (v === null ? {} : { VarCharValue: v })) };
}

/** Opaque to clients, but decodable here so a token cannot be replayed against another query. */
function encodeToken(id: string, offset: number): string {
  return Buffer.from(JSON.stringify({ id, offset })).toString('base64url');
}

/** Returns the row offset a token points at, or undefined when it is not one of ours for `id`. */
function decodeToken(token: string, id: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { id?: unknown; offset?: unknown };
    if (parsed.id !== id || typeof parsed.offset !== 'number') return undefined;
    return parsed.offset;
  } catch {
    return undefined;
  }
}

/**
 * Answers `GetQueryResults`. For DML the first row of the first page is the header
 * (column labels) and it counts toward `MaxResults`, as with real Athena; DDL and utility
 * statements have no header row. Only a SUCCEEDED query has results.
 */
export function resultPage(q: QueryRecord, input: { MaxResults?: unknown; NextToken?: unknown }) {
  const max = typeof input.MaxResults === 'number' ? input.MaxResults : MAX_PAGE;
  if (max < 1 || max > MAX_PAGE) {
    throw invalid(
      `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_PAGE}`,
    );
  }
  if (q.state === 'QUEUED' || q.state === 'RUNNING')
    throw invalid(`Query has not yet finished. Current state: ${q.state}`);
  if (q.state !== 'SUCCEEDED' || !q.result) {
    throw invalid(`Query did not finish successfully. Final query state: ${q.state}`);
  }
  const offset = typeof input.NextToken === 'string' ? decodeToken(input.NextToken, q.id) : 0;
  if (offset === undefined) throw invalid('The NextToken is invalid');
  const { result } = q;
  const header = q.statementType === 'DML' ? [result.columns.map((c) => c.name)] : [];
  const all = [...header, ...result.rows];
  const end = Math.min(offset + max, all.length);
  return {
    ResultSet: {
      Rows: all.slice(offset, end).map(row),
      ResultSetMetadata: { ColumnInfo: result.columns.map(columnInfo) },
    },
    UpdateCount: 0,
    ...(end < all.length ? { NextToken: encodeToken(q.id, end) } : {}),
  };
}
