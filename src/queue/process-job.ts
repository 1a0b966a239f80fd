/**
 * The worker's processor: one command job → parent message (updated through its states) → thread replies. Runs the
 * command with a per-job timeout (AbortController → engine), and turns every failure into something the person
 * sees: ❌ on the parent and a thread reply saying what failed and what to do.
 */
import { performance } from 'node:perf_hooks';
import type { WebClient } from '@slack/web-api';
import type { Job } from 'bullmq';
import type { Registry } from 'prom-client';
import type { ContextFactory } from '../commands/context.js';
import { runCommand } from '../commands/registry.js';
import type { Logger } from '../logger.js';
import { botMetrics } from '../metrics.js';
import { AnswerPoster } from '../post/answer-poster.js';
import { replies } from '../post/replies.js';
import { type ParentView, parentMessage } from '../render/blocks.js';
import { summaryText } from '../render/blocks-answer.js';
import { handleFailure, JobTimeout, LOCK_LOST, LockLost } from './failure.js';
import { ABANDONED_DETAIL, type Fate } from './fate.js';
import type { CommandJobData } from './queue.js';

/** What the processor needs besides the job. */
export interface ProcessorDeps {
  /** The command context per run (engine, attribution… from the process's dependencies). */
  context: ContextFactory;
  logger: Logger;
  metrics: Registry;
  client: WebClient;
  /** Per-job timeout (ms), `EGRESS_JOB_TIMEOUT`. */
  jobTimeoutMs: number;
  /** Rows shown inline before the CSV takes over. */
  maxRows?: number;
  /** Minimum gap between progress updates of the parent (ms). */
  progressIntervalMs?: number;
  fetchFn?: typeof fetch;
  /**
   * Claims the job before an attempt runs ({@link claimJob}): `abandoned` means the receiver gave up on this enqueue
   * and told the asker to ask again, so the job must not run.
   */
  claim?: (jobId: string) => Promise<Fate>;
}

/** Builds the BullMQ processor function. */
export function commandProcessor(p: ProcessorDeps) {
  const metrics = botMetrics(p.metrics);
  return async (job: Job<CommandJobData>, token?: string, signal?: AbortSignal): Promise<{ rows: number }> => {
    const data = job.data;
    const log = p.logger.child({ requestId: data.requestId, jobId: job.id, attempt: job.attemptsMade + 1 });
    const started = performance.now();
    if (job.attemptsMade === 0 && job.processedOn)
      metrics.queueWait.observe(Math.max(0, job.processedOn - job.timestamp) / 1000);
    const poster = new AnswerPoster(
      p.client,
      {
        // A getter: updateData replaces job.data, and the poster must see what it saved (the parent's ts).
        get data() {
          return job.data;
        },
        save: (patch) => job.updateData({ ...job.data, ...patch }),
      },
      log,
      p.fetchFn,
    );
    const view = (v: Omit<ParentView, 'command' | 'user'>) =>
      parentMessage({ command: data.command, user: data.user, ...v });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new JobTimeout('job timeout')), p.jobTimeoutMs);
    const onCancel = () =>
      controller.abort(
        signal?.reason === LOCK_LOST ? new LockLost(LOCK_LOST) : (signal?.reason ?? new Error('cancelled')),
      );
    signal?.addEventListener('abort', onCancel, { once: true });
    const observe = (outcome: string) => {
      metrics.commands.inc({ command: data.command.name, outcome });
      metrics.jobDuration.observe({ command: data.command.name, outcome }, (performance.now() - started) / 1000);
    };
    try {
      if (p.claim && (await p.claim(job.id ?? '')) === 'abandoned') {
        // Landed after its asker was told to ask again: running it now would answer twice.
        log.warn('job landed after the receiver gave up on it; not running it');
        if (data.parent_ts)
          await poster
            .showParent(view({ state: 'failed', detail: ABANDONED_DETAIL }), true)
            .catch((err: unknown) => log.warn({ err }, 'could not update the parent'));
        observe('abandoned');
        return { rows: 0 };
      }
      log.info({ command: data.command.name, parentPosted: Boolean(data.parent_ts) }, 'job started');
      await poster.showParent(view({ state: 'querying' }));
      let lastProgress = 0;
      const answer = await abortable(
        runCommand(
          data.command,
          await p.context(data.requestedAt, {
            signal: controller.signal,
            onProgress: (pr) => {
              // Slack allows about one update per second per channel; keep well below it.
              const now = performance.now();
              if (pr.bytesScanned === undefined || now - lastProgress < (p.progressIntervalMs ?? 2_000)) return;
              lastProgress = now;
              poster
                .showParent(view({ state: 'querying', bytesScanned: pr.bytesScanned }))
                .catch((err: unknown) => log.warn({ err }, 'progress update failed'));
            },
          }),
        ),
        controller.signal,
      );
      const bytes = answer.stats?.bytesScanned ?? 0;
      if (answer.stats) metrics.bytesScanned.inc({ engine: answer.stats.engine }, bytes);
      await poster.postReplies(replies(answer, p.maxRows), controller.signal);
      await poster.showParent(
        view({ state: 'done', bytesScanned: bytes, detail: summaryText(answer).replace(/\*/g, '') }),
        true,
      );
      observe('answered');
      const rows = 'rows' in answer ? answer.rows.length : 'table' in answer ? answer.table.rows.length : 0;
      log.info({ rows, bytes }, 'job answered');
      return { rows: 'rows' in answer ? answer.rows.length : 0 };
    } catch (err) {
      return await handleFailure({
        err,
        job,
        token,
        controller,
        poster,
        view,
        log,
        observe,
        timeoutMs: p.jobTimeoutMs,
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCancel);
    }
  };
}

/** Rejects as soon as `signal` aborts, even if the work ignores the signal (the timeout must hold regardless). */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
