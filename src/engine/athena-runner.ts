import { randomUUID } from 'node:crypto';
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  type StartQueryExecutionCommandInput,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { PermanentError } from '../errors.js';
import { statementStats } from './athena-cost.js';
import { isThrottle, mapAthenaError, mapQueryFailure } from './athena-errors.js';
import { backoffDelay, POLL_BACKOFF, realTiming, THROTTLE_BACKOFF, type Timing } from './athena-poll.js';
import { type ResultColumn, readAllResults } from './athena-results.js';
import type { EngineStats, ResultRow, RunOptions } from './types.js';

/** Settings of one Athena connection (from the `EGRESS_ATHENA_*` variables). */
export interface AthenaRunnerOptions {
  client: AthenaClient;
  workGroup: string;
  catalog: string;
  database: string;
  /** Results location; omitted when the workgroup sets (or enforces) its own. */
  outputLocation?: string;
  timeoutMs: number;
  /** Result reuse maximum age; 0 turns reuse off. */
  reuseMaxAgeMinutes: number;
  pricePerTb: number;
  timing?: Timing;
  /** Our own retries of a throttled call, after the SDK's standard retries gave up; default 4. */
  throttleRetries?: number;
}

/** Per-statement choices. */
export interface StatementOptions extends RunOptions {
  /** Allow Athena to answer from a recent identical query (default true; DDL never reuses). */
  reuse?: boolean;
  /** Send no database in the context (for `CREATE DATABASE`, before it exists). */
  noDatabase?: boolean;
}

/** One finished statement: typed rows plus what it cost. */
export interface StatementResult {
  id: string;
  statementType: string;
  columns: ResultColumn[];
  rows: ResultRow[];
  stats: EngineStats;
}

/**
 * Runs one SQL statement on Athena from start to typed rows: StartQueryExecution (idempotent token, execution
 * parameters, result reuse), polling with capped backoff + jitter, StopQueryExecution on timeout or abort (a cancelled
 * query is still billed, so none is ever left running), paginated results. Throttled calls are retried, bounded.
 */
export class AthenaRunner {
  private readonly timing: Timing;

  constructor(readonly opts: AthenaRunnerOptions) {
    this.timing = opts.timing ?? realTiming;
  }

  /** Runs `sql` with `parameters` (already validated, rendered literals) and returns every row. */
  async run(sql: string, parameters: string[], o: StatementOptions = {}): Promise<StatementResult> {
    const started = this.timing.now();
    if (o.signal?.aborted) throw new PermanentError('QUERY_CANCELLED', 'The query was cancelled before it started.');
    let id: string;
    try {
      id = await this.start(sql, parameters, o);
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw new PermanentError('QUERY_CANCELLED', 'The query was cancelled.');
      throw err;
    }
    const qe = await this.waitFor(id, started, o);
    const statementType = qe.StatementType ?? 'DML';
    const { columns, rows } = await readAllResults(
      (token) =>
        this.call('GetQueryResults', () =>
          this.opts.client.send(
            new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, NextToken: token }),
          ),
        ),
      statementType === 'DML',
    );
    return {
      id,
      statementType,
      columns,
      rows,
      stats: statementStats(id, qe, this.opts.pricePerTb, this.timing.now() - started),
    };
  }

  private async start(sql: string, parameters: string[], o: StatementOptions): Promise<string> {
    const { workGroup, catalog, database, outputLocation, reuseMaxAgeMinutes } = this.opts;
    const input: StartQueryExecutionCommandInput = {
      QueryString: sql,
      WorkGroup: workGroup,
      QueryExecutionContext: { Catalog: catalog, ...(o.noDatabase ? {} : { Database: database }) },
      // One token for all our retries: if a throttled-looking attempt did start a query, Athena returns that one.
      ClientRequestToken: randomUUID(),
      ...(parameters.length > 0 ? { ExecutionParameters: parameters } : {}),
      ...(outputLocation ? { ResultConfiguration: { OutputLocation: outputLocation } } : {}),
      ...((o.reuse ?? true) && reuseMaxAgeMinutes > 0
        ? {
            ResultReuseConfiguration: {
              ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: reuseMaxAgeMinutes },
            },
          }
        : {}),
    };
    const out = await this.call(
      'StartQueryExecution',
      () => this.opts.client.send(new StartQueryExecutionCommand(input)),
      o.signal,
    );
    if (!out.QueryExecutionId) throw new PermanentError('QUERY_FAILED', 'Athena started a query but returned no id.');
    return out.QueryExecutionId;
  }

  /** Polls until a terminal state; stops the query on timeout, abort or any polling failure. */
  private async waitFor(id: string, started: number, o: StatementOptions): Promise<QueryExecution> {
    let terminal = false;
    try {
      for (let attempt = 0; ; attempt++) {
        const remaining = this.opts.timeoutMs - (this.timing.now() - started);
        if (remaining <= 0) {
          const note = await this.stop(id);
          throw new PermanentError(
            'QUERY_TIMEOUT',
            `Athena query ${id} did not finish within ${Math.round(this.opts.timeoutMs / 1000)} s (EGRESS_ATHENA_TIMEOUT), so egress stopped it${note}. Ask for a shorter window or raise the timeout.`,
          );
        }
        try {
          await this.timing.sleep(
            Math.min(backoffDelay(attempt, POLL_BACKOFF, this.timing.random), remaining),
            o.signal,
          );
        } catch (err) {
          if (!o.signal?.aborted) throw err;
          const note = await this.stop(id);
          throw new PermanentError(
            'QUERY_CANCELLED',
            `The query was cancelled; Athena query ${id} was stopped${note}.`,
          );
        }
        const out = await this.call('GetQueryExecution', () =>
          this.opts.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })),
        );
        const qe = out.QueryExecution ?? {};
        const state = qe.Status?.State ?? 'UNKNOWN';
        o.onProgress?.({ state, bytesScanned: qe.Statistics?.DataScannedInBytes });
        if (state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED') terminal = true;
        if (state === 'SUCCEEDED') return qe;
        if (state === 'FAILED') throw mapQueryFailure({ ...qe, QueryExecutionId: id }, this.opts.database);
        if (state === 'CANCELLED')
          throw new PermanentError('QUERY_CANCELLED', `Athena query ${id} was cancelled outside egress.`);
      }
    } catch (err) {
      // A query we stopped is terminal too; anything else (a failing poll) must not leave the query running.
      if (!terminal && !(err instanceof PermanentError && /QUERY_(TIMEOUT|CANCELLED)/.test(err.code)))
        await this.stop(id);
      throw err;
    }
  }

  /** StopQueryExecution, never aborted by the caller's signal; returns a note for the message when it failed. */
  private async stop(id: string): Promise<string> {
    try {
      await this.call('StopQueryExecution', () =>
        this.opts.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })),
      );
      return '';
    } catch (err) {
      return ` (stopping failed: ${(err as Error).message}; stop it in the Athena console)`;
    }
  }

  /** Runs one API call, retrying throttling with backoff a bounded number of times, mapping errors to coded ones. */
  private async call<T>(op: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const retries = this.opts.throttleRetries ?? 4;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!isThrottle(err) || attempt >= retries) throw mapAthenaError(err, op);
        await this.timing.sleep(backoffDelay(attempt, THROTTLE_BACKOFF, this.timing.random), signal);
      }
    }
  }
}
