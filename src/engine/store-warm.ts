import type { Config } from '../config.js';
import type { Window } from '../flowlogs/window.js';
import type { Logger } from '../logger.js';
import { DuckDbEngine } from './duckdb.js';
import { planTable } from './duckdb-plan.js';
import type { LogObject } from './layout.js';
import type { QueryEngine } from './types.js';

/** How often the warmer looks for new objects in the mirror. */
const WARM_INTERVAL_MS = 60_000;

/** Progress of a warm-up: objects and bytes converted so far out of those that needed it. */
export interface WarmProgress {
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
  elapsedMs: number;
}

/** What a warm-up did. */
export interface WarmResult extends WarmProgress {
  skipped: Array<{ key: string; reason: string }>;
  /** Why the store could not be written, if it could not. */
  problem?: string;
}

/**
 * Converts every object of `window` that has no store file yet (and summarises every object not yet summarised),
 * newest first — the days chat questions ask about most are ready soonest. Safe beside other processes doing
 * the same (store writes are atomic).
 */
export async function warmStore(
  engine: DuckDbEngine,
  window: Window,
  o: { onProgress?: (p: WarmProgress) => void; concurrency?: number; signal?: AbortSignal } = {},
): Promise<WarmResult> {
  const started = Date.now();
  const store = engine.store;
  const p: WarmProgress = { done: 0, total: 0, bytesDone: 0, bytesTotal: 0, elapsedMs: 0 };
  const skipped: WarmResult['skipped'] = [];
  const batches: Array<{ kind: 'flow' | 'dns'; objects: LogObject[] }> = [];
  for (const kind of ['flow', 'dns'] as const) {
    // Newest first: one pass over the whole window (few, large DuckDB batches), the recent days converted soonest.
    const objects = (await engine.listObjects(kind, window)).sort((a, b) => (a.key < b.key ? 1 : -1));
    const todo: LogObject[] = [];
    for (const obj of objects)
      if (!store || !(await store.has(kind, obj)) || !engine.index.summary(obj)) todo.push(obj);
    p.total += todo.length;
    p.bytesTotal += todo.reduce((n, x) => n + x.size, 0);
    if (todo.length) batches.push({ kind, objects: todo });
  }
  o.onProgress?.({ ...p });
  for (const b of batches) {
    if (o.signal?.aborted) break;
    await planTable(
      {
        reader: () => engine.reader(),
        index: engine.index,
        store,
        storeFields: engine.storeFields,
        skipped,
        concurrency: o.concurrency ?? engine.threads,
        signal: o.signal,
        serial: (f) => engine.serial(f),
        progress: {
          start: () => {},
          step: (obj) => {
            p.done++;
            p.bytesDone += obj.size;
            p.elapsedMs = Date.now() - started;
            o.onProgress?.({ ...p });
          },
        },
      },
      b.kind,
      b.objects,
      [],
    );
    await engine.index.save().catch(() => undefined);
  }
  await store?.evict();
  p.elapsedMs = Date.now() - started;
  return { ...p, skipped, ...(store?.problem ? { problem: store.problem } : {}) };
}

/** What `egress cache status` shows. */
export interface StoreStatus {
  enabled: boolean;
  dir?: string;
  maxBytes?: number;
  /** Bytes of all store files (every mirror and schema sharing the directory). */
  storeBytes: number;
  storeFiles: number;
  /** Objects of the mirror in the window, and how many of them have a store file. */
  objects: number;
  objectBytes: number;
  converted: number;
  problem?: string;
}

/** The store's state for the mirror's objects in `window`. */
export async function storeStatus(engine: DuckDbEngine, window: Window): Promise<StoreStatus> {
  const store = engine.store;
  const objects = [...(await engine.listObjects('flow', window)), ...(await engine.listObjects('dns', window))];
  let converted = 0;
  if (store) {
    for (const obj of objects) {
      const kind = obj.key.includes('vpcdnsquerylogs') ? 'dns' : 'flow';
      if (await store.has(kind, obj)) converted++;
    }
  }
  const files = store ? await store.files() : [];
  const writable = store ? await store.canWrite() : false;
  return {
    enabled: Boolean(store),
    ...(store ? { dir: store.root, maxBytes: store.maxBytes } : {}),
    storeBytes: files.reduce((n, f) => n + f.size, 0),
    storeFiles: files.length,
    objects: objects.length,
    objectBytes: objects.reduce((n, x) => n + x.size, 0),
    converted,
    ...(store && !writable && store.problem ? { problem: store.problem } : {}),
  };
}

/**
 * The continuous conversion of `egress serve`/`egress worker`: every minute, converts what appeared in the mirror
 * within `EGRESS_MAX_WINDOW` of now, one object at a time so answering questions keeps the engine's other
 * thread. Returns its stop (waits for the round in progress). A non-DuckDB engine has nothing to warm.
 */
export function startStoreWarmer(
  engine: QueryEngine,
  config: Pick<Config, 'EGRESS_MAX_WINDOW'>,
  logger: Logger,
  o: { intervalMs?: number; clock?: () => number } = {},
): () => Promise<void> {
  if (!(engine instanceof DuckDbEngine) || !engine.store) return async () => {};
  const clock = o.clock ?? (() => Math.floor(Date.now() / 1000));
  let stopped = false;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  const tick = () => {
    round = (async () => {
      const now = clock();
      const r = await warmStore(
        engine,
        { from: now - config.EGRESS_MAX_WINDOW, to: now + 3600 },
        {
          concurrency: 1,
          signal: abort.signal,
        },
      );
      if (r.done > 0) logger.info({ converted: r.done, bytes: r.bytesDone, ms: r.elapsedMs }, 'store warmed');
      if (r.problem) logger.warn({ problem: r.problem }, 'columnar store not writable');
    })()
      .catch((err: unknown) => logger.warn({ err }, 'store warm-up failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, o.intervalMs ?? WARM_INTERVAL_MS);
      });
  };
  tick();
  return async () => {
    stopped = true;
    abort.abort();
    if (timer) clearTimeout(timer);
    await round;
  };
}
