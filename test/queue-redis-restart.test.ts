import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { gate, jobsIn } from './queue-helpers.js';
import { type Harness, startHarness } from './slack-harness.js';
import { type RedisServer, startRedisServer } from './support/redis-server.js';

const CH = 'C0000TEST';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Redis restarted in the middle of a job', () => {
  // A private server: killing the suite's shared one would break other test files.
  let redis: RedisServer | undefined;
  let h: Harness | undefined;
  afterAll(async () => {
    await h?.stop();
    await redis?.stop();
  });

  it('posts exactly one answer, and the bot keeps working afterwards', async () => {
    redis = await startRedisServer();
    const g = gate();
    h = await startHarness({ redisUrl: redis.url, engine: g.wrap });
    await h.slash('dns-bypass last 7d');
    // The gate is reached after the parent was posted and its ts saved in the job.
    await g.entered;
    // Persist as a production Redis (RDB/AOF) would, then kill it while the job is querying.
    const admin = new Redis(redis.url);
    await admin.save();
    admin.disconnect();
    await redis.kill();
    g.release();
    // The worker posts to Slack while Redis is down; its progress writes wait for the reconnect.
    await sleep(700);
    await redis.restart();
    await h.finished(CH, 1, 30_000);
    await jobsIn(h.bot.queue, 'completed');
    // Time for a duplicate answer to show up, were there going to be one.
    await sleep(1_000);

    const posts = h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200);
    expect(posts.filter((c) => !c.args.thread_ts)).toHaveLength(1);
    const msgs = h.fake.messages(CH);
    const parent = msgs.find((m) => !m.thread_ts);
    expect(parent?.text).toContain('✅');
    const summaries = msgs.filter(
      (m) =>
        m.thread_ts === parent?.ts && /^\d+ rows · \d+ workloads/.test(String(m.text)) && !String(m.text).includes('—'),
    );
    expect(summaries).toHaveLength(1);
    const counts = await h.bot.queue.getJobCounts('completed', 'failed', 'active', 'waiting', 'delayed');
    expect(counts).toEqual({ completed: 1, failed: 0, active: 0, waiting: 0, delayed: 0 });

    // The receiver and the worker reconnected.
    const ack = await h.slash('who 142.250.80.46');
    expect(ack.body?.text).toMatch(/^Looking up who talked/);
    await h.finished(CH, 2, 20_000);
    expect(h.fake.messages(CH).filter((m) => !m.thread_ts)).toHaveLength(2);
  }, 60_000);
});
