/**
 * What a failed job shows and whether BullMQ retries it. Never silent: the parent shows ❌ (or ⏳ when a retry is
 * coming) and the thread says what failed and what to do. User errors and timeouts are not retried
 * (`UnrecoverableError`); a worker shutdown puts the job back without spending an attempt.
 */
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { describeDuration } from '../duration.js';
import { EgressError, isRetryable, isUserError, publicMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AnswerPoster } from '../post/answer-poster.js';
import { failureMessage, type ParentView } from '../render/blocks.js';
import type { BlockMessage } from '../render/blocks-kit.js';
import type { CommandJobData } from './queue.js';

/** Marks an abort caused by the per-job timeout (as opposed to a worker shutdown). */
export class JobTimeout extends Error {}

/** Marks an abort because the job's lock is gone: it was re-queued as stalled and another attempt runs it. */
export class LockLost extends Error {}

/** The cancel reason the worker gives BullMQ for a lost lock (BullMQ reasons are strings). */
export const LOCK_LOST = 'lock lost';

export interface FailureArgs {
  err: unknown;
  job: Job<CommandJobData>;
  token?: string;
  controller: AbortController;
  poster: AnswerPoster;
  view: (v: Omit<ParentView, 'command' | 'user'>) => BlockMessage;
  log: Logger;
  observe: (outcome: string) => void;
  timeoutMs: number;
}

/** Reports the failure and rethrows in the form that tells BullMQ what to do next. */
export async function handleFailure(a: FailureArgs): Promise<never> {
  const { err, job, poster, view, log } = a;
  const reason: unknown = a.controller.signal.aborted ? a.controller.signal.reason : undefined;
  const quiet = (e: unknown) => log.error({ err: e }, 'could not report the failure to Slack');

  if (reason instanceof LockLost) {
    // Whoever holds the job now answers it; anything posted from here would be a second answer.
    a.observe('lock_lost');
    log.warn('job lock lost (re-queued as stalled); stopping without posting');
    throw err;
  }

  if (reason !== undefined && !(reason instanceof JobTimeout)) {
    // The worker is shutting down past its grace period: back to the queue, same parent, no attempt spent.
    a.observe('requeued');
    log.warn('job interrupted by shutdown; re-queued');
    await poster
      .showParent(view({ state: 'queued', detail: 'interrupted by a restart; it will resume shortly' }))
      .catch(quiet);
    if (a.token) {
      await job.moveToDelayed(Date.now() + 1_000, a.token);
      throw new DelayedError();
    }
    throw err;
  }

  const final = async (outcome: string, message: string, hint?: string): Promise<never> => {
    a.observe(outcome);
    // Thread first, parent last (as on success): once the parent shows ❌, the explanation is already there.
    await poster.postFailure(failureMessage(message, hint)).catch(quiet);
    await poster.showParent(view({ state: 'failed', detail: message.split(/[.\n]/)[0] }), true).catch(quiet);
    throw new UnrecoverableError(message);
  };

  if (reason instanceof JobTimeout) {
    log.warn({ timeoutMs: a.timeoutMs }, 'job timed out');
    return final(
      'timeout',
      `The query took longer than ${seconds(a.timeoutMs)} and was stopped.`,
      'ask for a shorter window (e.g. `last 24h`), or ask the bot owners to raise EGRESS_JOB_TIMEOUT.',
    );
  }
  if (err instanceof EgressError && err.code === 'SLACK_NOT_IN_CHANNEL') {
    a.observe('not_in_channel');
    log.warn('bot is not in the channel; told the user');
    await poster.tellUser(err.message);
    throw new UnrecoverableError(err.message);
  }
  if (isUserError(err)) {
    log.info({ code: err.code }, 'user error');
    return final('user_error', err.message);
  }
  const attempts = job.opts.attempts ?? 1;
  if (isRetryable(err) && job.attemptsMade + 1 < attempts) {
    a.observe('retry');
    log.warn({ err }, 'job failed; will retry');
    const detail = `retrying (attempt ${job.attemptsMade + 2} of ${attempts}) after: ${publicMessage(err)}`;
    await poster.showParent(view({ state: 'queued', detail })).catch(quiet);
    throw err;
  }
  log.error({ err }, 'job failed');
  return final(
    'failed',
    publicMessage(err),
    `try again in a few minutes; if it keeps failing, tell the bot owners (request id ${job.data.requestId}).`,
  );
}

/** `1 second`, `45 seconds`, `10 minutes`: the timeout as people say it. */
function seconds(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return s < 60 ? `${s} second${s === 1 ? '' : 's'}` : describeDuration(s);
}
