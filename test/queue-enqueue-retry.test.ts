/**
 * The enqueue after the ack when Redis is slow or refuses writes: the asker gets exactly one answer or exactly one
 * "ask again", and nothing later. Each case holds the ⏳ parent's post at the Slack fake, changes Redis under the
 * waiting receiver, then lets the post through, so the enqueue meets the fault deterministically.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { abandonJob, claimJob } from '../src/queue/fate.js';
import { enqueueCommand } from '../src/queue/queue.js';
import { jobsIn } from './queue-helpers.js';
import { type Harness, SAMPLE_NOW, startHarness } from './slack-harness.js';
import { freePort, type RedisServer, startRedisServer } from './support/redis-server.js';
import { slashJob } from './support/slash-job.js';

const CH = 'C0000TEST';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isParent = (a: Record<string, unknown>) => String(a.text).startsWith('🔎') && !a.thread_ts;
const ENQUEUE = { deadlineMs: 800, retryDelayMs: 100 };

/** Every message and private reply telling the asker to ask again. */
const askAgains = (h: Harness) => [
  ...h.fake.messages(CH).filter((m) => m.thread_ts && /Please ask again/.test(String(m.text))),
  ...h.fake.calls.filter((c) => c.method === 'response_url' && /ask again/i.test(String(c.args.text))),
];
const answers = (h: Harness) =>
  h.fake
    .messages(CH)
    .filter((m) => m.thread_ts && /^\d+ rows · /.test(String(m.text)) && !String(m.text).includes('—'));

describe('an enqueue that Redis does not confirm in time', () => {
  let redis: RedisServer | undefined;
  let h: Harness | undefined;
  let admin: Redis | undefined;
  afterEach(async () => {
    redis?.signal('SIGCONT');
    await h?.stop();
    admin?.disconnect();
    await redis?.stop();
    h = admin = redis = undefined;
  });

  async function start(): Promise<Harness> {
    redis = await startRedisServer();
    admin = new Redis(redis.url);
    h = await startHarness({ redisUrl: redis.url, bot: { enqueue: ENQUEUE } });
    return h;
  }

  it('is answered exactly once when Redis was only slow (stopped past the deadline, then resumed)', async () => {
    const h = await start();
    const hold = h.fake.hold('chat.postMessage', isParent);
    await h.slash('dns-bypass last 7d');
    await hold.reached;
    redis?.signal('SIGSTOP');
    hold.release();
    // Well past the deadline: the receiver has asked Redis to settle the enqueue, queued behind the add.
    await sleep(ENQUEUE.deadlineMs + 1_000);
    expect(h.logs.map((l) => l.msg)).toContain('enqueue not confirmed in time; asking Redis whether it landed');
    redis?.signal('SIGCONT');
    await h.finished(CH, 1, 20_000);
    await sleep(1_000);
    const parents = h.fake.messages(CH).filter((m) => !m.thread_ts);
    expect(parents.map((m) => m.text)).toEqual([expect.stringContaining('✅')]);
    expect(answers(h)).toHaveLength(1);
    expect(askAgains(h)).toEqual([]);
  });

  it('tells the asker once to ask again when Redis refused the add (read-only, as in a failover), and runs nothing', async () => {
    const h = await start();
    const hold = h.fake.hold('chat.postMessage', isParent);
    await h.slash('dns-bypass last 7d');
    await hold.reached;
    // A primary demoted to replica: writes fail with READONLY, reads still work.
    await admin?.call('REPLICAOF', '127.0.0.1', String(await freePort()));
    hold.release();
    const deadline = Date.now() + 10_000;
    while (!h.logs.some((l) => l.msg === 'could not settle the enqueue yet; retrying') && Date.now() < deadline)
      await sleep(50);
    await admin?.call('REPLICAOF', 'NO', 'ONE');
    await h.fake.waitFor((c) => c.method === 'chat.update' && String(c.args.text).includes('❌'), 10_000);
    await sleep(1_500);
    expect(askAgains(h)).toHaveLength(1);
    expect(h.fake.messages(CH).find((m) => !m.thread_ts)?.text).toContain('❌');
    expect(answers(h)).toEqual([]);
    expect(await h.bot.queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed')).toEqual({
      waiting: 0,
      active: 0,
      completed: 0,
      failed: 0,
      delayed: 0,
    });
    expect(h.logs.map((l) => l.msg)).not.toContain('job started');
  });

  it('does not run a job that lands after the receiver abandoned it; a worker that claimed first wins', async () => {
    const h = await start();
    const conn = new Redis(redis?.url ?? '');
    try {
      const data = slashJob('dns-bypass last 7d', { channel: CH, requestId: 'req-late', requestedAt: SAMPLE_NOW });
      expect(await abandonJob(conn, h.bot.queue, 'request-late')).toBe('abandoned');
      // The add that was still on its way when the receiver gave up.
      await enqueueCommand(h.bot.queue, data, 'request-late');
      const [job] = await jobsIn(h.bot.queue, 'completed');
      expect(job?.returnvalue).toEqual({ rows: 0 });
      expect(h.fake.calls.filter((c) => c.method === 'chat.postMessage')).toEqual([]);
      expect(h.logs.map((l) => l.msg)).toContain('job landed after the receiver gave up on it; not running it');
      // The other order: once a worker has claimed a job, giving up on it reports it landed.
      expect(await claimJob(conn, h.bot.queue.name, 'request-other')).toBe('run');
      expect(await abandonJob(conn, h.bot.queue, 'request-other')).toBe('landed');
      expect(await claimJob(conn, h.bot.queue.name, 'request-other')).toBe('run');
    } finally {
      conn.disconnect();
    }
  });
});
