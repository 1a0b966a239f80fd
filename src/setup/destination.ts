import { UserError } from '../errors.js';

/**
 * Where and how a flow log writes to S3, and the S3 prefixes AWS derives from it. Every value here ends up inside DDL
 * text (which takes no parameters), so each is checked against a strict pattern first.
 */
export interface FlowDestination {
  bucket: string;
  /** Key prefix before `AWSLogs/`: '' or `a/b/` (always ending in `/`). */
  prefix: string;
  fileFormat: 'plain-text' | 'parquet';
  /** `aws-account-id=…/aws-service=vpcflowlogs/aws-region=…/year=…/month=…/day=…` instead of `…/2026/11/20`. */
  hive: boolean;
  /** An extra `HH/` (or `hour=HH/`) folder under each day. */
  perHour: boolean;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX = /^(?:[A-Za-z0-9_.=-]+\/)*$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
const VPC = /^vpc-[0-9a-f]{8,17}$/;

const refuse = (why: string) => new UserError('SETUP_REFUSED', why);

/** Normalises a key prefix to '' or `a/b/` and checks it holds only characters safe in DDL. */
export function normalisePrefix(raw: string): string {
  const p = raw.replace(/^\/+|\/+$/g, '');
  const out = p === '' ? '' : `${p}/`;
  if (!PREFIX.test(out)) {
    throw refuse(
      `The S3 prefix "${raw}" has characters egress will not put into DDL; use letters, digits, _ . = - and /.`,
    );
  }
  return out;
}

/** `arn:aws:s3:::bucket/some/prefix/` (any partition) → bucket and normalised prefix. */
export function parseS3Arn(arn: string): { bucket: string; prefix: string } {
  const m = /^arn:aws[a-z-]*:s3:::([^/]+)(?:\/(.*))?$/.exec(arn);
  if (!m || !BUCKET.test(m[1] as string)) throw refuse(`"${arn}" is not an S3 bucket ARN egress understands.`);
  return { bucket: m[1] as string, prefix: normalisePrefix(m[2] ?? '') };
}

/** `s3://bucket/prefix/` → bucket and normalised prefix. */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (!m || !BUCKET.test(m[1] as string)) throw refuse(`"${uri}" is not an s3://bucket/prefix/ URI.`);
  return { bucket: m[1] as string, prefix: normalisePrefix(m[2] ?? '') };
}

function check(what: string, value: string, re: RegExp): string {
  if (!re.test(value)) throw refuse(`Unexpected ${what} "${value}" from AWS; refusing to put it into DDL.`);
  return value;
}

/**
 * The table LOCATION and the partition template of a flow-log destination, exactly as AWS lays out its keys:
 * `AWSLogs/<account>/vpcflowlogs/<region>/2026/11/20[/05]/` or
 * `AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/year=2026/month=11/day=20[/hour=05]/`.
 */
export function flowLocation(
  d: FlowDestination,
  accountId: string,
  region: string,
): { location: string; template: string } {
  check('account id', accountId, ACCOUNT);
  check('region', region, REGION);
  const root = `s3://${d.bucket}/${d.prefix}AWSLogs/`;
  const location = d.hive
    ? `${root}aws-account-id=${accountId}/aws-service=vpcflowlogs/aws-region=${region}/`
    : `${root}${accountId}/vpcflowlogs/${region}/`;
  const hour = d.perHour ? (d.hive ? `hour=\${hour}/` : `\${hour}/`) : '';
  return { location, template: `${location}\${day}/${hour}` };
}

/** LOCATION and template of Resolver query logs: `AWSLogs/<account>/vpcdnsquerylogs/<vpc>/2026/11/20/`. */
export function resolverLocation(
  dest: { bucket: string; prefix: string },
  accountId: string,
  vpcId: string,
): { location: string; template: string } {
  check('account id', accountId, ACCOUNT);
  check('VPC id', vpcId, VPC);
  const location = `s3://${dest.bucket}/${dest.prefix}AWSLogs/${accountId}/vpcdnsquerylogs/${vpcId}/`;
  return { location, template: `${location}\${day}/` };
}
