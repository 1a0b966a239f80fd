import { randomUUID } from 'node:crypto';
import type { RedisLike } from '../redis.js';
import type { IntervalRecord } from './kube-records.js';
import {
  packPairs,
  type TimelineKeys,
  type TimelineRedis,
  timelineKeys,
  withTimelineCommands,
} from './timeline-commands.js';
import type { IpAt } from './types.js';

export type { IntervalRecord } from './kube-records.js';

/** What the timeline knows about a batch of (ip, at) questions. */
export interface Lookup {
  /** When recording began (epoch seconds), if it has. */
  start?: number;
  /** Last time a writer confirmed it was in sync with the API. */
  heartbeat?: number;
  /** Per pair, in input order: the holder that most recently started at or before `at` (it may have ended). */
  latest: Array<IntervalRecord | null>;
}

/** Intervals per IP read in one page by resolve.lua; older times cost one more call inside the same script. */
const PAGE = 16;

const [PLUS, ZERO] = ['+', '0'].map((c) => c.charCodeAt(0));

const num = (s: unknown): number | undefined => (s === '' || s == null ? undefined : Number(s));

/**
 * The IP → holder history of one cluster in Redis (standalone or Redis Cluster): per IP a sorted set of intervals
 * `[from, to)` scored by start; writes go through Lua scripts that are atomic and idempotent (lua/*.lua, defined in
 * timeline-commands.ts), so several replicas can record the same events without corrupting it. Keys live under
 * `<namespace>:{<cluster>}:` (default `egress:tl:{<cluster>}:`), the layout of {@link timelineKeys}.
 */
export class RedisTimeline {
  /** Key prefix; its `{<cluster>}` is the Redis Cluster hash tag that keeps one cluster's keys in one slot. */
  readonly prefix: string;
  private readonly redis: TimelineRedis;
  private readonly keys: TimelineKeys;

  constructor(
    redis: RedisLike,
    readonly cluster: string,
    namespace = 'egress:tl',
  ) {
    this.prefix = `${namespace}:{${cluster}}:`;
    this.keys = timelineKeys(this.prefix);
    this.redis = withTimelineCommands(redis);
  }

  /** Records an interval (no-op if its holder already has one on that IP); `extend` lets node holders start earlier. */
  async open(rec: IntervalRecord, extend = false): Promise<void> {
    const { ips, open, ends } = this.keys;
    await this.redis.egressTimelineOpen(ips + rec.ip, open, ends, JSON.stringify(rec), extend ? '1' : '0');
  }

  /** Ends the interval of holder `id` on `ip` at `to`; `endedAfter` marks `to` as an upper bound only. */
  async close(ip: string, id: string, to: number, bound?: { endedAfter?: number }): Promise<void> {
    const { ips, open, ends } = this.keys;
    await this.redis.egressTimelineClose(ips + ip, open, ends, id, to, bound ? '1' : '0', bound?.endedAfter ?? '');
  }

  /**
   * Answers many (ip, at) pairs in one Redis round trip (one script call). Pairs are grouped per IP so each IP's
   * intervals are read once and each interval is sent back once, however many pairs it answers. The question goes
   * out as one MessagePack argument and the picks come back as one string, so neither side handles thousands of
   * small values.
   */
  async lookup(pairs: readonly IpAt[]): Promise<Lookup> {
    const ats = new Array<number>(pairs.length);
    const byIp = new Map<string, number[]>();
    for (let i = 0; i < pairs.length; i++) {
      const p = pairs[i] as IpAt;
      ats[i] = Math.floor(p.at);
      const list = byIp.get(p.ip);
      if (list) list.push(i);
      else byIp.set(p.ip, [i]);
    }
    const order: number[] = [];
    for (const idx of byIp.values()) {
      // Latest first: the script then walks each IP's intervals once, from the newest.
      if (idx.length > 1) idx.sort((a, b) => (ats[b] as number) - (ats[a] as number));
      for (const i of idx) order.push(i);
    }
    const packed = packPairs(byIp, ats);
    const reply = await this.redis.egressTimelineResolve(this.keys.meta, this.keys.ips, PAGE, packed);
    const found = new Array<IntervalRecord>(reply.length - 3);
    for (let u = 3; u < reply.length; u++) found[u - 3] = JSON.parse(reply[u] as string) as IntervalRecord;
    const picks = reply[2] as string;
    const latest = new Array<IntervalRecord | null>(pairs.length).fill(null);
    let u = -1;
    for (let k = 0; k < order.length; k++) {
      const c = picks.charCodeAt(k);
      if (c === PLUS) u++;
      if (c !== ZERO) latest[order[k] as number] = found[u] ?? null;
    }
    return { start: num(reply[0]), heartbeat: num(reply[1]), latest };
  }

  /** Every interval on `ip` that overlaps `[from, to)`, oldest first. */
  async history(ip: string, from: number, to: number): Promise<IntervalRecord[]> {
    const key = this.keys.ips + ip;
    // Intervals never overlap, so before `from` only the latest start (or a same-second tie) can reach into it.
    const [before, inside] = await Promise.all([
      this.redis.zrevrangebyscore(key, from, '-inf', 'LIMIT', 0, 2),
      this.redis.zrangebyscore(key, `(${from}`, `(${to}`),
    ]);
    return [...before.reverse(), ...inside]
      .map((s) => JSON.parse(s) as IntervalRecord)
      .filter((r) => r.from < to && (r.to === null || r.to > from));
  }

  /**
   * Every interval overlapping `[from, to)` on any IP: the IPs come from the open set and the end index (intervals
   * that ended after `from`), then each IP's history. What `from <selector>` lists a workload's addresses from.
   */
  async intervalsOverlapping(from: number, to: number): Promise<IntervalRecord[]> {
    const [open, ended] = await Promise.all([
      this.redis.smembers(this.keys.open),
      this.redis.zrangebyscore(this.keys.ends, `(${from}`, '+inf'),
    ]);
    const ips = [...new Set([...open, ...ended].map((m) => m.slice(0, m.indexOf(' '))))].filter(Boolean).sort();
    const lists = await Promise.all(ips.map((ip) => this.history(ip, from, to)));
    return lists.flat();
  }

  /** Intervals without an end, for reconcile. */
  async openIntervals(): Promise<IntervalRecord[]> {
    const reply = await this.redis.egressTimelineOpenList(this.keys.open, this.keys.ips);
    return reply.map((s) => JSON.parse(s) as IntervalRecord);
  }

  /** Marks the timeline as in sync at `now` (and as started, the first time). */
  async touch(now: number): Promise<void> {
    await this.redis.egressTimelineTouch(this.keys.meta, now);
  }

  /** `start` and `heartbeat` alone. */
  async meta(): Promise<{ start?: number; heartbeat?: number }> {
    const [start, heartbeat] = await this.redis.hmget(this.keys.meta, 'start', 'heartbeat');
    return { start: num(start), heartbeat: num(heartbeat) };
  }

  /** Drops intervals that ended more than `retentionSeconds` before `now`; returns how many. */
  async trim(now: number, retentionSeconds: number, batch = 500): Promise<number> {
    let total = 0;
    for (;;) {
      const { ends, meta, ips } = this.keys;
      const n = await this.redis.egressTimelineTrim(ends, meta, ips, now - retentionSeconds, batch);
      total += n;
      if (n < batch) return total;
    }
  }

  /**
   * Runs `fn` while holding a Redis lock named `name` (SET NX PX with a random token, released only by its owner).
   * Returns undefined without running `fn` when another replica holds it.
   */
  async withLock<T>(name: string, ttlMs: number, fn: () => Promise<T>): Promise<T | undefined> {
    const key = `${this.prefix}lock:${name}`;
    const token = randomUUID();
    if ((await this.redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
    try {
      return await fn();
    } finally {
      await this.redis.egressTimelineUnlock(key, token);
    }
  }
}
