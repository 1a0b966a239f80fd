import { columnName, type FieldType, FLOW_LOG_FIELDS } from '../flowlogs/fields.js';

/** DuckDB types of the flow-log field types (the same as Athena's DDL types). */
export const DUCK_TYPE: Record<FieldType, string> = { int: 'INTEGER', bigint: 'BIGINT', string: 'VARCHAR' };

/** A single-quoted SQL string literal (paths come from the file system, never from a person's input). */
export const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
export const list = (paths: readonly string[]) => `[${paths.map(q).join(', ')}]`;

/** Whether an object is a Parquet flow-log object (AWS: `….log.parquet`) rather than gzip text. */
export const isParquet = (path: string) => path.endsWith('.parquet');

/** The DuckDB type of a known flow-log column (unknown fields are text). */
export const typeOf = (field: string) => DUCK_TYPE[FLOW_LOG_FIELDS[field] ?? 'string'];

/**
 * A table function reading raw flow-log objects that share one field list, with every column typed and named as the
 * table names it. Text: `read_csv` with the header's columns in order; a line that does not split into those fields,
 * or whose value does not parse, is skipped — never the whole object (the pass that summarises each object counts
 * them). Flow-log lines are short: small read buffers (2 MiB, lines up to 256 KiB) keep a many-object scan's memory low.
 * Parquet: `read_parquet` by column name (AWS writes `pkt_srcaddr`, …), cast to the table's types.
 */
export function rawFlowSource(paths: readonly string[], fields: readonly string[], rejects = false): string {
  if (isParquet(paths[0] as string)) {
    const cols = fields.map((f) => `CAST("${columnName(f)}" AS ${typeOf(f)}) AS "${columnName(f)}"`).join(', ');
    return `(SELECT ${cols}, filename FROM read_parquet(${list(paths)}, filename=true, union_by_name=true))`;
  }
  const columns = fields.map((f) => `${q(columnName(f))}: ${q(typeOf(f))}`).join(', ');
  return (
    `read_csv(${list(paths)}, delim=' ', header=true, columns={${columns}}, nullstr='-', compression='gzip', ` +
    `auto_detect=false, quote='', escape='', strict_mode=true, filename=true, max_line_size=262144, buffer_size=2097152, ${rejects ? 'store_rejects=true' : 'ignore_errors=true'})`
  );
}

/** Route 53 Resolver query-log columns (NDJSON) and their DuckDB types. */
export const DNS_COLUMNS: Record<string, string> = {
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

/** `read_json` over raw resolver-log objects; a line that is not a JSON document is skipped, not its object. */
export function rawDnsSource(paths: readonly string[]): string {
  const columns = Object.entries(DNS_COLUMNS)
    .map(([n, t]) => `${q(n)}: ${q(t)}`)
    .join(', ');
  return `read_json(${list(paths)}, format='newline_delimited', compression='gzip', columns={${columns}}, ignore_errors=true)`;
}
