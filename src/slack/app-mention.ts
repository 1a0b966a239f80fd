/**
 * `@egress who 1.2.3.4 last 30d` in a channel or thread: the answer goes into that thread, which is how on-call triage
 * continues where it started. Events API retries (`X-Slack-Retry-Num`) are dropped by event id before anything
 * happens (before the ⏳ queued parent is posted), and the job id is the event id as a second guard.
 */
import type { App } from '@slack/bolt';
import { jobIdFor } from '../queue/queue.js';
import type { BlockMessage } from '../render/blocks.js';
import { replyOrEnqueue } from './enqueue-outcome.js';
import { type IntakeDeps, intake } from './intake.js';
import { requestMeta } from './request-meta.js';

export interface MentionDeps extends IntakeDeps {
  /** Key prefix for the seen-event markers (the queue name). */
  prefix: string;
}

/** How long an event id is remembered; Slack retries within minutes. */
const SEEN_TTL_SECONDS = 3_600;

/** Removes user mentions (the bot's own, and any before the command) so the parser sees only the command. */
export function mentionText(text: string): string {
  return text.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' ').trim();
}

/** Registers the `app_mention` handler. */
export function registerAppMention(app: App, d: MentionDeps): void {
  app.event('app_mention', async ({ event, body, client, context }) => {
    const { requestId } = requestMeta(context);
    const log = d.logger.child({ requestId, source: 'mention', eventId: body.event_id });
    // Bots mentioning the bot (including itself) would loop.
    if ('bot_id' in event && event.bot_id) return;
    if (!event.user) return;
    const first = await d.redis
      .set(`${d.prefix}:event:${body.event_id}`, '1', 'EX', SEEN_TTL_SECONDS, 'NX')
      .catch(() => 'OK');
    if (first !== 'OK') {
      log.info({ retryNum: context.retryNum }, 'duplicate event delivery ignored');
      return;
    }
    const thread_ts = event.thread_ts ?? event.ts;
    const result = await intake(d, {
      text: mentionText(event.text),
      user: event.user,
      channel: event.channel,
      source: 'mention',
      thread_ts,
      requestId,
      jobId: jobIdFor('event', body.event_id),
    });
    const whisper = (text: string, blocks: BlockMessage['blocks'] = []) =>
      client.chat
        .postEphemeral({ channel: event.channel, user: event.user as string, thread_ts, text, blocks })
        .catch((err: unknown) => log.warn({ err }, 'could not post ephemeral reply'));
    log.info({ outcome: result.outcome, command: result.command?.name }, 'mention handled');
    await replyOrEnqueue(result, client, { log, metrics: d.metrics, whisper });
  });
}
