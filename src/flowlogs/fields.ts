/**
 * VPC Flow Logs fields of format versions 2–8, as AWS names them in a LogFormat (`${pkt-srcaddr}`) and in the header
 * line of every S3 object. The SQL column is the name with `-` → `_`. Types are the Athena (Hive DDL) types.
 */
export type FieldType = 'int' | 'bigint' | 'string';

/** Every known field, in AWS's documented (default-format-first) order. */
export const FLOW_LOG_FIELDS: Readonly<Record<string, FieldType>> = {
  version: 'int',
  'account-id': 'string',
  'interface-id': 'string',
  srcaddr: 'string',
  dstaddr: 'string',
  srcport: 'int',
  dstport: 'int',
  protocol: 'int',
  packets: 'bigint',
  bytes: 'bigint',
  start: 'bigint',
  end: 'bigint',
  action: 'string',
  'log-status': 'string',
  'vpc-id': 'string',
  'subnet-id': 'string',
  'instance-id': 'string',
  'tcp-flags': 'int',
  type: 'string',
  'pkt-srcaddr': 'string',
  'pkt-dstaddr': 'string',
  region: 'string',
  'az-id': 'string',
  'sublocation-type': 'string',
  'sublocation-id': 'string',
  'pkt-src-aws-service': 'string',
  'pkt-dst-aws-service': 'string',
  'flow-direction': 'string',
  'traffic-path': 'int',
  'ecs-cluster-arn': 'string',
  'ecs-cluster-name': 'string',
  'ecs-container-instance-arn': 'string',
  'ecs-container-instance-id': 'string',
  'ecs-container-id': 'string',
  'ecs-second-container-id': 'string',
  'ecs-service-name': 'string',
  'ecs-task-definition-arn': 'string',
  'ecs-task-arn': 'string',
  'ecs-task-id': 'string',
  'reject-reason': 'string',
};

/** The default format (version 2), used by AWS when no LogFormat is given. */
export const DEFAULT_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
] as const;

/** Fields every query relies on; a format without them cannot answer "which pod". */
export const REQUIRED_FIELDS = [
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'bytes',
  'start',
  'action',
  'pkt-srcaddr',
  'pkt-dstaddr',
] as const;

/** The SQL column name of a field: `pkt-srcaddr` → `pkt_srcaddr`. */
export function columnName(field: string): string {
  return field.replace(/-/g, '_');
}

/**
 * Parses the header line of a flow-log object (`version account-id … pkt-dstaddr`). With `allowUnknown`, a field this
 * version does not know (AWS adds fields over time) is kept so the line still splits right; readers ignore it.
 */
export function parseHeader(line: string, opts: { allowUnknown?: boolean } = {}): string[] {
  const fields = line.trim().split(/\s+/).filter(Boolean);
  validateFields(fields, 'header', opts.allowUnknown);
  return fields;
}

/** Parses a LogFormat string as DescribeFlowLogs returns it (`${version} ${srcaddr} …`) into the field list. */
export function parseLogFormat(format: string): string[] {
  const tokens = format.trim().split(/\s+/).filter(Boolean);
  const fields = tokens.map((t) => {
    const m = /^\$\{([a-z0-9-]+)\}$/.exec(t);
    if (!m) throw new Error(`LogFormat token "${t}" is not of the form \${field-name}`);
    return m[1] as string;
  });
  validateFields(fields, 'LogFormat');
  return fields;
}

function validateFields(fields: string[], what: string, allowUnknown = false): void {
  if (fields.length === 0) throw new Error(`empty flow-log ${what}`);
  const seen = new Set<string>();
  for (const f of fields) {
    if (!(f in FLOW_LOG_FIELDS) && !(allowUnknown && /^[a-z][a-z0-9-]{0,63}$/.test(f))) {
      throw new Error(`unknown flow-log field "${f}" in ${what}`);
    }
    if (seen.has(f)) throw new Error(`flow-log field "${f}" appears twice in ${what}`);
    seen.add(f);
  }
}

/** Required fields missing from a field list (empty when the format can answer every question). */
export function missingRequired(fields: readonly string[]): string[] {
  return REQUIRED_FIELDS.filter((f) => !fields.includes(f));
}

/** True for a field every query relies on (see {@link REQUIRED_FIELDS}). */
export function isRequiredField(field: string): boolean {
  return (REQUIRED_FIELDS as readonly string[]).includes(field);
}
