import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { PermanentError, UserError } from '../errors.js';
import { isRequiredField } from '../flowlogs/fields.js';
import { deliveryRange } from '../flowlogs/window.js';
import { mayContain } from './address-bloom.js';
import { duckDay } from './convert.js';
import { type PlanContext, planTable, type TablePlan } from './duckdb-plan.js';
import {
  bindAll,
  findBadObjects,
  noObjectsWarning,
  parquetColumns,
  toPlainRow,
  windowOf,
  wrapError,
} from './duckdb-util.js';
import { mapTables, statsOf } from './duckdb-views.js';
import { type LogKind, type LogObject, listObjects } from './layout.js';
import { ObjectIndex } from './object-header.js';
import { validateParam } from './params.js';
import { addressParam, flowFieldsUsed, readsOnlyTranslated, storeFieldsOfQueries } from './query-fields.js';
import { kindOfTable, loadQuery, type QueryFile, type QueryTable, splitCoverageRows } from './query-files.js';
import { DNS_COLUMNS } from './source-sql.js';
import { ColumnStore } from './store.js';
import { coverageOf } from './summary.js';
import type { KindCoverage, Params, QueryEngine, QueryResult, RunOptions, SkippedObject } from './types.js';

/** DuckDB threads when the options name none: the cores of the machines egress is sized for. */
const DEFAULT_THREADS = 2;

const COMPAT_SQL = readFileSync(new URL('./trino-compat.sql', import.meta.url), 'utf8');

export interface DuckDbEngineOptions {
  /** Local mirror of the log bucket. */
  dataDir: string;
  /** Where to keep the per-object header/summary index between processes (default: none, memory only). */
  indexFile?: string;
  threads?: number;
  memoryLimit?: string;
  /** The columnar store (`EGRESS_CACHE_DIR`, `EGRESS_CACHE_MAX_BYTES`); absent when `EGRESS_CACHE=off`. */
  store?: { dir: string; maxBytes: number };
}

/**
 * Embedded engine: runs `queries/*.sql` unchanged on DuckDB over a local copy of the S3 log layout. Per query it maps
 * the tables to only the objects that can hold records of the window (day folders, file-name timestamps, margins);
 * each object is read from its columnar-store file when there is one (converted on first use), else raw with its
 * header's field order — both in the same query. All per-record work happens inside DuckDB.
 */
export class DuckDbEngine implements QueryEngine {
  readonly name = 'duckdb' as const;

  private constructor(
    private readonly db: DuckDBInstance,
    readonly opts: DuckDbEngineOptions,
    readonly index: ObjectIndex,
    readonly store: ColumnStore | undefined,
    /** Flow fields the store files hold: every field any query reads. */
    readonly storeFields: string[],
  ) {}

  static async create(opts: DuckDbEngineOptions): Promise<DuckDbEngine> {
    const db = await DuckDBInstance.create(':memory:', instanceOptions(opts, opts.threads ?? DEFAULT_THREADS));
    // Macros and types live in the shared catalog: create them once, not per connection (concurrent queries would
    // conflict on the catalog write).
    const setup = await db.connect();
    await setup.run(COMPAT_SQL);
    setup.closeSync();
    const index = new ObjectIndex(opts.indexFile, (p) => parquetColumns(db, p));
    const storeFields = await storeFieldsOfQueries();
    const store = opts.store
      ? new ColumnStore(opts.store.dir, opts.store.maxBytes, {
          flow: `flow:${storeFields.join(',')}`,
          dns: `dns:${Object.keys(DNS_COLUMNS).join(',')}`,
        })
      : undefined;
    await index.load();
    return new DuckDbEngine(db, opts, index, store, storeFields);
  }

  async run(name: string, params: Params, options: RunOptions = {}): Promise<QueryResult> {
    const started = Date.now();
    const query = await loadQuery(name);
    const values = query.params.map((p) => {
      const v = params[p];
      if (!v) throw new UserError('BAD_PARAMETER', `query ${name} needs parameter ${p}`);
      return validateParam(p, v);
    });
    const skipped: SkippedObject[] = [];
    const warnings: string[] = [];
    const plans = new Map<LogKind, TablePlan>();
    const coverage: KindCoverage[] = [];
    const ctx: PlanContext = {
      reader: () => this.reader(),
      concurrency: this.threads,
      index: this.index,
      storeFields: this.storeFields,
      skipped,
      serial: (f) => this.serial(f),
    };
    options.onProgress?.({ state: 'RUNNING' });
    for (const table of query.tables) {
      const kind = kindOfTable(table);
      const range = kind === 'flow' ? windowOf(params, 't_from', 't_to') : windowOf(params, 'dns_from', 'dns_to');
      const found = await listObjects(this.opts.dataDir, kind, deliveryRange(range));
      // An empty answer must not look like "nobody talked to it" when the mirror simply has no data for the window.
      if (found.length === 0) warnings.push(noObjectsWarning(this.opts.dataDir, kind, range));
      const served = kind === 'dns' || this.storeServes(query.text);
      // Only required fields count as missing; optional ones (pkt-dst-aws-service…) read as NULL where absent.
      const needed = kind === 'flow' ? flowFieldsUsed(query.text).filter((f) => isRequiredField(f)) : [];
      const keep = addressKeep(query, params, table);
      const plan = await planTable({ ...ctx, store: served ? this.store : undefined, keep }, kind, found, needed);
      plans.set(kind, plan);
      coverage.push(coverageOf(kind, range, plan.summaries, plan.missingFields));
    }
    if (this.store?.problem) warnings.push(this.store.problem);
    const conn = await this.db.connect();
    const abort = () => conn.interrupt();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      for (let attempt = 0; ; attempt++) {
        await mapTables(conn, plans, this.storeFields);
        try {
          const prepared = await conn.prepare(query.text);
          bindAll(
            prepared,
            values.map((v) => (v.type === 'day' ? { ...v, value: duckDay(v.value as string) } : v)),
          );
          // A `@coverage` query's own coverage rows are dropped: the objects' summaries give it here (every object,
          // also those its address filter let the query skip).
          const rows = splitCoverageRows(
            query,
            (await prepared.runAndReadAll()).getRowObjectsJS().map(toPlainRow),
          ).rows;
          const all = [...plans.values()];
          const stats = statsOf(all, started);
          await this.afterQuery(all);
          return { rows, stats, skipped, warnings, coverage };
        } catch (err) {
          if (options.signal?.aborted) throw new PermanentError('QUERY_CANCELLED', 'The query was cancelled.');
          // A read error of a raw object: report the bad ones as skipped, and answer from the rest.
          const raw = [...plans.values()].flatMap((p) => p.raw.map((r) => r.obj));
          const bad = attempt === 0 ? await findBadObjects(raw, err as Error) : [];
          if (bad.length === 0) throw wrapError(err as Error);
          for (const b of bad) if (!skipped.some((s) => s.key === b.key)) skipped.push(b);
          for (const p of plans.values()) p.raw = p.raw.filter((r) => !bad.some((b) => b.key === r.obj.key));
        }
      }
    } finally {
      options.signal?.removeEventListener('abort', abort);
      conn.closeSync();
    }
  }

  private reads: Promise<unknown> = Promise.resolve();

  /** Whole-object reads (conversions, summary passes) one after another: bounded memory, no two of one object. */
  serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.reads.then(f, f);
    this.reads = next.catch(() => undefined);
    return next;
  }

  /** Whether the store answers a query exactly: it reads only translated legs and only fields the store holds. */
  private storeServes(sql: string): boolean {
    return readsOnlyTranslated(sql) && flowFieldsUsed(sql).every((f) => this.storeFields.includes(f));
  }

  /** Marks the store files read as recently used and keeps the store within its bound. */
  private async afterQuery(plans: TablePlan[]): Promise<void> {
    if (!this.store) return;
    const files = plans.flatMap((p) => p.store);
    await this.store.touch(files);
    if (plans.some((p) => p.convertedNow > 0)) await this.store.evict(new Set(files));
  }

  /** The objects of `kind` in the mirror whose records can fall in `window` (epoch seconds). */
  listObjects(kind: LogKind, window: { from: number; to: number }): Promise<LogObject[]> {
    return listObjects(this.opts.dataDir, kind, deliveryRange(window));
  }

  /** DuckDB threads of the answering instance: also how many batches whole-object reads take at once. */
  get threads(): number {
    return this.opts.threads ?? DEFAULT_THREADS;
  }

  private readerDb?: Promise<DuckDBInstance>;

  /**
   * The instance whole-object reads (conversions, summary passes) run on: single-threaded, one connection per batch
   * read at once. DuckDB parses gzip text about 15 % faster as two one-thread scans than as one two-thread scan, and
   * the store warmer of `egress serve` (one batch at a time) then takes one core, not both, from chat questions.
   */
  reader(): Promise<DuckDBInstance> {
    this.readerDb ??= DuckDBInstance.create(':memory:', instanceOptions(this.opts, 1));
    return this.readerDb;
  }

  async close(): Promise<void> {
    await this.index.save().catch(() => {});
    this.db.closeSync();
    if (this.readerDb) (await this.readerDb.catch(() => undefined))?.closeSync();
  }
}

/** DuckDB settings of the engine's instances: bounded memory, no extension ever downloaded or loaded by itself. */
function instanceOptions(opts: DuckDbEngineOptions, threads: number): Record<string, string> {
  return {
    threads: String(threads),
    memory_limit: opts.memoryLimit ?? '768MB',
    preserve_insertion_order: 'false',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  };
}

/**
 * For a one-address question (its `@address` header, else {@link addressParam}): keeps only objects whose address
 * filter may hold the address.
 */
function addressKeep(query: QueryFile, params: Params, table: QueryTable) {
  const name = query.address ?? addressParam(query.text, query.params, table);
  const p = name ? params[name] : undefined;
  if (p?.type !== 'ip') return undefined;
  const ip = String(p.value);
  return (s: { addresses?: string }) => s.addresses === undefined || mayContain(s.addresses, ip);
}
