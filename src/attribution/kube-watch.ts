import {
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  makeInformer,
  type ObjectCache,
} from '@kubernetes/client-node';
import { objectKey } from './kube-records.js';

/** Restart pacing after an informer error: doubling from `initialMs`, capped at `maxMs`. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/** What one watched resource needs. */
export interface WatchedResource<T extends KubernetesObject> {
  /** `pods`, `replicasets`, `jobs` (with the namespace when scoped): for health, metrics and logs. */
  name: string;
  kc: KubeConfig;
  /** Collection path, e.g. `/api/v1/pods` or `/apis/apps/v1/namespaces/shop/replicasets`. */
  path: string;
  list: () => Promise<KubernetesListObject<T>>;
  clock: () => number;
  backoff: Backoff;
  /** Server-side watch timeout; the informer then re-watches from its resourceVersion (client-go does the same). */
  watchTimeoutSeconds?: number;
  /**
   * How often to check that the watch is alive (default 60 s; 0 = never). A watch that has neither delivered an
   * event nor reconnected for two server timeouts sits on a dead connection: it is aborted, which restarts it.
   */
  watchdogMs?: number;
  /** After every successful list (first start, restarts, relists after 410 Gone): the complete current set. */
  onList?: (items: T[], resourceVersion: string) => void;
  onRestart?: () => void;
  onError?: (err: unknown) => void;
}

/** State of one informer, for health and metrics. */
export interface InformerState {
  name: string;
  synced: boolean;
  restarts: number;
  lastSync?: number;
  downSince?: number;
  lastError?: string;
  /** When the last outage ended: events replayed right after it happened at an unknown time during it. */
  lastGap?: { from: number; to: number };
}

/**
 * A client-node informer that does not stay dead. client-node 1.x handles 410 Gone itself (relist) and re-watches
 * after a clean end, but any other error (dropped connection, 5xx, failed list) stops it with one 'error' event;
 * here every such stop schedules `start()` again with capped exponential backoff, which resumes from the last
 * resourceVersion (so nothing is missed) or relists when that has expired.
 */
export class ResilientInformer<T extends KubernetesObject> {
  readonly informer: Informer<T> & ObjectCache<T>;
  readonly state: InformerState;
  private stopped = false;
  private failedThisAttempt = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private lastActivity = 0;
  /** Keys that vanished in the latest relist: their delete events are not the moment they were deleted. */
  private readonly vanished = new Set<string>();

  constructor(private readonly r: WatchedResource<T>) {
    this.state = { name: r.name, synced: false, restarts: 0 };
    const path = r.watchTimeoutSeconds ? `${r.path}?timeoutSeconds=${r.watchTimeoutSeconds}` : r.path;
    this.informer = makeInformer(r.kc, path, () => this.list());
    this.informer.on('error', (err) => this.failed(err));
    const alive = () => {
      this.lastActivity = r.clock();
    };
    this.informer.on('connect', alive);
    this.informer.on('change', alive);
  }

  /** True once for a delete caused by a relist rather than a watch event (the pod vanished during a gap). */
  takeVanished(obj: T): boolean {
    return this.vanished.delete(objectKey(obj));
  }

  /** First attempt; resolves once it synced or failed (a failure keeps retrying in the background). */
  async start(): Promise<void> {
    this.stopped = false;
    const every = this.r.watchdogMs ?? 60_000;
    if (every > 0 && !this.watchdog) {
      this.watchdog = setInterval(() => this.checkAlive(), every);
      this.watchdog.unref();
    }
    await this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.watchdog);
    this.timer = undefined;
    this.watchdog = undefined;
    await this.informer.stop();
    this.state.synced = false;
  }

  private async list(): Promise<KubernetesListObject<T>> {
    const result = await this.r.list();
    const fresh = new Set(result.items.map(objectKey));
    this.vanished.clear();
    for (const o of this.informer.list()) if (!fresh.has(objectKey(o))) this.vanished.add(objectKey(o));
    this.r.onList?.(result.items, result.metadata?.resourceVersion ?? '');
    // A relist client-node does by itself (after 410 Gone) is a resync too.
    if (this.state.synced) this.state.lastSync = this.r.clock();
    return result;
  }

  private async run(): Promise<void> {
    this.failedThisAttempt = false;
    await this.informer.start();
    // start() resolves after a failed attempt too (the error went to the 'error' handler).
    if (this.failedThisAttempt || this.stopped) return;
    const now = this.r.clock();
    if (this.state.downSince !== undefined) this.state.lastGap = { from: this.state.downSince, to: now };
    Object.assign(this.state, { synced: true, lastSync: now, downSince: undefined });
    this.attempt = 0;
  }

  private checkAlive(): void {
    const limit = 2 * (this.r.watchTimeoutSeconds ?? 300) + 30;
    if (!this.state.synced || this.r.clock() - this.lastActivity <= limit) return;
    // Aborting the request surfaces as an informer error, which takes the normal restart path.
    this.lastActivity = this.r.clock();
    void this.informer.stop();
  }

  private failed(err: unknown): void {
    // stop() aborts the open watch, which client-node reports as an error: not a failure.
    if (this.stopped) return;
    this.failedThisAttempt = true;
    this.state.synced = false;
    this.state.downSince ??= this.r.clock();
    this.state.lastError = describeError(err);
    this.r.onError?.(err);
    if (this.timer) return;
    const delay = Math.min(this.r.backoff.initialMs * 2 ** this.attempt, this.r.backoff.maxMs);
    this.attempt++;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      this.state.restarts++;
      this.r.onRestart?.();
      void this.run();
    }, delay);
    this.timer.unref?.();
  }
}

/** A short, secret-free description of a client-node error: status code and the API's message, or the network error. */
export function describeError(err: unknown): string {
  const e = (err ?? {}) as { code?: unknown; statusCode?: unknown; message?: string; body?: unknown };
  const status = typeof e.code === 'number' ? e.code : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  let message = String(e.message ?? err);
  // ApiException's message embeds body and response headers; the Status body's own message is what people need.
  let body = e.body;
  if (typeof body === 'string') body = safeJson(body);
  const apiMessage = (body as { message?: unknown } | undefined)?.message;
  if (typeof apiMessage === 'string') message = apiMessage;
  else if (message.startsWith('HTTP-Code:')) message = message.split('\n')[1]?.replace(/^Message: /, '') ?? '';
  message = message.split('\n')[0]?.slice(0, 160) ?? '';
  return status !== undefined ? `HTTP ${status}: ${message}` : message;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
