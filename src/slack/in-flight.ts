/**
 * The work the receiver started for requests, tracked so that stopping waits for it. The ack answers Slack's HTTP
 * request before the ⏳ parent is posted and the job is enqueued; stopping the HTTP server therefore does not wait for
 * that part, and closing the queue and Redis under it loses acknowledged commands. Every listener runs inside
 * {@link InFlight.middleware}, and the receiver's stop drains them before the connections close.
 */
import { setMaxListeners } from 'node:events';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';

/** Listener runs in progress, and a signal telling them the shutdown grace is over. */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();
  private readonly controller = new AbortController();
  /** Aborted when {@link drain}'s grace is over: work still waiting (on Redis) should give up and report. */
  readonly signal: AbortSignal = this.controller.signal;

  constructor() {
    // Every enqueue in flight listens on this one signal (and stops listening when it settles): under load that is
    // more than Node's default of 10 listeners, which is no leak and must not print MaxListenersExceededWarning.
    setMaxListeners(0, this.signal);
  }

  /** Bolt global middleware: the whole listener run, after-ack work included (Bolt awaits listeners in `next`). */
  middleware(): Middleware<AnyMiddlewareArgs> {
    return async ({ next }) => {
      await this.track(next());
    };
  }

  /** Tracks `work` until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    const tracked: Promise<unknown> = work.then(
      () => this.running.delete(tracked),
      () => this.running.delete(tracked),
    );
    this.running.add(tracked);
    return work;
  }

  /** How many listener runs are in progress. */
  get size(): number {
    return this.running.size;
  }

  /**
   * Waits until nothing is in flight — work that starts meanwhile included — for at most `graceMs`; then aborts
   * {@link signal} and gives the rest `reportMs` to report what they know. Returns how many were still running.
   */
  async drain(graceMs: number, reportMs = 3_000): Promise<number> {
    if (await this.settled(Date.now() + graceMs)) return 0;
    this.controller.abort(new Error('shutdown grace period over'));
    await this.settled(Date.now() + reportMs);
    return this.running.size;
  }

  private async settled(until: number): Promise<boolean> {
    while (this.running.size) {
      const left = until - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.running]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, left);
        }),
      ]);
      clearTimeout(timer);
    }
    return true;
  }
}
