/**
 * Slack-path benchmark (loopback only):
 * 1. Ack latency: signed slash commands against the real HTTP receiver (Bolt + authorize + Redis rate limit +
 *    BullMQ enqueue) at 200 req/s for 20 s, against a bare `node:http` hello server at the same load.
 *    Goals: p99 ÷ bare p99 ≤ 3, and p99 < 100 ms.
 * 2. Queue drain: 100 queued commands (who / dns-bypass on the sample world) with 2 workers: drain time and p95 wait.
 *
 *   npx tsx bench/ack.ts          (BENCH_ACK_SECONDS=5 for a quick run; REDIS_URL to use a running Redis)
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { generateWorld, SAMPLE_NOW } from '../dev/sample/world.js';
import { loadConfig } from '../src/config.js';
import { buildDeps } from '../src/main.js';
import { createCommandQueue, enqueueCommand } from '../src/queue/queue.js';
import { startBot } from '../src/server/start.js';
import { startSlackApiFake } from '../test/fakes/slack-api.js';
import { slashBody } from '../test/slack-harness.js';
import { type RedisServer, startRedisServer } from '../test/support/redis-server.js';

interface CannonResult {
  latency: { p50: number; p99: number };
  requests: { total: number };
  non2xx: number;
  errors: number;
}
type Cannon = (opts: Record<string, unknown>) => Promise<CannonResult>;
// autocannon ships no types; this is the slice of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench';
const RATE = 200;
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Load from a worker thread, so the generator does not share the event loop it measures. */
function load(url: string, seconds: number, extra: Record<string, unknown> = {}): Promise<CannonResult> {
  return autocannon({ url, connections: 20, overallRate: RATE, duration: seconds, workers: 1, ...extra });
}

/**
 * autocannon's workers `require` their per-request hook from a file: this one signs each request at send time with
 * its own trigger id and one of 50 users, so every request is verified, rate-limited and queued for real.
 */
async function writeSigner(dir: string): Promise<string> {
  const file = join(dir, 'sign-request.cjs');
  const template = Object.fromEntries(new URLSearchParams(slashBody('who 142.250.80.46 last 7d')));
  await writeFile(
    file,
    `const { createHmac } = require('node:crypto');
const template = ${JSON.stringify(template)};
let n = 0;
module.exports = (req) => {
  n++;
  const body = new URLSearchParams({ ...template, trigger_id: 'bench.' + process.pid + '.' + n, user_id: 'U' + (n % 50) }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const sig = 'v0=' + createHmac('sha256', ${JSON.stringify(SECRET)}).update('v0:' + ts + ':' + body).digest('hex');
  return { ...req, body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig } };
};
`,
  );
  return file;
}

/** Runs both parts; returns printable lines. */
export async function benchAck(): Promise<string[]> {
  const seconds = Number(process.env.BENCH_ACK_SECONDS ?? 20);
  const lines: string[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'egress-bench-ack-'));
  const fake = await startSlackApiFake({ token: TOKEN });
  let redis: RedisServer | undefined;
  const bare = createServer((_req, res) => res.end('hello'));
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  try {
    await generateWorld({ dir });
    if (!process.env.REDIS_URL) redis = await startRedisServer();
    const redisUrl = process.env.REDIS_URL ?? (redis as RedisServer).url;
    const env = (queue: string, extra: Record<string, string> = {}) =>
      loadConfig({
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_API_URL: fake.apiUrl,
        REDIS_URL: redisUrl,
        EGRESS_DATA_DIR: dir,
        EGRESS_K8S_SNAPSHOT: join(dir, 'k8s-snapshot.json'),
        EGRESS_QUEUE: queue,
        EGRESS_RATE_LIMIT_PER_MIN: '1000000',
        ...extra,
      });
    const silent = pino({ level: 'silent' });

    // 1. Ack latency.
    const bareRun = await load(`http://127.0.0.1:${(bare.address() as AddressInfo).port}`, seconds);
    const ackQueue = `bench-ack-${randomUUID().slice(0, 8)}`;
    const deps = buildDeps(env(ackQueue), silent, { clock: () => SAMPLE_NOW });
    const bot = await startBot(deps, { worker: false, port: 0, host: '127.0.0.1' });
    const botRun = await load(`http://127.0.0.1:${bot.port}/slack/events`, seconds, {
      requests: [{ method: 'POST', setupRequest: await writeSigner(dir) }],
    });
    const queued = await bot.queue.count();
    await bot.queue.obliterate({ force: true });
    await bot.stop();
    await deps.close();
    const ratio = botRun.latency.p99 / Math.max(bareRun.latency.p99, 0.001);
    lines.push(
      `bare node:http   @ ${RATE} req/s × ${seconds} s: p50 ${ms(bareRun.latency.p50)}  p99 ${ms(bareRun.latency.p99)}`,
      `/slack/events    @ ${RATE} req/s × ${seconds} s: p50 ${ms(botRun.latency.p50)}  p99 ${ms(botRun.latency.p99)}  (${botRun.requests.total} requests, ${botRun.non2xx} non-2xx, ${botRun.errors} errors, ${queued} queued)`,
      `ack p99 ÷ bare p99 = ${ratio.toFixed(2)} (goal ≤ 3: ${ratio <= 3 ? 'met' : 'NOT met'}) · p99 ${ms(botRun.latency.p99)} (goal < 100 ms: ${botRun.latency.p99 < 100 ? 'met' : 'NOT met'})`,
    );

    // 2. Drain 100 commands with 2 workers (two worker instances, concurrency 1 each).
    const drainQueue = `bench-drain-${randomUUID().slice(0, 8)}`;
    const workers = await Promise.all(
      [1, 2].map(async () => {
        const d = buildDeps(env(drainQueue, { EGRESS_WORKER_CONCURRENCY: '1' }), silent);
        return { d, bot: await startBot(d, { receiver: false, port: 0, host: '127.0.0.1' }) };
      }),
    );
    const conn = new Redis(redisUrl);
    const queue = createCommandQueue(drainQueue, conn);
    const started = Date.now();
    for (let i = 0; i < 100; i++) {
      const command =
        i % 2
          ? ({ name: 'dns-bypass', window: { amount: 7, unit: 'd', seconds: 604_800 } } as const)
          : ({ name: 'who', ip: '142.250.80.46', window: { amount: 7, unit: 'd', seconds: 604_800 } } as const);
      await enqueueCommand(queue, {
        v: 1,
        command,
        channel: `CBENCH${i % 5}`,
        user: 'UBENCH',
        requestedAt: SAMPLE_NOW,
        requestId: `bench-${i}`,
        source: 'slash',
      });
    }
    while ((await queue.getJobCountByTypes('completed', 'failed')) < 100) await new Promise((r) => setTimeout(r, 50));
    const drainMs = Date.now() - started;
    const jobs = [...(await queue.getCompleted(0, 99)), ...(await queue.getFailed(0, 99))];
    const waits = jobs.map((j) => (j.processedOn ?? 0) - j.timestamp).sort((a, b) => a - b);
    const pct = (p: number) => waits[Math.min(waits.length - 1, Math.ceil((p / 100) * waits.length) - 1)] ?? 0;
    const failed = await queue.getJobCountByTypes('failed');
    lines.push(
      `queue: 100 commands, 2 workers: drained in ${(drainMs / 1000).toFixed(1)} s (${(drainMs / 100).toFixed(0)} ms/command, ${failed} failed); queue wait p50 ${(pct(50) / 1000).toFixed(1)} s, p95 ${(pct(95) / 1000).toFixed(1)} s`,
    );
    await queue.obliterate({ force: true });
    await queue.close();
    conn.disconnect();
    for (const w of workers) {
      await w.bot.stop();
      await w.d.close();
    }
  } finally {
    bare.close();
    await fake.close();
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const line of await benchAck()) console.log(line);
}
