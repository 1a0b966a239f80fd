/**
 * Adding a command job when Redis may be slow or away, so that an acknowledged command ends in exactly one of two
 * ways: it lands (perhaps late) and is answered, or it is known not to have landed and its asker is told to ask again.
 *
 * Every attempt carries the same job id, so once one has landed the others add nothing. Until the deadline, a failed
 * attempt is retried and a pending one is waited for. After it, only Redis can tell: {@link abandonJob} is queued
 * behind the earlier attempts on the same connection and answers `landed` or `abandoned` — and an attempt that still
 * lands afterwards is refused by the worker's {@link claimJob}. If the process has to stop before Redis answers, the
 * outcome is `unknown` (the job runs if it landed; nobody is told to ask again).
 */
import type { Queue } from 'bullmq';
import type { Logger } from '../logger.js';
import type { Redis } from '../redis.js';
import { abandonJob } from './fate.js';

/** How an enqueue ended. */
export type Landing = 'landed' | 'abandoned' | 'unknown';

export interface LandingOptions {
  /** How long attempts are retried before giving up on the enqueue. */
  deadlineMs: number;
  /** Pause between attempts (and between abandon tries). */
  retryDelayMs: number;
  /** Aborted when the process must stop (shutdown grace over): give up waiting, with outcome `unknown`. */
  signal?: AbortSignal;
  logger: Logger;
}

/** Tuning of the enqueue after the ack (defaults: 15 s of retries, 0.5 s apart). */
export const ENQUEUE_DEFAULTS: Pick<LandingOptions, 'deadlineMs' | 'retryDelayMs'> = {
  deadlineMs: 15_000,
  retryDelayMs: 500,
};

type Settled<T> = { kind: 'ok'; value: T } | { kind: 'error'; err: unknown } | { kind: 'pending' };

/** Waits for `p` at most until `until` (epoch ms) or the abort; never rejects. */
function settle<T>(p: Promise<T>, until: number, signal?: AbortSignal): Promise<Settled<T>> {
  return new Promise((resolve) => {
    const done = (s: Settled<T>) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(s);
    };
    const onAbort = () => done({ kind: 'pending' });
    const timer = setTimeout(onAbort, Math.max(0, Math.min(until - Date.now(), 2 ** 31 - 1)));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    p.then(
      (value) => done({ kind: 'ok', value }),
      (err: unknown) => done({ kind: 'error', err }),
    );
  });
}

const pause = (ms: number, signal?: AbortSignal) => settle(new Promise<void>(() => {}), Date.now() + ms, signal);

/**
 * Adds the job through `add` (which must use `jobId`), retrying until it is known to have landed or known not to have
 * (see the module comment). The worker of `queue` must claim the job ({@link claimJob}) before running it.
 */
export async function enqueueReliably(
  queue: Queue,
  redis: Redis,
  jobId: string,
  add: () => Promise<unknown>,
  o: LandingOptions,
): Promise<Landing> {
  const deadline = Date.now() + o.deadlineMs;
  for (let attempt = 1; Date.now() < deadline && !o.signal?.aborted; attempt++) {
    const r = await settle(add(), deadline, o.signal);
    if (r.kind === 'ok') {
      if (attempt > 1) o.logger.info({ jobId, attempt }, 'enqueue landed after a retry');
      return 'landed';
    }
    // Still on its way at the deadline: it may land yet, so only Redis can say what happened.
    if (r.kind === 'pending') break;
    o.logger.warn({ err: r.err, jobId, attempt }, 'enqueue attempt failed; retrying with the same job id');
    await pause(Math.min(o.retryDelayMs, deadline - Date.now()), o.signal);
  }
  o.logger.warn({ jobId, deadlineMs: o.deadlineMs }, 'enqueue not confirmed in time; asking Redis whether it landed');
  for (;;) {
    const r = await settle(abandonJob(redis, queue, jobId), Number.POSITIVE_INFINITY, o.signal);
    if (r.kind === 'ok') return r.value;
    if (r.kind === 'pending' || o.signal?.aborted) return 'unknown';
    o.logger.warn({ err: r.err, jobId }, 'could not settle the enqueue yet; retrying');
    await pause(o.retryDelayMs, o.signal);
  }
}
