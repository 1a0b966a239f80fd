import type { CoreV1Api, Informer, KubeConfig, V1Pod } from '@kubernetes/client-node';
import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { job, type KubeFake, pod, replicaSet, startKubernetesApiFake, uidFor } from './kubernetes-api.js';

/** Polls `check` until it holds; informer callbacks arrive asynchronously off the watch stream. */
async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Kubernetes API fake with the real client-node', () => {
  let fake: KubeFake;
  let api: CoreV1Api;
  let kc: KubeConfig;
  let informer: Informer<V1Pod> | undefined;
  let events: string[];
  let errors: unknown[];

  const podA = pod({
    name: 'a',
    namespace: 'shop',
    ip: '10.0.0.1',
    node: 'n1',
    owner: { kind: 'ReplicaSet', name: 'web-1' },
  });
  const podB = pod({ name: 'b', namespace: 'ops', ip: '10.0.0.2', node: 'n2' });
  const podPhases = () => fake.requests.filter((r) => r.path === '/api/v1/pods');
  const lists = () => podPhases().filter((r) => !r.query.watch);

  async function startInformer(): Promise<Informer<V1Pod>> {
    const inf = k8s.makeInformer(kc, '/api/v1/pods', () => api.listPodForAllNamespaces());
    inf.on('add', (p) => events.push(`add ${p.metadata?.name} ${p.status?.podIP}`));
    inf.on('update', (p) => events.push(`update ${p.metadata?.name} ${p.status?.podIP}`));
    inf.on('delete', (p) => events.push(`delete ${p.metadata?.name}`));
    // Since client-node 1.x a non-410 watch error stops the informer; the caller decides when to restart.
    inf.on('error', (err) => errors.push(err));
    informer = inf;
    await inf.start();
    return inf;
  }

  beforeEach(async () => {
    fake = await startKubernetesApiFake();
    kc = new k8s.KubeConfig();
    kc.loadFromString(fake.kubeconfig());
    api = kc.makeApiClient(k8s.CoreV1Api);
    events = [];
    errors = [];
  });
  afterEach(async () => {
    await informer?.stop();
    informer = undefined;
    await fake.close();
  });

  it('serves lists, selectors, single objects and /version', async () => {
    fake.upsert(podA);
    fake.upsert(podB);
    fake.upsert(replicaSet({ name: 'web-1', namespace: 'shop', deployment: 'web' }));
    const all = await api.listPodForAllNamespaces();
    expect(all.items.map((p) => p.metadata?.name)).toEqual(['b', 'a']);
    expect(all.metadata?.resourceVersion).toBe('3');
    expect(all.items[1].metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'ReplicaSet',
      uid: uidFor('ReplicaSet', 'shop', 'web-1'),
    });

    const shop = await api.listNamespacedPod({ namespace: 'shop' });
    expect(shop.items.map((p) => p.metadata?.name)).toEqual(['a']);
    const onN2 = await api.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=n2' });
    expect(onN2.items.map((p) => p.metadata?.name)).toEqual(['b']);
    await expect(api.readNamespacedPod({ namespace: 'ops', name: 'b' })).resolves.toMatchObject({
      status: { podIP: '10.0.0.2' },
    });
    await expect(api.readNamespacedPod({ namespace: 'ops', name: 'zz' })).rejects.toMatchObject({ code: 404 });
    fake.upsert(job({ name: 'backup-1', namespace: 'ops', cronJob: 'backup' }));
    const rs = await kc.makeApiClient(k8s.AppsV1Api).listNamespacedReplicaSet({ namespace: 'shop' });
    expect(rs.items[0].metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web' });
    const jobs = await kc.makeApiClient(k8s.BatchV1Api).listJobForAllNamespaces();
    expect(jobs.items[0].metadata?.ownerReferences?.[0]).toMatchObject({ apiVersion: 'batch/v1', kind: 'CronJob' });
    await expect(kc.makeApiClient(k8s.VersionApi).getCode()).resolves.toMatchObject({ gitVersion: 'v1.30.0-fake' });
  });

  it('streams add, update and delete to an informer in order', async () => {
    fake.upsert(podA);
    await startInformer();
    expect(fake.openWatches).toBe(1);
    fake.upsert(podB);
    fake.upsert({ ...podA, status: { ...podA.status, podIP: '10.0.0.9' } });
    fake.remove('Pod', 'ops', 'b');
    await until(() => events.length === 4, '4 informer events');
    expect(events).toEqual(['add a 10.0.0.1', 'add b 10.0.0.2', 'update a 10.0.0.9', 'delete b']);
    expect(podPhases().at(-1)?.query).toMatchObject({ watch: 'true', resourceVersion: '1' });
  });

  it('resumes from its resourceVersion after dropWatches and a caller restart', async () => {
    fake.upsert(podA);
    const inf = await startInformer();
    fake.dropWatches();
    await until(() => errors.length === 1, 'informer error after drop');
    expect(fake.openWatches).toBe(0);

    fake.upsert(podB); // made while disconnected: must arrive from the fake's history
    await inf.start();
    await until(() => events.includes('add b 10.0.0.2'), 'change made while disconnected');
    expect(lists()).toHaveLength(1); // resumed the watch, no relist
    expect(podPhases().at(-1)?.query.resourceVersion).toBe('1');
  });

  it('reconnects by itself after a graceful watch end', async () => {
    await startInformer();
    fake.endWatches();
    await until(() => podPhases().length === 3 && fake.openWatches === 1, 'automatic re-watch');
    fake.upsert(podB);
    await until(() => events.length === 1, 'event on the new watch');
    expect(errors).toEqual([]);
  });

  it('answers an expired resourceVersion with 410 and the informer relists', async () => {
    fake.upsert(podA);
    const inf = await startInformer();
    fake.dropWatches();
    await until(() => errors.length === 1, 'informer error after drop');
    fake.upsert(podB);
    fake.remove('Pod', 'shop', 'a');
    fake.compact();

    await inf.start();
    await until(() => lists().length === 2 && fake.openWatches === 1, 'relist and re-watch');
    expect(events).toEqual(['add a 10.0.0.1', 'delete a', 'add b 10.0.0.2']);
    expect(errors).toHaveLength(1); // 410 is handled inside the informer, not surfaced
    expect(podPhases().at(-1)?.query.resourceVersion).toBe('3');
  });

  it('fails calls while down and recovers', async () => {
    fake.setDown(true);
    const err = await api.listPodForAllNamespaces().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(k8s.ApiException);
    expect(err).toMatchObject({ code: 503 });
    fake.setDown(true, 'reset');
    await expect(api.listPodForAllNamespaces()).rejects.toThrow();
    fake.setDown(false);
    await expect(api.listPodForAllNamespaces()).resolves.toMatchObject({ items: [] });
  });
});
