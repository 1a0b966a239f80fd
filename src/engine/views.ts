import { columnName, FLOW_LOG_FIELDS } from '../flowlogs/fields.js';
import { DNS_COLUMNS, list, q, rawDnsSource, rawFlowSource, typeOf } from './source-sql.js';

/** Objects with the same header (field order), read by one `read_csv` (or `read_parquet`) call. */
export interface FlowGroup {
  fields: string[];
  paths: string[];
  /** A constant partition value for all these objects; by default it is derived from each object's key. */
  day?: string;
}

/**
 * The `day` partition (`YYYY/MM/DD`) from an object's key, plain (`…/2026/11/20/…`) or Hive-compatible
 * (`…/year=2026/month=11/day=20/…`); the greedy prefix takes the last date in the path, so a mirror kept under a dated
 * folder of its own still yields the key's date. One `read_csv` per header (rather than per header and day) lets
 * DuckDB spread all objects over its threads.
 */
const DAY_FROM_KEY = (col: string) => {
  const re = `'.*/(?:year=)?(\\d{4})/(?:month=)?(\\d{2})/(?:day=)?(\\d{2})/'`;
  return `concat_ws('/', regexp_extract(${col}, ${re}, 1), regexp_extract(${col}, ${re}, 2), regexp_extract(${col}, ${re}, 3))`;
};

/** Objects of one delivery day, read by one `read_json` call. */
export interface DnsGroup {
  day: string;
  paths: string[];
}

/** Store files of the columnar store, read by one `read_parquet` call (they share one schema). */
export interface StoreFiles {
  paths: string[];
  /** The flow-log fields the files hold (flow store only). */
  fields: string[];
}

/** Every known field as a column: present ones as read, absent ones a typed NULL (Athena's table shape). */
function project(present: ReadonlySet<string>): string {
  return Object.keys(FLOW_LOG_FIELDS)
    .map((f) => (present.has(f) ? `"${columnName(f)}"` : `CAST(NULL AS ${typeOf(f)}) AS "${columnName(f)}"`))
    .join(', ');
}

/**
 * SQL for the `vpc_flow_logs_nat` view: one raw read per header group with the columns in that header's order (or
 * by name for Parquet objects), plus one read of the store files, each projected onto every known field, so queries
 * see Athena's table shape whatever order or subset each object was written in and wherever it is read from. Pure.
 */
export function flowViewSql(groups: FlowGroup[], store?: StoreFiles): string {
  const parts = groups.map(
    (g) =>
      `SELECT ${project(new Set(g.fields))}, ${g.day === undefined ? DAY_FROM_KEY('filename') : q(g.day)} AS day ` +
      `FROM ${rawFlowSource(g.paths, g.fields)}`,
  );
  if (store && store.paths.length > 0) {
    parts.push(`SELECT ${project(new Set(store.fields))}, day FROM read_parquet(${list(store.paths)})`);
  }
  if (parts.length === 0) return `SELECT ${project(new Set())}, CAST(NULL AS VARCHAR) AS day WHERE false`;
  return parts.join('\nUNION ALL\n');
}

/** SQL for the `resolver_query_logs` view (Route 53 Resolver NDJSON) over raw objects and store files. Pure. */
export function dnsViewSql(groups: DnsGroup[], store: string[] = []): string {
  const names = Object.keys(DNS_COLUMNS);
  const parts = groups.map((g) => `SELECT ${names.join(', ')}, ${q(g.day)} AS day FROM ${rawDnsSource(g.paths)}`);
  if (store.length > 0) parts.push(`SELECT ${names.join(', ')}, day FROM read_parquet(${list(store)})`);
  if (parts.length === 0) {
    return `SELECT ${names.map((n) => `CAST(NULL AS ${DNS_COLUMNS[n]}) AS ${n}`).join(', ')}, CAST(NULL AS VARCHAR) AS day WHERE false`;
  }
  return parts.join('\nUNION ALL\n');
}
