/**
 * Who decides whether a command whose enqueue could not be confirmed runs: one Redis key per job id, written once —
 * `run` by the first worker attempt, `abandoned` by a receiver that gave up waiting for the enqueue. The first writer
 * wins. So a job that lands after its asker was told "ask again" is never run, and a receiver never says "ask again"
 * about a job that a worker has already started.
 */
import type { Queue } from 'bullmq';
import type { Redis } from '../redis.js';

/** What the fate key says. */
export type Fate = 'run' | 'abandoned';

/** Longer than any add could still be on its way (and than failed jobs are kept). */
const FATE_TTL_SECONDS = 24 * 3_600;

/** What the parent message says once a command is known not to have been queued (receiver and worker alike). */
export const ABANDONED_DETAIL = 'not queued: the job queue was unreachable, so nothing will run. Please ask again';

/** The key of a job's fate, beside the queue's other keys of this install. */
export function fateKey(queueName: string, jobId: string): string {
  return `${queueName}:fate:${jobId}`;
}

/** Writes `value` unless a fate is already recorded; returns the recorded one. */
async function decide(redis: Redis, key: string, value: Fate): Promise<Fate> {
  const res = await redis.multi().set(key, value, 'EX', FATE_TTL_SECONDS, 'NX').get(key).exec();
  const read = res?.[1];
  if (!read) throw new Error('Redis discarded the fate transaction');
  if (read[0]) throw read[0];
  return read[1] === 'abandoned' ? 'abandoned' : 'run';
}

/** A worker's claim before it runs an attempt: `abandoned` means the asker was told to ask again; do not run it. */
export function claimJob(redis: Redis, queueName: string, jobId: string): Promise<Fate> {
  return decide(redis, fateKey(queueName, jobId), 'run');
}

/**
 * A receiver giving up on an enqueue: `landed` when the job is there (or a worker claimed it), else `abandoned` — and
 * from then on no worker runs it, even if an earlier add arrives later. Rejects when Redis cannot answer (retry).
 */
export async function abandonJob(redis: Redis, queue: Queue, jobId: string): Promise<'landed' | 'abandoned'> {
  // A job that landed but waits for a worker is better answered late than dropped.
  if (await queue.getJob(jobId)) return 'landed';
  return (await decide(redis, fateKey(queue.name, jobId), 'abandoned')) === 'abandoned' ? 'abandoned' : 'landed';
}
