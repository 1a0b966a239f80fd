import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { readFlowHeader } from '../../src/engine/object-header.js';
import { stripComments } from '../../src/engine/query-files.js';
import { dnsViewSql, type FlowGroup, flowViewSql } from '../../src/engine/views.js';
import type { SqlExecutor } from './athena-api.js';
import { type Catalog, runCatalogStatement, type TableDef } from './athena-catalog.js';
import { athenaTypeName } from './athena-duckdb-executor.js';
import { listPrefix, type MirrorObject, partitionPrefixes, projectedDays } from './athena-projection.js';
import type { SqlResult } from './athena-results.js';

const COMPAT_SQL = readFileSync(new URL('../../src/engine/trino-compat.sql', import.meta.url), 'utf8');
const LOGICAL = ['vpc_flow_logs_nat', 'resolver_query_logs'] as const;

/** Options of {@link createMirrorExecutor}. */
export interface MirrorExecutorOptions {
  /** S3 bucket name → local directory holding that bucket's keys (e.g. a generated world). */
  buckets: Record<string, string>;
  /** `NOW` of projection ranges; default the real time. */
  now?: () => Date;
  /** A catalog to start from (default empty: run `egress setup` through the fake first). */
  catalog?: Catalog;
}

/** A DuckDB executor that reads the local mirror the way Athena reads S3, plus its catalog. */
export interface MirrorExecutor {
  execute: SqlExecutor;
  catalog: Catalog;
  /** Bucket → local dir; mutable, so a test can add a bucket after start. */
  buckets: Record<string, string>;
  /** Keys of the objects each DML statement read, in order (to see pruning). */
  reads: string[][];
  close(): void;
}

/**
 * The Athena fake's SQL executor over a local mirror. DDL goes to an in-memory catalog; a query maps each table it
 * names to the objects of the partitions its `day BETWEEN '…' AND '…'` predicate selects, found through the table's
 * own partition projection (format, range, `storage.location.template`), and reports the compressed bytes of exactly
 * those objects as DataScannedInBytes. Rows are read with each object's header (like the DuckDB engine), so the fake is
 * more lenient than Athena about objects written in an older LogFormat.
 */
export async function createMirrorExecutor(opts: MirrorExecutorOptions): Promise<MirrorExecutor> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const setup = await instance.connect();
  await setup.run(COMPAT_SQL);
  setup.closeSync();
  const catalog: Catalog = opts.catalog ?? new Map();
  const reads: string[][] = [];
  const now = opts.now ?? (() => new Date());

  const execute: SqlExecutor = async (sql, { database, catalog: catalogName, signal }) => {
    const db = (database ?? 'default').toLowerCase();
    const ddl = runCatalogStatement(catalog, sql, db);
    if (ddl) return ddl;
    const code = stripComments(sql);
    const used = LOGICAL.filter((t) => new RegExp(`\\b${t}\\b`, 'i').test(code));
    const defs = used.map((t) => {
      const def = catalog.get(db)?.get(t);
      if (!def) {
        throw new Error(
          `TABLE_NOT_FOUND: line 1:1: Table '${(catalogName ?? 'awsdatacatalog').toLowerCase()}.${db}.${t}' does not exist`,
        );
      }
      return def;
    });
    const bounds = dayBounds(code, used);
    const conn = await instance.connect();
    const onAbort = () => conn.interrupt();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const read: MirrorObject[] = [];
      for (const def of defs) {
        const parts = await partitionsOf(def, bounds.get(def.name) ?? [], now(), opts.buckets);
        read.push(...parts.flatMap((p) => p.objects));
        await conn.run(`CREATE OR REPLACE TEMP VIEW ${def.name} AS ${await viewSql(def, parts)}`);
      }
      reads.push(read.map((o) => o.key));
      const reader = await conn.runAndReadAll(sql);
      const types = reader.columnTypes().map(String);
      return {
        columns: reader.columnNames().map((name, i) => ({ name, type: athenaType(types[i] as string) })),
        rows: reader.getRowObjectsJS().map((r) => Object.values(r).map((v, i) => render(v, types[i] as string))),
        bytesScanned: read.reduce((s, o) => s + o.size, 0),
      } satisfies SqlResult;
    } finally {
      signal.removeEventListener('abort', onAbort);
      conn.closeSync();
    }
  };
  return { execute, catalog, buckets: opts.buckets, reads, close: () => instance.closeSync() };
}

/**
 * `day BETWEEN '…' AND '…'` literals per table: each predicate belongs to the table named last before it (its FROM),
 * which is how the queries are written; Athena prunes each table by its own predicate.
 */
function dayBounds(code: string, tables: readonly string[]): Map<string, Array<readonly [string?, string?]>> {
  const refs = tables.flatMap((t) =>
    [...code.matchAll(new RegExp(`\\b${t}\\b`, 'gi'))].map((m) => ({ t, at: m.index ?? 0 })),
  );
  const out = new Map<string, Array<readonly [string?, string?]>>();
  for (const m of code.matchAll(/\bday\s+BETWEEN\s+'([^']*)'\s+AND\s+'([^']*)'/gi)) {
    const owner = refs.filter((r) => r.at < (m.index ?? 0)).sort((a, b) => b.at - a.at)[0]?.t;
    for (const t of owner ? [owner] : tables) out.set(t, [...(out.get(t) ?? []), [m[1], m[2]] as const]);
  }
  return out;
}

/** The partitions a query reads: each predicate's days that parse in this table's format (none → whole range). */
async function partitionsOf(
  def: TableDef,
  bounds: ReadonlyArray<readonly [string?, string?]>,
  now: Date,
  buckets: Record<string, string>,
) {
  const days = new Set<string>();
  if (bounds.length === 0) for (const d of projectedDays(def, now)) days.add(d);
  for (const [from, to] of bounds) for (const d of projectedDays(def, now, from, to)) days.add(d);
  const out: Array<{ day: string; objects: MirrorObject[] }> = [];
  for (const day of [...days].sort()) {
    const objects: MirrorObject[] = [];
    for (const prefix of partitionPrefixes(def, day)) objects.push(...(await listPrefix(buckets, prefix)));
    out.push({ day, objects });
  }
  return out;
}

async function viewSql(def: TableDef, parts: Array<{ day: string; objects: MirrorObject[] }>): Promise<string> {
  if (def.name === 'resolver_query_logs') {
    return dnsViewSql(
      parts.filter((p) => p.objects.length).map((p) => ({ day: p.day, paths: p.objects.map((o) => o.path) })),
    );
  }
  const groups = new Map<string, FlowGroup>();
  for (const p of parts) {
    for (const o of p.objects) {
      const h = await readFlowHeader({ path: o.path, key: o.key, day: p.day, size: o.size, mtimeMs: 0 });
      if (!h.ok) throw new Error(`HIVE_BAD_DATA: Error parsing field value in object s3://…/${o.key}: ${h.reason}`);
      const id = `${h.fields.join(' ')}|${p.day}`;
      const g = groups.get(id) ?? { fields: h.fields, day: p.day, paths: [] };
      g.paths.push(o.path);
      groups.set(id, g);
    }
  }
  return flowViewSql([...groups.values()]);
}

function athenaType(duck: string): string {
  if (duck.startsWith('STRUCT')) return 'row';
  if (duck.startsWith('TIMESTAMP')) return 'timestamp';
  return athenaTypeName(duck);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Renders a DuckDB JS value the way Athena prints it in `VarCharValue`. */
function render(v: unknown, duckType: string): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) {
    const d = `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
    if (duckType === 'DATE') return d;
    return `${d} ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}.${pad(v.getUTCMilliseconds(), 3)}`;
  }
  if (Array.isArray(v)) return `[${v.map((x) => render(x, duckType.replace(/\[\]$/, '')) ?? 'null').join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}=${render(x, '') ?? 'null'}`)
      .join(', ')}}`;
  }
  return String(v);
}
