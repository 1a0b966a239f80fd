/**
 * The slash command listener: decide, ack (ephemeral) within Slack's 3 s, then enqueue. Registered for any command
 * name because Slack only sends this app's own commands here, and admins may name it `/egress-prod` or similar.
 */
import { performance } from 'node:perf_hooks';
import type { App } from '@slack/bolt';
import { QUEUE_UNSURE_TEXT } from './ack-text.js';
import { type IntakeDeps, intake } from './intake.js';
import { requestMeta } from './request-meta.js';

/** Registers the `/egress` handler on the app. */
export function registerSlashCommand(app: App, d: IntakeDeps): void {
  app.command(/.*/, async ({ command, ack, respond, context }) => {
    const { requestId, receivedAt } = requestMeta(context);
    const log = d.logger.child({ requestId, source: 'slash' });
    const result = await intake(d, {
      text: command.text ?? '',
      user: command.user_id,
      channel: command.channel_id,
      source: 'slash',
      response_url: command.response_url,
      requestId,
      jobId: command.trigger_id ? `trigger-${command.trigger_id}` : undefined,
    });
    await ack({ response_type: 'ephemeral', text: result.reply.text, blocks: result.reply.blocks });
    d.metrics.ackLatency.observe({ kind: 'slash' }, (performance.now() - receivedAt) / 1000);
    log.info({ outcome: result.outcome, command: result.command?.name }, 'slash command acknowledged');
    if (!result.enqueue) return;
    try {
      log.info({ jobId: await result.enqueue() }, 'command queued');
    } catch (err) {
      log.error({ err }, 'enqueue failed after ack');
      d.metrics.commands.inc({ command: result.command?.name ?? 'invalid', outcome: 'queue_error' });
      await respond({ response_type: 'ephemeral', replace_original: false, text: QUEUE_UNSURE_TEXT }).catch(
        // Only the message: the HTTP client's error carries the response_url, which must not reach the logs.
        (e: unknown) => log.error({ err: (e as Error).message }, 'could not tell the user via response_url'),
      );
    }
  });
}
