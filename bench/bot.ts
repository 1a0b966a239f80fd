/**
 * The bot figure: a real `bin/egress serve` process (HTTP receiver + worker) on 127.0.0.1 with a private
 * redis-server and the Slack Web API fake, asked by signed slash commands on the bench world with its columnar store
 * warm. Times slash command → threaded answer (the reply posted in the question's thread), median of 5 after one
 * warm-up question. Loopback only, bounded in time.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_NOW } from '../dev/sample/constants.js';
import { isoSeconds } from '../src/flowlogs/window.js';
import { startSlackApiFake } from '../test/fakes/slack-api.js';
import { postSigned, slashBody } from '../test/slack-harness.js';
import { freePort, startRedisServer } from '../test/support/redis-server.js';
import { BENCH_DIR, ensureBenchWorld } from './flows.js';
import { BIN, egress, ROOT, verdict } from './spawn.js';

const SECRET = 'bench-bot-signing-secret';
const TOKEN = 'xoxb-bench-bot';
const CHANNEL = 'C0BENCHBOT';
const GOAL_MS = 500;

/** Returns printable lines. */
export async function benchBot(): Promise<string[]> {
  await ensureBenchWorld();
  const cache = path.join(ROOT, '.bench', 'cache', 'warm');
  // The bot answers as of its own clock: ask a window long enough to hold the whole (past) bench world.
  const days = Math.ceil((Date.now() / 1000 - SAMPLE_NOW) / 86_400) + 10;
  const env = {
    EGRESS_VPC_CIDRS: '10.40.0.0/16,100.64.0.0/16',
    EGRESS_CACHE_DIR: cache,
    EGRESS_MAX_WINDOW: `${days}d`,
  };
  if (!existsSync(cache))
    await egress(['cache', 'warm', 'last', '10d', '--data', BENCH_DIR, '--now', isoSeconds(SAMPLE_NOW)], env);
  const fake = await startSlackApiFake({ token: TOKEN });
  const redis = await startRedisServer();
  const port = await freePort();
  const child = spawn(BIN, ['serve', '--port', String(port)], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      ...env,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: fake.apiUrl,
      REDIS_URL: redis.url,
      EGRESS_DATA_DIR: BENCH_DIR,
      EGRESS_K8S_SNAPSHOT: path.join(BENCH_DIR, 'k8s-snapshot.json'),
      EGRESS_QUEUE: `bench-bot-${process.pid}`,
      EGRESS_RATE_LIMIT_PER_MIN: '1000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const kill = setTimeout(() => child.kill('SIGKILL'), 180_000);
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (
        await fetch(`${base}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 200) throw new Error('egress serve did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    const parents = () => fake.messages(CHANNEL).filter((m) => !m.thread_ts);
    const until = async <T>(f: () => T | undefined): Promise<T> => {
      for (const end = Date.now() + 60_000; Date.now() < end; await new Promise((r) => setTimeout(r, 2))) {
        const v = f();
        if (v !== undefined) return v;
      }
      throw new Error('no threaded answer within 60 s');
    };
    // From the signed POST to the first reply in the thread of this question's own parent message.
    const ask = async (n: number): Promise<number> => {
      const body = slashBody(`who 142.250.80.46 last ${days}d`, { channel: CHANNEL, triggerId: `bench.${n}` });
      const before = parents().length;
      const t = Date.now();
      const res = await postSigned(base, SECRET, body);
      if (res.status !== 200) throw new Error(`slash command answered HTTP ${res.status}`);
      const parent = await until(() => parents()[before]);
      await until(() => fake.messages(CHANNEL).find((m) => m.thread_ts === parent.ts));
      return Date.now() - t;
    };
    await ask(0);
    const times: number[] = [];
    for (let i = 1; i <= 5; i++) times.push(await ask(i));
    const med = [...times].sort((a, b) => a - b)[2] as number;
    return [
      `egress serve (receiver + worker) on the bench world, store warm: slash command → threaded answer ${times.map((t) => `${t} ms`).join(', ')}`,
      `median ${med} ms (goal ≤ ${GOAL_MS} ms) ${verdict(med <= GOAL_MS)}`,
    ];
  } finally {
    clearTimeout(kill);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await fake.close();
    await redis.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  for (const line of await benchBot()) console.log(line);
}
