import { BadParameterError } from '../errors.js';
import { COVERAGE_QUERIES, coverageFromRows, coverageParams, coverageWindow } from './athena-coverage.js';
import { DAY_FORMATS, type DayLayout, dayLayoutFor } from './athena-days.js';
import type { AthenaRunner } from './athena-runner.js';
import { athenaLiteral, validateParam } from './params.js';
import { loadQuery } from './query-files.js';
import { addStats, type LogKind, type Params, type QueryEngine, type QueryResult, type RunOptions } from './types.js';

/** Athena caps each execution parameter at 1024 characters. */
const MAX_LITERAL = 1024;

/**
 * What a rendered literal may look like: a number, or a quoted string of the characters IPs, CIDR lists and day
 * partition values use. Validation already guarantees this; checking the rendered text again means a future param
 * type that forgets to validate cannot smuggle SQL into Athena's literal splice.
 */
const SAFE_LITERAL = /^(?:\d{1,19}|'[A-Za-z0-9:./,=_-]*')$/;

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
    const literals = query.params.map((p) => this.literal(name, p, params));
    // The coverage aggregates run beside the query (same window, same partitions), so the answer can say what the
    // data behind it covers without waiting twice.
    const kinds = query.tables.map((t): LogKind => (t === 'vpc_flow_logs_nat' ? 'flow' : 'dns'));
    const [result, ...covered] = await Promise.all([
      this.runner.run(query.text, literals, { ...options, reuse: true }),
      ...kinds.map((kind) => this.coverage(kind, params, options)),
    ]);
    const stats = covered.reduce((s, c) => (c ? addStats(s, c.stats) : s), result.stats);
    const coverage = covered.flatMap((c) => (c ? [c.coverage] : []));
    // Time is the query's own: the aggregates ran beside it.
    const { elapsedMs, engineMs, queueMs } = result.stats;
    return { rows: result.rows, stats: { ...stats, elapsedMs, engineMs, queueMs }, skipped: [], coverage };
  }

  /** One table's coverage for the query's window; undefined when the query does not bound the table's window. */
  private async coverage(kind: LogKind, params: Params, options: RunOptions) {
    const window = coverageWindow(kind, params);
    if (!window) return undefined;
    const spec = COVERAGE_QUERIES[kind];
    const query = await loadQuery(spec.query);
    const cparams = coverageParams(kind, params);
    const literals = query.params.map((p) => this.literal(spec.query, p, cparams));
    const r = await this.runner.run(query.text, literals, { signal: options.signal, reuse: true });
    return { stats: r.stats, coverage: coverageFromRows(kind, window, r.rows) };
  }

  /** Validates and renders one parameter; throws {@link BadParameterError} (nothing is sent) when it fails. */
  private literal(query: string, name: string, params: Params): string {
    const p = params[name];
    if (!p) throw new BadParameterError(name, `query ${query} needs it and it was not given`);
    validateParam(name, p);
    const text = athenaLiteral(p, DAY_FORMATS[dayLayoutFor(name, this.opts.flowDayLayout)].render);
    if (text.length > MAX_LITERAL || !SAFE_LITERAL.test(text)) {
      throw new BadParameterError(name, 'its rendered literal is not a plain number or a simple quoted string');
    }
    return text;
  }

  async close(): Promise<void> {
    this.opts.onClose?.();
  }
}
