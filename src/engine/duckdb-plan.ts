import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { mapLimit } from '../util/map-limit.js';
import { convertDns, convertFlow } from './convert.js';
import type { LogObject } from './layout.js';
import { type ObjectIndex, verifyGzip } from './object-header.js';
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
  summaries: Array<{ key: string; summary: ObjectSummary }>;
  missingFields: KindCoverage['missingFields'];
  fromStore: number;
  convertedNow: number;
}

/** What planning needs from the engine. */
export interface PlanContext {
  db: DuckDBInstance;
  index: ObjectIndex;
  /** The columnar store, when it is on and serves this query. */
  store?: ColumnStore;
  /** Flow fields the store files hold. */
  storeFields: readonly string[];
  skipped: SkippedObject[];
  /** Conversions (or summary passes) at once: each reads one object on its own connection. */
  concurrency?: number;
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
    summaries: [],
    missingFields: [],
    fromStore: 0,
    convertedNow: 0,
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
  const store = ctx.store;
  if (store) {
    await mapLimit(todo, 16, async (t) => {
      t.inStore = await store.has(kind, t.obj);
    });
    const writable = todo.some((t) => !t.inStore) && (await store.canWrite());
    for (const t of todo) t.convert = writable && !t.inStore;
  }
  const pending = todo.filter((t) => t.convert || !ctx.index.summary(t.obj));
  if (pending.length > 0) {
    const conns = await Promise.all(Array.from({ length: ctx.concurrency ?? 2 }, () => ctx.db.connect()));
    try {
      await mapLimit(conns, conns.length, async (conn) => {
        for (let t = pending.shift(); t; t = pending.shift()) await readWhole(conn, t);
      });
    } finally {
      for (const c of conns) c.closeSync();
    }
  }

  async function readWhole(conn: DuckDBConnection, t: Todo): Promise<void> {
    const convert = t.convert && store !== undefined && store.problem === undefined;
    const target = convert
      ? (write: (tmp: string) => Promise<void>) =>
          store.put(kind, t.obj, write).catch((err: Error) => {
            throw new StoreWriteError(err.message);
          })
      : undefined;
    try {
      const r =
        kind === 'flow'
          ? await convertFlow(conn, t.obj, t.fields, ctx.storeFields, target)
          : await convertDns(conn, t.obj, target);
      ctx.index.setSummary(t.obj, r.summary);
      t.file = r.file;
    } catch (err) {
      if (err instanceof StoreWriteError) {
        store?.fail(err);
        if (!ctx.index.summary(t.obj)) await readWhole(conn, { ...t, convert: false });
        return;
      }
      const why = t.obj.path.endsWith('.parquet') ? undefined : await verifyGzip(t.obj.path).catch(() => undefined);
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
    if (t.file) {
      plan.store.push(t.file);
      plan.convertedNow++;
    } else if (t.inStore && store) {
      plan.store.push(store.fileFor(kind, t.obj));
      plan.fromStore++;
    } else plan.raw.push({ obj: t.obj, fields: t.fields });
  }
  return plan;
}

interface Todo {
  obj: LogObject;
  fields: string[];
  /** Its store file exists. */
  inStore: boolean;
  /** To be converted into the store now. */
  convert: boolean;
  /** The store file this process wrote for it. */
  file?: string;
}

const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split('\n')[0] as string;
