/**
 * Waiting on Athena: capped exponential backoff with jitter for polling GetQueryExecution and for retrying throttled
 * calls. Time is injected ({@link Timing}) so tests run the same loops with a fake clock and no real sleeps.
 */

/** Clock, sleep and randomness, injectable for deterministic tests. */
export interface Timing {
  /** Milliseconds on a monotonic-enough clock. */
  now(): number;
  /** Resolves after `ms`, rejects with an `AbortError` as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
}

/** A backoff schedule: attempt n waits about `min(capMs, baseMs × factor^n)`. */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  factor: number;
}

/** Polling: quick first looks (small queries finish in about a second), then at most every 2 s. */
export const POLL_BACKOFF: BackoffPolicy = { baseMs: 200, capMs: 2_000, factor: 1.6 };

/** Throttling on top of the SDK's own 3 attempts: back off harder, a few more times, then give up. */
export const THROTTLE_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 8_000, factor: 2 };

/**
 * Delay before attempt `attempt` (0-based): "equal jitter", half fixed and half random, so concurrent pollers spread
 * out without ever polling in a tight loop.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * policy.factor ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** An abort as a DOMException-like error, so callers can tell it from other failures. */
export function abortError(): Error {
  const err = new Error('The operation was aborted');
  err.name = 'AbortError';
  return err;
}

/** Real time: `Date.now`, `setTimeout`, `Math.random`. */
export const realTiming: Timing = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
