import type { QueryExecution } from '@aws-sdk/client-athena';
import { ConfigError, EgressError, PermanentError, TransientError } from '../errors.js';

/** SDK error names Athena uses for throttling (the modelled one and the generic front-door one). */
const THROTTLE_NAMES = new Set(['TooManyRequestsException', 'ThrottlingException', 'ThrottledException']);

/** True for an Athena/AWS throttling error, which is worth retrying after a pause. */
export function isThrottle(err: unknown): boolean {
  const e = err as { name?: string; $retryable?: { throttling?: boolean } } | undefined;
  return !!e && (THROTTLE_NAMES.has(e.name ?? '') || e.$retryable?.throttling === true);
}

const firstLine = (s: string | undefined) => (s ?? '').split('\n')[0]?.trim() ?? '';

/** `…not authorized to perform: athena:GetQueryResults…` → `athena:GetQueryResults`, else `<service>:<op>`. */
export function deniedAction(message: string, fallback: string): string {
  return /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/i.exec(message)?.[1] ?? fallback;
}

/**
 * Maps an SDK error from Athena operation `op` to a coded error whose message says what to do: IAM action for access
 * denied, the variable to set for configuration problems, "try again" for throttling and network trouble.
 */
export function mapAthenaError(err: unknown, op: string): Error {
  if (err instanceof EgressError) return err;
  const e = err as { name?: string; message?: string; code?: string };
  const name = e.name ?? 'Error';
  const msg = firstLine(e.message);
  if (isThrottle(err)) {
    return new TransientError('THROTTLED', `Athena is throttling ${op} (${name}); try again in a minute.`, {
      cause: err,
    });
  }
  if (name === 'AccessDeniedException' || /not authorized/i.test(msg)) {
    const action = deniedAction(msg, `athena:${op}`);
    return new PermanentError(
      'ACCESS_DENIED',
      `Athena refused ${op}: the IAM identity egress runs as needs permission for ${action} (${msg}).`,
      { cause: err },
    );
  }
  if (/WorkGroup .* (is )?not found/i.test(msg)) {
    return new ConfigError(
      `${msg} Set EGRESS_ATHENA_WORKGROUP to an existing workgroup (aws athena list-work-groups).`,
    );
  }
  if (/output location/i.test(msg)) {
    return new ConfigError(
      `Athena has nowhere to write results (${msg}). Set EGRESS_ATHENA_OUTPUT=s3://bucket/prefix/ or give the workgroup a query result location.`,
    );
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(msg)) {
    return new ConfigError(
      `No AWS credentials found (${msg}). Use the usual AWS credential sources (AWS_PROFILE, environment, IRSA, instance role).`,
    );
  }
  if (/Region is missing/i.test(msg)) return new ConfigError('No AWS region configured: set AWS_REGION.');
  if (
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|socket hang up/i.test(`${e.code ?? ''} ${msg}`) ||
    name === 'TimeoutError'
  ) {
    return new TransientError(
      'UPSTREAM',
      `Could not reach Athena for ${op} (${msg || name}); check the network and AWS_REGION.`,
      {
        cause: err,
      },
    );
  }
  return new PermanentError('QUERY_FAILED', `Athena ${op} failed: ${name}: ${msg}`, { cause: err });
}

/**
 * Explains a query that ended FAILED. Missing tables point at `egress setup`; S3 access problems name the IAM actions;
 * data/format mismatches point at re-running setup after a LogFormat change.
 */
export function mapQueryFailure(qe: QueryExecution, database: string): Error {
  const id = qe.QueryExecutionId ?? '?';
  const reason = firstLine(qe.Status?.StateChangeReason ?? qe.Status?.AthenaError?.ErrorMessage) || 'no reason given';
  if (/TABLE_NOT_FOUND|SCHEMA_NOT_FOUND|(Table|Schema|Database) .*(does not exist|not found)/i.test(reason)) {
    return new PermanentError(
      'TABLE_MISSING',
      `Athena cannot find the egress tables in database ${database} (${reason}). Run \`egress setup\` to create them.`,
    );
  }
  if (/Access Denied|AccessDenied|not authorized|Permission denied/i.test(reason)) {
    return new PermanentError(
      'ACCESS_DENIED',
      `Athena query ${id} was denied access (${reason}). The IAM identity needs s3:GetObject and s3:ListBucket on the log bucket and s3:PutObject on the results location (plus glue:GetTable/GetDatabase).`,
    );
  }
  if (/HIVE_BAD_DATA|HIVE_CURSOR_ERROR|HIVE_PARTITION_SCHEMA_MISMATCH/i.test(reason)) {
    return new PermanentError(
      'QUERY_FAILED',
      `Athena could not read the logs as the table describes them (${reason}). If the flow log's format changed, run \`egress setup\` again.`,
    );
  }
  const text = `Athena query ${id} failed: ${reason}`;
  if (qe.Status?.AthenaError?.Retryable)
    return new TransientError('QUERY_FAILED', `${text} (Athena says a retry may work).`);
  return new PermanentError('QUERY_FAILED', text);
}
