/**
 * What runs right after the ack of an accepted command: post the parent message in its ⏳ queued state, then enqueue
 * the job with the parent's `ts`, so the worker updates that same message in place (querying → done/failed) and
 * replies in its thread. A delivery whose job already exists posts nothing; a channel the bot cannot post in queues
 * nothing; any other Slack failure still queues the job (without a parent, which the worker then posts). The enqueue
 * is retried until it is known to have landed or known not to have ({@link enqueueReliably}): the asker gets the
 * answer or one "ask again", never both.
 */
import type { Queue } from 'bullmq';
import type { Logger } from '../logger.js';
import { inviteText, NOT_IN_CHANNEL_ERRORS, slackErrorCode } from '../post/slack-client.js';
import { enqueueReliably, type LandingOptions } from '../queue/enqueue-reliably.js';
import { ABANDONED_DETAIL } from '../queue/fate.js';
import { type CommandJobData, enqueueCommand } from '../queue/queue.js';
import type { Redis } from '../redis.js';
import { type BlockMessage, failureMessage, parentMessage } from '../render/blocks.js';

/** The Web API methods needed here (structural: Bolt's client and ours come from different package versions). */
export interface ChatWriter {
  chat: {
    postMessage(args: {
      channel: string;
      thread_ts?: string;
      text: string;
      blocks: BlockMessage['blocks'];
    }): Promise<{ ts?: string }>;
    update(args: { channel: string; ts: string; text: string; blocks: BlockMessage['blocks'] }): Promise<unknown>;
  };
}

/** What happened after the ack. */
export type Enqueued =
  | { status: 'queued'; jobId: string; parent_ts?: string }
  /** The job id already exists (a redelivery): nothing posted, nothing added. */
  | { status: 'duplicate'; jobId: string }
  /** The bot cannot post in the channel: nothing queued; `message` tells the person how to invite it. */
  | { status: 'not_in_channel'; message: string }
  /** Known not to have landed, and it never will run: the asker must be told to ask again (`told` if done here). */
  | { status: 'abandoned'; jobId: string; told: boolean }
  /** The process had to stop before Redis could tell: runs if it landed; nobody is told to ask again. */
  | { status: 'unknown'; jobId: string };

export interface AfterAckDeps extends Omit<LandingOptions, 'logger'> {
  queue: Queue<CommandJobData>;
  /** The queue's connection (the enqueue's fate key is written on it, behind the adds). */
  redis: Redis;
  logger: Logger;
  /** Longest wait for the duplicate check; a slower Redis skips it (the add itself is idempotent). */
  timeoutMs: number;
}

/** Posts the ⏳ queued parent and enqueues the job carrying its ts. Never rejects on Redis or Slack failures. */
export async function postQueuedAndEnqueue(
  d: AfterAckDeps,
  slack: ChatWriter,
  data: CommandJobData,
  jobId: string,
): Promise<Enqueued> {
  const log = d.logger;
  // Deduplicate before posting anything, so a redelivery never shows a second parent.
  const existing = await withTimeout(d.queue.getJob(jobId), d.timeoutMs).catch((err: unknown) => {
    log.warn({ err }, 'duplicate check skipped: Redis is slow or away');
    return undefined;
  });
  if (existing) return { status: 'duplicate', jobId };
  const view = (state: 'queued' | 'failed', detail?: string) =>
    parentMessage({ command: data.command, user: data.user, state, detail });
  let parent_ts: string | undefined;
  try {
    const msg = view('queued');
    const res = await slack.chat.postMessage({
      channel: data.channel,
      thread_ts: data.thread_ts,
      text: msg.text,
      blocks: msg.blocks,
    });
    parent_ts = res.ts;
  } catch (err) {
    if (NOT_IN_CHANNEL_ERRORS.has(slackErrorCode(err) ?? '')) {
      return { status: 'not_in_channel', message: inviteText(data.channel) };
    }
    // Rate limited past the retries, Slack down…: the worker posts the parent instead; the question is not lost.
    log.warn({ err }, 'could not post the queued parent; the worker will post it');
  }
  const payload = parent_ts ? { ...data, parent_ts } : data;
  const landing = await enqueueReliably(d.queue, d.redis, jobId, () => enqueueCommand(d.queue, payload, jobId), {
    ...d,
    logger: log,
  });
  if (landing === 'landed') return { status: 'queued', jobId, parent_ts };
  if (landing === 'unknown') return { status: 'unknown', jobId };
  if (!parent_ts) return { status: 'abandoned', jobId, told: false };
  // Nothing will run: say so where the answer would have appeared (the thread first, then the parent).
  const thread_ts = data.thread_ts ?? parent_ts;
  const reply = failureMessage(`Your question was ${ABANDONED_DETAIL}.`);
  const told = await slack.chat
    .postMessage({ channel: data.channel, thread_ts, text: reply.text, blocks: reply.blocks })
    .then(() => true)
    .catch((err: unknown) => {
      log.warn({ err }, 'could not post the ask-again reply');
      return false;
    });
  const msg = view('failed', ABANDONED_DETAIL);
  await slack.chat
    .update({ channel: data.channel, ts: parent_ts, text: msg.text, blocks: msg.blocks })
    .catch((err: unknown) => log.warn({ err }, 'could not mark the parent as not queued'));
  return { status: 'abandoned', jobId, told };
}

/** Rejects when `p` has not settled within `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
