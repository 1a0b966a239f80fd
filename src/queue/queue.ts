/**
 * The command queue (BullMQ): typed job data, the producer side, and the options every job gets. Jobs carry the
 * parsed command, never raw text to re-parse, so the worker runs exactly what the ack promised.
 */
import { type DefaultJobOptions, Queue } from 'bullmq';
import type { Command } from '../commands/registry.js';
import type { Redis } from '../redis.js';

/** Where and for whom a command runs, and what the worker has already posted (for idempotent retries). */
export interface CommandJobData {
  /** Schema version, so a new worker can refuse jobs from a much older receiver. */
  v: 1;
  command: Command;
  channel: string;
  user: string;
  /** Answer inside this thread (a mention in a thread); otherwise the parent is a new channel message. */
  thread_ts?: string;
  /** Slash commands' ephemeral reply URL (secret-ish: never logged). */
  response_url?: string;
  /** Epoch seconds of the request: the command's `now`, so a retry answers the same window. */
  requestedAt: number;
  /** Correlates receiver and worker log lines. */
  requestId: string;
  source: 'slash' | 'mention';
  /**
   * The parent message's ts: set by the receiver when it posted the ⏳ queued parent right after the ack, else by the
   * worker once it posted one, so the worker (and any retry) updates it instead of posting another.
   */
  parent_ts?: string;
  /** Thread replies already posted by an earlier attempt (a retry continues after them). */
  repliesPosted?: number;
}

/** Attempts and backoff for transient failures; finished jobs are kept for an hour so Slack retries stay deduplicated. */
export const JOB_OPTIONS: DefaultJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 3_600, count: 1_000 },
  removeOnFail: { age: 24 * 3_600, count: 1_000 },
};

/** The job name used for every command (BullMQ wants one; the command is in the data). */
export const JOB_NAME = 'command';

/** Creates the producer side of the command queue on an existing connection. */
export function createCommandQueue(name: string, connection: Redis): Queue<CommandJobData> {
  return new Queue<CommandJobData>(name, { connection, defaultJobOptions: JOB_OPTIONS });
}

/**
 * Makes a BullMQ job id from a Slack id (event id, trigger id) or, for a request without one, its request id. BullMQ
 * refuses `:` and pure integers in custom ids. The same delivery always maps to the same id, so `X-Slack-Retry-Num`
 * redeliveries add nothing, and neither does a retried add of the same request.
 */
export function jobIdFor(kind: 'event' | 'trigger' | 'request', slackId: string): string {
  return `${kind}-${slackId.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/**
 * Adds a command job and returns its id. With `jobId`, BullMQ keeps one job per id while it is retained (see
 * {@link JOB_OPTIONS}): adding the same id again is a no-op, which is what deduplicates Events API retries.
 */
export async function enqueueCommand(
  queue: Queue<CommandJobData>,
  data: CommandJobData,
  jobId?: string,
): Promise<string> {
  const job = await queue.add(JOB_NAME, data, jobId ? { jobId } : {});
  return job.id ?? '';
}
