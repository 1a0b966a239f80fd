import { afterEach, describe, expect, inject, it } from 'vitest';
import { PermanentError, TransientError, UserError } from '../src/errors.js';
import { failing, gate, jobsIn } from './queue-helpers.js';
import { type Harness, startHarness } from './slack-harness.js';

const redisUrl = inject('redisUrl');
const CH = 'C0000TEST';

const parents = (h: Harness) =>
  h.fake.calls.filter((c) => c.method === 'chat.postMessage' && String(c.args.text).startsWith('🔎'));

describe('worker: retries, failures, timeouts', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('retries a transient failure and updates the parent it already posted (one parent, one answer)', async () => {
    h = await startHarness({ redisUrl, engine: failing([new TransientError('THROTTLED', 'Athena is throttling')]) });
    await h.slash('dns-bypass last 7d');
    await h.finished(CH, 1, 20_000);
    expect(parents(h)).toHaveLength(1);
    const updates = h.fake.calls.filter((c) => c.method === 'chat.update').map((c) => String(c.args.text));
    expect(updates.some((t) => t.includes('⏳ Queued'))).toBe(true);
    const blocks = h.fake.calls.filter((c) => c.method === 'chat.update').map((c) => JSON.stringify(c.args.blocks));
    expect(blocks.some((b) => b.includes('retrying (attempt 2 of 3) after: Athena is throttling'))).toBe(true);
    const msgs = h.fake.messages(CH);
    const parent = msgs.find((m) => !m.thread_ts);
    expect(parent?.text).toContain('✅');
    const thread = msgs.filter((m) => m.thread_ts === parent?.ts);
    expect(thread.filter((m) => /^\d+ rows · /.test(String(m.text)) && !String(m.text).includes('—'))).toHaveLength(1);
    const [job] = await jobsIn(h.bot.queue, 'completed');
    // BullMQ counts finished attempts, the successful one included: one failure + one success.
    expect(job?.attemptsMade).toBe(2);
    expect(job?.data.parent_ts).toBe(parent?.ts);
  });

  it('shows a user error on the parent and in the thread, without retrying', async () => {
    h = await startHarness({
      redisUrl,
      engine: failing([new UserError('BAD_WINDOW', 'That window has no data yet; try `last 1d`.')]),
    });
    await h.slash('dns-bypass last 7d');
    await h.finished(CH);
    const msgs = h.fake.messages(CH);
    const parent = msgs.find((m) => !m.thread_ts);
    expect(parent?.text).toContain('❌ Failed');
    expect(msgs.find((m) => m.thread_ts === parent?.ts)?.text).toContain('That window has no data yet');
    const [job] = await jobsIn(h.bot.queue, 'failed');
    expect(job?.attemptsMade).toBe(1);
    expect(parents(h)).toHaveLength(1);
  });

  it('reports a permanent failure once, with what to do and the request id', async () => {
    h = await startHarness({
      redisUrl,
      engine: failing([new PermanentError('ACCESS_DENIED', 'Access denied to the log bucket.')]),
    });
    await h.slash('dns-bypass last 7d');
    await h.finished(CH);
    const msgs = h.fake.messages(CH);
    const reply = msgs.find((m) => m.thread_ts);
    expect(reply?.text).toContain('Access denied to the log bucket.');
    expect(JSON.stringify(reply?.blocks)).toMatch(/tell the bot owners \(request id [0-9a-f-]{36}\)/);
    const [job] = await jobsIn(h.bot.queue, 'failed');
    expect(job?.attemptsMade).toBe(1);
  });

  it('stops a job at EGRESS_JOB_TIMEOUT through the abort signal, and does not retry it', async () => {
    const g = gate();
    h = await startHarness({ redisUrl, engine: g.wrap, env: { EGRESS_JOB_TIMEOUT: '1s' } });
    await h.slash('dns-bypass last 7d');
    await g.entered;
    await h.finished(CH, 1, 10_000);
    expect(g.signals[0]?.aborted).toBe(true);
    const msgs = h.fake.messages(CH);
    expect(msgs.find((m) => !m.thread_ts)?.text).toContain('❌');
    expect(msgs.find((m) => m.thread_ts)?.text).toContain('took longer than 1 second and was stopped');
    const [job] = await jobsIn(h.bot.queue, 'failed');
    expect(job?.attemptsMade).toBe(1);
  });
});

describe('graceful shutdown', () => {
  const open: Harness[] = [];
  afterEach(async () => {
    for (const x of open.splice(0)) await x.stop();
  });

  it('lets an in-flight job finish within the grace period before stopping', async () => {
    const g = gate();
    const h = await startHarness({ redisUrl, engine: g.wrap, env: { EGRESS_SHUTDOWN_GRACE: '20s' } });
    open.push(h);
    await h.slash('dns-bypass last 7d');
    await g.entered;
    const stopped = h.bot.stop();
    // The receiver stops accepting at once.
    await new Promise((r) => setTimeout(r, 100));
    await expect(fetch(`${h.url}/healthz`)).rejects.toThrow();
    g.release();
    await stopped;
    expect(h.fake.messages(CH).find((m) => !m.thread_ts)?.text).toContain('✅');
  });

  it('re-queues a job still running after the grace period; the next worker answers in the same parent', async () => {
    const g = gate();
    const first = await startHarness({ redisUrl, engine: g.wrap, env: { EGRESS_SHUTDOWN_GRACE: '1s' } });
    open.push(first);
    await first.slash('dns-bypass last 7d');
    await g.entered;
    await first.bot.stop();
    expect(first.fake.messages(CH)[0]?.text).toContain('⏳ Queued');
    const second = await startHarness({ redisUrl, sharedFake: first.fake, queueName: first.queueName });
    open.unshift(second);
    await second.finished(CH);
    const msgs = first.fake.messages(CH);
    expect(msgs.filter((m) => !m.thread_ts)).toHaveLength(1);
    expect(msgs[0]?.text).toContain('✅');
    expect(parents(first)).toHaveLength(1);
    const [job] = await jobsIn(second.bot.queue, 'completed');
    // Only the successful attempt counts: the interrupted one was put back without spending an attempt.
    expect(job?.attemptsMade).toBe(1);
  });
});
