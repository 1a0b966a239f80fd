import { BadParameterError } from '../errors.js';
import { DAY_FORMATS, type DayLayout, dayLayoutFor } from './athena-days.js';
import type { AthenaRunner } from './athena-runner.js';
import { athenaLiteral, validateParam } from './params.js';
import { loadQuery } from './query-files.js';
import type { Params, QueryEngine, QueryResult, RunOptions } from './types.js';

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
    const result = await this.runner.run(query.text, literals, { ...options, reuse: true });
    return { rows: result.rows, stats: result.stats, skipped: [] };
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
