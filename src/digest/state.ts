/**
 * The digest's own Redis state, beside BullMQ's: which periods were posted per channel (the exactly-once guard that
 * outlives BullMQ's job retention), each posted digest (so a button click re-renders the message from data, not from
 * whatever blocks the click carried), and who acted on which finding.
 */
import type { Redis } from '../redis.js';
import type { Acted, Digest, DigestAction } from './types.js';

/** Posted digests and markers are kept this long; buttons on older digests answer "too old". */
const KEEP_SECONDS = 40 * 86_400;

/** One act on a finding, as stored. */
export interface ActRecord extends Acted {
  findingId: string;
}

/** Digest state under `<prefix>:…`. */
/** Key prefix of the digest's Redis state (suppressions, sent markers, posted messages). */
export const digestPrefix = (queueName: string) => `${queueName}:digest`;

/** How long a claim to post a digest holds when its worker dies before posting. */
const CLAIM_SECONDS = 600;

export class DigestState {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  /** The message ts of the digest posted for this channel and period, if any. */
  sentTs(channel: string, period: string): Promise<string | null> {
    return this.redis.get(this.key('sent', channel, period));
  }

  /** Marks the period as posted (after every part of it is in Slack). */
  async markSent(channel: string, period: string, ts: string): Promise<void> {
    await this.redis.set(this.key('sent', channel, period), ts, 'EX', KEEP_SECONDS);
  }

  /**
   * Claims the right to post this period's parent message. Two workers can process the same run job at once when
   * one stalls (a blocked event loop misses its lock renewal); without a claim both would post. Returns the parent ts
   * when one was already posted (update it instead), `false` when another worker holds a fresh claim.
   */
  async claimPost(channel: string, period: string, owner: string): Promise<{ ts?: string } | false> {
    const k = this.key('posting', channel, period);
    if (await this.redis.set(k, `pending:${owner}`, 'EX', CLAIM_SECONDS, 'NX')) return {};
    const v = await this.redis.get(k);
    if (v === `pending:${owner}`) return {};
    if (v && !v.startsWith('pending:')) return { ts: v };
    return false;
  }

  /** Records the posted parent ts under the claim, so a later attempt updates that message. */
  async postedParent(channel: string, period: string, ts: string): Promise<void> {
    await this.redis.set(this.key('posting', channel, period), ts, 'EX', KEEP_SECONDS);
  }

  /** Keeps a posted digest for re-rendering on button clicks. */
  async saveDigest(channel: string, ts: string, digest: Digest): Promise<void> {
    await this.redis.set(this.key('msg', channel, ts), JSON.stringify(digest), 'EX', KEEP_SECONDS);
  }

  /** The digest posted as message `ts` in `channel`, or undefined when unknown or expired. */
  async digest(channel: string, ts: string): Promise<Digest | undefined> {
    const raw = await this.redis.get(this.key('msg', channel, ts));
    return raw ? (JSON.parse(raw) as Digest) : undefined;
  }

  /** Appends an act; a list (RPUSH) so concurrent clicks on one message never overwrite each other. */
  async addAct(channel: string, ts: string, act: ActRecord): Promise<void> {
    const k = this.key('acted', channel, ts);
    await this.redis.multi().rpush(k, JSON.stringify(act)).expire(k, KEEP_SECONDS).exec();
  }

  /** Acts per finding id, first act per (action, user) only, in click order. */
  async acts(channel: string, ts: string): Promise<Record<string, Acted[]>> {
    const all = (await this.redis.lrange(this.key('acted', channel, ts), 0, -1)).map((s) => JSON.parse(s) as ActRecord);
    const out: Record<string, Acted[]> = {};
    const seen = new Set<string>();
    for (const a of all) {
      const id = `${a.findingId}|${a.action}|${a.user}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const list = out[a.findingId] ?? [];
      list.push({ action: a.action as DigestAction, user: a.user, at: a.at });
      out[a.findingId] = list;
    }
    return out;
  }
}
