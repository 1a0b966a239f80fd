import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { mapLimit } from '../util/map-limit.js';
import { type BatchTarget, convertFlowBatch } from './convert.js';
import { convertDnsBatch } from './convert-dns.js';
import { batchesOf, type Todo } from './duckdb-batches.js';
import type { LogObject } from './layout.js';
import { type ObjectIndex, verifyGzip } from './object-header.js';
import { isParquet } from './source-sql.js';
import type { ColumnStore } from './store.js';
import type { ObjectSummary } from './summary.js';
import type { KindCoverage, LogKind, SkippedObject } from './types.js';

/** How each object of one table is read for one query. */
export interface TablePlan {
  kind: LogKind;
  /** Objects read raw, with their field order (flow) — grouped into views by the engine. */
  raw: Array<{ obj: LogObject; fields: string[] }>;
  /** Store files read instead of their objects. */
  store: string[];
  /** Compressed bytes of the log objects whose store files are read (what the answer read, wherever from). */
  storeBytes: number;
  summaries: Array<{ key: string; summary: ObjectSummary }>;
  missingFields: KindCoverage['missingFields'];
  fromStore: number;
  convertedNow: number;
  /** Objects not read: their summary shows they cannot hold a record the query keeps. */
  pruned: number;
}

/** What planning needs from the engine. */
export interface PlanContext {
  /** The DuckDB instance whole-object reads run on (created when first needed: most questions read nothing whole). */
  reader: () => Promise<DuckDBInstance>;
  index: ObjectIndex;
  /** The columnar store, when it is on and serves this query. */
  store?: ColumnStore;
  /** Flow fields the store files hold. */
  storeFields: readonly string[];
  skipped: SkippedObject[];
  /** Batches read at once, each on its own connection of the single-threaded reader. */
  concurrency: number;
  /** Told how many objects are to be read whole, then of each one done (`egress cache warm`'s progress). */
  progress?: { start(objects: number, bytes: number): void; step(obj: LogObject): void };
  /** Objects whose summary fails this are not read at all (a one-address question and their address filter). */
  keep?: (summary: ObjectSummary) => boolean;
  /** Runs whole-object reads one table at a time (the queries of one answer run at once; their reads need not). */
  serial?: <T>(f: () => Promise<T>) => Promise<T>;
  /** Stops reading further objects (the warmer's stop); what was not read is then read raw. */
  signal?: AbortSignal;
}

class StoreWriteError extends Error {}

/**
 * Decides, per listed object, where its records come from: its store file (converting it now when the store is on
 * and writable), or the raw object. Every object is read whole once in its life (conversion or summary pass) for its
 * summary; a corrupt object found then is reported as skipped and remembered. A store that cannot be written turns
 * into raw reading for the rest of the process, never a failure.
 */
export async function planTable(
  ctx: PlanContext,
  kind: LogKind,
  objects: readonly LogObject[],
  needed: readonly string[],
): Promise<TablePlan> {
  const plan: TablePlan = {
    kind,
    raw: [],
    store: [],
    storeBytes: 0,
    summaries: [],
    missingFields: [],
    fromStore: 0,
    convertedNow: 0,
    pruned: 0,
  };
  const skip = (o: LogObject, reason: string) => {
    if (!ctx.skipped.some((s) => s.key === o.key)) ctx.skipped.push({ key: o.key, reason });
  };
  const headers = await mapLimit(objects, 16, async (o) =>
    kind === 'flow' ? ctx.index.flowHeader(o) : ctx.index.integrity(o),
  );
  const todo: Todo[] = [];
  objects.forEach((o, i) => {
    const h = headers[i];
    if (!h?.ok) {
      skip(o, h?.reason ?? 'unreadable');
      return;
    }
    const missing = needed.filter((f) => !h.fields.includes(f));
    if (missing.length) plan.missingFields.push({ key: o.key, fields: missing });
    todo.push({ obj: o, fields: h.fields, inStore: false, convert: false });
  });
  // An object the question cannot use (its summary already rules the address out) is neither looked up in the store,
  // converted nor read; objects without a summary yet are judged once they have one.
  const keep = ctx.keep;
  if (keep)
    for (const t of todo) {
      const summary = ctx.index.summary(t.obj);
      if (summary) t.pruned = !keep(summary);
    }
  const store = ctx.store;
  if (store) {
    const used = todo.filter((t) => !t.pruned);
    await mapLimit(used, 16, async (t) => {
      t.inStore = await store.has(kind, t.obj);
    });
    const writable = used.some((t) => !t.inStore) && (await store.canWrite());
    for (const t of used) t.convert = writable && !t.inStore;
  }
  const pending = todo.filter((t) => t.convert || !ctx.index.summary(t.obj));
  ctx.progress?.start(
    pending.length,
    pending.reduce((n, t) => n + t.obj.size, 0),
  );
  const batches = batchesOf(pending);
  const serial = ctx.serial ?? ((f) => f());
  if (batches.length > 0) await serial(readAll);

  async function readAll(): Promise<void> {
    const db = await ctx.reader();
    const conns = await Promise.all(Array.from({ length: ctx.concurrency }, () => db.connect()));
    try {
      await mapLimit(conns, conns.length, async (conn) => {
        for (let b = batches.shift(); b && !ctx.signal?.aborted; b = batches.shift()) {
          await readBatch(conn, b);
          for (const t of b) ctx.progress?.step(t.obj);
        }
      });
    } finally {
      for (const c of conns) c.closeSync();
    }
  }

  /** Reads a batch whole (converting it when the store is writable); on a read error, each object alone. */
  async function readBatch(conn: DuckDBConnection, batch: Todo[], alone = false): Promise<void> {
    const convert = batch.every((t) => t.convert) && store !== undefined && store.problem === undefined;
    const objs = batch.map((t) => t.obj);
    const target: BatchTarget | undefined = convert
      ? (write, empty) =>
          store.putMany(kind, objs, write, empty).catch((err: Error) => {
            throw new StoreWriteError(err.message);
          })
      : undefined;
    try {
      const r =
        kind === 'flow'
          ? await convertFlowBatch(conn, objs, batch[0]?.fields ?? [], ctx.storeFields, target)
          : await convertDnsBatch(conn, objs, target);
      for (const [i, c] of r.entries()) {
        const t = batch[i] as Todo;
        // DuckDB skips what does not split into fields without checking the gzip CRC: lines that fail may be a
        // corrupt stream rather than a bad line, and a corrupt object is skipped whole, by name.
        const why = c.summary.unreadable.count > 0 && !isParquet(t.obj.path) ? await verifyGzip(t.obj.path) : undefined;
        if (why) ctx.index.setUnreadable(t.obj, why);
        else {
          ctx.index.setSummary(t.obj, c.summary);
          t.file = c.file;
        }
      }
    } catch (err) {
      if (err instanceof StoreWriteError) {
        store?.fail(err);
        const left = batch.filter((t) => !ctx.index.summary(t.obj));
        for (const t of left) t.convert = false;
        if (left.length) await readBatch(conn, left, alone);
        return;
      }
      if (!alone) {
        for (const t of batch) await readBatch(conn, [t], true);
        return;
      }
      const t = batch[0] as Todo;
      const why = isParquet(t.obj.path) ? undefined : await verifyGzip(t.obj.path).catch(() => undefined);
      ctx.index.setUnreadable(t.obj, why ?? `unreadable: ${firstLine(err)}`);
    }
  }

  for (const t of todo) {
    const summary = ctx.index.summary(t.obj);
    if (!summary) {
      const h = await (kind === 'flow' ? ctx.index.flowHeader(t.obj) : ctx.index.integrity(t.obj));
      skip(t.obj, h.ok ? 'unreadable' : h.reason);
      continue;
    }
    plan.summaries.push({ key: t.obj.key, summary });
    if (t.file) plan.convertedNow++;
    if (t.pruned ?? (keep !== undefined && !keep(summary))) plan.pruned++;
    else if (t.file) {
      plan.store.push(t.file);
      plan.storeBytes += t.obj.size;
    } else if (t.inStore && store) {
      plan.store.push(store.fileFor(kind, t.obj));
      plan.storeBytes += t.obj.size;
      plan.fromStore++;
    } else plan.raw.push({ obj: t.obj, fields: t.fields });
  }
  return plan;
}

const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split('\n')[0] as string;
