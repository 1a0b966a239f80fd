/**
 * Who may ask what, where: channel and user allowlists (user-group ids expand through `usergroups.users.list`), and a
 * per-user rate limit kept in Redis so several receiver replicas share it. Decisions are returned, not logged: the
 * caller writes the one audit line with the command it concerns.
 */
import type { Config } from '../config.js';
import type { Redis } from '../redis.js';

/** An authorization decision; a denial's `message` names what is missing (channel or user), for the person. */
export type Decision = { ok: true } | { ok: false; reason: 'channel' | 'user' | 'lookup_failed'; message: string };

/** A rate-limit decision. */
export type RateDecision =
  | { ok: true; count: number }
  | { ok: false; count: number; retryAfter: number; message: string };

/** The one Web API method the authorizer needs (Bolt's client and ours have different package versions). */
export interface UsergroupReader {
  usergroups: { users: { list(args: { usergroup: string }): Promise<{ users?: string[] }> } };
}

export interface AuthorizerOptions {
  /** Channel ids; empty = every channel. */
  channels: readonly string[];
  /** User ids (U…/W…) and user-group ids (S…); empty = everyone. */
  users: readonly string[];
  /** Commands per user per minute. */
  perMinute: number;
  redis: Redis;
  /** Key prefix (the queue name), so separate deployments on one Redis keep separate counters. */
  prefix: string;
  client?: UsergroupReader;
  /** Epoch seconds. */
  clock: () => number;
  /** How long a group's member list is trusted (ms). */
  groupTtlMs?: number;
}

const isGroup = (id: string) => id.startsWith('S');

/** Checks allowlists and the per-user rate limit. */
export class Authorizer {
  private readonly groups = new Map<string, { users: Set<string>; until: number }>();

  constructor(private readonly o: AuthorizerOptions) {}

  /**
   * Channel, then user (directly or through a group). Fails closed when a group cannot be read. `alsoChannels` are
   * allowed besides the allowlist (the digest's buttons work in the digest channel, where the bot posts by design).
   */
  async allow(user: string, channel: string, alsoChannels: readonly string[] = []): Promise<Decision> {
    const { channels, users } = this.o;
    if (channels.length && !channels.includes(channel) && !alsoChannels.includes(channel)) {
      return {
        ok: false,
        reason: 'channel',
        message: `This channel (<#${channel}>) is not in EGRESS_ALLOWED_CHANNELS, so egress does not answer here. Ask in an allowed channel, or ask the bot owners to add ${channel}.`,
      };
    }
    if (!users.length || users.includes(user)) return { ok: true };
    const groups = users.filter(isGroup);
    try {
      for (const g of groups) if ((await this.members(g)).has(user)) return { ok: true };
    } catch (err) {
      return {
        ok: false,
        reason: 'lookup_failed',
        message: `Could not check your user-group membership (${(err as Error).message}); try again in a minute.`,
      };
    }
    const via = groups.length ? ' or in one of its user groups' : '';
    return {
      ok: false,
      reason: 'user',
      message: `You (<@${user}>) are not in EGRESS_ALLOWED_USERS${via}, so egress cannot answer you. Ask the bot owners to add ${user}.`,
    };
  }

  /** Counts one command for `user` in the current minute (fixed window); refuses above the limit. */
  async rateLimit(user: string): Promise<RateDecision> {
    const now = this.o.clock();
    const minute = Math.floor(now / 60);
    const key = `${this.o.prefix}:ratelimit:${user}:${minute}`;
    const [[, count]] = (await this.o.redis.multi().incr(key).expire(key, 120).exec()) as [[unknown, number]];
    if (count <= this.o.perMinute) return { ok: true, count };
    const retryAfter = (minute + 1) * 60 - now;
    return {
      ok: false,
      count,
      retryAfter,
      message: `You have asked ${this.o.perMinute} questions in the last minute, which is the limit (EGRESS_RATE_LIMIT_PER_MIN). Try again in ${retryAfter}s.`,
    };
  }

  private async members(group: string): Promise<Set<string>> {
    const cached = this.groups.get(group);
    if (cached && cached.until > Date.now()) return cached.users;
    if (!this.o.client) throw new Error('no Slack client to read user groups');
    const res = await this.o.client.usergroups.users.list({ usergroup: group });
    const users = new Set(res.users ?? []);
    this.groups.set(group, { users, until: Date.now() + (this.o.groupTtlMs ?? 5 * 60_000) });
    return users;
  }
}

/** The authorizer the configuration describes (`EGRESS_ALLOWED_*`, `EGRESS_RATE_LIMIT_PER_MIN`). */
export function authorizerFor(
  config: Pick<
    Config,
    'EGRESS_ALLOWED_CHANNELS' | 'EGRESS_ALLOWED_USERS' | 'EGRESS_RATE_LIMIT_PER_MIN' | 'EGRESS_QUEUE'
  >,
  redis: Redis,
  client: UsergroupReader,
  clock: () => number,
): Authorizer {
  return new Authorizer({
    channels: config.EGRESS_ALLOWED_CHANNELS,
    users: config.EGRESS_ALLOWED_USERS,
    perMinute: config.EGRESS_RATE_LIMIT_PER_MIN,
    redis,
    prefix: config.EGRESS_QUEUE,
    client,
    clock,
  });
}
