import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { kubeHealthCheck, kubeMetrics } from '../src/attribution/kube-observe.js';
import { resolveOne } from '../src/attribution/types.js';
import { pod } from './fakes/kubernetes-api.js';
import { at, held, type KubeHarness, startKubeHarness, until } from './fakes/kubernetes-api-harness.js';

const T0 = at('2026-11-17T12:00:00Z');
const web = (name: string, ip: string, startTime = '2026-11-17T11:00:00Z') =>
  pod({ name, namespace: 'shop', ip, node: 'n1', owner: { kind: 'ReplicaSet', name: 'web-1' }, startTime });

describe('live attribution recovers: dropped watches, 410, dead connections, API outages, restarts', () => {
  let h: KubeHarness;
  beforeEach(async () => {
    h = await startKubeHarness(inject('redisUrl'), T0);
  });
  afterEach(async () => {
    await h.close();
  });

  it('recovers from a dropped watch and from 410 Gone without missing a change', async () => {
    h.fake.upsert(web('a', '10.40.3.1'));
    h.fake.upsert(web('b', '10.40.3.2'));
    const c = h.cluster();
    await c.start();
    await held(c, '10.40.3.2', 'b', false);

    h.fake.dropWatches();
    h.clock.t = T0 + 600;
    h.fake.remove('Pod', 'shop', 'a'); // while disconnected: replayed from the fake's history on resume
    h.fake.upsert(web('c', '10.40.3.3', '2026-11-17T12:05:00Z'));
    await held(c, '10.40.3.1', 'a', true);
    await held(c, '10.40.3.3', 'c', false);
    expect(c.status().restarts).toBeGreaterThan(0);

    h.fake.dropWatches();
    h.clock.t = T0 + 1_200;
    h.fake.remove('Pod', 'shop', 'b');
    h.fake.upsert(web('d', '10.40.3.4', '2026-11-17T12:15:00Z'));
    h.fake.compact(); // resuming from the old resourceVersion now answers 410: the informer relists
    await held(c, '10.40.3.2', 'b', true);
    await held(c, '10.40.3.4', 'd', false);
    await until(() => c.status().synced, 'synced again');
    const podLists = h.fake.requests.filter((r) => r.path === '/api/v1/pods' && !r.query.watch);
    expect(podLists.length).toBe(2);
    const [b] = await c.timeline.history('10.40.3.2', 0, 4e9);
    // Deleted at an unknown moment while disconnected: closed as "ended before" the relist, not guessed.
    expect(b).toMatchObject({ to: T0 + 1_200, endedBefore: true });
  });

  it('restarts a watch that went silent for two server timeouts (dead connection)', async () => {
    h.fake.upsert(web('a', '10.40.6.1'));
    const c = h.cluster({ watchdogMs: 20, watchTimeoutSeconds: 60 });
    await c.start();
    const watches = () => h.fake.requests.filter((r) => r.path === '/api/v1/pods' && r.query.watch === 'true').length;
    expect(watches()).toBe(1);
    h.clock.t += 151; // nothing arrived for > 2 × 60 s + 30 s
    await until(() => watches() === 2 && c.status().synced, 'a fresh watch after the watchdog aborted the silent one');
    expect(c.status().resources.find((r) => r.name === 'pods')?.restarts).toBe(1);
    h.fake.upsert(web('b', '10.40.6.2'));
    await held(c, '10.40.6.2', 'b');
  });

  it('answers while the API is down at start, marked "attribution unavailable since …"', async () => {
    // An earlier run recorded pod a and was last in sync at T0.
    h.fake.upsert(web('a', '10.40.4.1'));
    const first = h.cluster();
    await first.start();
    await held(first, '10.40.4.1', 'a');
    await first.stop();

    h.fake.setDown(true);
    h.clock.t = T0 + 86_400;
    const c = h.cluster();
    await c.start();
    expect(c.status()).toMatchObject({ synced: false });
    const [old, recent] = await c.attribution.resolveMany([
      { ip: '10.40.4.1', at: T0 - 60 },
      { ip: '10.40.4.1', at: T0 + 3_600 },
    ]);
    expect(old?.holder?.pod).toBe('a');
    expect(recent?.holder).toBeNull();
    expect(recent?.reason).toMatch(
      /^attribution unavailable since 2026-11-17T12:00Z \(cluster test: Kubernetes API unreachable, HTTP 503/,
    );
    expect(recent?.reason).toContain('last known holder shop/a');
    const health = await kubeHealthCheck('test', () => c.status()).check();
    expect(health.ok).toBe(false);
    expect(health.detail).toContain('not in sync since 2026-11-18T12:00:00Z');

    h.fake.setDown(false);
    await until(() => c.status().synced, 'recovery after the outage', 5_000);
    expect((await resolveOne(c.attribution, '10.40.4.1', T0 + 3_600)).holder?.pod).toBe('a');
  });

  it('reconciles after a restart: pods that vanished meanwhile end "before" the restart, new ones are added', async () => {
    h.fake.upsert(web('a', '10.40.5.1'));
    h.fake.upsert(web('b', '10.40.5.2'));
    const first = h.cluster();
    await first.start();
    await held(first, '10.40.5.2', 'b');
    await first.stop();

    h.fake.remove('Pod', 'shop', 'a');
    h.fake.upsert(web('c', '10.40.5.1', '2026-11-17T18:00:00Z')); // a's address, reused while the bot was down
    h.clock.t = T0 + 86_400;
    const registry = new Registry();
    const second = h.cluster();
    const metrics = kubeMetrics(registry);
    metrics.addCluster('test', () => second.status());
    await second.start();
    await held(second, '10.40.5.1', 'c');
    const hist = await second.timeline.history('10.40.5.1', 0, 4e9);
    expect(hist.map((r) => [r.pod, r.from, r.to])).toEqual([
      ['a', T0 - 3_600, at('2026-11-17T18:00:00Z')],
      ['c', at('2026-11-17T18:00:00Z'), null],
    ]);
    // a vanished while nobody watched: its end is a bound ("ended before"), after the last heartbeat (T0).
    expect(hist[0]).toMatchObject({ endedBefore: true, endedAfter: T0 });
    expect((await second.timeline.history('10.40.5.2', 0, 4e9))[0]?.to).toBeNull();
    const text = await registry.metrics();
    expect(text).toContain('egress_k8s_pods_tracked{cluster="test"} 2');
    expect(text).toContain('egress_k8s_informer_synced{cluster="test"} 1');
    expect(text).toContain(`egress_k8s_last_sync_timestamp_seconds{cluster="test"} ${T0 + 86_400}`);
  });
});
