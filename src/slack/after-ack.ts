/**
 * What runs right after the ack of an accepted command: post the parent message in its ⏳ queued state, then enqueue
 * the job with the parent's `ts`, so the worker updates that same message in place (querying → done/failed) and
 * replies in its thread. A delivery whose job already exists posts nothing; a channel the bot cannot post in queues
 * nothing; any other Slack failure still queues the job (without a parent, which the worker then posts).
 */
import type { Queue } from 'bullmq';
import type { Logger } from '../logger.js';
import { inviteText, NOT_IN_CHANNEL_ERRORS, slackErrorCode } from '../post/slack-client.js';
import { type CommandJobData, enqueueCommand } from '../queue/queue.js';
import { type BlockMessage, parentMessage } from '../render/blocks.js';

/** The two Web API methods needed here (structural: Bolt's client and ours come from different package versions). */
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
  | { status: 'not_in_channel'; message: string };

export interface AfterAckDeps {
  queue: Queue<CommandJobData>;
  logger: Logger;
  /** Longest wait for each Redis call. */
  timeoutMs: number;
}

/** Posts the ⏳ queued parent and enqueues the job carrying its ts. Rejects only when Redis fails. */
export async function postQueuedAndEnqueue(
  d: AfterAckDeps,
  slack: ChatWriter,
  data: CommandJobData,
  jobId?: string,
): Promise<Enqueued> {
  // Deduplicate before posting anything, so a redelivery never shows a second parent.
  if (jobId && (await withTimeout(d.queue.getJob(jobId), d.timeoutMs))) return { status: 'duplicate', jobId };
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
    d.logger.warn({ err }, 'could not post the queued parent; the worker will post it');
  }
  try {
    const id = await withTimeout(
      enqueueCommand(d.queue, parent_ts ? { ...data, parent_ts } : data, jobId),
      d.timeoutMs,
    );
    return { status: 'queued', jobId: id, parent_ts };
  } catch (err) {
    // The job may or may not have reached Redis: never leave the parent saying "queued" with nothing behind it.
    // If the job did get in, the worker overwrites this with its own states.
    if (parent_ts) {
      const msg = view('failed', 'could not confirm it was queued; ask again if no answer appears within a minute');
      await slack.chat
        .update({ channel: data.channel, ts: parent_ts, text: msg.text, blocks: msg.blocks })
        .catch((e: unknown) => d.logger.warn({ err: e }, 'could not mark the parent as failed'));
    }
    throw err;
  }
}

/** Rejects when `p` has not settled within `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
