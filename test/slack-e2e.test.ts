import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SlackMessage } from './fakes/slack-api.js';
import { type Harness, SAMPLE_NOW, startHarness } from './slack-harness.js';
import { askAs } from './support/ask.js';

const redisUrl = inject('redisUrl');
const CH = 'C0000TEST';

/** All text of a message's blocks, for content assertions. */
function blockText(m: SlackMessage): string {
  return JSON.stringify(m.blocks ?? []);
}

describe('slash command → queue → worker → threaded answer', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ redisUrl });
  });
  afterAll(() => h?.stop());

  it('acks with the ephemeral, then posts a parent updated in place and the answer in its thread', async () => {
    const ack = await h.slash('who 142.250.80.46');
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({
      response_type: 'ephemeral',
      text: 'Looking up who talked to 142.250.80.46 over the last 7 days… answer in a thread below',
    });
    await h.finished(CH);
    const msgs = h.fake.messages(CH);
    const parents = msgs.filter((m) => !m.thread_ts);
    expect(parents).toHaveLength(1);
    const parent = parents[0] as SlackMessage;
    expect(blockText(parent)).toContain('who 142.250.80.46 · last 7d');
    expect(blockText(parent)).toContain('<@U0000ASKER>');
    expect(parent.text).toContain('✅ Done');
    // Posted right after the ack as "⏳ Queued" (the first call to Slack), then updated in place by the worker:
    // querying first, done last, and never a second parent.
    const posts = h.fake.calls.filter((c) => c.method === 'chat.postMessage' && !c.args.thread_ts);
    expect(posts).toHaveLength(1);
    expect(h.fake.calls.filter((c) => c.method.startsWith('chat.'))[0]).toBe(posts[0]);
    expect(String(posts[0]?.args.text)).toBe('🔎 who 142.250.80.46 · last 7d · ⏳ Queued');
    expect(JSON.stringify(posts[0]?.args.blocks)).toContain('asked by <@U0000ASKER>');
    const updates = h.fake.calls.filter((c) => c.method === 'chat.update' && c.args.ts === parent.ts);
    expect(String(updates[0]?.args.text)).toContain('🔄 Querying');
    expect(String(updates.at(-1)?.args.text)).toContain('✅ Done');
    // The final chat.update is posted inside the job; BullMQ marks it completed right after: wait for that.
    let [job] = await h.bot.queue.getJobs(['completed']);
    for (let i = 0; !job && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 20));
      [job] = await h.bot.queue.getJobs(['completed']);
    }
    expect(job?.data.parent_ts).toBe(parent.ts);

    // The thread holds exactly what the command answers for the same `now`.
    const answer = await askAs('who', 'who 142.250.80.46', await h.deps.context(SAMPLE_NOW));
    const thread = msgs.filter((m) => m.thread_ts === parent.ts);
    expect(thread.length).toBeGreaterThanOrEqual(3);
    const all = thread.map(blockText).join('\n');
    expect(thread[0]?.text).toContain(`${answer.rows?.length} rows`);
    for (const r of answer.rows ?? []) expect(all).toContain(r.pod ?? r.podIp);
    for (const d of 'domains' in answer ? answer.domains : []) expect(all).toContain(d.name);
    expect(all).toMatch(/<!date\^\d+\^\{date_short_pretty\} \{time\}\|/);
    expect(h.fake.uploads).toHaveLength(0);
  });

  it('answers help directly in the ack and queues nothing', async () => {
    const before = await h.bot.queue.getJobCounts();
    const ack = await h.slash('help');
    expect(ack.body?.text).toBe('egress commands');
    expect(JSON.stringify(ack.body?.blocks)).toContain('who &lt;ip&gt; [last N(h|d)]');
    expect(await h.bot.queue.getJobCounts()).toEqual(before);
  });

  it('answers bad text with a fix-it message and usage, and queues nothing', async () => {
    const before = await h.bot.queue.getJobCounts();
    const ack = await h.slash('who 10.40.12.34');
    expect(ack.body?.text).toContain('is a private/internal address');
    expect(ack.body?.text).toContain('Usage:');
    const ack2 = await h.slash('whom 1.2.3.4');
    expect(ack2.body?.text).toContain('Unknown command "whom"');
    expect(await h.bot.queue.getJobCounts()).toEqual(before);
  });

  it('serves /healthz and /metrics on the same port', async () => {
    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      ok: true,
      checks: [
        { name: 'redis', ok: true },
        { name: 'worker', ok: true },
        { name: 'digest-worker', ok: true },
      ],
    });
    const text = await (await fetch(`${h.url}/metrics`)).text();
    for (const name of [
      'egress_commands_total{command="who",outcome="queued"}',
      'egress_commands_total{command="who",outcome="answered"}',
      'egress_ack_latency_seconds_bucket',
      'egress_queue_wait_seconds_count',
      'egress_job_duration_seconds_count',
      'egress_engine_bytes_scanned_total{engine="duckdb"}',
      'egress_queue_depth{state="waiting"}',
    ]) {
      expect(text).toContain(name);
    }
  });
});
