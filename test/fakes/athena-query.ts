import type { StartQueryExecutionInput } from '@aws-sdk/client-athena';
import type { SqlResult } from './athena-results.js';
import type { StatementType } from './athena-sql.js';
import { ENGINE_VERSION } from './athena-wire.js';

/** Athena's query states. */
export type QueryState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

/** How a failed query is explained in `Status.StateChangeReason` and `Status.AthenaError`. */
export interface Failure {
  reason: string;
  /** 1 = SYSTEM, 2 = USER, 3 = OTHER (Athena error catalog). */
  errorCategory: number;
  /** Athena error type, e.g. 1006 for the parameter-count mismatch Athena reports. */
  errorType: number;
  /** AthenaError.ErrorMessage; defaults to `reason`. */
  message?: string;
}

/** Everything the fake knows about one query execution. */
export interface QueryRecord {
  id: string;
  input: StartQueryExecutionInput;
  /** Query text after parameter substitution: what the executor sees. */
  sql: string;
  statementType: StatementType;
  workGroup: string;
  outputLocation: string;
  state: QueryState;
  /** GetQueryExecution calls so far; drives the QUEUED → RUNNING → done illusion. */
  polls: number;
  submittedAt: number;
  startedAt?: number;
  completedAt?: number;
  failure?: Failure;
  result?: SqlResult;
  dataScanned: number;
  reused: boolean;
  controller: AbortController;
}

export function isTerminal(state: QueryState): boolean {
  return state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED';
}

/** Moves a query to a terminal state once; a late executor result after a stop is ignored. */
export function finish(q: QueryRecord, state: QueryState, at: number, done: { result?: SqlResult; failure?: Failure }) {
  if (isTerminal(q.state)) return;
  q.state = state;
  q.startedAt ??= at;
  q.completedAt = at;
  q.result = done.result;
  q.failure = done.failure;
  if (done.result && !q.reused) q.dataScanned = done.result.bytesScanned;
}

/** Runs the executor once `gate` opens (holdQueries), turning its outcome into a terminal state. */
export async function runQuery(
  q: QueryRecord,
  execute: (sql: string, ctx: { database?: string; catalog?: string; signal: AbortSignal }) => Promise<SqlResult>,
  gate: Promise<void>,
  now: () => number,
): Promise<void> {
  q.state = 'RUNNING';
  q.startedAt = now();
  await gate;
  if (isTerminal(q.state)) return;
  const ctx = q.input.QueryExecutionContext ?? {};
  try {
    const result = await execute(q.sql, { database: ctx.Database, catalog: ctx.Catalog, signal: q.controller.signal });
    finish(q, 'SUCCEEDED', now(), { result });
  } catch (err) {
    // An engine error is a query failure the client must see, not a transport error.
    const reason = err instanceof Error ? err.message : String(err);
    finish(q, 'FAILED', now(), { failure: { reason, errorCategory: 2, errorType: 1000 } });
  }
}

/**
 * Renders `GetQueryExecution.QueryExecution`. The first `pollsBeforeDone` polls report
 * QUEUED then RUNNING even when the executor already finished, so clients really poll;
 * cancellations and reused results are reported as soon as they happen, as Athena does.
 */
export function describeExecution(q: QueryRecord, pollsBeforeDone: number, now: number) {
  q.polls++;
  let state = q.state;
  if (!q.reused && state !== 'CANCELLED') {
    if (q.polls <= pollsBeforeDone) state = q.polls === 1 ? 'QUEUED' : 'RUNNING';
    else if (state === 'QUEUED') state = 'RUNNING';
  }
  const done = isTerminal(state);
  const end = done ? (q.completedAt ?? now) : now;
  const started = q.startedAt ?? end;
  // Timestamps go out as epoch seconds: awsJson's default timestamp format.
  const status = {
    State: state,
    SubmissionDateTime: q.submittedAt / 1000,
    ...(done ? { CompletionDateTime: end / 1000 } : {}),
    ...(done && q.failure ? { StateChangeReason: q.failure.reason } : {}),
    ...(done && state === 'FAILED' && q.failure
      ? {
          AthenaError: {
            ErrorCategory: q.failure.errorCategory,
            ErrorType: q.failure.errorType,
            Retryable: false,
            ErrorMessage: q.failure.message ?? q.failure.reason,
          },
        }
      : {}),
  };
  const ctx = q.input.QueryExecutionContext;
  return {
    QueryExecutionId: q.id,
    Query: q.input.QueryString,
    StatementType: q.statementType,
    ResultConfiguration: { OutputLocation: q.outputLocation },
    ...(q.input.ResultReuseConfiguration ? { ResultReuseConfiguration: q.input.ResultReuseConfiguration } : {}),
    QueryExecutionContext: {
      Catalog: ctx?.Catalog ?? 'AwsDataCatalog',
      ...(ctx?.Database ? { Database: ctx.Database } : {}),
    },
    Status: status,
    Statistics: {
      DataScannedInBytes: done ? q.dataScanned : 0,
      EngineExecutionTimeInMillis: Math.max(0, end - started),
      QueryQueueTimeInMillis: Math.max(0, started - q.submittedAt),
      TotalExecutionTimeInMillis: Math.max(0, end - q.submittedAt),
      ResultReuseInformation: { ReusedPreviousResult: q.reused },
    },
    WorkGroup: q.workGroup,
    EngineVersion: ENGINE_VERSION,
    ...(q.input.ExecutionParameters ? { ExecutionParameters: q.input.ExecutionParameters } : {}),
  };
}

/**
 * Finds a query whose results `q` may reuse: result reuse enabled on `q`, same query text,
 * parameters, context and workgroup, and SUCCEEDED within `MaxAgeInMinutes` of `q`.
 */
export function findReusable(queries: Iterable<QueryRecord>, q: QueryRecord): QueryRecord | undefined {
  const byAge = q.input.ResultReuseConfiguration?.ResultReuseByAgeConfiguration;
  if (!byAge?.Enabled || q.statementType !== 'DML') return undefined;
  // Athena's documented default maximum age is 60 minutes.
  const oldest = q.submittedAt - (byAge.MaxAgeInMinutes ?? 60) * 60_000;
  const key = (r: QueryRecord) =>
    JSON.stringify([
      r.input.QueryString,
      r.input.ExecutionParameters ?? [],
      r.input.QueryExecutionContext,
      r.workGroup,
    ]);
  const wanted = key(q);
  return [...queries]
    .reverse()
    .find((r) => r !== q && r.state === 'SUCCEEDED' && r.result && (r.completedAt ?? 0) >= oldest && key(r) === wanted);
}
