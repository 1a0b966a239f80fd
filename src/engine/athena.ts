import { COVERAGE_QUERIES, coverageFromRows, coverageParams, coverageWindow } from './athena-coverage.js';
import type { DayLayout } from './athena-days.js';
import { athenaParam } from './athena-literals.js';
import type { AthenaRunner } from './athena-runner.js';
import { kindOfTable, loadQuery, splitCoverageRows } from './query-files.js';
import { addStats, type Params, type QueryEngine, type QueryResult, type RunOptions } from './types.js';

/** Options of {@link AthenaEngine}. */
export interface AthenaEngineOptions {
  /** How the flow-log table's `day` partition is laid out (must match what `egress setup` created). */
  flowDayLayout: DayLayout;
  /** Releases the SDK client. */
  onClose?: () => void;
}

/**
 * The production engine: runs `queries/*.sql` unchanged on Amazon Athena. Parameters are validated against their
 * declared types and rendered as execution-parameter literals before any request is sent; Athena splices them into
 * the text as-is, so nothing unvalidated may get there.
 */
export class AthenaEngine implements QueryEngine {
  readonly name = 'athena' as const;

  constructor(
    private readonly runner: AthenaRunner,
    private readonly opts: AthenaEngineOptions,
  ) {}

  async run(name: string, params: Params, options: RunOptions = {}): Promise<QueryResult> {
    const query = await loadQuery(name);
    // The coverage aggregates run beside the query (same window, same partitions), so the answer can say what the
    // data behind it covers without waiting twice — except for the table a `@coverage` query covers from its own scan.
    const tables = query.tables.map((t) => {
      const kind = kindOfTable(t);
      return { kind, window: coverageWindow(kind, params), own: t === query.coverage };
    });
    const [result, ...beside] = await Promise.all([
      this.statement(name, params, options),
      ...tables.map(async ({ kind, window, own }) => {
        if (!window || own) return undefined;
        const r = await this.statement(COVERAGE_QUERIES[kind].query, coverageParams(kind, params), options);
        return { stats: r.stats, coverage: coverageFromRows(kind, window, r.rows) };
      }),
    ]);
    const split = splitCoverageRows(query, result.rows);
    const stats = beside.reduce((s, c) => (c ? addStats(s, c.stats) : s), result.stats);
    // Time is the query's own: the aggregates ran beside it.
    const { elapsedMs, engineMs, queueMs } = result.stats;
    const coverage = tables.flatMap(({ kind, window, own }, i) => {
      if (own) return window ? [coverageFromRows(kind, window, split.coverage)] : [];
      const c = beside[i];
      return c ? [c.coverage] : [];
    });
    return { rows: split.rows, stats: { ...stats, elapsedMs, engineMs, queueMs }, skipped: [], coverage };
  }

  /** Runs one query file with validated literals (Athena's result reuse on). */
  private async statement(name: string, params: Params, options: RunOptions) {
    const query = await loadQuery(name);
    const literals = query.params.map((p) => athenaParam(name, p, params, this.opts.flowDayLayout));
    return this.runner.run(query.text, literals, { ...options, reuse: true });
  }

  async close(): Promise<void> {
    this.opts.onClose?.();
  }
}
