/**
 * Posting an answer to Slack, idempotently: the parent message is posted once and its `ts` saved in the job
 * (`job.updateData`), so a retried job updates that message instead of posting a second; thread replies are counted
 * the same way, so a retry continues after the last one posted. 429s are absorbed by the WebClient's retry config.
 */
import type { WebClient } from '@slack/web-api';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { BlockMessage } from '../render/blocks.js';
import { inviteText, NOT_IN_CHANNEL_ERRORS, slackErrorCode } from './slack-client.js';

/** A thread reply: a message, or a file (the full CSV). */
export type Reply =
  | { kind: 'message'; message: BlockMessage }
  | { kind: 'file'; filename: string; title: string; content: string; comment: string };

/** Where an answer goes and what of it is already posted: the part of a job's data the poster reads. */
export interface PostTarget {
  channel: string;
  user: string;
  /** Answer inside this thread; otherwise the parent is a new channel message. */
  thread_ts?: string;
  /** Slash commands' ephemeral reply URL (never logged). */
  response_url?: string;
  /** The parent message, once posted. */
  parent_ts?: string;
  /** Thread replies already posted by an earlier attempt. */
  repliesPosted?: number;
}

/** The job as the poster sees it: its data and a way to persist progress into it. */
export interface PostingJob {
  readonly data: PostTarget;
  save(patch: Pick<PostTarget, 'parent_ts'> | Pick<PostTarget, 'repliesPosted'>): Promise<void>;
}

const GONE = new Set(['message_not_found', 'cant_update_message']);

/** Posts and updates one job's parent message and its thread. */
export class AnswerPoster {
  private chain: Promise<void> = Promise.resolve();
  private final = false;

  constructor(
    private readonly client: WebClient,
    private readonly job: PostingJob,
    private readonly logger: Logger,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  /**
   * Shows `msg` as the parent: posts it the first time, updates it after. Calls are serialized, and once a final
   * state (done/failed) is shown, later non-final updates (slow progress callbacks) are dropped.
   */
  showParent(msg: BlockMessage, final = false): Promise<void> {
    const next = this.chain.then(async () => {
      if (this.final && !final) return;
      if (final) this.final = true;
      await this.putParent(msg);
    });
    // The chain must survive one failed call; the caller still sees the failure through `next`.
    this.chain = next.catch(() => {});
    return next;
  }

  /**
   * Posts the replies not yet posted by an earlier attempt, recording each one in the job. Stops before the next
   * reply once `signal` aborts (the job's lock was lost: another worker is running it; or the shutdown grace is over).
   */
  async postReplies(replies: readonly Reply[], signal?: AbortSignal): Promise<void> {
    const { data } = this.job;
    const thread_ts = this.threadTs();
    for (let i = data.repliesPosted ?? 0; i < replies.length; i++) {
      signal?.throwIfAborted();
      const r = replies[i] as Reply;
      if (r.kind === 'message') {
        await this.client.chat.postMessage({
          channel: data.channel,
          thread_ts,
          text: r.message.text,
          blocks: r.message.blocks,
        });
      } else {
        const file = {
          file: Buffer.from(r.content, 'utf8'),
          filename: r.filename,
          title: r.title,
          initial_comment: r.comment,
        };
        await this.client.files.uploadV2(
          thread_ts ? { ...file, channel_id: data.channel, thread_ts } : { ...file, channel_id: data.channel },
        );
      }
      await this.job.save({ repliesPosted: i + 1 });
    }
  }

  /** Posts a failure reply in the thread; without a parent or thread, tells the asker privately instead. */
  async postFailure(msg: BlockMessage): Promise<void> {
    const thread_ts = this.threadTs();
    if (!thread_ts) return this.tellUser(msg.text);
    await this.client.chat.postMessage({
      channel: this.job.data.channel,
      thread_ts,
      text: msg.text,
      blocks: msg.blocks,
    });
  }

  /** Tells only the asker: through the slash command's `response_url`, else as an ephemeral in the channel. */
  async tellUser(text: string): Promise<void> {
    const { data } = this.job;
    try {
      if (data.response_url) {
        const res = await this.fetchFn(data.response_url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
          signal: AbortSignal.timeout(10_000),
        });
        if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
      } else {
        await this.client.chat.postEphemeral({
          channel: data.channel,
          user: data.user,
          thread_ts: data.thread_ts,
          text,
        });
      }
    } catch (err) {
      // Only the message: an HTTP error object may carry the response_url, which must not reach the logs.
      this.logger.error({ err }, 'could not tell the user');
    }
  }

  /** Replies go under the parent (slash) or into the thread the mention came from. */
  private threadTs(): string | undefined {
    return this.job.data.thread_ts ?? this.job.data.parent_ts;
  }

  private async putParent(msg: BlockMessage): Promise<void> {
    const { data } = this.job;
    if (data.parent_ts) {
      try {
        await this.client.chat.update({
          channel: data.channel,
          ts: data.parent_ts,
          text: msg.text,
          blocks: msg.blocks,
        });
        return;
      } catch (err) {
        // Someone deleted the parent: post a fresh one rather than lose the answer.
        if (!GONE.has(slackErrorCode(err) ?? '')) throw err;
        this.logger.warn({ ts: data.parent_ts }, 'parent message gone; posting a new one');
      }
    }
    try {
      const res = await this.client.chat.postMessage({
        channel: data.channel,
        thread_ts: data.thread_ts,
        text: msg.text,
        blocks: msg.blocks,
      });
      await this.job.save({ parent_ts: res.ts as string });
    } catch (err) {
      if (NOT_IN_CHANNEL_ERRORS.has(slackErrorCode(err) ?? ''))
        throw new UserError('SLACK_NOT_IN_CHANNEL', inviteText(data.channel));
      throw err;
    }
  }
}
