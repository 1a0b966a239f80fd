/**
 * The BullMQ worker for command jobs, and its graceful stop: in-flight jobs get the grace period to finish; after it
 * they are cancelled (their processors put them back in the queue) and the worker closes.
 */
import { type Processor, Worker } from 'bullmq';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Redis } from '../redis.js';
import type { DigestJobData } from './digest-jobs.js';
import { LOCK_LOST } from './failure.js';
import type { CommandJobData } from './queue.js';

export interface CommandWorkerOptions {
  queueName: string;
  /** A worker-role connection (`maxRetriesPerRequest: null`, see `redisOptions`). */
  connection: Redis;
  processor: Processor<CommandJobData>;
  concurrency: number;
  logger: Logger;
  /**
   * Lock/stall timings (ms), `EGRESS_LOCK_DURATION` / `EGRESS_STALLED_INTERVAL`: a crashed worker's jobs are re-run
   * after about their sum. Unset: BullMQ's 30 s each.
   */
  lockDuration?: number;
  stalledInterval?: number;
}

/** A running worker. */
export interface CommandWorker {
  worker: Worker<CommandJobData>;
  /** True while the worker fetches jobs (for `/healthz`). */
  running(): boolean;
  /** Stops taking jobs; waits up to `graceMs` for in-flight ones, then cancels them (they are re-queued). */
  close(graceMs: number): Promise<void>;
}

/** Lock and stalled-check timings (ms): the caller's (tests), else `EGRESS_LOCK_DURATION` / `EGRESS_STALLED_INTERVAL`. */
export function stallTimings(
  config: Pick<Config, 'EGRESS_LOCK_DURATION' | 'EGRESS_STALLED_INTERVAL'>,
  o: { lockDuration?: number; stalledInterval?: number },
): { lockDuration: number; stalledInterval: number } {
  return {
    lockDuration: o.lockDuration ?? config.EGRESS_LOCK_DURATION * 1000,
    stalledInterval: o.stalledInterval ?? config.EGRESS_STALLED_INTERVAL * 1000,
  };
}

const sleep = (ms: number) => new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms).unref());

/** Starts a worker on the command queue. */
export function startCommandWorker(o: CommandWorkerOptions): CommandWorker {
  const log = o.logger.child({ component: 'worker', queue: o.queueName });
  const worker = new Worker<CommandJobData>(o.queueName, o.processor, {
    connection: o.connection,
    concurrency: o.concurrency,
    // BullMQ treats an explicit undefined as a value, so only pass the timings that were given.
    ...(o.lockDuration ? { lockDuration: o.lockDuration } : {}),
    ...(o.stalledInterval ? { stalledInterval: o.stalledInterval } : {}),
    // BullMQ fails a job that stalls a second time (default 1) without any worker event, leaving its parent message
    // stuck; a job whose workers crash three times in a row is failed, the rest are re-run.
    maxStalledCount: 3,
    autorun: true,
  });
  // Without a listener an 'error' (e.g. Redis down) would be an unhandled event and crash the process.
  worker.on('error', (err) => log.error({ err }, 'worker error'));
  worker.on('failed', (job, err) => log.warn({ jobId: job?.id, err }, 'job attempt failed'));
  worker.on('stalled', (jobId) => log.warn({ jobId }, 'job stalled; re-queued'));
  // The lock is gone (e.g. Redis was away longer than the lock): the job is another attempt's now, so stop this one.
  worker.on('lockRenewalFailed', (jobIds) => {
    for (const jobId of jobIds) worker.cancelJob(jobId, LOCK_LOST);
  });
  let closing: Promise<void> | undefined;
  return {
    worker,
    running: () => worker.isRunning() && !closing,
    close(graceMs) {
      closing ??= (async () => {
        const closed = worker.close();
        if ((await Promise.race([closed, sleep(graceMs)])) !== 'timeout') return;
        log.warn({ graceMs }, 'grace period over; cancelling in-flight jobs');
        worker.cancelAllJobs('shutdown');
        if ((await Promise.race([closed, sleep(5_000)])) === 'timeout') await worker.close(true);
      })();
      return closing;
    },
  };
}

/** Starts the digest queue's worker (ticks, runs, button actions): two jobs at a time, errors logged. */
export function startDigestWorker(o: {
  queueName: string;
  connection: Redis;
  processor: Processor<DigestJobData>;
  logger: Logger;
  lockDuration?: number;
  stalledInterval?: number;
}): Worker<DigestJobData> {
  const worker = new Worker<DigestJobData>(o.queueName, o.processor, {
    connection: o.connection,
    concurrency: 2,
    // BullMQ treats an explicit undefined as a value: pass the timings only when set.
    ...(o.lockDuration ? { lockDuration: o.lockDuration } : {}),
    ...(o.stalledInterval ? { stalledInterval: o.stalledInterval } : {}),
  });
  worker.on('error', (err) => o.logger.error({ err }, 'digest worker error'));
  worker.on('failed', (job, err) =>
    o.logger.warn({ jobId: job?.id, kind: job?.data.kind, err }, 'digest job attempt failed'),
  );
  return worker;
}
