import { readFileSync } from 'node:fs';
import { type DuckDBConnection, DuckDBInstance, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { CorruptObjectError, PermanentError, UserError } from '../errors.js';
import type { Window } from '../flowlogs/window.js';
import { deliveryRange, isoSeconds } from '../flowlogs/window.js';
import { mapLimit } from '../util/map-limit.js';
import { type LogKind, type LogObject, listObjects } from './layout.js';
import { ObjectIndex, verifyGzip } from './object-header.js';
import { validateParam } from './params.js';
import { loadQuery } from './query-files.js';
import type { EngineStats, Params, QueryEngine, QueryResult, ResultRow, RunOptions, SkippedObject } from './types.js';
import { dnsViewSql, type FlowGroup, flowViewSql } from './views.js';

const COMPAT_SQL = readFileSync(new URL('./trino-compat.sql', import.meta.url), 'utf8');

export interface DuckDbEngineOptions {
  /** Local mirror of the log bucket. */
  dataDir: string;
  /** Where to keep the per-object header/integrity cache between processes (default: none, memory only). */
  indexFile?: string;
  threads?: number;
  memoryLimit?: string;
}

/** `YYYY-MM-DD` → the view's partition format `YYYY/MM/DD` (the same as Athena's projected `day`). */
const duckDay = (day: string) => day.replace(/-/g, '/');

/**
 * Embedded engine: runs `queries/*.sql` unchanged on DuckDB over a local copy of the S3 log layout. Per query it maps
 * the tables to only the objects that can hold records of the window (day folders, file-name timestamps, margins)
 * and reads each object's header for its field order. All per-record work happens inside DuckDB.
 */
export class DuckDbEngine implements QueryEngine {
  readonly name = 'duckdb' as const;

  private constructor(
    private readonly db: DuckDBInstance,
    private readonly opts: DuckDbEngineOptions,
    private readonly index: ObjectIndex,
  ) {}

  static async create(opts: DuckDbEngineOptions): Promise<DuckDbEngine> {
    const db = await DuckDBInstance.create(':memory:', {
      threads: String(opts.threads ?? 2),
      memory_limit: opts.memoryLimit ?? '768MB',
      preserve_insertion_order: 'false',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    // Macros and types live in the shared catalog: create them once, not per connection (concurrent queries would
    // conflict on the catalog write).
    const setup = await db.connect();
    await setup.run(COMPAT_SQL);
    setup.closeSync();
    const index = new ObjectIndex(opts.indexFile);
    await index.load();
    return new DuckDbEngine(db, opts, index);
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
    const objects = new Map<LogKind, LogObject[]>();
    for (const table of query.tables) {
      const kind: LogKind = table === 'vpc_flow_logs_nat' ? 'flow' : 'dns';
      const range = kind === 'flow' ? windowOf(params, 't_from', 't_to') : windowOf(params, 'dns_from', 'dns_to');
      const found = await listObjects(this.opts.dataDir, kind, deliveryRange(range));
      // An empty answer must not look like "nobody talked to it" when the mirror simply has no data for the window.
      if (found.length === 0) warnings.push(noObjectsWarning(this.opts.dataDir, kind, range));
      objects.set(kind, found);
    }
    options.onProgress?.({ state: 'RUNNING' });
    const conn = await this.db.connect();
    const abort = () => conn.interrupt();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      let rows: ResultRow[];
      for (let attempt = 0; ; attempt++) {
        const used = await this.mapTables(conn, objects, skipped);
        try {
          const prepared = await conn.prepare(query.text);
          bindAll(
            prepared,
            values.map((v) => (v.type === 'day' ? { ...v, value: duckDay(v.value as string) } : v)),
          );
          const reader = await prepared.runAndReadAll();
          rows = reader.getRowObjectsJS().map(toPlainRow);
          const stats: EngineStats = {
            engine: 'duckdb',
            bytesScanned: used.reduce((s, o) => s + o.size, 0),
            costUsd: 0,
            reused: false,
            queryExecutionIds: [],
            objectsRead: used.length,
            elapsedMs: Date.now() - started,
          };
          return { rows, stats, skipped, warnings };
        } catch (err) {
          if (options.signal?.aborted) throw new PermanentError('QUERY_CANCELLED', 'The query was cancelled.');
          // A read error: find the bad objects, report them as skipped, and answer from the rest.
          const bad = attempt === 0 ? await findBadObjects(used, err as Error) : [];
          if (bad.length === 0) throw wrapError(err as Error);
          for (const b of bad) skipped.push(b);
          for (const [k, list] of objects)
            objects.set(
              k,
              list.filter((o) => !bad.some((b) => b.key === o.key)),
            );
        }
      }
    } finally {
      options.signal?.removeEventListener('abort', abort);
      conn.closeSync();
    }
  }

  /** Creates the temp views for this connection; returns the objects they read. */
  private async mapTables(conn: DuckDBConnection, objects: Map<LogKind, LogObject[]>, skipped: SkippedObject[]) {
    const used: LogObject[] = [];
    const flow = objects.get('flow');
    if (flow) {
      const groups = new Map<string, FlowGroup>();
      await mapLimit(flow, 16, async (o) => {
        const h = await this.index.flowHeader(o);
        if (!h.ok) {
          if (!skipped.some((s) => s.key === o.key)) skipped.push({ key: o.key, reason: h.reason });
          return;
        }
        const id = h.fields.join(' ');
        const g = groups.get(id) ?? { fields: h.fields, paths: [] };
        g.paths.push(o.path);
        groups.set(id, g);
        used.push(o);
      });
      const sorted = [...groups.values()].sort((a, b) => (a.fields.join() < b.fields.join() ? -1 : 1));
      for (const g of sorted) g.paths.sort();
      await conn.run(`CREATE OR REPLACE TEMP VIEW vpc_flow_logs_nat AS ${flowViewSql(sorted)}`);
    }
    const dns = objects.get('dns');
    if (dns) {
      const byDay = new Map<string, string[]>();
      await mapLimit(dns, 16, async (o) => {
        const h = await this.index.integrity(o);
        if (!h.ok) {
          if (!skipped.some((s) => s.key === o.key)) skipped.push({ key: o.key, reason: h.reason });
          return;
        }
        byDay.set(o.day, [...(byDay.get(o.day) ?? []), o.path]);
        used.push(o);
      });
      for (const paths of byDay.values()) paths.sort();
      const groups = [...byDay.entries()].sort().map(([day, paths]) => ({ day: duckDay(day), paths }));
      await conn.run(`CREATE OR REPLACE TEMP VIEW resolver_query_logs AS ${dnsViewSql(groups)}`);
    }
    return used;
  }

  async close(): Promise<void> {
    await this.index.save().catch(() => {});
    this.db.closeSync();
  }
}

function noObjectsWarning(dataDir: string, kind: LogKind, range: Window): string {
  const what = kind === 'flow' ? 'flow-log' : 'resolver query-log';
  const where =
    kind === 'flow'
      ? 'AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/'
      : 'AWSLogs/<account>/vpcdnsquerylogs/<vpc>/YYYY/MM/DD/';
  return `no ${what} objects in ${dataDir} cover ${isoSeconds(range.from)} → ${isoSeconds(range.to)} (looked under ${where}); sync the bucket or pick another window`;
}

function windowOf(params: Params, from: string, to: string): Window {
  const f = params[from]?.value;
  const t = params[to]?.value;
  if (typeof f !== 'number' || typeof t !== 'number') throw new UserError('BAD_PARAMETER', `missing ${from}/${to}`);
  return { from: f, to: t };
}

function bindAll(stmt: DuckDBPreparedStatement, values: Array<{ type: string; value: string | number }>): void {
  values.forEach((v, i) => {
    if (v.type === 'epoch' || v.type === 'int') stmt.bindBigInt(i + 1, BigInt(v.value));
    else stmt.bindVarchar(i + 1, String(v.value));
  });
}

/** DuckDB hands back bigint/decimal objects; the rest of the product keeps integers as JS numbers. */
function toPlainRow(row: Record<string, unknown>): ResultRow {
  const out: ResultRow = {};
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === 'bigint') out[k] = Number(v);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) out[k] = Number(String(v));
    else out[k] = v as ResultRow[string];
  }
  return out;
}

/** After a read error: objects named in the message, plus any that fail a full gzip check. */
async function findBadObjects(objects: LogObject[], err: Error): Promise<SkippedObject[]> {
  const msg = err.message;
  if (!/CSV Error|Malformed JSON|gzip|decompress|Invalid Input|IO Error|Conversion Error/i.test(msg)) return [];
  const firstLine = msg.split('\n')[0] as string;
  const named = objects.filter((o) => msg.includes(o.path));
  const bad: SkippedObject[] = named.map((o) => ({ key: o.key, reason: `unreadable: ${firstLine}` }));
  const rest = objects.filter((o) => !named.includes(o));
  await mapLimit(rest, 4, async (o) => {
    const why = await verifyGzip(o.path);
    if (why) bad.push({ key: o.key, reason: why });
  });
  return bad;
}

function wrapError(err: Error): Error {
  if (err instanceof UserError || err instanceof CorruptObjectError) return err;
  return new PermanentError('QUERY_FAILED', `The embedded query engine failed: ${err.message.split('\n')[0]}`, {
    cause: err,
  });
}
