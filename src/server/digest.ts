/**
 * The digest in the long-running bot: one queue (`<EGRESS_QUEUE>-digest`) with a BullMQ job scheduler per channel
 * (cron + time zone, upserted idempotently on every start), a worker for its jobs, the catch-up on start, and the
 * button listener. Exactly one digest per channel and period however many replicas run: the scheduler produces one
 * tick per cron time (its job id is scheduler id + time), each tick adds at most one run per period (job id), and a
 * Redis marker written after posting stops later runs of the same period once BullMQ has forgotten the job.
 */
import type { App } from '@slack/bolt';
import { getNextMillis, type Job, type Queue, type Worker } from 'bullmq';
import { buildDigest } from '../digest/build.js';
import { checkTimeZone, localDate, midnight } from '../digest/period.js';
import { DigestState, digestPrefix } from '../digest/state.js';
import { redisSuppressions } from '../digest/suppressions.js';
import type { Digest } from '../digest/types.js';
import type { Deps } from '../main.js';
import { processAction } from '../queue/digest-action.js';
import { type DigestJobData, type RunJob, schedulerId } from '../queue/digest-jobs.js';
import { enqueueRun, processRun, type RunDeps } from '../queue/digest-run.js';
import { claimJob } from '../queue/fate.js';
import { type DigestActionDeps, registerDigestActions } from '../slack/actions-digest.js';

/** How to run the digest; defaults come from config and the deps. */
export interface DigestServiceOptions {
  /** Default `EGRESS_DIGEST_CHANNEL`; nothing is scheduled without a channel. */
  channel?: string;
  cron?: string;
  tz?: string;
  /** Default `<EGRESS_QUEUE>-digest`. */
  queueName?: string;
  /** Run the digest worker here (default true); without it this process only schedules and serves buttons. */
  worker?: boolean;
  /** Registers the button listener on this app. */
  app?: App;
  /** The app's shutdown signal (`SlackApp.stopping`): a button's enqueue still waiting on Redis then gives up. */
  stopping?: AbortSignal;
  /** Enqueue retry tuning for the buttons (tests shorten it). */
  enqueue?: DigestActionDeps['enqueue'];
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
}

/** Starts the digest scheduler, worker and button listener on `deps`; `deps.close()` stops them. */
export async function startDigest(deps: Deps, o: DigestServiceOptions = {}): Promise<DigestService> {
  const { config } = deps;
  const log = deps.logger.child({ component: 'digest' });
  const tz = checkTimeZone(o.tz ?? config.EGRESS_TZ);
  const cron = o.cron ?? config.EGRESS_DIGEST_CRON;
  const channel = o.channel ?? config.EGRESS_DIGEST_CHANNEL;
  const periodOf = o.periodOf ?? ((ms: number) => localDate(ms / 1000, tz));
  const redis = await deps.redis();
  const prefix = digestPrefix(config.EGRESS_QUEUE);
  const state = new DigestState(redis, prefix);
  const suppressions = redisSuppressions(redis, prefix);
  const queue = await deps.digestQueue(o.queueName);
  const client = await deps.slackClient();
  const build =
    o.build ??
    (async (date: string): Promise<Digest> =>
      buildDigest(await deps.context(deps.clock()), { date, tz, suppressions: await suppressions.list() }));
  const runDeps: RunDeps = { client, state, logger: deps.logger, build, chart: o.chart };

  let worker: Worker<DigestJobData> | undefined;
  if (o.worker !== false) {
    worker = await deps.digestWorker(
      queue.name,
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
        // A click whose enqueue the receiver gave up on (the clicker was told to click again) must not run as well.
        if ((await claimJob(redis, queue.name, job.id ?? '')) === 'abandoned') {
          deps.logger.warn({ jobId: job.id }, 'digest action landed after the receiver gave up on it; not running it');
          return { done: 'abandoned' };
        }
        return processAction(job, { context: deps.context, client, state, suppressions, logger: deps.logger });
      },
      { lockDuration: o.lockDuration, stalledInterval: o.stalledInterval },
    );
    const w = worker;
    const health = {
      name: 'digest-worker',
      check: async () => ({ ok: w.isRunning(), detail: w.isRunning() ? 'running' : 'stopped' }),
    };
    deps.healthChecks.push(health);
    deps.onClose('workers', 'digest-health', async () => {
      deps.healthChecks.splice(deps.healthChecks.indexOf(health), 1);
    });
  }
  if (o.app) {
    // Buttons follow the command allowlists, plus the digest channel itself (the digest is posted there by design).
    registerDigestActions(o.app, {
      queue,
      redis,
      stopping: o.stopping,
      enqueue: o.enqueue,
      logger: deps.logger,
      authorizer: await deps.authorizer(),
      alsoChannels: channel ? [channel] : [],
      clock: deps.clock,
    });
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
      o.catchUp === false
        ? 'off'
        : await catchUpToday(queue, state, { channel, cron, tz, now: deps.clock(), periodOf });
    log.info({ channel, cron, tz, queue: queue.name, catchUp }, 'digest scheduled');
  }
  return { queue, worker, state, catchUp };
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
