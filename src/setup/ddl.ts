import { readFileSync } from 'node:fs';
import { DAY_FORMATS, type DayLayout, layoutOf } from '../engine/athena-days.js';
import { columnName, type FieldType, FLOW_LOG_FIELDS } from '../flowlogs/fields.js';
import { type FlowDestination, flowLocation, resolverLocation } from './destination.js';

/** `queries/ddl/`: DDL templates (DDL cannot take execution parameters, so code renders them). */
const DDL_DIR = new URL('../../queries/ddl/', import.meta.url);

/**
 * Renders `queries/ddl/<name>.sql`: drops `--` comment lines (Athena's DDL parser does not want them) and replaces
 * every `{{key}}`. A placeholder without a value is a bug, so it throws instead of leaving `{{…}}` in the DDL.
 */
export function renderTemplate(name: string, values: Record<string, string>): string {
  const text = readFileSync(new URL(`${name}.sql`, DDL_DIR), 'utf8');
  const body = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('--'))
    .join('\n')
    .trim();
  return body.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`DDL template ${name} needs {{${key}}}`);
    return v;
  });
}

const DATABASE = /^[a-z0-9_]+$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function database(db: string): string {
  if (!DATABASE.test(db)) throw new Error(`bad database name ${db}`);
  return db;
}

/** `"key" = "value"` lines; values never hold a double quote (they are built from validated parts). */
function properties(props: Array<[string, string]>): string {
  for (const [k, v] of props) if (/["\\]/.test(k + v)) throw new Error(`unsafe table property ${k}`);
  return props.map(([k, v]) => `  "${k}" = "${v}"`).join(',\n');
}

/** Partition projection of the `day` column in `layout`, from `firstDay` (YYYY-MM-DD) to now. */
function dayProjection(layout: DayLayout, firstDay: string): Array<[string, string]> {
  if (!DAY.test(firstDay)) throw new Error(`bad day ${firstDay}`);
  const f = DAY_FORMATS[layout];
  return [
    ['projection.enabled', 'true'],
    ['projection.day.type', 'date'],
    ['projection.day.format', f.pattern],
    ['projection.day.range', `${f.render(firstDay)},NOW`],
    ['projection.day.interval', '1'],
    ['projection.day.interval.unit', f.hourly ? 'HOURS' : 'DAYS'],
  ];
}

const TEXT_STORAGE = [
  "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe'",
  // '-' is how flow logs write "no value" (NODATA/SKIPDATA records); read it as NULL, as the DuckDB engine does.
  "WITH SERDEPROPERTIES ('field.delim' = ' ', 'serialization.format' = ' ', 'serialization.null.format' = '-')",
  "STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'",
  "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
].join('\n');

const AWS_SERVICE = 'pkt-dst-aws-service';

/** What the flow-log table is generated from. */
export interface FlowTableSpec {
  database: string;
  /** LogFormat fields, in order. */
  fields: readonly string[];
  destination: FlowDestination;
  accountId: string;
  region: string;
  /** First day the projection covers (the flow log's creation day). */
  firstDay: string;
}

/**
 * `CREATE EXTERNAL TABLE vpc_flow_logs_nat` for one flow-log destination: one column per LogFormat field in order
 * (plus `pkt_dst_aws_service` at the end when the format lacks it),
 * Hive types from the field list, text (space-delimited, header skipped, `-` = NULL) or Parquet, and partition
 * projection whose format and `storage.location.template` follow the destination's layout (plain or Hive-compatible,
 * daily or per-hour).
 */
export function flowTableDdl(s: FlowTableSpec): string {
  // `cost` reads pkt-dst-aws-service where the format has it; a trailing column the objects lack reads as NULL (text:
  // the SerDe pads short lines; Parquet: by name), so the query runs on every format.
  const fields = s.fields.includes(AWS_SERVICE) ? s.fields : [...s.fields, AWS_SERVICE];
  const columns = fields.map((f) => {
    const type = FLOW_LOG_FIELDS[f] as FieldType | undefined;
    if (!type) throw new Error(`unknown flow-log field ${f}`);
    return `  \`${columnName(f)}\` ${type}`;
  });
  const layout: DayLayout = layoutOf(s.destination);
  // Per hour, the projected `day` value is the day *and* hour folder (`2026/11/20/05`), so the day predicate of every
  // query prunes hours; the template then needs no `${hour}` of its own.
  const { location } = flowLocation(s.destination, s.accountId, s.region);
  const text = s.destination.fileFormat !== 'parquet';
  const props: Array<[string, string]> = [
    ...dayProjection(layout, s.firstDay),
    ['storage.location.template', `${location}\${day}/`],
    ...(text ? ([['skip.header.line.count', '1']] as Array<[string, string]>) : []),
  ];
  return renderTemplate('vpc-flow-logs', {
    database: database(s.database),
    columns: columns.join(',\n'),
    partitions: '`day` string',
    storage: text ? TEXT_STORAGE : 'STORED AS PARQUET',
    location,
    properties: properties(props),
  });
}

/** What the resolver-log table is generated from. */
export interface ResolverTableSpec {
  database: string;
  bucket: string;
  prefix: string;
  accountId: string;
  vpcId: string;
  firstDay: string;
}

/** `CREATE EXTERNAL TABLE resolver_query_logs` (JSON SerDe) with a daily `day` projection over the VPC's folder. */
export function resolverTableDdl(s: ResolverTableSpec): string {
  const { location, template } = resolverLocation(s, s.accountId, s.vpcId);
  return renderTemplate('resolver-query-logs', {
    database: database(s.database),
    location,
    properties: properties([...dayProjection('plain', s.firstDay), ['storage.location.template', template]]),
  });
}

/** `CREATE DATABASE IF NOT EXISTS`. */
export function databaseDdl(db: string): string {
  return renderTemplate('database', { database: database(db) });
}

/** `DROP TABLE IF EXISTS` (external: the data stays). */
export function dropTableDdl(db: string, table: 'vpc_flow_logs_nat' | 'resolver_query_logs'): string {
  return renderTemplate('drop-table', { database: database(db), table });
}
