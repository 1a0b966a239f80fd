/**
 * The digest in the long-running bot: one queue (`<EGRESS_QUEUE>-digest`) with a BullMQ job scheduler per channel
 * (cron + time zone, upserted idempotently on every start), a worker for its jobs, the catch-up on start, and the
 * button listener. Exactly one digest per channel and period however many replicas run: the scheduler produces one
 * tick per cron time (its job id is scheduler id + time), each tick adds at most one run per period (job id), and a
 * Redis marker written after posting stops later runs of the same period once BullMQ has forgotten the job.
 */
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { getNextMillis, type Job, Queue, Worker } from 'bullmq';
import { commandContext, type Deps } from '../main.js';
import type { Redis } from '../redis.js';
import { type DigestActionDeps, registerDigestActions } from '../slack/actions-digest.js';
import { Authorizer } from '../slack/authorize.js';
import { processAction } from './actions.js';
import { buildDigest } from './build.js';
import { digestPrefix } from './cli.js';
import { DIGEST_JOB_OPTIONS, type DigestJobData, type RunJob, schedulerId } from './jobs.js';
import { checkTimeZone, localDate, midnight } from './period.js';
import { enqueueRun, processRun, type RunDeps } from './post.js';
import { DigestState } from './state.js';
import { redisSuppressions } from './suppressions.js';
import type { Digest } from './types.js';

/** How to run the digest; defaults come from config. */
export interface DigestServiceOptions {
  deps: Deps;
  /** Producer/state connection (ioredis defaults). */
  redis: Redis;
  /** Worker connection (`createRedis(url, { forWorker: true })`); no worker when absent. */
  workerRedis?: Redis;
  client: WebClient;
  /** Default `EGRESS_DIGEST_CHANNEL`; nothing is scheduled without a channel. */
  channel?: string;
  cron?: string;
  tz?: string;
  /** Default `<EGRESS_QUEUE>-digest`. */
  queueName?: string;
  /** Registers the button listener on this app. */
  app?: App;
  /** Who may click (default: the command allowlists from config, plus the digest channel). */
  authorizer?: DigestActionDeps['authorizer'];
  /** Epoch seconds (catch-up decision, click times). */
  clock?: () => number;
  /** The exactly-once key of a tick time (default: its date in `tz`). Tests with a fast cron pass a finer one. */
  periodOf?: (tickMillis: number) => string;
  /** Default: {@link buildDigest} on the deps' engine with the stored suppressions. */
  build?: RunDeps['build'];
  chart?: RunDeps['chart'];
  /** Post today's digest on start when its time has passed and it is missing (default true). */
  catchUp?: boolean;
  lockDuration?: number;
  stalledInterval?: number;
}

/** A running digest service. */
export interface DigestService {
  queue: Queue<DigestJobData>;
  worker?: Worker<DigestJobData>;
  state: DigestState;
  /** What the start-up catch-up did (`queued`, `already-sent`, `not-due`, …). */
  catchUp: string;
  stop(): Promise<void>;
}

/** Starts the digest scheduler, worker and button listener. */
export async function startDigest(o: DigestServiceOptions): Promise<DigestService> {
  const { config } = o.deps;
  const log = o.deps.logger.child({ component: 'digest' });
  const tz = checkTimeZone(o.tz ?? config.EGRESS_TZ);
  const cron = o.cron ?? config.EGRESS_DIGEST_CRON;
  const channel = o.channel ?? config.EGRESS_DIGEST_CHANNEL;
  const clock = o.clock ?? (() => Math.floor(Date.now() / 1000));
  const periodOf = o.periodOf ?? ((ms: number) => localDate(ms / 1000, tz));
  const queueName = o.queueName ?? `${config.EGRESS_QUEUE}-digest`;
  const prefix = digestPrefix(config.EGRESS_QUEUE);
  const state = new DigestState(o.redis, prefix);
  const suppressions = redisSuppressions(o.redis, prefix);
  const queue = new Queue<DigestJobData>(queueName, { connection: o.redis, defaultJobOptions: DIGEST_JOB_OPTIONS });
  queue.on('error', (err) => log.warn({ err: err.message }, 'digest queue error'));
  const build =
    o.build ??
    (async (date: string): Promise<Digest> =>
      buildDigest(commandContext(o.deps, clock()), { date, tz, suppressions: await suppressions.list() }));
  const runDeps: RunDeps = { client: o.client, state, logger: o.deps.logger, build, chart: o.chart };

  let worker: Worker<DigestJobData> | undefined;
  if (o.workerRedis) {
    worker = new Worker<DigestJobData>(
      queueName,
      async (job: Job<DigestJobData>) => {
        const data = job.data;
        if (data.kind === 'tick') {
          // The scheduled time, not when a worker got to it: a late tick still names its own day.
          const tick = job.opts.prevMillis ?? job.timestamp;
          return {
            run: await enqueueRun(queue, state, {
              channel: data.channel,
              date: localDate(tick / 1000, tz),
              period: periodOf(tick),
            }),
          };
        }
        if (data.kind === 'run') return processRun(job, runDeps);
        return processAction(job, { deps: o.deps, client: o.client, state, suppressions, logger: o.deps.logger });
      },
      {
        connection: o.workerRedis,
        concurrency: 2,
        // BullMQ treats an explicit undefined as a value: pass the timings only when set.
        ...(o.lockDuration ? { lockDuration: o.lockDuration } : {}),
        ...(o.stalledInterval ? { stalledInterval: o.stalledInterval } : {}),
      },
    );
    worker.on('error', (err) => log.error({ err }, 'digest worker error'));
    worker.on('failed', (job, err) =>
      log.warn({ jobId: job?.id, kind: job?.data.kind, err: err.message }, 'digest job attempt failed'),
    );
  }
  const w = worker;
  const health = w && {
    name: 'digest-worker',
    check: async () => ({ ok: w.isRunning(), detail: w.isRunning() ? 'running' : 'stopped' }),
  };
  if (health) o.deps.healthChecks.push(health);
  if (o.app) {
    // Buttons follow the command allowlists, plus the digest channel itself (the digest is posted there by design).
    const authorizer =
      o.authorizer ??
      new Authorizer({
        channels: config.EGRESS_ALLOWED_CHANNELS.length
          ? [...config.EGRESS_ALLOWED_CHANNELS, ...(channel ? [channel] : [])]
          : [],
        users: config.EGRESS_ALLOWED_USERS,
        perMinute: config.EGRESS_RATE_LIMIT_PER_MIN,
        redis: o.redis,
        prefix: config.EGRESS_QUEUE,
        client: o.app.client,
        clock,
      });
    registerDigestActions(o.app, { queue, logger: o.deps.logger, authorizer, clock });
  }

  let catchUp = 'no-channel';
  if (channel) {
    await queue
      .upsertJobScheduler(
        schedulerId(channel),
        { pattern: cron, tz },
        { name: 'tick', data: { kind: 'tick', channel } },
      )
      .catch((err: Error) => {
        // Replicas starting together race to create the same next iteration; the one that lost finds it in place.
        if (!/job ID already exists/.test(err.message)) throw err;
        log.debug('job scheduler iteration already created by another replica');
      });
    catchUp =
      o.catchUp === false ? 'off' : await catchUpToday(queue, state, { channel, cron, tz, now: clock(), periodOf });
    log.info({ channel, cron, tz, queue: queueName, catchUp }, 'digest scheduled');
  }
  return {
    queue,
    worker,
    state,
    catchUp,
    async stop() {
      if (health) o.deps.healthChecks.splice(o.deps.healthChecks.indexOf(health), 1);
      await worker?.close();
      await queue.close();
    },
  };
}

/**
 * If today's scheduled time has passed and today's digest is missing (the bot was down at that hour), queue it now.
 * "Today's time" is the cron's first fire after local midnight, so a weekday-only cron posts nothing on a Sunday.
 */
export async function catchUpToday(
  queue: Queue<DigestJobData>,
  state: DigestState,
  o: { channel: string; cron: string; tz: string; now: number; periodOf: (ms: number) => string },
): Promise<string> {
  const today = localDate(o.now, o.tz);
  const fire = getNextMillis(midnight(today, o.tz) * 1000 - 1_000, { pattern: o.cron, tz: o.tz });
  if (fire === undefined || fire > o.now * 1000 || localDate(fire / 1000, o.tz) !== today) return 'not-due';
  const run: Omit<RunJob, 'kind'> = { channel: o.channel, date: today, period: o.periodOf(fire) };
  return enqueueRun(queue, state, run);
}
