import { randomUUID } from 'node:crypto';
import type { StartQueryExecutionInput } from '@aws-sdk/client-athena';
import { describeExecution, type Failure, findReusable, finish, type QueryRecord, runQuery } from './athena-query.js';
import { resultPage, type SqlResult } from './athena-results.js';
import { classifyStatement, substituteParameters } from './athena-sql.js';
import {
  type AthenaCall,
  type AthenaFault,
  AthenaWireError,
  describeWorkGroup,
  invalid,
  sendJson,
  takeFault,
} from './athena-wire.js';
import { listenLoopback } from './aws-listen.js';

export type { SqlColumn, SqlResult } from './athena-results.js';

/** Runs one SQL statement (the query text with execution parameters already substituted as literals, exactly as Athena would). */
export type SqlExecutor = (
  sql: string,
  ctx: { database?: string; catalog?: string; signal: AbortSignal },
) => Promise<SqlResult>;

/** Options for {@link startAthenaFake}. */
export interface AthenaFakeOptions {
  execute: SqlExecutor;
  /** Clock in epoch ms for timestamps and result-reuse ageing; defaults to `Date.now`. */
  now?: () => number;
  /** GetQueryExecution polls answered QUEUED/RUNNING before the real state shows; default 1. */
  pollsBeforeDone?: number;
  /** Workgroups that exist; default `['primary']`. Others get InvalidRequestException. */
  workGroups?: string[];
}

/** A running Athena fake; point `AthenaClient` at `url`. */
export interface AthenaFake {
  url: string;
  /** Every request, including throttled and denied ones (so retries are countable). */
  calls: AthenaCall[];
  /** Input of every StartQueryExecution that got past fault injection. */
  started: StartQueryExecutionInput[];
  /** Query text after parameter substitution, for every query handed to the executor (recorded at submission). */
  executed: string[];
  /** QueryExecutionIds passed to StopQueryExecution. */
  stopped: string[];
  /** Query strings classified as DDL or UTILITY (still passed to the executor). */
  ddl: string[];
  /** The next `n` calls (to `op`, if given) fail with a throttling error the SDK classifies as retryable. */
  throttleNext(n: number, op?: string, code?: 'TooManyRequestsException' | 'ThrottlingException'): void;
  /** The next query that would run (not one answered from reused results) ends FAILED with this StateChangeReason instead. */
  failNextQuery(reason: string, errorCategory?: number, errorType?: number): void;
  /** While true, new queries stay RUNNING until stopped or until `holdQueries(false)`. */
  holdQueries(hold: boolean): void;
  /** The next call to `op` fails with AccessDeniedException. */
  denyNext(op: string, message?: string): void;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'AmazonAthena.';
const RESULTS_BUCKET = 's3://fake-results/';

/**
 * Starts an Athena fake speaking awsJson1_1 on loopback: POST `/` with
 * `X-Amz-Target: AmazonAthena.<Operation>`, errors as HTTP 400 `{"__type", "Message", …}`.
 */
export async function startAthenaFake(opts: AthenaFakeOptions): Promise<AthenaFake> {
  const now = opts.now ?? Date.now;
  const pollsBeforeDone = opts.pollsBeforeDone ?? 1;
  const workGroups = new Set(opts.workGroups ?? ['primary']);
  const queries = new Map<string, QueryRecord>();
  const byToken = new Map<string, string>();
  const faults: AthenaFault[] = [];
  const failures: Failure[] = [];
  let gate = Promise.resolve();
  let release: (() => void) | undefined;
  const fake = { calls: [], started: [], executed: [], stopped: [], ddl: [] } as Pick<
    AthenaFake,
    'calls' | 'started' | 'executed' | 'stopped' | 'ddl'
  >;

  const lookup = (id: unknown): QueryRecord => {
    const q = typeof id === 'string' ? queries.get(id) : undefined;
    if (!q) throw invalid(`QueryExecution ${String(id)} was not found`);
    return q;
  };

  const startQuery = (input: StartQueryExecutionInput) => {
    if (typeof input.QueryString !== 'string' || input.QueryString === '') throw invalid('QueryString is required');
    const workGroup = input.WorkGroup ?? 'primary';
    if (!workGroups.has(workGroup)) throw invalid(`WorkGroup ${workGroup} is not found.`);
    // The SDK fills ClientRequestToken itself, so a retried request must map to the same query.
    const token = input.ClientRequestToken;
    const prior = token ? byToken.get(token) : undefined;
    if (prior) {
      if (queries.get(prior)?.input.QueryString !== input.QueryString) {
        throw invalid('Idempotent parameters do not match');
      }
      return { QueryExecutionId: prior };
    }
    fake.started.push(input);
    const id = randomUUID();
    const statementType = classifyStatement(input.QueryString);
    if (statementType !== 'DML') fake.ddl.push(input.QueryString);
    const requested = input.ResultConfiguration?.OutputLocation;
    const base = requested ? requested.replace(/\/?$/, '/') : RESULTS_BUCKET;
    const q: QueryRecord = {
      id,
      input,
      sql: input.QueryString,
      statementType,
      workGroup,
      outputLocation: `${base}${id}${statementType === 'DML' ? '.csv' : '.txt'}`,
      state: 'QUEUED',
      polls: 0,
      submittedAt: now(),
      dataScanned: 0,
      reused: false,
      controller: new AbortController(),
    };
    queries.set(id, q);
    if (token) byToken.set(token, id);

    const source = findReusable(queries.values(), q);
    const sub = substituteParameters(input.QueryString, input.ExecutionParameters);
    if (source) {
      q.reused = true;
      finish(q, 'SUCCEEDED', q.submittedAt, { result: source.result });
    } else if (!sub.ok) {
      const message = `Incorrect number of parameters: expected ${sub.expected} but found ${sub.found}`;
      const reason = `INVALID_PARAMETER_USAGE: line 1:1: ${message}`;
      finish(q, 'FAILED', now(), { failure: { reason, message, errorCategory: 2, errorType: 1006 } });
    } else if (failures.length > 0) {
      finish(q, 'FAILED', now(), { failure: failures.shift() });
    } else {
      q.sql = sub.sql;
      fake.executed.push(sub.sql);
      void runQuery(q, opts.execute, gate, now);
    }
    return { QueryExecutionId: id };
  };

  const handlers: Record<string, (input: Record<string, unknown>) => unknown> = {
    StartQueryExecution: (input) => startQuery(input as unknown as StartQueryExecutionInput),
    GetQueryExecution: (input) => ({
      QueryExecution: describeExecution(lookup(input.QueryExecutionId), pollsBeforeDone, now()),
    }),
    GetQueryResults: (input) => resultPage(lookup(input.QueryExecutionId), input),
    StopQueryExecution: (input) => {
      const q = lookup(input.QueryExecutionId);
      fake.stopped.push(q.id);
      finish(q, 'CANCELLED', now(), {
        failure: { reason: 'Query cancelled by user', errorCategory: 2, errorType: 1000 },
      });
      q.controller.abort();
      return {};
    },
    GetWorkGroup: (input) => {
      const name = input.WorkGroup;
      if (typeof name !== 'string' || !workGroups.has(name)) throw invalid(`WorkGroup ${String(name)} is not found.`);
      return { WorkGroup: describeWorkGroup(name, RESULTS_BUCKET) };
    },
  };

  const server = await listenLoopback((req, body, res) => {
    const target = req.headers['x-amz-target'];
    const op = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body || '{}') as Record<string, unknown>;
    } catch {
      return sendJson(res, 400, { __type: 'SerializationException', Message: 'Request body is not valid JSON' });
    }
    fake.calls.push({ op, input });
    try {
      const fault = takeFault(faults, op);
      if (fault) throw fault;
      const handler = req.method === 'POST' ? handlers[op] : undefined;
      if (!handler) throw new AthenaWireError('UnknownOperationException', `Unsupported target: ${String(target)}`);
      sendJson(res, 200, handler(input));
    } catch (err) {
      if (!(err instanceof AthenaWireError)) throw err;
      sendJson(res, err.status, { __type: err.type, Message: err.message, ...err.extra });
    }
  });

  return {
    url: server.url,
    ...fake,
    throttleNext: (n, op, code = 'TooManyRequestsException') => {
      for (let i = 0; i < n; i++) faults.push({ op, kind: code });
    },
    failNextQuery: (reason, errorCategory = 2, errorType = 1000) => {
      failures.push({ reason, errorCategory, errorType });
    },
    holdQueries: (hold) => {
      if (hold && !release) gate = new Promise<void>((resolve) => (release = resolve));
      if (!hold && release) {
        release();
        release = undefined;
        gate = Promise.resolve();
      }
    },
    denyNext: (op, message) => {
      faults.push({ op, kind: 'AccessDeniedException', message });
    },
    close: async () => {
      for (const q of queries.values()) q.controller.abort();
      await server.close();
    },
  };
}
