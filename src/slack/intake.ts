/**
 * What happens to a request before the ack, shared by the slash command and mentions: parse, authorize, rate-limit,
 * write the audit line, and choose the reply. It never throws (a request always gets an answer) and never waits on
 * anything slow: posting the ⏳ queued parent and the enqueue are handed back to run after the ack.
 */
import type { Queue } from 'bullmq';
import { type ParseOptions, parseCommand } from '../commands/parse.js';
import { type Command, help } from '../commands/registry.js';
import { isUserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { BotMetrics } from '../metrics.js';
import { ENQUEUE_DEFAULTS } from '../queue/enqueue-reliably.js';
import { type CommandJobData, jobIdFor } from '../queue/queue.js';
import type { Redis } from '../redis.js';
import { type BlockMessage, commandTitle, helpMessage, noticeMessage } from '../render/blocks.js';
import { ackText, fixItText, QUEUE_DOWN_TEXT } from './ack-text.js';
import { type ChatWriter, type Enqueued, postQueuedAndEnqueue, withTimeout } from './after-ack.js';
import type { Authorizer } from './authorize.js';

export interface IntakeDeps {
  logger: Logger;
  metrics: BotMetrics;
  authorizer: Authorizer;
  queue: Queue<CommandJobData>;
  /** The queue's connection (the enqueue's fate key). */
  redis: Redis;
  parse: ParseOptions;
  /** Epoch seconds; becomes the job's `requestedAt` (the command's `now`). */
  clock: () => number;
  /** Longest wait for a Redis read before the ack (rate limit) or before posting (duplicate check). */
  enqueueTimeoutMs?: number;
  /** How long the enqueue after the ack is retried, and how often (see {@link ENQUEUE_DEFAULTS}). */
  enqueue?: Partial<typeof ENQUEUE_DEFAULTS>;
  /** Aborted when the receiver's shutdown grace is over: an enqueue still waiting on Redis gives up. */
  stopping?: AbortSignal;
}

/** A request as both entry points see it. */
export interface IntakeRequest {
  text: string;
  user: string;
  channel: string;
  source: 'slash' | 'mention';
  thread_ts?: string;
  response_url?: string;
  requestId: string;
  /** Stable id of the Slack delivery (event id / trigger id) for deduplication; default: from `requestId`. */
  jobId?: string;
}

export type Outcome = 'queued' | 'help' | 'invalid' | 'denied' | 'rate_limited' | 'queue_error';

/** The reply to send as the ack, and, when accepted, the enqueue to run after it. */
export interface IntakeResult {
  outcome: Outcome;
  reply: BlockMessage;
  command?: Command;
  /**
   * To run after the ack: posts the ⏳ queued parent (through `slack`) and adds the job carrying its ts. Rejects only
   * when Redis fails or is too slow.
   */
  enqueue?: (slack: ChatWriter) => Promise<Enqueued>;
}

/** Decides the reply for one request. Never throws. */
export async function intake(d: IntakeDeps, req: IntakeRequest): Promise<IntakeResult> {
  const log = d.logger.child({ requestId: req.requestId, source: req.source });
  let command: Command | undefined;
  let parseError: string | undefined;
  try {
    command = parseCommand(req.text, d.parse);
  } catch (err) {
    // Only the parser's own messages go back to the person; anything else is a bug worth a log line.
    if (!isUserError(err)) log.error({ err }, 'parser failed unexpectedly');
    parseError = isUserError(err) ? err.message : 'I could not read that command.';
  }
  const name = command?.name ?? 'invalid';
  const audit = (decision: 'allow' | 'deny' | 'rate_limited', reason?: string) =>
    log.info(
      {
        audit: 'authorization',
        user: req.user,
        channel: req.channel,
        command: command ? commandTitle(command) : 'invalid',
        decision,
        reason,
      },
      `authorization ${decision}`,
    );
  const done = (outcome: Outcome, reply: BlockMessage, extra: Partial<IntakeResult> = {}): IntakeResult => {
    // Accepted commands are counted by the worker's outcome too; this counts what the receiver decided.
    d.metrics.commands.inc({ command: name, outcome });
    return { outcome, reply, command, ...extra };
  };
  try {
    const allowed = await d.authorizer.allow(req.user, req.channel);
    if (!allowed.ok) {
      audit('deny', allowed.reason);
      return done('denied', noticeMessage(`⛔ ${allowed.message}`));
    }
    if (!command) {
      audit('allow', 'invalid command');
      return done('invalid', noticeMessage(fixItText(parseError ?? '')));
    }
    if (command.name === 'help') {
      audit('allow');
      return done('help', helpMessage(help().lines));
    }
    // Slack wants the ack within 3 s: a Redis too slow to count does not hold it (the enqueue retries after it).
    const rate = await withTimeout(d.authorizer.rateLimit(req.user), d.enqueueTimeoutMs ?? 1_000).catch(
      (err: unknown) => {
        log.warn({ err }, 'rate limit unavailable; allowing the command');
        return { ok: true as const };
      },
    );
    if (!rate.ok) {
      audit('rate_limited', `${rate.count} this minute`);
      return done('rate_limited', noticeMessage(`⏱️ ${rate.message}`));
    }
    audit('allow');
    const data: CommandJobData = {
      v: 1,
      command,
      channel: req.channel,
      user: req.user,
      thread_ts: req.thread_ts,
      response_url: req.response_url,
      requestedAt: d.clock(),
      requestId: req.requestId,
      source: req.source,
    };
    const where = req.source === 'mention' ? 'thread' : 'channel';
    return done('queued', noticeMessage(ackText(command, where)), {
      enqueue: (slack) =>
        postQueuedAndEnqueue(
          {
            queue: d.queue,
            redis: d.redis,
            logger: log,
            timeoutMs: d.enqueueTimeoutMs ?? 1_000,
            deadlineMs: d.enqueue?.deadlineMs ?? ENQUEUE_DEFAULTS.deadlineMs,
            retryDelayMs: d.enqueue?.retryDelayMs ?? ENQUEUE_DEFAULTS.retryDelayMs,
            signal: d.stopping,
          },
          slack,
          data,
          req.jobId ?? jobIdFor('request', req.requestId),
        ),
    });
  } catch (err) {
    // Redis (rate limit) or Slack (user groups) failed: say so rather than leave the person without an answer.
    log.error({ err }, 'intake failed');
    return done('queue_error', noticeMessage(QUEUE_DOWN_TEXT));
  }
}
