/**
 * Starts what `egress serve` runs on the process's {@link Deps}: the Slack receiver (HTTP or Socket Mode), the command
 * worker, or both, the digest, and `/healthz` + `/metrics`. Every part registers its stop with the deps, so one
 * `deps.close()` stops them in the order that loses nothing: stop receiving → drain the worker → close the clients →
 * close the connections.
 */
import type { Queue } from 'bullmq';
import type { Deps } from '../main.js';
import { botMetrics } from '../metrics.js';
import { opsRoutes } from '../ops-routes.js';
import { startOpsServer } from '../ops-server.js';
import { claimJob } from '../queue/fate.js';
import { commandProcessor } from '../queue/process-job.js';
import type { CommandJobData } from '../queue/queue.js';
import type { CommandWorker } from '../queue/worker.js';
import type { SlackApp } from '../slack/app.js';
import { buildReceiver, type ReceiverOptions } from '../slack/receiver.js';
import { startDigest } from './digest.js';

/** What to run and the seams tests use. */
export interface BotOptions {
  /** Run the Slack receiver (default true). */
  receiver?: boolean;
  /** Run the command worker (default true). */
  worker?: boolean;
  /** HTTP port (default `PORT`; 0 = any free port). */
  port?: number;
  host?: string;
  /** Queue name (default `EGRESS_QUEUE`); tests use one per test. */
  queueName?: string;
  /** Rows shown inline before the CSV (default 25). */
  maxRows?: number;
  /** Worker lock/stall timings (ms), shortened by tests (default `EGRESS_LOCK_DURATION`, `EGRESS_STALLED_INTERVAL`). */
  lockDuration?: number;
  stalledInterval?: number;
  /** How long the receiver retries an enqueue after the ack, and how often (tests shorten it). */
  enqueue?: ReceiverOptions['enqueue'];
}

/** A running bot. */
export interface Bot {
  /** Port of the HTTP server (receiver or ops server), when one listens. */
  port?: number;
  queue: Queue<CommandJobData>;
  worker?: CommandWorker;
  slack?: SlackApp;
  /** Graceful stop of everything on the deps (the same as `deps.close()`). */
  stop(): Promise<void>;
}

/** Starts the receiver and/or the worker on `deps`. */
export async function startBot(deps: Deps, o: BotOptions = {}): Promise<Bot> {
  const { config, logger } = deps;
  const queueName = o.queueName ?? config.EGRESS_QUEUE;
  const metrics = botMetrics(deps.metrics);
  try {
    const redis = await deps.redis();
    const queue = await deps.commandQueue(queueName);
    deps.healthChecks.push({
      name: 'redis',
      check: async () => ({
        ok: (await redis.ping()) === 'PONG',
        detail: `ping ${config.REDIS_URL.replace(/\/\/[^@]*@/, '//')}`,
      }),
    });
    const removeDepth = metrics.addDepthSource(() => queue.getJobCounts('waiting', 'active', 'delayed', 'failed'));
    deps.onClose('entry', 'queue-depth', async () => removeDepth());

    let worker: CommandWorker | undefined;
    if (o.worker !== false) {
      const processor = commandProcessor({
        context: deps.context,
        logger,
        metrics: deps.metrics,
        client: await deps.slackClient(),
        jobTimeoutMs: config.EGRESS_JOB_TIMEOUT * 1000,
        maxRows: o.maxRows,
        claim: (jobId) => claimJob(redis, queueName, jobId),
      });
      const w = await deps.commandWorker(processor, {
        queueName,
        lockDuration: o.lockDuration,
        stalledInterval: o.stalledInterval,
      });
      worker = w;
      // Objects that appear in the mirror are converted into the columnar store before chat questions need them.
      if (deps.engineKind === 'duckdb') {
        const { startStoreWarmer } = await import('../engine/store-warm.js');
        const stop = deps.engine().then(
          (engine) => startStoreWarmer(engine, config, logger),
          (err: unknown) => {
            logger.warn({ err }, 'no columnar-store warm-up');
            return async () => {};
          },
        );
        deps.onClose('workers', 'store-warmer', async () => (await stop)());
      }
      deps.healthChecks.push({
        name: 'worker',
        check: async () => ({ ok: w.running(), detail: w.running() ? 'running' : 'stopped' }),
      });
    }
    const routes = opsRoutes(deps.metrics, deps.healthChecks);
    const slack =
      o.receiver !== false
        ? buildReceiver({
            config,
            logger,
            metrics: deps.metrics,
            classifier: deps.classifier,
            clock: deps.clock,
            authorizer: await deps.authorizer(),
            queue,
            redis,
            routes,
            enqueue: o.enqueue,
          })
        : undefined;
    // The digest registers its button listeners on the app, so it starts before the app listens. Without a worker it
    // only schedules (another process builds); without EGRESS_DIGEST_CHANNEL only buttons are served.
    await startDigest(deps, {
      app: slack?.app,
      stopping: slack?.stopping,
      enqueue: o.enqueue,
      worker: o.worker !== false,
    });
    const wantPort = o.port ?? config.PORT;
    let port: number | undefined;
    if (slack) {
      port = await slack.start(wantPort, o.host);
      deps.onClose('entry', 'receiver', () =>
        slack.stop().catch((err: unknown) => logger.warn({ err }, 'receiver stop failed')),
      );
    }
    if (!slack || slack.mode === 'socket') {
      const ops = await startOpsServer(routes, wantPort, o.host);
      // With the clients, not the receivers: the probes keep answering while the worker drains.
      deps.onClose('clients', 'ops-server', () => ops.close());
      port = ops.port;
    }
    logger.info(
      { port, receiver: slack?.mode ?? 'off', worker: Boolean(worker), queue: queueName },
      'egress bot started',
    );
    return { port, queue, worker, slack, stop: () => deps.close() };
  } catch (err) {
    // A bad token or a taken port: release what already started, so the process can exit.
    await deps.close();
    throw err;
  }
}
