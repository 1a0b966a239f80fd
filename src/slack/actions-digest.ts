/**
 * The digest's finding buttons (Triage, Mark expected, Widen to 30d, CSV): ack at once, authorize, write the audit
 * line, queue the work. Nothing slow happens before the ack; the digest worker does the rest and updates the message.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Queue } from 'bullmq';
import type { Logger } from '../logger.js';
import type { ActionJob, DigestJobData } from '../queue/digest-jobs.js';
import { ENQUEUE_DEFAULTS, enqueueReliably } from '../queue/enqueue-reliably.js';
import type { Redis } from '../redis.js';
import { DIGEST_ACTIONS, type DigestAction } from '../render/digest-blocks.js';
import { ACTION_ABANDONED_TEXT, QUEUE_UNSURE_TEXT } from './ack-text.js';
import type { Authorizer } from './authorize.js';
import { requestMeta } from './request-meta.js';

/** What the listener needs. */
export interface DigestActionDeps {
  queue: Queue<DigestJobData>;
  /** The connection of the queue's fate keys (see queue/fate.ts). */
  redis: Redis;
  /** Aborted when the receiver's shutdown grace is over: an enqueue still waiting on Redis gives up and reports. */
  stopping?: AbortSignal;
  /** Enqueue retry tuning (tests shorten it). */
  enqueue?: Partial<typeof ENQUEUE_DEFAULTS>;
  logger: Logger;
  /** Channel/user allowlists, as for commands. */
  authorizer: Pick<Authorizer, 'allow'>;
  /** Channels allowed besides the allowlist (the digest channel). */
  alsoChannels: readonly string[];
  /** Epoch seconds. */
  clock: () => number;
}

const BY_ID = new Map<string, DigestAction>(Object.entries(DIGEST_ACTIONS).map(([k, v]) => [v, k as DigestAction]));

/** Registers the button listener on the app. */
export function registerDigestActions(app: App, d: DigestActionDeps): void {
  app.action<BlockAction<ButtonAction>>(
    /^digest_(triage|mark|widen|csv)$/,
    async ({ ack, body, action, client, context }) => {
      await ack();
      const { requestId } = requestMeta(context);
      const log = d.logger.child({ requestId, source: 'digest-button' });
      const channel = body.channel?.id;
      const ts = body.message?.ts;
      const user = body.user.id;
      const kind = BY_ID.get(action.action_id);
      if (!channel || !ts || !kind) {
        log.warn({ actionId: action.action_id }, 'digest button without channel/message; ignored');
        return;
      }
      const allowed = await d.authorizer
        .allow(user, channel, d.alsoChannels)
        .catch(() => ({ ok: false as const, message: 'authorization check failed' }));
      log.info(
        {
          audit: 'digest_action',
          user,
          channel,
          action: kind,
          finding: action.value,
          message: ts,
          decision: allowed.ok ? 'allow' : 'deny',
        },
        `digest action ${kind} ${allowed.ok ? 'allowed' : 'denied'}`,
      );
      const whisper = (text: string) =>
        client.chat
          .postEphemeral({ channel, user, text })
          .catch((err: unknown) => log.warn({ err }, 'could not post ephemeral'));
      if (!allowed.ok) {
        await whisper(`⛔ ${'message' in allowed ? allowed.message : 'not allowed'}`);
        return;
      }
      const data: ActionJob = {
        kind: 'action',
        action: kind,
        channel,
        ts,
        findingId: action.value ?? '',
        user,
        requestId,
        at: d.clock(),
      };
      try {
        // The trigger id is unique per click: a redelivered payload adds nothing. As for commands, the add is retried
        // until it is known to have landed or known not to have (then the worker never runs it): one answer or one
        // "click again", never both.
        const jobId = `act-${(body.trigger_id ?? requestId).replace(/[^A-Za-z0-9._-]/g, '_')}`;
        const landing = await enqueueReliably(d.queue, d.redis, jobId, () => d.queue.add('action', data, { jobId }), {
          ...ENQUEUE_DEFAULTS,
          ...d.enqueue,
          signal: d.stopping,
          logger: log,
        });
        if (landing === 'abandoned') await whisper(ACTION_ABANDONED_TEXT);
        if (landing === 'unknown')
          log.error({ jobId }, 'stopped before Redis confirmed the enqueue; it runs only if it landed');
      } catch (err) {
        log.error({ err }, 'could not queue the digest action');
        await whisper(QUEUE_UNSURE_TEXT);
      }
    },
  );
}
