/**
 * Engine wrappers and queue helpers for the worker tests: hold queries at a gate (to act while a job is in flight),
 * fail the first queries with chosen errors, and wait for jobs to reach a state.
 */
import type { Job, Queue } from 'bullmq';
import type { QueryEngine } from '../src/engine/types.js';
import type { CommandJobData } from '../src/queue/queue.js';

/** An engine wrapper that holds every query until released (or until its signal aborts). */
export interface Gate {
  wrap: (real: QueryEngine) => QueryEngine;
  /** Resolves when the first query arrives. */
  entered: Promise<void>;
  release(): void;
  /** Abort signals the queries received. */
  signals: AbortSignal[];
}

/** Creates a {@link Gate}. */
export function gate(): Gate {
  let enter!: () => void;
  let open!: () => void;
  const entered = new Promise<void>((r) => {
    enter = r;
  });
  const released = new Promise<void>((r) => {
    open = r;
  });
  const signals: AbortSignal[] = [];
  return {
    entered,
    signals,
    release: () => open(),
    wrap: (real) => ({
      name: real.name,
      close: () => real.close(),
      async run(query, params, opts = {}) {
        if (opts.signal) signals.push(opts.signal);
        enter();
        await new Promise<void>((resolve, reject) => {
          released.then(resolve);
          opts.signal?.addEventListener('abort', () => reject(new Error('query aborted')), { once: true });
        });
        return real.run(query, params, opts);
      },
    }),
  };
}

/** An engine wrapper whose first queries throw the given errors, in order. */
export function failing(errors: unknown[]): (real: QueryEngine) => QueryEngine {
  const queue = [...errors];
  return (real) => ({
    name: real.name,
    close: () => real.close(),
    async run(query, params, opts) {
      if (queue.length) throw queue.shift();
      return real.run(query, params, opts);
    },
  });
}

/** Waits until `n` jobs of the queue are in `state` (the worker moves a job after its last Slack call). */
export async function jobsIn(
  queue: Queue<CommandJobData>,
  state: 'completed' | 'failed',
  n = 1,
  timeoutMs = 10_000,
): Promise<Job<CommandJobData>[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = await queue.getJobs([state]);
    if (jobs.length >= n || Date.now() > deadline) return jobs;
    await new Promise((r) => setTimeout(r, 25));
  }
}
