/**
 * The faults, one phase each: steady signed load against the current receiver while the fault happens, then a wait
 * until every acknowledged command has its outcome (or the phase's settle time runs out), then one line of figures.
 */
import type { SlackApiFake } from '../../test/fakes/slack-api.js';
import type { RedisServer } from '../../test/support/redis-server.js';
import type { Cluster, Member } from './cluster.js';
import { hostile, summarize } from './hostile.js';
import { accepted, Load, type Sent } from './load.js';
import { type Figures, figures, outcome, settled } from './tally.js';

/** What the phases share. */
export interface Ctx {
  fake: SlackApiFake;
  redis: RedisServer;
  cluster: Cluster;
  secret: string;
  /** The receiver load is sent to (a rolling restart moves it). */
  target: Member;
}

/** What a phase's fault reports back. */
interface Injected {
  injectedAt?: number;
  affected?: (s: Sent) => boolean;
  /** Read after the phase settled (a function, for what happens after the fault's own steps). */
  note?: string | (() => string);
  http5xx?: number;
  problem?: string;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RATE = 3;
const RATE_429 = 1.5;
const LOAD_MS = 10_000;
const SETTLE_MS = 60_000;
let phases = 0;

/** Runs `fault` beside {@link LOAD_MS} of steady load and counts what happened. */
async function phase(name: string, ctx: Ctx, fault: (load: Load) => Promise<Injected>, rate = RATE): Promise<Figures> {
  const crashesBefore = ctx.cluster.crashes.length;
  const load = new Load(ctx.fake, ctx.secret, () => ctx.target.url, `${String(++phases).padStart(2, '0')}X`);
  const [, injected] = await Promise.all([load.steady(rate, LOAD_MS), fault(load)]);
  await load.drain();
  const until = Date.now() + SETTLE_MS;
  const pending = () => load.sent.filter(accepted).filter((s) => !settled(outcome(ctx.fake, s)));
  while (pending().length && Date.now() < until) await sleep(250);
  for (const s of pending())
    console.error(`  unsettled after ${SETTLE_MS / 1000}s: ${s.channel}`, JSON.stringify(ctx.fake.threads(s.channel)));
  // Time for a second answer or a late ask-again to show up, were there going to be one.
  await sleep(1_500);
  const note = typeof injected.note === 'function' ? injected.note() : injected.note;
  return figures(name, ctx.fake, load.sent, {
    crashes: ctx.cluster.crashes.length - crashesBefore,
    ...injected,
    note,
  });
}

/** No fault: the figures every other line is read against. */
export const baseline = (ctx: Ctx) => phase('none', ctx, async () => ({}));

/** Redis killed with SIGKILL mid-load, restarted 2 s later from its append-only file. */
export const redisKill = (ctx: Ctx) =>
  phase('redis-sigkill', ctx, async () => {
    await sleep(3_000);
    const at = Date.now();
    await ctx.redis.kill();
    await sleep(2_000);
    await ctx.redis.restart();
    const back = Date.now();
    return {
      injectedAt: at,
      affected: (s) => s.sentAt <= back,
      note: `Redis down ${((back - at) / 1000).toFixed(1)}s`,
    };
  });

/** The worker SIGKILLed while a job runs, and restarted as its Deployment would. */
export const workerKill = (ctx: Ctx) =>
  phase('worker-sigkill', ctx, async () => {
    await sleep(3_000);
    const [worker] = ctx.cluster.alive('worker');
    if (!worker) throw new Error('no worker to kill');
    const started = () => worker.proc.lines.filter((l) => l.msg === 'job started').length;
    const before = started();
    while (started() === before) await sleep(10);
    const at = Date.now();
    ctx.cluster.signal(worker, 'SIGKILL');
    await worker.proc.exited;
    const next = await ctx.cluster.start('worker');
    const back = Date.now();
    const stalled = () => next.proc.lines.filter((l) => l.msg === 'job stalled; re-queued').length;
    return {
      injectedAt: at,
      affected: (s) => s.sentAt <= back,
      note: () => `killed mid-job; ${stalled()} job(s) re-run as stalled; recovery = kill → last interrupted answer`,
    };
  });

/**
 * A rolling restart of `role` (`receiver`: serve --no-worker; `serve`: receiver and worker in one): the new process
 * starts, a burst is sent to the old one with Slack answering slowly (so the work after the acks is in flight), and
 * the old one gets SIGTERM the moment the last ack arrives.
 */
export const rollingRestart = (ctx: Ctx, role: 'receiver' | 'serve') =>
  phase(`${role}-sigterm`, ctx, async (load) => {
    await sleep(2_000);
    const old = ctx.target;
    const next = await ctx.cluster.start(role);
    ctx.fake.setFaults({ latencyMs: 300 });
    const burst = await load.burst(10);
    const at = Date.now();
    ctx.cluster.signal(old, 'SIGTERM');
    ctx.target = next;
    await old.proc.exited;
    const exitS = (Date.now() - at) / 1000;
    ctx.fake.setFaults({});
    const acked = burst.filter(accepted).length;
    // What the old process logged while stopping: how much work after acks it waited for.
    const waited = old.proc.lines.find((l) => l.msg === 'waiting for work started after acks')?.inFlight ?? 0;
    return {
      injectedAt: at,
      affected: (s) => s.sentAt <= at,
      note: `SIGTERM right after ${acked} acks with ${waited} still in flight, exited in ${exitS.toFixed(1)}s`,
    };
  });

/** 30 % of all Slack Web API calls answered 429 with Retry-After: 1 for the whole phase. */
export const slack429 = async (ctx: Ctx) => {
  ctx.fake.setFaults({ rateLimited: 0.3, retryAfter: 1, seed: 14 });
  try {
    // Every 429 pauses the bot's whole Web API client for Retry-After, so the load is lighter here.
    return await phase('slack-429', ctx, async () => ({ note: '30% of Slack calls 429, Retry-After 1s' }), RATE_429);
  } finally {
    ctx.fake.setFaults({});
  }
};

/** Hostile bodies beside the normal load. */
export const hostileBodies = (ctx: Ctx) =>
  phase('hostile-bodies', ctx, async () => {
    const results = await hostile(ctx.target.url, ctx.target.proc.port, ctx.secret);
    const held = results.filter((r) => r.status === -1).length;
    return {
      http5xx: results.filter((r) => r.status >= 500).length,
      note: `${results.length} hostile: ${summarize(results)}`,
      problem: held ? `${held} slow-header connections still open after 25 s` : undefined,
    };
  });
