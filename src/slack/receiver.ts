/**
 * The receiving side wired together, in one place: the Bolt app with the slash-command and mention listeners,
 * sharing one authorizer (allowlists, user groups, rate limit) and the command queue. Its stop waits for the work
 * listeners started after their acks (parent message, enqueue), within `EGRESS_SHUTDOWN_GRACE`.
 */
import type { Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { AddressClassifier } from '../flowlogs/classify.js';
import type { Logger } from '../logger.js';
import { botMetrics } from '../metrics.js';
import type { OpsRoute } from '../ops-routes.js';
import type { CommandJobData } from '../queue/queue.js';
import type { Redis } from '../redis.js';
import { registerFollowupActions } from './actions-followup.js';
import { createSlackApp, type SlackApp } from './app.js';
import { registerAppMention } from './app-mention.js';
import type { Authorizer } from './authorize.js';
import { InFlight } from './in-flight.js';
import type { IntakeDeps } from './intake.js';
import { registerSlashCommand } from './slash-command.js';

export interface ReceiverOptions {
  config: Config;
  logger: Logger;
  metrics: Registry;
  classifier: AddressClassifier;
  /** Epoch seconds: stamps `requestedAt` (the command's `now`). */
  clock: () => number;
  authorizer: Authorizer;
  queue: Queue<CommandJobData>;
  /** The receiver's Redis connection (seen events of mentions). */
  redis: Redis;
  /** `/healthz` and `/metrics`, served beside `/slack/events` in HTTP mode. */
  routes: OpsRoute[];
  /** Enqueue retry tuning (tests shorten it). */
  enqueue?: IntakeDeps['enqueue'];
}

/** Builds the Bolt app with its listeners registered; the caller starts it. */
export function buildReceiver(o: ReceiverOptions): SlackApp {
  const { config, logger } = o;
  const slack = createSlackApp({ config, logger, routes: o.routes });
  // First, so that every listener's run — the work after its ack included — is waited for by stop().
  const inFlight = new InFlight();
  slack.app.use(inFlight.middleware());
  const intakeDeps: IntakeDeps = {
    logger,
    metrics: botMetrics(o.metrics),
    queue: o.queue,
    redis: o.redis,
    clock: o.clock,
    parse: { maxWindowSeconds: config.EGRESS_MAX_WINDOW, classifier: o.classifier },
    authorizer: o.authorizer,
    enqueue: o.enqueue,
    stopping: inFlight.signal,
  };
  registerSlashCommand(slack.app, intakeDeps);
  registerAppMention(slack.app, { ...intakeDeps, prefix: o.queue.name });
  registerFollowupActions(slack.app, intakeDeps);
  slack.app.error(async (err) => {
    logger.error({ err }, 'unhandled error in a Slack listener');
  });
  return drainingStop(slack, inFlight, config.EGRESS_SHUTDOWN_GRACE * 1000, logger);
}

/** Stop receiving, then wait (within the grace) for the work already started, before the queue and Redis close. */
function drainingStop(slack: SlackApp, inFlight: InFlight, graceMs: number, logger: Logger): SlackApp {
  return {
    ...slack,
    stopping: inFlight.signal,
    async stop() {
      await slack.stop();
      if (inFlight.size) logger.info({ inFlight: inFlight.size }, 'waiting for work started after acks');
      const left = await inFlight.drain(graceMs);
      if (left) logger.error({ left, graceMs }, 'shutdown grace over with work after acks unfinished');
    },
  };
}
