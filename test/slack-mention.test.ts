import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mentionText } from '../src/slack/app-mention.js';
import { type Harness, startHarness } from './slack-harness.js';

const redisUrl = inject('redisUrl');
const CH = 'C0000TRIAGE';
const BOT = 'UBOT0001';

describe('@egress mentions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ redisUrl, fake: { botUserId: BOT } });
  });
  afterAll(() => h?.stop());

  it('strips mentions before parsing', () => {
    expect(mentionText(`<@${BOT}> who 1.2.3.4 last 30d`)).toBe('who 1.2.3.4 last 30d');
    expect(mentionText(`<@${BOT}|egress>   dns-bypass`)).toBe('dns-bypass');
  });

  it('answers a mention inside a thread in that thread, and nothing at the top level', async () => {
    const thread = '1700000000.000001';
    const status = await h.event({
      user: 'U0000ONCALL',
      channel: CH,
      text: `<@${BOT}> who 142.250.80.46 last 30d`,
      ts: '1700000050.000002',
      thread_ts: thread,
    });
    expect(status).toBe(200);
    await h.finished(CH);
    const msgs = h.fake.messages(CH);
    expect(msgs.every((m) => m.thread_ts === thread)).toBe(true);
    const [parent, ...replies] = msgs;
    expect(parent?.text).toContain('who 142.250.80.46 · last 30d · ✅ Done');
    expect(replies.length).toBeGreaterThanOrEqual(3);
    expect(replies[0]?.text).toMatch(/^\d+ rows · /);
    // The parent is a reply in the thread too: posted "⏳ Queued" right after the event's ack, updated in place.
    const posts = h.fake.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.args.channel === CH && String(c.args.text).startsWith('🔎'),
    );
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args).toMatchObject({ thread_ts: thread, text: '🔎 who 142.250.80.46 · last 30d · ⏳ Queued' });
    const updates = h.fake.calls.filter((c) => c.method === 'chat.update' && c.args.ts === parent?.ts);
    expect(String(updates[0]?.args.text)).toContain('🔄 Querying');
    expect(updates.length).toBeGreaterThanOrEqual(2);
  });

  it('runs a redelivered event (X-Slack-Retry-Num) only once', async () => {
    const ch = 'C0000RETRY';
    const event = { user: 'U0000ONCALL', channel: ch, text: `<@${BOT}> dns-bypass last 7d`, ts: '1700000100.000001' };
    expect(await h.event(event, { eventId: 'Ev0RETRY1' })).toBe(200);
    expect(await h.event(event, { eventId: 'Ev0RETRY1', retryNum: 1 })).toBe(200);
    expect(await h.event(event, { eventId: 'Ev0RETRY1', retryNum: 2 })).toBe(200);
    await h.finished(ch);
    // Give a duplicate job, had one been queued, time to show up.
    await new Promise((r) => setTimeout(r, 500));
    const parents = h.fake.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.args.channel === ch && String(c.args.text).startsWith('🔎'),
    );
    expect(parents).toHaveLength(1);
    expect(String(parents[0]?.args.text)).toContain('⏳ Queued');
    expect(h.logs.filter((l) => l.msg === 'duplicate event delivery ignored')).toHaveLength(2);
    const jobs = await h.bot.queue.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed']);
    expect(jobs.filter((j) => j.data.channel === ch).map((j) => [j.id, j.data.parent_ts])).toEqual([
      ['event-Ev0RETRY1', h.fake.messages(ch)[0]?.ts],
    ]);
    // A mention at the top level gets its answer in the mention's own thread.
    expect(h.fake.messages(ch).every((m) => m.thread_ts === event.ts)).toBe(true);
  });

  it('answers bad text in a mention privately, and queues nothing', async () => {
    const before = await h.bot.queue.count();
    await h.event({
      user: 'U0000ONCALL',
      channel: CH,
      text: `<@${BOT}> who`,
      ts: '1700000200.000001',
      thread_ts: '1700000000.000001',
    });
    const eph = await h.fake.waitFor(
      (c) => c.method === 'chat.postEphemeral' && String(c.args.text).includes('needs an IP address'),
    );
    expect(eph.args).toMatchObject({ channel: CH, user: 'U0000ONCALL', thread_ts: '1700000000.000001' });
    expect(await h.bot.queue.count()).toBe(before);
  });
});
