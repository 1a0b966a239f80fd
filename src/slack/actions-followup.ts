/**
 * The follow-up buttons of answer threads ("what else does this workload reach", "who else talks to this"): a click is
 * a command typed in that thread. Its text (the button's value) goes through the same intake as typed text — strict
 * parse, authorization and rate limit, the same audit line — and queues the same command job, answered in the same
 * thread. Nothing slow happens before the ack.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { jobIdFor } from '../queue/queue.js';
import { FOLLOWUP_ACTION_PREFIX } from '../render/blocks-followup.js';
import { replyOrEnqueue } from './enqueue-outcome.js';
import { type IntakeDeps, intake } from './intake.js';
import { requestMeta } from './request-meta.js';

const ACTION = new RegExp(`^${FOLLOWUP_ACTION_PREFIX}\\d+$`);

/** Registers the follow-up button listener on the app. */
export function registerFollowupActions(app: App, d: IntakeDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION, async ({ ack, body, action, client, context }) => {
    await ack();
    const { requestId } = requestMeta(context);
    const logger = d.logger.child({ via: 'followup-button' });
    const log = logger.child({ requestId });
    const channel = body.channel?.id;
    const message = body.message;
    const user = body.user.id;
    if (!channel || !message) {
      log.warn({ actionId: action.action_id }, 'follow-up button without channel/message; ignored');
      return;
    }
    // The button sits in a reply of the answer's thread: the new answer goes into that thread.
    const thread_ts = typeof message.thread_ts === 'string' ? message.thread_ts : message.ts;
    const result = await intake(
      { ...d, logger },
      {
        // In a thread, answers come back the way a mention's do.
        source: 'mention',
        text: action.value ?? '',
        user,
        channel,
        thread_ts,
        requestId,
        // The trigger id is unique per click: a redelivered payload queues nothing more.
        jobId: body.trigger_id ? jobIdFor('trigger', body.trigger_id) : undefined,
      },
    );
    const whisper = (text: string) =>
      client.chat
        .postEphemeral({ channel, user, thread_ts, text })
        .catch((err: unknown) => log.warn({ err }, 'could not post ephemeral reply'));
    log.info({ outcome: result.outcome, command: result.command?.name }, 'follow-up button handled');
    await replyOrEnqueue(result, client, { log, metrics: d.metrics, whisper });
  });
}
