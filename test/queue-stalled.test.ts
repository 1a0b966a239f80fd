/**
 * A worker process killed (SIGKILL) in the middle of a job: its lock stops being renewed, and once it expires a
 * stalled-job check re-runs the job — within about EGRESS_LOCK_DURATION + EGRESS_STALLED_INTERVAL — on the worker
 * that replaced it, which answers exactly once. Real `bin/egress worker` processes (run `npm run build` first).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CommandJobData, enqueueCommand } from '../src/queue/queue.js';
import { type SlackApiFake, startSlackApiFake } from './fakes/slack-api.js';
import { SAMPLE_NOW, sampleWorld, TOKEN } from './slack-harness.js';
import { type EgressProcess, startEgress } from './support/egress-process.js';
import { slashJob } from './support/slash-job.js';

const redisUrl = inject('redisUrl');
const CH = 'C0STALLED';
const LOCK_S = 2;
const STALLED_S = 1;

describe('a worker killed in the middle of a job', () => {
  let fake: SlackApiFake;
  let env: Record<string, string>;
  let connection: Redis;
  let queue: Queue<CommandJobData>;
  const procs: EgressProcess[] = [];
  beforeAll(async () => {
    fake = await startSlackApiFake({ token: TOKEN });
    const dir = await sampleWorld();
    env = {
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: fake.apiUrl,
      REDIS_URL: redisUrl,
      EGRESS_DATA_DIR: dir,
      EGRESS_K8S_SNAPSHOT: join(dir, 'k8s-snapshot.json'),
      EGRESS_QUEUE: `stall-${randomUUID().slice(0, 8)}`,
      EGRESS_LOCK_DURATION: `${LOCK_S}s`,
      EGRESS_STALLED_INTERVAL: `${STALLED_S}s`,
      PORT: '0',
      LOG_LEVEL: 'info',
    };
    connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    queue = new Queue<CommandJobData>(env.EGRESS_QUEUE as string, { connection });
  });
  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await queue?.close();
    connection?.disconnect();
    await fake?.close();
  });

  it('is re-run by the next worker within the configured lock + stalled interval, and answered once', async () => {
    const first = await startEgress(['worker'], env);
    procs.push(first);
    // The first worker gets as far as posting the parent; it is killed while that call is in flight.
    const hold = fake.hold('chat.postMessage', (a) => a.channel === CH);
    const data = slashJob('dns-bypass last 7d', { channel: CH, requestId: 'req-stalled', requestedAt: SAMPLE_NOW });
    await enqueueCommand(queue, data, 'request-stalled');
    await hold.reached;
    first.child.kill('SIGKILL');
    const killedAt = Date.now();
    expect((await first.exited).signal).toBe('SIGKILL');
    hold.release();
    procs.push(await startEgress(['worker'], env));

    await fake.waitFor(
      (c) => c.method === 'chat.update' && c.args.channel === CH && String(c.args.text).includes('✅'),
      20_000,
    );
    const recovery = (Date.now() - killedAt) / 1000;
    // Lock expiry (≤ LOCK_S) + one or two stalled checks, plus the answer itself; BullMQ's defaults would take 60 s.
    expect(recovery).toBeLessThan(LOCK_S + 2 * STALLED_S + 3);
    const threads = fake.threads(CH);
    expect(threads).toHaveLength(1);
    expect(threads[0]?.parent.text).toContain('✅');
    const summaries = threads[0]?.replies.filter(
      (m) => /^\d+ rows · /.test(String(m.text)) && !/—/.test(String(m.text)),
    );
    expect(summaries).toHaveLength(1);
    const [job] = await queue.getJobs(['completed']);
    expect(job?.data.parent_ts).toBe(threads[0]?.parent.ts);
  }, 60_000);
});
