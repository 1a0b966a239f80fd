import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { IntervalRecord } from '../src/attribution/kube-records.js';
import { RedisTimeline } from '../src/attribution/timeline.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());

const rec = (id: string, ip: string, from: number, to: number | null = null): IntervalRecord => ({
  ip,
  id,
  pod: `pod-${id}`,
  namespace: 'shop',
  uid: id,
  node: 'n1',
  workload: { namespace: 'shop', kind: 'Deployment', name: 'web' },
  from,
  to,
});

/**
 * Commands this file's connection sent while `fn` ran (script-internal calls and other test files' clients on the
 * shared server excluded), via MONITOR.
 */
async function countCommands(fn: () => Promise<unknown>): Promise<string[]> {
  const monitor = await redis.monitor();
  const mine = `:${(redis as unknown as { stream: { localPort: number } }).stream.localPort}`;
  const seen: string[] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source.endsWith(mine)) seen.push(String(args[0]).toLowerCase());
  });
  await new Promise((r) => setTimeout(r, 20));
  await fn();
  await new Promise((r) => setTimeout(r, 50));
  monitor.removeAllListeners('monitor');
  monitor.disconnect();
  return [...seen];
}

describe('Redis IP timeline', () => {
  let tl: RedisTimeline;
  beforeEach(() => {
    tl = new RedisTimeline(redis, 'c1', `egress:test:${randomUUID()}`);
  });

  it('answers who held an IP at each time, closing the previous holder where the next begins', async () => {
    await tl.touch(1_000);
    await tl.open(rec('a', '10.40.9.9', 1_000));
    await tl.close('10.40.9.9', 'a', 2_000);
    // B's start (sandbox) precedes A's observed deletion by a few seconds: A ends where B begins.
    await tl.open(rec('b', '10.40.9.9', 1_990));
    const look = await tl.lookup([
      { ip: '10.40.9.9', at: 999 },
      { ip: '10.40.9.9', at: 1_500 },
      { ip: '10.40.9.9', at: 1_995 },
      { ip: '10.40.9.10', at: 1_500 },
    ]);
    expect(look.latest.map((r) => r?.id ?? null)).toEqual([null, 'a', 'b', null]);
    expect(look.start).toBe(1_000);
    const hist = await tl.history('10.40.9.9', 0, 10_000);
    expect(hist.map((r) => [r.id, r.from, r.to])).toEqual([
      ['a', 1_000, 1_990],
      ['b', 1_990, null],
    ]);
  });

  it('resolves a tie on the start second to the holder that was not closed at zero length', async () => {
    await tl.open(rec('x', '10.40.9.8', 500));
    await tl.open(rec('y', '10.40.9.8', 500));
    const look = await tl.lookup([{ ip: '10.40.9.8', at: 600 }]);
    expect(look.latest[0]?.id).toBe('y');
    // Both closed: whichever of the pair Redis lists first, the answer is the one still holding the IP then.
    await tl.open(rec('x', '10.40.9.7', 500));
    await tl.open(rec('y', '10.40.9.7', 500));
    await tl.close('10.40.9.7', 'y', 1_000);
    const both = await tl.lookup([
      { ip: '10.40.9.7', at: 600 },
      { ip: '10.40.9.7', at: 400 },
      { ip: '10.40.9.7', at: 999 },
    ]);
    expect(both.latest.map((r) => r?.id ?? null)).toEqual(['y', null, 'y']);
    // The pair sits at the end of the first page read for this IP (its partner beyond it): still settled right.
    await tl.open(rec('x', '10.40.9.6', 900));
    await tl.open(rec('y', '10.40.9.6', 900));
    await tl.close('10.40.9.6', 'y', 1_000);
    await tl.open(rec('b', '10.40.9.6', 1_100));
    await tl.open(rec('c', '10.40.9.6', 1_200));
    const deep = await tl.lookup([
      { ip: '10.40.9.6', at: 1_250 },
      { ip: '10.40.9.6', at: 950 },
    ]);
    expect(deep.latest.map((r) => r?.id ?? null)).toEqual(['c', 'y']);
  });

  it('resolves a batch of 2 000 pairs in one script call', async () => {
    for (let i = 0; i < 50; i++) await tl.open(rec(`p${i}`, `10.40.1.${i}`, 100 * i));
    const pairs = Array.from({ length: 2_000 }, (_, i) => ({ ip: `10.40.1.${i % 50}`, at: 10_000 + i }));
    await tl.lookup(pairs.slice(0, 1)); // load the script once
    let look: Awaited<ReturnType<RedisTimeline['lookup']>> | undefined;
    const commands = await countCommands(async () => {
      look = await tl.lookup(pairs);
    });
    expect(commands).toEqual(['evalsha']);
    expect(look?.latest.every((r, i) => r?.id === `p${i % 50}`)).toBe(true);
    // Each interval comes back once, however many pairs it answers.
    expect(look?.latest[7]).toBe(look?.latest[1_957]);
  });

  it('matches a brute-force reading of the stored intervals: deep pages, same-second ties, repeated holders', async () => {
    // Deterministic pseudo-random history: many holders per IP (deeper than one page), starts that collide on the
    // same second (zero-length intervals), gaps, and times before, inside and after everything.
    let seed = 42;
    const rnd = () => {
      seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
      return seed / 2 ** 32;
    };
    const ips = ['10.9.0.1', '10.9.0.2', '10.9.0.3', 'fd00:aaaa:bbbb:cccc:dddd:eeee:ffff:1234', '10.9.0.4'];
    for (const [n, ip] of ips.entries()) {
      let t = 1_000;
      for (let h = 0; h < 8 + n * 9; h++) {
        t += rnd() < 0.2 ? 0 : Math.floor(rnd() * 100);
        await tl.open(rec(`h${h}`, ip, t));
        if (rnd() < 0.3) await tl.close(ip, `h${h}`, t + Math.floor(rnd() * 50));
      }
    }
    const pairs = Array.from({ length: 600 }, () => ({
      ip: ips[Math.floor(rnd() * (ips.length + 1))] ?? '10.9.9.9',
      at: 900 + Math.floor(rnd() * 5_000) + (rnd() < 0.1 ? 0.5 : 0),
    }));
    // The spec: newest start at or before `at`; on a same-second tie (Redis orders those reverse-lexically) the
    // first one yields to the next when it was already closed by then.
    const expected = await Promise.all(
      pairs.map(async ({ ip, at }) => {
        const all = await redis.zrevrangebyscore(`${tl.prefix}ip:${ip}`, '+inf', '-inf', 'WITHSCORES');
        const t = Math.floor(at);
        let q = 0;
        while (q < all.length && Number(all[q + 1]) > t) q += 2;
        if (q >= all.length) return null;
        const first = JSON.parse(all[q] as string) as IntervalRecord;
        if (all[q + 3] === all[q + 1] && first.to !== null && first.to <= t) return JSON.parse(all[q + 2] as string);
        return first;
      }),
    );
    expect((await tl.lookup(pairs)).latest).toEqual(expected);
    // One pair at a time gives the same answers as the batch.
    const single = await Promise.all(pairs.slice(0, 60).map(async (p) => (await tl.lookup([p])).latest[0]));
    expect(single).toEqual(expected.slice(0, 60));
  });

  it('answers an empty batch and addresses of any length', async () => {
    await tl.touch(50);
    expect(await tl.lookup([])).toEqual({ start: 50, heartbeat: 50, latest: [] });
    const long = `host-${'x'.repeat(300)}`;
    await tl.open(rec('l', long, 100));
    const look = await tl.lookup([
      { ip: long, at: 150 },
      { ip: '', at: 150 },
      { ip: '10.0.0.1 10.0.0.2', at: 150 },
    ]);
    expect(look.latest.map((r) => r?.id ?? null)).toEqual(['l', null, null]);
  });

  it('is idempotent and order-independent for replicas replaying the same events', async () => {
    const other = new RedisTimeline(new Redis(inject('redisUrl')), 'c1', tl.prefix.replace(/:\{c1\}:$/, ''));
    const events = [
      () => tl.open(rec('a', '10.1.1.1', 100)),
      () => other.open(rec('a', '10.1.1.1', 100)),
      () => other.close('10.1.1.1', 'a', 205),
      () => tl.close('10.1.1.1', 'a', 200),
      () => other.open(rec('b', '10.1.1.1', 300)),
      () => tl.open(rec('b', '10.1.1.1', 300)),
    ];
    for (const e of events) await e();
    const once = await tl.history('10.1.1.1', 0, 1_000);
    for (const e of [...events].reverse()) await e();
    expect(await tl.history('10.1.1.1', 0, 1_000)).toEqual(once);
    expect(once.map((r) => [r.id, r.from, r.to])).toEqual([
      ['a', 100, 200],
      ['b', 300, null],
    ]);
    // Concurrent writes from both connections: the scripts are atomic, so the result is the same.
    await Promise.all([
      tl.open(rec('c', '10.1.1.2', 10)),
      other.open(rec('c', '10.1.1.2', 10)),
      tl.close('10.1.1.2', 'c', 20),
    ]);
    expect((await tl.history('10.1.1.2', 0, 100)).map((r) => [r.from, r.to])).toEqual([[10, 20]]);
    await (other as unknown as { redis: Redis }).redis.quit();
  });

  it('keeps "ended before" bounds unless a precise end is earlier, and upgrades a late-resolved workload', async () => {
    await tl.open({ ...rec('a', '10.2.2.2', 100), workload: { namespace: 'shop', kind: 'ReplicaSet', name: 'web-1' } });
    await tl.open(rec('a', '10.2.2.2', 100));
    await tl.close('10.2.2.2', 'a', 500, { endedAfter: 300 });
    let [a] = await tl.history('10.2.2.2', 0, 1_000);
    expect(a).toMatchObject({ to: 500, endedBefore: true, endedAfter: 300, workload: { kind: 'Deployment' } });
    await tl.close('10.2.2.2', 'a', 600);
    [a] = await tl.history('10.2.2.2', 0, 1_000);
    expect(a).toMatchObject({ to: 500, endedBefore: true });
    await tl.close('10.2.2.2', 'a', 400);
    [a] = await tl.history('10.2.2.2', 0, 1_000);
    expect(a?.to).toBe(400);
    expect(a?.endedBefore).toBeUndefined();
    expect(await tl.openIntervals()).toEqual([]);
  });

  it('trims intervals that ended before the retention and moves the timeline start', async () => {
    await tl.touch(100);
    await tl.open(rec('old', '10.3.3.3', 100));
    await tl.close('10.3.3.3', 'old', 200);
    await tl.open(rec('new', '10.3.3.3', 5_000));
    await tl.open(rec('open', '10.3.3.4', 150));
    expect(await tl.trim(10_000, 9_000)).toBe(1);
    expect((await tl.history('10.3.3.3', 0, 20_000)).map((r) => r.id)).toEqual(['new']);
    expect((await tl.openIntervals()).map((r) => r.id).sort()).toEqual(['new', 'open']);
    expect((await tl.meta()).start).toBe(1_000);
  });

  it('lets one holder at a time take a lock', async () => {
    let inner: unknown = 'not run';
    const outer = await tl.withLock('reconcile', 5_000, async () => {
      inner = await tl.withLock('reconcile', 5_000, async () => 'ran');
      return 'outer';
    });
    expect([outer, inner]).toEqual(['outer', undefined]);
    expect(await tl.withLock('reconcile', 5_000, async () => 'again')).toBe('again');
  });
});
