import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Harness, SECRET, startHarness, TOKEN } from './slack-harness.js';

const redisUrl = inject('redisUrl');

describe('authorization, rate limit and audit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      redisUrl,
      bot: { worker: false },
      env: {
        EGRESS_ALLOWED_CHANNELS: 'C0000TEST,C0OTHER',
        EGRESS_ALLOWED_USERS: 'U0000ASKER,S0ONCALL',
        EGRESS_RATE_LIMIT_PER_MIN: '2',
      },
      fake: { usergroups: { S0ONCALL: ['U0GROUPIE'] } },
    });
  });
  afterAll(() => h?.stop());

  const audits = () => h.logs.filter((l) => l.audit === 'authorization');

  it('denies a channel outside EGRESS_ALLOWED_CHANNELS, names it, writes one audit line, queues nothing', async () => {
    const before = audits().length;
    const ack = await h.slash('who 142.250.80.46', { channel: 'C0RANDOM' });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ response_type: 'ephemeral' });
    expect(ack.body?.text).toContain('EGRESS_ALLOWED_CHANNELS');
    expect(ack.body?.text).toContain('C0RANDOM');
    const lines = audits().slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      user: 'U0000ASKER',
      channel: 'C0RANDOM',
      command: 'who 142.250.80.46 · last 7d',
      decision: 'deny',
      reason: 'channel',
    });
    expect(await h.bot.queue.count()).toBe(0);
  });

  it('denies a user outside EGRESS_ALLOWED_USERS and its groups', async () => {
    const ack = await h.slash('dns-bypass', { user: 'U0STRANGER' });
    expect(ack.body?.text).toContain('EGRESS_ALLOWED_USERS or in one of its user groups');
    expect(audits().at(-1)).toMatchObject({ user: 'U0STRANGER', decision: 'deny', reason: 'user' });
    expect(await h.bot.queue.count()).toBe(0);
  });

  it('allows a member of an allowed user group (usergroups.users.list)', async () => {
    const ack = await h.slash('dns-bypass', { user: 'U0GROUPIE', channel: 'C0OTHER' });
    expect(ack.body?.text).toMatch(/^Looking for workloads talking DNS/);
    expect(audits().at(-1)).toMatchObject({ user: 'U0GROUPIE', channel: 'C0OTHER', decision: 'allow' });
    expect(h.fake.calls.filter((c) => c.method === 'usergroups.users.list')).toHaveLength(1);
    await h.queued(1);
    expect(await h.bot.queue.count()).toBe(1);
  });

  it('rate-limits per user with a clear message', async () => {
    const user = 'U0000ASKER';
    const a = await h.slash('dns-bypass last 1d', { user });
    const b = await h.slash('dns-bypass last 2d', { user });
    const c = await h.slash('dns-bypass last 3d', { user });
    expect(a.body?.text).toMatch(/^Looking for/);
    expect(b.body?.text).toMatch(/^Looking for/);
    expect(c.body?.text).toContain('which is the limit (EGRESS_RATE_LIMIT_PER_MIN). Try again in');
    expect(audits().at(-1)).toMatchObject({ user, decision: 'rate_limited' });
    // Another user is not affected.
    const d = await h.slash('dns-bypass', { user: 'U0GROUPIE' });
    expect(d.body?.text).toMatch(/^Looking for/);
  });

  it('never logs secrets, tokens or response URLs', () => {
    const raw = h.rawLogs();
    expect(raw.length).toBeGreaterThan(0);
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain(TOKEN);
    expect(raw).not.toContain('/response/');
    // Every receiver line of a request carries its request id.
    for (const l of h.logs.filter((x) => x.source === 'slash')) expect(l.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
