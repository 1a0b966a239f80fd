/**
 * The receiving side wired together, in one place: the Bolt app with the slash-command and mention listeners,
 * sharing one authorizer (allowlists, user groups, rate limit) and the command queue.
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
}

/** Builds the Bolt app with its listeners registered; the caller starts it. */
export function buildReceiver(o: ReceiverOptions): SlackApp {
  const { config, logger } = o;
  const slack = createSlackApp({ config, logger, routes: o.routes });
  const intakeDeps: IntakeDeps = {
    logger,
    metrics: botMetrics(o.metrics),
    queue: o.queue,
    clock: o.clock,
    parse: { maxWindowSeconds: config.EGRESS_MAX_WINDOW, classifier: o.classifier },
    authorizer: o.authorizer,
  };
  registerSlashCommand(slack.app, intakeDeps);
  registerAppMention(slack.app, { ...intakeDeps, redis: o.redis, prefix: o.queue.name });
  registerFollowupActions(slack.app, intakeDeps);
  slack.app.error(async (err) => {
    logger.error({ err }, 'unhandled error in a Slack listener');
  });
  return slack;
}
