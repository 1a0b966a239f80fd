/**
 * Signed slash commands as Slack sends them, one channel per command (so every parent, reply and private message can
 * be traced back to the command that caused it), at a steady rate or in bursts, to whichever receiver is current.
 */
import { createHmac } from 'node:crypto';
import type { SlackApiFake } from '../../test/fakes/slack-api.js';

/** The question every command asks: answered from the sample world (its records are in the last 30 days). */
export const QUESTION = 'dns-bypass last 30d';

/** One command sent. */
export interface Sent {
  channel: string;
  sentAt: number;
  /** HTTP status, or 0 when the connection failed (a receiver going away). */
  status: number;
  ackedAt?: number;
  /** The ack's text (the ephemeral reply). */
  text?: string;
}

/** `v0=…` as Slack signs a body at a timestamp. */
export function sign(secret: string, ts: number, body: string | Buffer): string {
  const mac = createHmac('sha256', secret).update(`v0:${ts}:`).update(body);
  return `v0=${mac.digest('hex')}`;
}

/** Headers of a request signed now. */
export function signed(secret: string, body: string | Buffer, type = 'application/x-www-form-urlencoded') {
  const ts = Math.floor(Date.now() / 1000);
  return { 'content-type': type, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(secret, ts, body) };
}

/** Whether an ack promised an answer (the command was accepted and queued). */
export const accepted = (s: Sent) => s.status === 200 && /answer in a thread below$/.test(s.text ?? '');

/** Sends commands; `target()` is the receiver's base URL at the moment of sending. */
export class Load {
  readonly sent: Sent[] = [];
  private seq = 0;
  private readonly pending = new Set<Promise<Sent>>();

  constructor(
    private readonly fake: SlackApiFake,
    private readonly secret: string,
    private readonly target: () => string,
    private readonly prefix: string,
  ) {}

  /** Sends one command now. */
  one(): Promise<Sent> {
    const channel = `C${this.prefix}${String(++this.seq).padStart(5, '0')}`;
    const body = new URLSearchParams({
      token: 'legacy',
      team_id: 'T0000FAKE',
      channel_id: channel,
      user_id: `U${String(this.seq % 50).padStart(4, '0')}`,
      command: '/egress',
      text: QUESTION,
      api_app_id: 'A0000FAKE',
      response_url: this.fake.responseUrl(channel),
      trigger_id: `${this.prefix}.${this.seq}.${Date.now()}`,
    }).toString();
    const s: Sent = { channel, sentAt: Date.now(), status: 0 };
    this.sent.push(s);
    const p = fetch(`${this.target()}/slack/events`, {
      method: 'POST',
      headers: signed(this.secret, body),
      body,
      signal: AbortSignal.timeout(10_000),
    })
      .then(async (res) => {
        const text = await res.text();
        s.status = res.status;
        s.ackedAt = Date.now();
        if (res.status === 200) s.text = (JSON.parse(text) as { text?: string }).text;
        return s;
      })
      .catch(() => s)
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
    return p;
  }

  /** Sends `n` commands at once and resolves when all are answered by the receiver. */
  burst(n: number): Promise<Sent[]> {
    return Promise.all(Array.from({ length: n }, () => this.one()));
  }

  /** Sends `perSecond` commands a second for `ms`, not waiting for acks between them. */
  async steady(perSecond: number, ms: number, stop?: () => boolean): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until && !stop?.()) {
      void this.one();
      await new Promise((r) => setTimeout(r, 1000 / perSecond));
    }
  }

  /** Waits for every request still waiting for its ack. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
