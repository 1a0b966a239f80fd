import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { type Harness, SECRET, sign, slashBody, startHarness } from './slack-harness.js';

const redisUrl = inject('redisUrl');

// Slack's published example (https://api.slack.com/authentication/verifying-requests-from-slack).
const EXAMPLE = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

async function post(url: string, body: string, timestamp: number, signature: string) {
  const res = await fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, text };
}

describe('Slack request signatures on the real HTTP receiver', () => {
  describe('with the published example secret', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ redisUrl, env: { SLACK_SIGNING_SECRET: EXAMPLE.secret }, bot: { worker: false } });
    });
    afterAll(() => h?.stop());

    it('computes the published signature', () => {
      expect(sign(EXAMPLE.secret, EXAMPLE.timestamp, EXAMPLE.body)).toBe(EXAMPLE.signature);
    });

    it('accepts the published request at its time (empty text → help, nothing queued)', async () => {
      // Only Date is faked: Bolt reads Date.now() for the 5-minute window; timers and sockets keep real time.
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(new Date((EXAMPLE.timestamp + 30) * 1000));
        const res = await post(h.url, EXAMPLE.body, EXAMPLE.timestamp, EXAMPLE.signature);
        expect(res.status).toBe(200);
        expect(JSON.parse(res.text)).toMatchObject({ response_type: 'ephemeral', text: 'egress commands' });
      } finally {
        vi.useRealTimers();
      }
      expect(await h.bot.queue.count()).toBe(0);
    });

    it('rejects the same request today (stale) with 401', async () => {
      const res = await post(h.url, EXAMPLE.body, EXAMPLE.timestamp, EXAMPLE.signature);
      expect(res.status).toBe(401);
    });
  });

  describe('with the bot secret', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ redisUrl, bot: { worker: false } });
    });
    afterAll(() => h?.stop());

    const body = slashBody('who 142.250.80.46 last 7d');
    const now = () => Math.floor(Date.now() / 1000);

    it('accepts a correctly signed request and queues it', async () => {
      const ts = now();
      const res = await post(h.url, body, ts, sign(SECRET, ts, body));
      expect(res.status).toBe(200);
      await h.queued(1);
      expect(await h.bot.queue.count()).toBe(1);
      await h.bot.queue.drain();
    });

    it.each([
      ['forged (wrong secret)', () => ({ ts: now(), sig: sign('not-the-secret', now(), body), body })],
      ['forged (garbage)', () => ({ ts: now(), sig: 'v0=deadbeef', body })],
      ['unknown signature version', () => ({ ts: now(), sig: sign(SECRET, now(), body).replace('v0=', 'v1='), body })],
      ['stale (> 5 min)', () => ({ ts: now() - 301, sig: sign(SECRET, now() - 301, body), body })],
      [
        'body tampered',
        () => ({ ts: now(), sig: sign(SECRET, now(), body), body: body.replace('142.250.80.46', '142.250.80.47') }),
      ],
    ])('%s → 401, nothing queued, nothing posted', async (_name, make) => {
      const r = make();
      const calls = h.fake.calls.length;
      const res = await post(h.url, r.body, r.ts, r.sig);
      expect(res.status).toBe(401);
      expect(await h.bot.queue.count()).toBe(0);
      expect(h.fake.calls.length).toBe(calls);
    });

    it('rejects a request without signature headers with 401', async () => {
      const res = await fetch(`${h.url}/slack/events`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(401);
      expect(await h.bot.queue.count()).toBe(0);
    });
  });
});
