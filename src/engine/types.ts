/**
 * The query engine contract: run a named query from `queries/` with typed parameters, get typed rows and stats.
 * Two implementations run the same SQL text: DuckDB over a local mirror of the log bucket, and Amazon Athena.
 */

/** Names of the SQL files in `queries/` (without `.sql`). */
export type QueryName = string;

/** Declared parameter types; every value is validated against its type before it can reach SQL. */
export type ParamType =
  /** A calendar day `YYYY-MM-DD`; each engine renders it in its partition format (e.g. `2026/11/23`). */
  | 'day'
  /** Epoch seconds (integer). */
  | 'epoch'
  /** A non-negative integer. */
  | 'int'
  /** One IPv4/IPv6 address in canonical text form. */
  | 'ip'
  /** Comma-separated CIDR list (no spaces). */
  | 'cidrs'
  /** A short identifier-like string: [A-Za-z0-9_.:-], ≤ 128 chars. */
  | 'token'
  /** A DNS name, lowercase, without the trailing dot (IDNA punycode as it is): ≤ 253 chars, labels ≤ 63. */
  | 'dnsname'
  /** One CIDR block in canonical `network/length` form. */
  | 'cidr'
  /** Comma-separated IPv4/IPv6 addresses in canonical form (no spaces), at most 2,000. */
  | 'ips';

/** A typed parameter value. */
export interface Param {
  type: ParamType;
  value: string | number;
}

/** Named parameters for a query; the query file's header declares their order of use. */
export type Params = Record<string, Param>;

/** A flow-log or resolver-log object that could not be read. */
export interface SkippedObject {
  key: string;
  reason: string;
}

/** What answering cost. */
export interface EngineStats {
  engine: 'duckdb' | 'athena';
  bytesScanned: number;
  costUsd: number;
  reused: boolean;
  queryExecutionIds: string[];
  /** Objects (files) read; DuckDB only. */
  objectsRead?: number;
  elapsedMs: number;
  engineMs?: number;
  queueMs?: number;
  /** DuckDB only: objects read from the columnar store, converted into it by this query, and read raw. */
  cache?: CacheStats;
}

/** Where the embedded engine read each object from (object counts). */
export interface CacheStats {
  fromStore: number;
  convertedNow: number;
  readRaw: number;
}

/** Rows come back as plain objects keyed by column name; bigint columns as JS numbers (safe below 2^53). */
export type ResultRow = Record<string, string | number | boolean | null | string[] | number[]>;

/** Which log family a table reads. */
export type LogKind = 'flow' | 'dns';

/** Lines of log objects that could not be read (they are skipped, never their whole object). */
export interface UnreadableLines {
  count: number;
  /** The first few, for the person to look at. */
  samples: Array<{ key: string; line: number }>;
}

/**
 * What one query read of one log table, for the answer's data coverage: computed from what the engine actually
 * read for the window the query asked (not the margins it read around it).
 */
export interface KindCoverage {
  kind: LogKind;
  /** The window this table was asked for (epoch seconds; resolver tables include the DNS lookback). */
  window: { from: number; to: number };
  /**
   * Start instants (epoch seconds, whole hours) of the window's hours that hold at least one record (any status,
   * NODATA included): an hour missing from this list had no log data at all. DuckDB: from per-object summaries at
   * minute grain (a record counts when the minute it starts in starts inside the window).
   */
  hours: number[];
  /** The latest record end seen (flow: `end`; resolver: `query_timestamp`), epoch seconds; absent when none. */
  newestRecord?: number;
  /** Flow records in the window with log-status SKIPDATA (records AWS dropped) and NODATA (no traffic). */
  skipData: number;
  noData: number;
  /** Lines of the objects read that could not be read (the whole object's, wherever in time they fall). */
  unreadableLines: UnreadableLines;
  /**
   * Objects whose format lacks fields this query needs (they cannot answer it), with those fields — the flow-log
   * fields the query's SQL names, from the known column names. Such objects are still read (their columns are NULL).
   */
  missingFields: Array<{ key: string; fields: string[] }>;
}

export interface QueryResult {
  rows: ResultRow[];
  stats: EngineStats;
  skipped: SkippedObject[];
  /** Things the person should know about the data behind the answer (e.g. no objects cover the window). */
  warnings?: string[];
  /** Per table read: what the data behind the answer covers (one entry per table the query reads). */
  coverage?: KindCoverage[];
}

export interface RunOptions {
  /** Aborting stops the query (Athena: StopQueryExecution). */
  signal?: AbortSignal;
  /** Progress callback (e.g. bytes scanned so far) for live status in Slack. */
  onProgress?: (p: { state: string; bytesScanned?: number }) => void;
}

export interface QueryEngine {
  readonly name: 'duckdb' | 'athena';
  run(query: QueryName, params: Params, options?: RunOptions): Promise<QueryResult>;
  close(): Promise<void>;
}

/** Empty stats for one engine, to be summed over several queries. */
export function emptyStats(engine: EngineStats['engine']): EngineStats {
  return { engine, bytesScanned: 0, costUsd: 0, reused: false, queryExecutionIds: [], elapsedMs: 0 };
}

/** Sums stats of several queries answering one command. */
export function addStats(a: EngineStats, b: EngineStats): EngineStats {
  return {
    engine: a.engine,
    bytesScanned: a.bytesScanned + b.bytesScanned,
    costUsd: a.costUsd + b.costUsd,
    reused: a.queryExecutionIds.length === 0 ? b.reused : a.reused && b.reused,
    queryExecutionIds: [...a.queryExecutionIds, ...b.queryExecutionIds],
    objectsRead: (a.objectsRead ?? 0) + (b.objectsRead ?? 0) || undefined,
    elapsedMs: a.elapsedMs + b.elapsedMs,
    ...(a.cache || b.cache
      ? {
          cache: {
            fromStore: (a.cache?.fromStore ?? 0) + (b.cache?.fromStore ?? 0),
            convertedNow: (a.cache?.convertedNow ?? 0) + (b.cache?.convertedNow ?? 0),
            readRaw: (a.cache?.readRaw ?? 0) + (b.cache?.readRaw ?? 0),
          },
        }
      : {}),
  };
}
