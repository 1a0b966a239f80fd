import { afterEach, describe, expect, inject, it } from 'vitest';
import { jobsIn } from './queue-helpers.js';
import { type Harness, startHarness } from './slack-harness.js';

const redisUrl = inject('redisUrl');
const CH = 'C0000TEST';

describe('posting answers to Slack', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('posts the first N rows and attaches the full result as CSV when the answer is long', async () => {
    h = await startHarness({ redisUrl, bot: { maxRows: 2 } });
    await h.slash('who 142.250.80.46 last 7d');
    await h.finished(CH);
    const parent = h.fake.messages(CH).find((m) => !m.thread_ts);
    expect(h.fake.uploads).toHaveLength(1);
    const [upload] = h.fake.uploads;
    expect(upload).toMatchObject({
      completed: true,
      channel_id: CH,
      thread_ts: parent?.ts,
      filename: 'egress-who-142.250.80.46-last-7d.csv',
    });
    const lines = upload?.bytes.toString('utf8').trim().split('\r\n') ?? [];
    expect(lines[0]).toBe(
      'namespace,workload_kind,workload,pod,pod_ip,node,external_ip,dst_port,protocol,flows,rejected,bytes_out,bytes_in,first_seen_utc,last_seen_utc,note',
    );
    expect(lines).toHaveLength(7);
    const rowsReply = h.fake.messages(CH).find((m) => JSON.stringify(m.blocks ?? []).includes('Top 2 of 6 rows'));
    expect(rowsReply?.thread_ts).toBe(parent?.ts);
    // The file share is the last reply in the thread.
    expect(h.fake.messages(CH).at(-1)?.files).toHaveLength(1);
  });

  it('honours 429 Retry-After and still posts exactly one answer', async () => {
    h = await startHarness({ redisUrl });
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    h.fake.failNext('chat.update', { status: 429, retryAfter: 1 });
    await h.slash('dns-bypass last 7d');
    await h.finished(CH, 1, 30_000);
    const posts = h.fake.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts[0]?.status).toBe(429);
    expect(posts[1]?.status).toBe(200);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(990);
    // The rate-limited call was the receiver's queued parent: retried after Retry-After, posted once.
    expect(String(posts[1]?.args.text)).toContain('⏳ Queued');
    expect(posts.filter((c) => c.status === 200 && !c.args.thread_ts)).toHaveLength(1);
    const msgs = h.fake.messages(CH);
    expect(msgs.filter((m) => !m.thread_ts)).toHaveLength(1);
    expect(msgs.filter((m) => m.thread_ts).length).toBeGreaterThanOrEqual(2);
    expect(msgs.find((m) => !m.thread_ts)?.text).toContain('✅');
  });

  it('tells the asker through response_url to invite the bot when it is not in the channel, and queues nothing', async () => {
    h = await startHarness({ redisUrl });
    h.fake.failNext('chat.postMessage', { error: 'not_in_channel' });
    const ack = await h.slash('who 142.250.80.46', { channel: 'C0PRIVATE', responseId: 'R-invite' });
    expect(ack.body?.text).toMatch(/^Looking up who talked/);
    const call = await h.fake.waitFor((c) => c.method === 'response_url' && c.args.response_id === 'R-invite', 10_000);
    expect(call.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(call.args.text)).toContain('Invite me with `/invite @egress`');
    // The receiver's queued parent was the only attempt; no job was added, so nothing retries or posts later.
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    expect(await h.bot.queue.count()).toBe(0);
    expect(await h.bot.queue.getJobCounts('completed', 'failed')).toEqual({ completed: 0, failed: 0 });
    expect(h.fake.messages('C0PRIVATE')).toHaveLength(0);
  });

  it('still queues the command when posting the queued parent fails otherwise; the worker posts the parent', async () => {
    h = await startHarness({ redisUrl });
    h.fake.failNext('chat.postMessage', { error: 'fatal_error' });
    await h.slash('dns-bypass last 7d');
    await h.finished(CH);
    const posts = h.fake.calls.filter((c) => c.method === 'chat.postMessage' && !c.args.thread_ts);
    expect(posts.map((c) => [c.error, String(c.args.text).replace(/^.* · /, '')])).toEqual([
      ['fatal_error', '⏳ Queued'],
      [undefined, '🔄 Querying…'],
    ]);
    const msgs = h.fake.messages(CH);
    const parent = msgs.find((m) => !m.thread_ts);
    expect(msgs.filter((m) => !m.thread_ts)).toHaveLength(1);
    expect(parent?.text).toContain('✅');
    expect(msgs.filter((m) => m.thread_ts === parent?.ts).length).toBeGreaterThanOrEqual(2);
    const [job] = await jobsIn(h.bot.queue, 'completed');
    expect(job?.data.parent_ts).toBe(parent?.ts);
  });
});
