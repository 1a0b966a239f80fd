/**
 * `npm run chaos`: the bot's fault suite. Starts the real bot as processes (`serve --no-worker` + `worker`, then
 * `serve` alone) over a sample world, a private `redis-server` with AOF on and the Slack Web API fake — all on
 * 127.0.0.1 — sends signed commands under load, injects one fault per phase, and prints one line per fault. Exits 1
 * when a line misses a goal: lost 0, answered twice 0, stuck parents 0, 5xx 0, crashes 0, worker-SIGKILL recovery
 * ≤ 15 s. Bounded to 5 minutes; removes everything it made (CHAOS_KEEP=1 keeps the logs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWorld } from '../../dev/sample/world.js';
import { startSlackApiFake } from '../../test/fakes/slack-api.js';
import { startRedisServer } from '../../test/support/redis-server.js';
import { Cluster } from './cluster.js';
import { baseline, type Ctx, hostileBodies, redisKill, rollingRestart, slack429, workerKill } from './faults.js';
import { type Figures, line, ok } from './tally.js';

const SECRET = 'chaos-signing-secret';
const TOKEN = 'xoxb-chaos';
const BOUND_MS = 5 * 60_000;
const MAX_WORKER_RECOVERY_S = 15;

async function main(): Promise<number> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'egress-chaos-'));
  const fake = await startSlackApiFake({ token: TOKEN });
  const redis = await startRedisServer({ appendonly: true });
  const world = join(dir, 'world');
  await generateWorld({ dir: world });
  const cluster = new Cluster(
    {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: fake.apiUrl,
      REDIS_URL: redis.url,
      EGRESS_DATA_DIR: world,
      EGRESS_K8S_SNAPSHOT: join(world, 'k8s-snapshot.json'),
      EGRESS_QUEUE: 'chaos',
      EGRESS_RATE_LIMIT_PER_MIN: '100000',
      PORT: '0',
      LOG_LEVEL: 'info',
      TMPDIR: dir,
    },
    dir,
  );
  let cleaned: Promise<void> | undefined;
  const cleanup = () => {
    cleaned ??= (async () => {
      await cluster.stopAll();
      await redis.stop();
      await fake.close();
      if (process.env.CHAOS_KEEP === '1') console.log(`chaos: logs kept in ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    })();
    return cleaned;
  };
  const abort = (why: string) => {
    console.error(`chaos: ${why}; stopping and cleaning up`);
    void cleanup().finally(() => process.exit(1));
  };
  const bound = setTimeout(() => abort('over the 5-minute bound'), BOUND_MS - (Date.now() - started));
  process.once('SIGINT', () => abort('interrupted'));
  process.once('SIGTERM', () => abort('terminated'));
  const results: Array<{ f: Figures; pass: boolean }> = [];
  const report = (f: Figures, maxRecovery?: number) => {
    const pass = ok(f, maxRecovery);
    results.push({ f, pass });
    console.log(`${pass ? 'ok  ' : 'FAIL'} ${line(f)}`);
  };
  try {
    console.log(`chaos: redis-server (AOF) on ${redis.url}, Slack fake on ${fake.url}; sample world generated`);
    console.log('chaos: topology 1 = serve --no-worker + worker');
    const receiver = await cluster.start('receiver');
    await cluster.start('worker');
    const ctx: Ctx = { fake, redis, cluster, secret: SECRET, target: receiver };
    report(await baseline(ctx));
    report(await redisKill(ctx));
    report(await workerKill(ctx), MAX_WORKER_RECOVERY_S);
    report(await rollingRestart(ctx, 'receiver'));
    report(await slack429(ctx));
    report(await hostileBodies(ctx));
    console.log('chaos: topology 2 = serve alone');
    for (const m of [...cluster.alive('receiver'), ...cluster.alive('worker')]) await cluster.stop(m);
    ctx.target = await cluster.start('serve');
    report(await rollingRestart(ctx, 'serve'));
    await cluster.stopAll();
    const fatal = cluster.lines((l) => (l.level as number) >= 60);
    for (const c of cluster.crashes) console.log(`crash: ${c}`);
    for (const { name, line: l } of fatal) console.log(`fatal log line in ${name}: ${String(l.msg)}`);
    const failed = results.filter((r) => !r.pass).length;
    const secs = ((Date.now() - started) / 1000).toFixed(0);
    console.log(`chaos: ${results.length - failed}/${results.length} faults met every goal in ${secs}s`);
    return failed || cluster.crashes.length || fatal.length ? 1 : 0;
  } finally {
    clearTimeout(bound);
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('chaos:', err);
    process.exit(1);
  },
);
