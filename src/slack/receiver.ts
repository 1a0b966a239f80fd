/**
 * The receiving side wired together: the Bolt app with the slash-command and mention listeners, sharing one
 * authorizer (allowlists, user groups, rate limit) and the command queue.
 */
import type { Queue } from 'bullmq';
import type { Deps } from '../main.js';
import { botMetrics } from '../metrics.js';
import type { CommandJobData } from '../queue/queue.js';
import type { Redis } from '../redis.js';
import type { OpsRoute } from '../server/routes.js';
import { createSlackApp, type SlackApp } from './app.js';
import { registerAppMention } from './app-mention.js';
import { Authorizer } from './authorize.js';
import type { IntakeDeps } from './intake.js';
import { registerSlashCommand } from './slash-command.js';

export interface ReceiverOptions {
  queue: Queue<CommandJobData>;
  /** The receiver's Redis connection (rate limits, seen events). */
  redis: Redis;
  /** Prefix for the receiver's Redis keys (the queue name). */
  prefix: string;
  /** Epoch seconds: stamps `requestedAt`. */
  clock: () => number;
  /** `/healthz` and `/metrics`, served beside `/slack/events` in HTTP mode. */
  routes: OpsRoute[];
}

/** Builds the Bolt app with its listeners registered; the caller starts it. */
export function buildReceiver(deps: Deps, o: ReceiverOptions): SlackApp {
  const { config, logger } = deps;
  const slack = createSlackApp({ config, logger, routes: o.routes });
  const intakeDeps: IntakeDeps = {
    logger,
    metrics: botMetrics(deps.metrics),
    queue: o.queue,
    clock: o.clock,
    parse: { maxWindowSeconds: config.EGRESS_MAX_WINDOW, classifier: deps.classifier },
    authorizer: new Authorizer({
      channels: config.EGRESS_ALLOWED_CHANNELS,
      users: config.EGRESS_ALLOWED_USERS,
      perMinute: config.EGRESS_RATE_LIMIT_PER_MIN,
      redis: o.redis,
      prefix: o.prefix,
      client: slack.app.client,
      clock: o.clock,
    }),
  };
  registerSlashCommand(slack.app, intakeDeps);
  registerAppMention(slack.app, { ...intakeDeps, redis: o.redis, prefix: o.prefix });
  slack.app.error(async (err) => {
    logger.error({ err }, 'unhandled error in a Slack listener');
  });
  return slack;
}
