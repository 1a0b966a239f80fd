/**
 * The follow-up buttons end to end (real Bolt HTTP receiver, Redis, BullMQ worker, Slack API fake): a `who <name>`
 * thread offers "what else does this workload reach", whose click runs `from` in the same thread; that answer offers
 * "who else talks to this", which runs `who <ip>` there too. A click is authorized and audited like typed text: a
 * user outside the allowlist is refused and nothing is queued.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SlackMessage } from './fakes/slack-api.js';
import { type Harness, SECRET, startHarness } from './slack-harness.js';

const redisUrl = inject('redisUrl');
const CH = 'C0000TEST';

interface Button {
  action_id: string;
  value: string;
  text: { text: string };
}

/** The follow-up buttons of the messages in a thread. */
function buttons(msgs: readonly SlackMessage[]): Button[] {
  return msgs.flatMap((m) =>
    ((m.blocks ?? []) as Array<{ type: string; elements?: Button[] }>)
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? []),
  );
}

/** The reply (in `thread`) carrying the button, as Slack shows it to the clicker. */
function messageWith(msgs: readonly SlackMessage[], b: Button): SlackMessage {
  const m = msgs.find((x) => JSON.stringify(x.blocks ?? []).includes(b.value));
  if (!m) throw new Error(`no message carries ${b.value}`);
  return m;
}

/** POSTs a signed `block_actions` payload for a click on `b` in message `m`. */
async function click(h: Harness, m: SlackMessage, b: Button, user = 'U0000ASKER'): Promise<number> {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0000FAKE', domain: 'fake' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0000FAKE' },
    api_app_id: 'A0000FAKE',
    token: 'legacy',
    container: { type: 'message', message_ts: m.ts, channel_id: CH, is_ephemeral: false, thread_ts: m.thread_ts },
    trigger_id: `${Date.now()}.${randomUUID()}`,
    channel: { id: CH, name: 'test' },
    message: { type: 'message', ts: m.ts, thread_ts: m.thread_ts, text: m.text, blocks: m.blocks },
    response_url: `${h.url}/response/unused`,
    actions: [
      {
        type: 'button',
        action_id: b.action_id,
        block_id: 'egress-followups',
        value: b.value,
        action_ts: String(Date.now() / 1000),
        text: { type: 'plain_text', text: b.text.text },
      },
    ],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const t = Math.floor(Date.now() / 1000);
  const res = await fetch(`${h.url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(t),
      'x-slack-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${t}:${body}`).digest('hex')}`,
    },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

describe('follow-up buttons', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ redisUrl, env: { EGRESS_ALLOWED_USERS: 'U0000ASKER' } });
  });
  afterAll(() => h?.stop());

  it('who <name> → "what else does it reach" → from → "who else talks to this" → who, all in one thread', async () => {
    expect((await h.slash('who *.vendorx.io last 10d')).status).toBe(200);
    await h.finished(CH);
    const parent = h.fake.messages(CH).find((m) => !m.thread_ts) as SlackMessage;
    const thread = () => h.fake.messages(CH).filter((m) => m.thread_ts === parent.ts);
    const offered = buttons(thread());
    // One workload sent all three rows: one button.
    expect(offered.map((b) => [b.text.text, b.value])).toEqual([
      ['🔭 What else does billing/ledger-api reach?', 'from billing/Deployment/ledger-api last 10d'],
    ]);

    expect(await click(h, messageWith(thread(), offered[0] as Button), offered[0] as Button)).toBe(200);
    await h.finished(CH, 2);
    // The second answer's parent is posted in the first answer's thread, and its replies go there too.
    const second = thread().find((m) => String(m.text).includes('from billing/Deployment/ledger-api · last 10d'));
    expect(second?.text).toContain('✅ Done');
    const all = JSON.stringify(thread().map((m) => m.blocks));
    expect(all).toContain('3 destinations');
    expect(all).toContain('🆕');
    const who = buttons(thread()).filter((b) => b.value.startsWith('who '));
    expect(who.map((b) => b.value)).toEqual([
      'who 34.120.5.77 last 10d',
      'who 34.120.44.1 last 10d',
      'who 34.120.9.10 last 10d',
    ]);

    expect(await click(h, messageWith(thread(), who[1] as Button), who[1] as Button)).toBe(200);
    await h.finished(CH, 3);
    expect(
      thread().some((m) => String(m.text).includes('who 34.120.44.1 · last 10d') && /✅ Done/.test(String(m.text))),
    ).toBe(true);
    expect(h.fake.messages(CH).filter((m) => !m.thread_ts)).toHaveLength(1);
    const [a, b, c] = [...(await h.bot.queue.getJobs(['completed']))].sort(
      (x, y) => Number(x.timestamp) - Number(y.timestamp),
    );
    expect([a?.data.thread_ts, b?.data.thread_ts, c?.data.thread_ts]).toEqual([undefined, parent.ts, parent.ts]);
    // Each click wrote the same audit line a typed command does.
    const audits = h.logs.filter((l) => l.audit === 'authorization' && l.via === 'followup-button');
    expect(audits.map((l) => [l.command, l.decision])).toEqual([
      ['from billing/Deployment/ledger-api · last 10d', 'allow'],
      ['who 34.120.44.1 · last 10d', 'allow'],
    ]);
  });

  it('refuses a click from a user outside the allowlist, queueing nothing', async () => {
    const before = (await h.bot.queue.getJobs(['completed', 'waiting', 'active', 'delayed', 'failed'])).length;
    const m = h.fake.messages(CH).find((x) => buttons([x]).length) as SlackMessage;
    const b = buttons([m])[0] as Button;
    expect(await click(h, m, b, 'U0INTRUDER')).toBe(200);
    const deadline = Date.now() + 5_000;
    while (!h.fake.calls.some((c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0INTRUDER')) {
      if (Date.now() > deadline) throw new Error('no refusal posted');
      await new Promise((r) => setTimeout(r, 25));
    }
    const refusal = h.fake.calls.find((c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0INTRUDER');
    expect(String(refusal?.args.text)).toMatch(/⛔ .*not in EGRESS_ALLOWED_USERS/);
    expect(refusal?.args.thread_ts).toBe(m.thread_ts);
    await new Promise((r) => setTimeout(r, 300));
    expect((await h.bot.queue.getJobs(['completed', 'waiting', 'active', 'delayed', 'failed'])).length).toBe(before);
    expect(
      h.logs.some(
        (l) =>
          l.audit === 'authorization' &&
          l.user === 'U0INTRUDER' &&
          l.decision === 'deny' &&
          l.via === 'followup-button',
      ),
    ).toBe(true);
  });
});
