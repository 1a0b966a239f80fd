/**
 * Starts what `egress serve` runs: the Slack receiver (HTTP or Socket Mode), the command worker, or both, with
 * `/healthz` and `/metrics`, and stops them in the order that loses nothing (stop receiving → drain the worker →
 * close connections).
 */
import type { WebClient } from '@slack/web-api';
import type { Queue } from 'bullmq';
import { type DigestService, startDigest } from '../digest/service.js';
import type { Deps } from '../main.js';
import { botMetrics } from '../metrics.js';
import { commandProcessor } from '../queue/process-job.js';
import { type CommandJobData, createCommandQueue } from '../queue/queue.js';
import { type CommandWorker, startCommandWorker } from '../queue/worker.js';
import { createRedis } from '../redis.js';
import type { SlackApp } from '../slack/app.js';
import { createSlackClient } from '../slack/client.js';
import { buildReceiver } from '../slack/receiver.js';
import { type OpsServer, opsRoutes, startOpsServer } from './routes.js';

/** What to run and the seams tests use. */
export interface BotOptions {
  /** Run the Slack receiver (default true). */
  receiver?: boolean;
  /** Run the command worker (default true). */
  worker?: boolean;
  /** HTTP port (default `PORT`; 0 = any free port). */
  port?: number;
  host?: string;
  /** Epoch seconds; stamps each request's `requestedAt` (the command's `now`). Default: the system clock. */
  clock?: () => number;
  /** Queue name (default `EGRESS_QUEUE`); tests use one per test. */
  queueName?: string;
  /** The worker's Slack client (default: from config). */
  client?: WebClient;
  /** Rows shown inline before the CSV (default 25). */
  maxRows?: number;
  /** Worker lock/stall timings (ms), shortened by tests. */
  lockDuration?: number;
  stalledInterval?: number;
}

/** A running bot. */
export interface Bot {
  /** Port of the HTTP server (receiver or ops server), when one listens. */
  port?: number;
  queue: Queue<CommandJobData>;
  worker?: CommandWorker;
  slack?: SlackApp;
  /** Graceful stop: stop receiving, let jobs finish within `EGRESS_SHUTDOWN_GRACE`, close connections. */
  stop(): Promise<void>;
}

/** Starts the receiver and/or the worker on `deps`. */
export async function startBot(deps: Deps, o: BotOptions = {}): Promise<Bot> {
  const { config, logger } = deps;
  const queueName = o.queueName ?? config.EGRESS_QUEUE;
  const clock = o.clock ?? (() => Math.floor(Date.now() / 1000));
  const metrics = botMetrics(deps.metrics);
  const redis = createRedis(config.REDIS_URL);
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  const queue = createCommandQueue(queueName, redis);
  queue.on('error', (err) => logger.warn({ err: err.message }, 'queue error'));
  const checks = [
    {
      name: 'redis',
      check: async () => ({
        ok: (await redis.ping()) === 'PONG',
        detail: `ping ${config.REDIS_URL.replace(/\/\/[^@]*@/, '//')}`,
      }),
    },
  ];
  const removeDepth = metrics.addDepthSource(() => queue.getJobCounts('waiting', 'active', 'delayed', 'failed'));

  let worker: CommandWorker | undefined;
  let workerConn: ReturnType<typeof createRedis> | undefined;
  if (o.worker !== false) {
    workerConn = createRedis(config.REDIS_URL, { forWorker: true });
    const processor = commandProcessor({
      deps,
      client: o.client ?? createSlackClient(config, logger),
      jobTimeoutMs: config.EGRESS_JOB_TIMEOUT * 1000,
      maxRows: o.maxRows,
    });
    const w = startCommandWorker({
      queueName,
      connection: workerConn,
      processor,
      concurrency: config.EGRESS_WORKER_CONCURRENCY,
      logger,
      lockDuration: o.lockDuration,
      stalledInterval: o.stalledInterval,
    });
    worker = w;
    checks.push({
      name: 'worker',
      check: async () => ({ ok: w.running(), detail: w.running() ? 'running' : 'stopped' }),
    });
  }
  deps.healthChecks.push(...checks);
  const routes = opsRoutes(deps.metrics, deps.healthChecks);

  let slack: SlackApp | undefined;
  let ops: OpsServer | undefined;
  let digest: DigestService | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info('stopping: no new requests; draining in-flight jobs');
      await slack?.stop().catch((err: unknown) => logger.warn({ err }, 'receiver stop failed'));
      await worker?.close(config.EGRESS_SHUTDOWN_GRACE * 1000);
      await digest?.stop().catch((err: unknown) => logger.warn({ err }, 'digest stop failed'));
      await ops?.close();
      removeDepth();
      for (const c of checks) deps.healthChecks.splice(deps.healthChecks.indexOf(c), 1);
      await queue.close().catch(() => {});
      await Promise.all([
        redis.quit().catch(() => redis.disconnect()),
        workerConn?.quit().catch(() => workerConn?.disconnect()),
      ]);
      logger.info('stopped');
    })();
    return stopping;
  };

  let port: number | undefined;
  const wantPort = o.port ?? config.PORT;
  try {
    if (o.receiver !== false) slack = buildReceiver(deps, { queue, redis, prefix: queueName, clock, routes });
    // The digest registers its button listeners on the app, so it starts before the app listens. Without a worker
    // connection it only schedules (another process builds); without EGRESS_DIGEST_CHANNEL only buttons are served.
    digest = await startDigest({
      deps,
      redis,
      workerRedis: workerConn,
      client: o.client ?? createSlackClient(config, logger),
      app: slack?.app,
      clock,
    });
    if (slack) port = await slack.start(wantPort, o.host);
    if (!slack || slack.mode === 'socket') {
      ops = await startOpsServer(routes, wantPort, o.host);
      port = ops.port;
    }
  } catch (err) {
    // A bad token or a taken port: release the worker and connections already started, so the process can exit.
    await stop();
    throw err;
  }
  logger.info(
    { port, receiver: slack?.mode ?? 'off', worker: Boolean(worker), queue: queueName },
    'egress bot started',
  );
  return { port, queue, worker, slack, stop };
}
