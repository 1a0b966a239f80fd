import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { LogKind } from './types.js';

/** The directory holding the Athena SQL (`queries/`). */
export const QUERIES_DIR = fileURLToPath(new URL('../../queries/', import.meta.url));

/** The logical tables queries/ reads. */
export type QueryTable = 'vpc_flow_logs_nat' | 'resolver_query_logs';

/** The log kind a table holds. */
export const kindOfTable = (t: QueryTable): LogKind => (t === 'vpc_flow_logs_nat' ? 'flow' : 'dns');

/** A query file: its text (sent unchanged to either engine) and the parameter names in order of their `?`. */
export interface QueryFile {
  name: string;
  text: string;
  params: string[];
  /** Logical tables it reads, so the embedded engine maps only those. */
  tables: QueryTable[];
  /**
   * `-- @coverage <table>` (one of the tables it reads): the query returns that table's per-hour coverage itself, from
   * the same scan, as the rows whose `coverage_hour` is set (see {@link splitCoverageRows}); Athena then runs no
   * coverage aggregate beside it. One table at most: the coverage rows do not say which table they describe.
   */
  coverage?: QueryTable;
  /**
   * `-- @address <param>`: every answer row (coverage rows aside) comes from records holding that address, so the
   * embedded engine may skip objects whose address filter rules it out.
   */
  address?: string;
}

const cache = new Map<string, Promise<QueryFile>>();

/** Loads `queries/<name>.sql` (cached). The `-- @params a b c` header must name one parameter per `?`. */
export function loadQuery(name: string): Promise<QueryFile> {
  if (!/^[a-z0-9-]+$/.test(name)) return Promise.reject(new Error(`bad query name ${name}`));
  let p = cache.get(name);
  if (!p) {
    p = readFile(`${QUERIES_DIR}${name}.sql`, 'utf8').then((text) => parseQueryFile(name, text));
    cache.set(name, p);
  }
  return p;
}

/** Parses a query file's header and checks the placeholder count. Pure. */
export function parseQueryFile(name: string, text: string): QueryFile {
  const header = /^--\s*@params\s+(.*)$/m.exec(text);
  const params = header ? (header[1] as string).trim().split(/\s+/) : [];
  const placeholders = countPlaceholders(text);
  if (placeholders !== params.length) {
    throw new Error(
      `queries/${name}.sql has ${placeholders} placeholders but its @params header names ${params.length}`,
    );
  }
  const tables = (['vpc_flow_logs_nat', 'resolver_query_logs'] as const).filter((t) =>
    new RegExp(`\\b${t}\\b`).test(stripComments(text)),
  );
  const coverage = tables.find((t) => new RegExp(`^--\\s*@coverage\\s+${t}\\s*$`, 'm').test(text));
  const address = /^--\s*@address\s+(\w+)\s*$/m.exec(text)?.[1];
  if (address !== undefined && !params.includes(address)) {
    throw new Error(`queries/${name}.sql: its @address header names ${address}, which is not one of its @params`);
  }
  return { name, text, params, tables, ...(coverage ? { coverage } : {}), ...(address ? { address } : {}) };
}

/** One hour of a table's coverage as a `@coverage` query returns it (the shape of queries/coverage-*.sql's rows). */
export type CoverageRow = { hour: number; records: number; newest: number };

/**
 * Splits the rows of a `@coverage` query: rows with `coverage_hour` set are the table's coverage for that hour
 * (`queries` = records logged in it, `last_seen` = the newest), the others are the answer, without that column.
 * Rows of a query without the header are all answer rows. Pure.
 */
export function splitCoverageRows<R extends Record<string, unknown>>(
  query: Pick<QueryFile, 'coverage'>,
  rows: readonly R[],
): { rows: R[]; coverage: CoverageRow[] } {
  if (query.coverage === undefined) return { rows: [...rows], coverage: [] };
  const out: R[] = [];
  const coverage: CoverageRow[] = [];
  for (const r of rows) {
    const { coverage_hour: hour, ...rest } = r;
    if (hour === null || hour === undefined) out.push(rest as R);
    else coverage.push({ hour: Number(hour), records: Number(r.queries), newest: Number(r.last_seen) });
  }
  return { rows: out, coverage };
}

/** Removes `--` line comments (outside string literals) so a `?` in a comment is not a placeholder. */
export function stripComments(sql: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i] as string;
    if (inString) {
      out += ch;
      if (ch === "'") inString = false;
    } else if (ch === "'") {
      inString = true;
      out += ch;
    } else if (ch === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      out += '\n';
    } else out += ch;
  }
  return out;
}

/** Counts `?` placeholders outside string literals and comments. */
export function countPlaceholders(sql: string): number {
  let n = 0;
  let inString = false;
  for (const ch of stripComments(sql)) {
    if (ch === "'") inString = !inString;
    else if (ch === '?' && !inString) n++;
  }
  return n;
}
