import { columnName, type FieldType, FLOW_LOG_FIELDS } from '../flowlogs/fields.js';

/** Objects with the same header (field order), read by one `read_csv` call. */
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

const DUCK_TYPE: Record<FieldType, string> = { int: 'INTEGER', bigint: 'BIGINT', string: 'VARCHAR' };

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const list = (paths: string[]) => `[${paths.map(q).join(', ')}]`;

/**
 * SQL for the `vpc_flow_logs_nat` view over local objects: one `read_csv` per (header, day) group with the columns
 * in that header's order, projected onto every known field (absent ones NULL), so queries see Athena's table shape
 * whatever order or subset each object was written in. Pure.
 */
export function flowViewSql(groups: FlowGroup[]): string {
  const all = Object.keys(FLOW_LOG_FIELDS);
  const project = (present: Set<string>) =>
    all
      .map((f) => {
        const col = columnName(f);
        const type = DUCK_TYPE[FLOW_LOG_FIELDS[f] as FieldType];
        return present.has(f) ? `"${col}"` : `CAST(NULL AS ${type}) AS "${col}"`;
      })
      .join(', ');
  if (groups.length === 0) return `SELECT ${project(new Set())}, CAST(NULL AS VARCHAR) AS day WHERE false`;
  return groups
    .map((g) => {
      // Fields newer than this version are read as text (so the line splits right) and not projected.
      const columns = g.fields
        .map((f) => `${q(columnName(f))}: ${q(DUCK_TYPE[FLOW_LOG_FIELDS[f] ?? 'string'])}`)
        .join(', ');
      return (
        `SELECT ${project(new Set(g.fields))}, ${g.day === undefined ? DAY_FROM_KEY('filename') : q(g.day)} AS day FROM read_csv(${list(g.paths)}, ` +
        `delim=' ', header=true, columns={${columns}}, nullstr='-', compression='gzip', auto_detect=false, ` +
        `quote='', escape='', strict_mode=true, filename=true)`
      );
    })
    .join('\nUNION ALL\n');
}

const DNS_COLUMNS: Record<string, string> = {
  version: 'VARCHAR',
  account_id: 'VARCHAR',
  region: 'VARCHAR',
  vpc_id: 'VARCHAR',
  query_timestamp: 'VARCHAR',
  query_name: 'VARCHAR',
  query_type: 'VARCHAR',
  query_class: 'VARCHAR',
  rcode: 'VARCHAR',
  answers: 'STRUCT("Rdata" VARCHAR, "Type" VARCHAR, "Class" VARCHAR)[]',
  srcaddr: 'VARCHAR',
  srcport: 'VARCHAR',
  transport: 'VARCHAR',
  srcids: 'JSON',
};

/** SQL for the `resolver_query_logs` view (Route 53 Resolver NDJSON) over local objects. Pure. */
export function dnsViewSql(groups: DnsGroup[]): string {
  const names = Object.keys(DNS_COLUMNS);
  if (groups.length === 0) {
    return `SELECT ${names.map((n) => `CAST(NULL AS ${DNS_COLUMNS[n]}) AS ${n}`).join(', ')}, CAST(NULL AS VARCHAR) AS day WHERE false`;
  }
  const columns = names.map((n) => `${q(n)}: ${q(DNS_COLUMNS[n] as string)}`).join(', ');
  return groups
    .map(
      (g) =>
        `SELECT ${names.join(', ')}, ${q(g.day)} AS day FROM read_json(${list(g.paths)}, ` +
        `format='newline_delimited', compression='gzip', columns={${columns}})`,
    )
    .join('\nUNION ALL\n');
}
