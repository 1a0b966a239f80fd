import { randomUUID } from 'node:crypto';
import type { Redis } from '../redis.js';
import type { IntervalRecord } from './kube-records.js';
import { CLOSE, OPEN, OPEN_LIST, RESOLVE, runScript, TOUCH, TRIM, UNLOCK } from './kube-timeline-scripts.js';
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

/** Intervals per IP read in one page by RESOLVE; older times cost one more call inside the same script. */
const PAGE = 16;

const num = (s: unknown): number | undefined => (s === '' || s == null ? undefined : Number(s));

/**
 * The IP → holder history of one cluster in Redis: per IP a sorted set of intervals `[from, to)` scored by start;
 * writes go through Lua scripts that are atomic and idempotent (see kube-timeline-scripts.ts), so several replicas
 * can record the same events without corrupting it.
 */
export class RedisTimeline {
  /** Key prefix; the braces make it a Redis Cluster hash tag so one cluster's keys share a slot. */
  readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    readonly cluster: string,
    namespace = 'egress:tl',
  ) {
    this.prefix = `${namespace}:{${cluster}}:`;
  }

  /** Records an interval (no-op if its holder already has one on that IP); `extend` lets node holders start earlier. */
  async open(rec: IntervalRecord, extend = false): Promise<void> {
    await runScript(this.redis, OPEN, [], [this.prefix, JSON.stringify(rec), extend ? '1' : '0']);
  }

  /** Ends the interval of holder `id` on `ip` at `to`; `endedAfter` marks `to` as an upper bound only. */
  async close(ip: string, id: string, to: number, bound?: { endedAfter?: number }): Promise<void> {
    const args = [this.prefix, ip, id, to, bound ? '1' : '0', bound?.endedAfter ?? ''];
    await runScript(this.redis, CLOSE, [], args);
  }

  /**
   * Answers many (ip, at) pairs in one Redis round trip (one script call). Pairs are grouped per IP so each IP's
   * intervals are read once and each interval is sent back once, however many pairs it answers.
   */
  async lookup(pairs: readonly IpAt[]): Promise<Lookup> {
    const byIp = new Map<string, number[]>();
    pairs.forEach((p, i) => {
      const list = byIp.get(p.ip);
      if (list) list.push(i);
      else byIp.set(p.ip, [i]);
    });
    const args: Array<string | number> = [this.prefix, PAGE];
    const order: number[] = [];
    for (const [ip, idx] of byIp) {
      const ats = idx.map((i) => Math.floor(pairs[i]?.at ?? 0));
      const sorted = idx.map((i, k) => [ats[k] as number, i] as const).sort((a, b) => a[0] - b[0]);
      args.push(ip, sorted.length, ...sorted.map(([t]) => t));
      for (const [, i] of sorted) order.push(i);
    }
    const reply = (await runScript(this.redis, RESOLVE, [], args)) as Array<string | number>;
    const count = Number(reply[2]);
    const found = reply.slice(3, 3 + count).map((s) => JSON.parse(String(s)) as IntervalRecord);
    const latest = new Array<IntervalRecord | null>(pairs.length).fill(null);
    order.forEach((pairIndex, k) => {
      const at = Number(reply[3 + count + k]);
      latest[pairIndex] = at > 0 ? (found[at - 1] ?? null) : null;
    });
    return { start: num(reply[0]), heartbeat: num(reply[1]), latest };
  }

  /** Every interval on `ip` that overlaps `[from, to)`, oldest first. */
  async history(ip: string, from: number, to: number): Promise<IntervalRecord[]> {
    const key = `${this.prefix}ip:${ip}`;
    // Intervals never overlap, so before `from` only the latest start (or a same-second tie) can reach into it.
    const [before, inside] = await Promise.all([
      this.redis.zrevrangebyscore(key, from, '-inf', 'LIMIT', 0, 2),
      this.redis.zrangebyscore(key, `(${from}`, `(${to}`),
    ]);
    return [...before.reverse(), ...inside]
      .map((s) => JSON.parse(s) as IntervalRecord)
      .filter((r) => r.from < to && (r.to === null || r.to > from));
  }

  /** Intervals without an end, for reconcile. */
  async openIntervals(): Promise<IntervalRecord[]> {
    const reply = (await runScript(this.redis, OPEN_LIST, [], [this.prefix])) as string[];
    return reply.map((s) => JSON.parse(s) as IntervalRecord);
  }

  /** Marks the timeline as in sync at `now` (and as started, the first time). */
  async touch(now: number): Promise<void> {
    await runScript(this.redis, TOUCH, [], [this.prefix, now]);
  }

  /** `start` and `heartbeat` alone. */
  async meta(): Promise<{ start?: number; heartbeat?: number }> {
    const [start, heartbeat] = await this.redis.hmget(`${this.prefix}meta`, 'start', 'heartbeat');
    return { start: num(start), heartbeat: num(heartbeat) };
  }

  /** Drops intervals that ended more than `retentionSeconds` before `now`; returns how many. */
  async trim(now: number, retentionSeconds: number, batch = 500): Promise<number> {
    let total = 0;
    for (;;) {
      const n = Number(await runScript(this.redis, TRIM, [], [this.prefix, now - retentionSeconds, batch]));
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
      await runScript(this.redis, UNLOCK, [key], [token]);
    }
  }
}
