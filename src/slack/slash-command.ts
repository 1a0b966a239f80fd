/**
 * The slash command listener: decide, ack (ephemeral) within Slack's 3 s, then post the ⏳ queued parent and enqueue. Registered for any command
 * name because Slack only sends this app's own commands here, and admins may name it `/egress-prod` or similar.
 */
import { performance } from 'node:perf_hooks';
import type { App } from '@slack/bolt';
import { jobIdFor } from '../queue/queue.js';
import { reportEnqueued } from './enqueue-outcome.js';
import { type IntakeDeps, intake } from './intake.js';
import { requestMeta } from './request-meta.js';

/** Registers the `/egress` handler on the app. */
export function registerSlashCommand(app: App, d: IntakeDeps): void {
  app.command(/.*/, async ({ command, ack, respond, client, context }) => {
    const { requestId, receivedAt } = requestMeta(context);
    const log = d.logger.child({ requestId, source: 'slash' });
    const result = await intake(d, {
      text: command.text ?? '',
      user: command.user_id,
      channel: command.channel_id,
      source: 'slash',
      response_url: command.response_url,
      requestId,
      jobId: command.trigger_id ? jobIdFor('trigger', command.trigger_id) : undefined,
    });
    await ack({ response_type: 'ephemeral', text: result.reply.text, blocks: result.reply.blocks });
    d.metrics.ackLatency.observe({ kind: 'slash' }, (performance.now() - receivedAt) / 1000);
    log.info({ outcome: result.outcome, command: result.command?.name }, 'slash command acknowledged');
    const { enqueue } = result;
    if (!enqueue) return;
    const tell = (text: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, text }).catch(
        // The logger's err serializer keeps type, message, code and stack only: the HTTP client's error also carries
        // the response_url, which must not reach the logs.
        (err: unknown) => log.error({ err }, 'could not tell the user via response_url'),
      );
    // After the ack, never before: posting the parent is a Slack round trip.
    await reportEnqueued(() => enqueue(client), { log, metrics: d.metrics, command: result.command?.name ?? '', tell });
  });
}
