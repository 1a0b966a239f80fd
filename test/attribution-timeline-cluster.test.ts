import { randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { IntervalRecord } from '../src/attribution/kube-records.js';
import { RedisTimeline } from '../src/attribution/timeline.js';
import type { RedisLike } from '../src/redis.js';
import { type RedisCluster, startRedisCluster } from './support/redis-cluster.js';

/** Two cluster names whose hash tags fall in slots of different nodes of a 3-master cluster (asserted below). */
const NAMES = ['eu-west', 'us-east'];
const IPS = 40;

/** Deterministic pseudo-random numbers (LCG): both runs record the same history and ask the same questions. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

const rec = (id: string, ip: string, from: number, kind = 'Deployment'): IntervalRecord => ({
  ip,
  id,
  pod: `pod-${id}`,
  namespace: 'shop',
  uid: id,
  node: 'n1',
  workload: { namespace: 'shop', kind, name: 'web' },
  from,
  to: null,
});

/**
 * Everything the timeline of `cluster` answers after recording a history that uses every script: opens that close
 * the previous holder, precise and bounded closes, late workload upgrades, node holders extended earlier, a 10 000
 * pair batch (deep pages, same-second ties, unknown IPs), history, open intervals, trimming and the lock.
 */
async function scenario(tl: RedisTimeline, c: number) {
  const rnd = lcg(7 + c);
  const ip = (k: number) => `10.${c}.${k >> 8}.${k & 255}`;
  await tl.touch(1_000);
  for (let k = 0; k < IPS; k++) {
    let t = 1_000 + Math.floor(rnd() * 1_000);
    for (let h = 0; h < 2 + (k % 20); h++) {
      const id = `u${k}-${h}`;
      await tl.open(rec(id, ip(k), t, h % 3 ? 'Deployment' : 'ReplicaSet'));
      if (h % 3 === 0) await tl.open(rec(id, ip(k), t)); // the owner arrived: upgrade to Deployment
      if (rnd() < 0.3) await tl.close(ip(k), id, t + 400, { endedAfter: t + 100 });
      else if (rnd() < 0.8) await tl.close(ip(k), id, t + Math.floor(rnd() * 500));
      t += rnd() < 0.15 ? 0 : Math.floor(rnd() * 600); // same-second starts now and then
    }
    if (k % 7 === 0) {
      await tl.open({ ...rec(`node:n${k}`, ip(k), t + 50), pod: null, workload: null }, true);
      await tl.open({ ...rec(`node:n${k}`, ip(k), t + 10), pod: null, workload: null }, true);
    }
  }
  await tl.touch(9_000);
  const pairs = Array.from({ length: 10_000 }, () => ({
    ip: ip(Math.floor(rnd() * (IPS + 2))), // two of every 42 addresses were never held
    at: 500 + Math.floor(rnd() * 14_000),
  }));
  const look = await tl.lookup(pairs);
  const history = await Promise.all([0, 7, 19, IPS - 1].map((k) => tl.history(ip(k), 1_500, 6_000)));
  const open = (await tl.openIntervals()).map((r) => `${r.ip} ${r.id}`).sort();
  const meta = await tl.meta();
  const trimmed = await tl.trim(20_000, 16_000, 50);
  const after = {
    look: await tl.lookup(pairs.slice(0, 2_000)),
    history: await tl.history(ip(19), 0, 20_000),
    open: (await tl.openIntervals()).length,
    meta: await tl.meta(),
  };
  let inner: unknown = 'not run';
  const outer = await tl.withLock('reconcile', 5_000, async () => {
    inner = await tl.withLock('reconcile', 5_000, async () => 'ran');
    return 'outer';
  });
  const again = await tl.withLock('reconcile', 5_000, async () => 'again');
  return { look, history, open, meta, trimmed, after, lock: [outer, inner, again] };
}

type Answers = Awaited<ReturnType<typeof scenario>>;

/** Script calls (EVAL or EVALSHA) each master served since its stats were reset, by port. */
async function scriptCalls(cluster: Cluster): Promise<Map<number, number>> {
  const calls = new Map<number, number>();
  for (const node of cluster.nodes('master')) {
    const stats = await node.info('commandstats');
    const n = [...stats.matchAll(/cmdstat_eval(?:sha)?:calls=(\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
    calls.set(node.options.port ?? 0, n);
  }
  return calls;
}

describe('Redis IP timeline on a 3-node Redis Cluster', () => {
  let server: RedisCluster;
  let cluster: Cluster;
  const standalone = new Redis(inject('redisUrl'));
  const namespace = `egress:test:${randomUUID()}`;
  const reference = new Map<string, Answers>();
  const run = (redis: RedisLike, name: string) =>
    scenario(new RedisTimeline(redis, name, namespace), NAMES.indexOf(name));

  beforeAll(async () => {
    server = await startRedisCluster(3);
    cluster = new Cluster(server.nodes, { enableReadyCheck: true });
    for (const name of NAMES) reference.set(name, await run(standalone, name));
  });
  afterAll(async () => {
    standalone.disconnect();
    await cluster?.quit();
    await server?.stop();
  });

  it.each(NAMES)('records and answers for cluster %s as a standalone Redis does', async (name) => {
    const got = await run(cluster, name);
    const want = reference.get(name) as Answers;
    expect(got).toEqual(want);
    // The history is not trivial: holders found and gaps, ties, bounded ends, trimmed intervals, a working lock.
    expect(want.look.latest.filter(Boolean).length).toBeGreaterThan(5_000);
    expect(want.look.latest.filter((r) => r === null).length).toBeGreaterThan(200);
    expect(want.look.latest.some((r) => r?.endedBefore)).toBe(true);
    expect(want.look.latest.some((r) => r?.id.startsWith('node:'))).toBe(true);
    expect(want.look).toMatchObject({ start: 1_000, heartbeat: 9_000 });
    expect(want.trimmed).toBeGreaterThan(50);
    expect(want.after.meta.start).toBe(4_000);
    expect(want.lock).toEqual(['outer', undefined, 'again']);
  });

  it('refuses a key prefix without a hash tag of its own, which would scatter one cluster over slots', () => {
    expect(() => new RedisTimeline(cluster, '', namespace)).toThrow(/no Redis Cluster hash tag/);
    expect(() => new RedisTimeline(cluster, '}x', namespace)).toThrow(/no Redis Cluster hash tag/);
    expect(new RedisTimeline(cluster, 'a}b', namespace).prefix).toBe(`${namespace}:{a}b}:`);
  });

  it('sends a 10 000 pair batch as one script call to the node of its hash tag, another node per tag', async () => {
    const owners: number[] = [];
    for (const name of NAMES) {
      const tl = new RedisTimeline(cluster, name, namespace);
      const pairs = Array.from({ length: 10_000 }, (_, i) => ({ ip: `10.0.0.${i % 40}`, at: 1_000 + i }));
      await tl.lookup(pairs.slice(0, 1)); // the script is loaded once per connection
      await Promise.all(cluster.nodes('master').map((n) => n.config('RESETSTAT')));
      await tl.lookup(pairs);
      const calls = [...(await scriptCalls(cluster))].filter(([, n]) => n > 0);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.[1]).toBe(1);
      owners.push(calls[0]?.[0] as number);
    }
    expect(new Set(owners).size).toBe(NAMES.length);
  });
});
