/**
 * Demo of the real bot path, all on 127.0.0.1: a private redis-server (or REDIS_URL), the Bolt HTTP receiver and the
 * BullMQ worker of `egress serve`, and the Slack Web API fake. Sends signed `/egress who 142.250.80.46` and
 * `/egress dns-bypass last 7d`, prints the acks, parent messages and threads as text, then shuts everything down.
 *
 *   npx tsx scripts/demo-bot.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { generateWorld, SAMPLE_NOW } from '../dev/sample/world.js';
import { loadConfig } from '../src/config.js';
import { buildDeps } from '../src/main.js';
import { blocksToPlain } from '../src/render/blocks-plain.js';
import { startBot } from '../src/server/start.js';
import { startSlackApiFake } from '../test/fakes/slack-api.js';
import { postSigned, slashBody } from '../test/slack-harness.js';
import { type RedisServer, startRedisServer } from '../test/support/redis-server.js';

const SECRET = 'demo-signing-secret';
const TOKEN = 'xoxb-demo';
const CHANNEL = 'C0INCIDENT';

/** Runs the demo over `dataDir` (a sample world; default: a fresh one in a temp dir); `print` gets each line. */
export async function demoBot(o: { dataDir?: string; print?: (line: string) => void } = {}): Promise<void> {
  const print = o.print ?? console.log;
  const out = (...lines: string[]) => {
    for (const l of lines) print(l);
  };
  const tmp = o.dataDir ? undefined : await mkdtemp(join(tmpdir(), 'egress-demo-bot-'));
  const dir = o.dataDir ?? (tmp as string);
  let redis: RedisServer | undefined;
  const fake = await startSlackApiFake({ token: TOKEN });
  try {
    if (tmp) await generateWorld({ dir });
    if (!process.env.REDIS_URL) redis = await startRedisServer();
    const redisUrl = process.env.REDIS_URL ?? (redis as RedisServer).url;
    const config = loadConfig({
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: fake.apiUrl,
      REDIS_URL: redisUrl,
      EGRESS_DATA_DIR: dir,
      EGRESS_K8S_SNAPSHOT: join(dir, 'k8s-snapshot.json'),
      EGRESS_QUEUE: `egress-demo-${process.pid}`,
    });
    // The clock is the sample world's "now", so the answers match `egress who … --now 2026-11-20T12:00:00Z`.
    const deps = buildDeps(config, pino({ level: 'silent' }), { clock: () => SAMPLE_NOW });
    const bot = await startBot(deps, { port: 0, host: '127.0.0.1' });
    out(
      `bot listening on http://127.0.0.1:${bot.port}/slack/events (redis ${redisUrl}, Slack API fake ${fake.apiUrl})`,
    );
    try {
      for (const [i, text] of ['who 142.250.80.46', 'dns-bypass last 7d'].entries()) {
        const body = slashBody(text, {
          channel: CHANNEL,
          user: 'U0ONCALL',
          responseUrl: fake.responseUrl(`R${i}`),
          triggerId: `demo.${i}`,
        });
        const res = await postSigned(`http://127.0.0.1:${bot.port}`, SECRET, body);
        const ack = (await res.json()) as { text: string };
        out('', `» /egress ${text}`, `  ack (HTTP ${res.status}, ephemeral): ${ack.text}`);
        await fake.waitFor(
          (c) => c.method === 'chat.update' && /✅|❌/.test(String(c.args.text)) && c.at > 0 && countDone() > i,
          60_000,
        );
      }
    } finally {
      await bot.stop();
      await deps.close();
    }
    for (const parent of fake.messages(CHANNEL).filter((m) => !m.thread_ts)) {
      out('', '═'.repeat(100), indent(blocksToPlain(parent.blocks, parent.text), ''), '─'.repeat(100));
      for (const reply of fake.messages(CHANNEL).filter((m) => m.thread_ts === parent.ts)) {
        out(
          indent(
            reply.files
              ? `📎 ${reply.text} [${reply.files.map((f) => f.title).join(', ')}]`
              : blocksToPlain(reply.blocks, reply.text),
            '  │ ',
          ),
          '  │',
        );
      }
    }
  } finally {
    await fake.close();
    await redis?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }

  function countDone(): number {
    return fake.calls.filter((c) => c.method === 'chat.update' && /✅|❌/.test(String(c.args.text))).length;
  }
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  demoBot().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
