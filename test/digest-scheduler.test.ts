/**
 * Exactly one digest per period with three replicas (each with its own scheduler upsert and worker) on the suite's
 * real Redis, with a fast cron; and the catch-up on start when the bot was down at the digest's hour.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { digestPrefix } from '../src/digest/state.js';
import type { Digest } from '../src/digest/types.js';
import { buildDeps, type Deps } from '../src/main.js';
import { type DigestService, type DigestServiceOptions, startDigest } from '../src/server/digest.js';
import { type SlackApiFake, startSlackApiFake } from './fakes/slack-api.js';
import { tempDir } from './support/mini-world.js';

const TOKEN = 'xoxb-digest-test';
const CHANNEL = 'C0SECURITY';
const at = (iso: string) => Date.parse(iso) / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let fake: SlackApiFake;
let dir: string;
const redisUrl = inject('redisUrl');
const conns: Redis[] = [];
const quiet = pino({ level: 'silent' }, new Writable({ write: (_c, _e, cb) => cb() }));

/** A small digest: the scheduling is under test here, not the content. */
const fakeBuild = async (date: string): Promise<Digest> => ({
  date,
  tz: 'UTC',
  period: { from: 0, to: 86_400 },
  baselineFrom: 0,
  newDestinations: [],
  dnsBypass: [],
  suppressed: [],
  topTalkers: [],
  bytesOutTotal: 0,
  cost: [],
  costTotal: { bytes: 0, usd: 0, prevBytes: 0, prevUsd: 0, changePct: null },
  pricePerGb: 0.045,
  rejects: [],
  rejectsTotal: 0,
  chart: { days: [date], series: [] },
  stats: {
    engine: 'duckdb',
    bytesScanned: 0,
    costUsd: 0,
    reused: false,
    queryExecutionIds: [],
    elapsedMs: 0,
    queries: 0,
  },
  skipped: [],
  notes: [],
});

function depsFor(queue: string, clock?: () => number): Deps {
  const config = loadConfig({ EGRESS_DATA_DIR: dir, EGRESS_QUEUE: queue, REDIS_URL: redisUrl, LOG_LEVEL: 'silent' });
  const slackClient = new WebClient(TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
  return buildDeps(config, quiet, { clock, slackClient });
}

/** Starts `n` replicas sharing one queue name, as separate deployments of the bot would. */
async function replicas(
  n: number,
  queue: string,
  { clock, ...o }: Partial<DigestServiceOptions> & { clock?: () => number },
): Promise<{ services: DigestService[]; deps: Deps[] }> {
  const deps = Array.from({ length: n }, () => depsFor(queue, clock));
  const services = await Promise.all(
    deps.map((d) => {
      return startDigest(d, {
        channel: CHANNEL,
        tz: 'UTC',
        build: fakeBuild,
        chart: async () => Buffer.from('not really a png'),
        ...o,
      });
    }),
  );
  return { services, deps };
}

async function stopAll(r: { services: DigestService[]; deps: Deps[] }, removeSchedulers = true) {
  if (removeSchedulers) await r.services[0]?.queue.removeJobScheduler(`digest-${CHANNEL}`);
  for (const d of r.deps) await d.close();
}

/** Digest messages posted in the channel (thread replies and file shares excluded). */
const digests = () =>
  fake.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL && !c.args.thread_ts);

beforeAll(async () => {
  fake = await startSlackApiFake({ token: TOKEN });
  dir = await tempDir('egress-sched-');
});
afterAll(async () => {
  await fake?.close();
  await Promise.all(conns.map((c) => c.quit().catch(() => c.disconnect())));
});

describe('digest scheduler', () => {
  it('three replicas with a 1-second cron post exactly one digest per 2-second period', async () => {
    const queue = `dq-${randomUUID().slice(0, 8)}`;
    const before = digests().length;
    const r = await replicas(3, queue, {
      cron: '* * * * * *',
      periodOf: (ms) => `p${Math.floor(ms / 2_000)}`,
      catchUp: false,
    });
    const started = Date.now();
    await sleep(6_500);
    await stopAll(r);
    const elapsed = (Date.now() - started) / 1000;
    const q = r.services[0] as DigestService;
    const redis = new Redis(redisUrl);
    conns.push(redis);
    const markers = await redis.keys(`${digestPrefix(queue)}:sent:${CHANNEL}:*`);
    const posted = digests().length - before;
    // Every period got its digest once: one post per sent marker, several periods, no period twice.
    expect(markers.length).toBeGreaterThanOrEqual(2);
    expect(posted).toBe(markers.length);
    const probe = new Redis(redisUrl);
    conns.push(probe);
    const { Queue } = await import('bullmq');
    const view = new Queue(`${queue}-digest`, { connection: probe });
    const runs = (await view.getJobs(['completed'])).filter((j) => j.name === 'run');
    const ticks = (await view.getJobs(['completed'])).filter((j) => j.name === 'tick');
    expect(new Set(runs.map((j) => j.data.kind === 'run' && j.data.period)).size).toBe(runs.length);
    expect(runs.length).toBe(posted);
    // One tick per cron second across the three schedulers (their upserts share one scheduler id), not three.
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks.length).toBeLessThanOrEqual(Math.ceil(elapsed) + 1);
    expect(q.catchUp).toBe('off');
    await view.obliterate({ force: true });
    await view.close();
  });

  it("catches up today's missed digest once on start, and never again after a restart", async () => {
    const queue = `dq-${randomUUID().slice(0, 8)}`;
    const before = digests().length;
    const late = { cron: '0 8 * * *', clock: () => at('2026-11-20T09:30:00Z') };
    const first = await replicas(3, queue, late);
    // Concurrent starts may all see no job and all add it: the shared job id keeps one.
    for (const s of first.services) expect(['queued', 'exists']).toContain(s.catchUp);
    for (let i = 0; i < 100 && digests().length === before; i++) await sleep(50);
    await sleep(300);
    await stopAll(first, false);
    expect(digests().length - before).toBe(1);
    expect(String(digests().at(-1)?.args.text)).toMatch(/^Egress digest 2026-11-20/);

    const again = await replicas(2, queue, late);
    expect(again.services.map((s) => s.catchUp)).toEqual(['already-sent', 'already-sent']);
    await stopAll(again, false);
    const early = await replicas(1, queue, { cron: '0 8 * * *', clock: () => at('2026-11-21T07:59:00Z') });
    expect(early.services[0]?.catchUp).toBe('not-due');
    await stopAll(early);
    await sleep(200);
    expect(digests().length - before).toBe(1);
  });
});
