/**
 * A rolling restart of the receiver (`serve --no-worker`, SIGTERM → deps.close()) right after it acked a command: the
 * work after the ack (the ⏳ parent, then the enqueue) is still running. Held deterministically here by holding the
 * parent's chat.postMessage at the Slack fake while the stop begins.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { CommandJobData } from '../src/queue/queue.js';
import { type Harness, startHarness } from './slack-harness.js';

const redisUrl = inject('redisUrl');
const CH = 'C0000TEST';
const isParent = (a: Record<string, unknown>) => String(a.text).startsWith('🔎') && !a.thread_ts;

describe('stopping the receiver right after an ack', () => {
  const started: Harness[] = [];
  afterEach(async () => {
    for (const h of started.reverse()) await h.stop();
    started.length = 0;
  });

  it('waits for the enqueue before closing Redis; the job is in Redis and a worker answers it once', async () => {
    const receiver = await startHarness({ redisUrl, bot: { worker: false } });
    started.push(receiver);
    const hold = receiver.fake.hold('chat.postMessage', isParent);
    const ack = await receiver.slash('dns-bypass last 7d');
    expect(ack.body?.text).toMatch(/answer in a thread below$/);
    await hold.reached;

    // SIGTERM: the same path as `egress serve` (deps.close(), tier by tier).
    let stopped = false;
    const stopping = receiver.bot.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(stopped, 'stop must wait for the work after the ack').toBe(false);
    hold.release();
    await stopping;
    expect(receiver.logs.map((l) => l.msg)).toContain('waiting for work started after acks');
    expect(receiver.logs.filter((l) => (l.level as number) >= 50)).toEqual([]);

    const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue<CommandJobData>(receiver.queueName, { connection });
    try {
      const [job] = await queue.getJobs(['waiting']);
      const parent = receiver.fake.messages(CH).find((m) => !m.thread_ts);
      expect(job?.data).toMatchObject({ parent_ts: parent?.ts, channel: CH });
    } finally {
      await queue.close();
      connection.disconnect();
    }

    // The new worker pod picks it up and answers in the parent the old receiver posted.
    const worker = await startHarness({
      redisUrl,
      sharedFake: receiver.fake,
      queueName: receiver.queueName,
      bot: { receiver: false },
    });
    started.push(worker);
    await worker.finished(CH, 1, 20_000);
    const msgs = receiver.fake.messages(CH);
    const parents = msgs.filter((m) => !m.thread_ts);
    expect(parents).toHaveLength(1);
    expect(parents[0]?.text).toContain('✅');
    expect(msgs.filter((m) => m.thread_ts === parents[0]?.ts).length).toBeGreaterThanOrEqual(1);
  });
});
