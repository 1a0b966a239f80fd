import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { resolveOne } from '../src/attribution/types.js';
import { job, pod, replicaSet } from './fakes/kubernetes-api.js';
import { at, held, type KubeHarness, startKubeHarness, until } from './fakes/kubernetes-api-harness.js';

const T0 = at('2026-11-17T12:00:00Z');
const web = (name: string, ip: string, startTime = '2026-11-17T11:00:00Z') =>
  pod({ name, namespace: 'shop', ip, node: 'n1', owner: { kind: 'ReplicaSet', name: 'web-1' }, startTime });

describe('live attribution: informer → Redis timeline (real client-node, fake API, real Redis)', () => {
  let h: KubeHarness;
  beforeEach(async () => {
    h = await startKubeHarness(inject('redisUrl'), T0);
  });
  afterEach(async () => {
    await h.close();
  });

  it('resolves Deployment and CronJob workloads through cached owners, with no API call per IP', async () => {
    h.fake.upsert(replicaSet({ name: 'web-1', namespace: 'shop', deployment: 'web' }));
    h.fake.upsert(job({ name: 'export-29919000', namespace: 'batch', cronJob: 'export' }));
    h.fake.upsert(web('web-1-a', '10.40.1.1'));
    h.fake.upsert(
      pod({
        name: 'export-29919000-x',
        namespace: 'batch',
        ip: '10.40.2.2',
        node: 'n2',
        owner: { kind: 'Job', name: 'export-29919000' },
      }),
    );
    const c = h.cluster();
    await c.start();
    await held(c, '10.40.2.2', 'export-29919000-x');
    const before = h.fake.requests.length;
    h.clock.t += 3_600;
    const [webRes, jobRes] = await c.attribution.resolveMany([
      { ip: '10.40.1.1', at: T0 + 60 },
      { ip: '10.40.2.2', at: T0 + 60 },
    ]);
    expect(webRes?.holder).toMatchObject({
      pod: 'web-1-a',
      workload: { kind: 'Deployment', name: 'web' },
      cluster: 'test',
    });
    expect(jobRes?.holder?.workload).toEqual({ namespace: 'batch', kind: 'CronJob', name: 'export' });
    expect(h.fake.requests.length).toBe(before);

    // A pod whose ReplicaSet arrives after it climbs to the Deployment once the owner is cached.
    h.fake.upsert(
      pod({
        name: 'api-2-a',
        namespace: 'shop',
        ip: '10.40.1.3',
        node: 'n1',
        owner: { kind: 'ReplicaSet', name: 'api-2' },
      }),
    );
    await held(c, '10.40.1.3', 'api-2-a');
    h.fake.upsert(replicaSet({ name: 'api-2', namespace: 'shop', deployment: 'api' }));
    await until(
      async () => (await resolveOne(c.attribution, '10.40.1.3', T0 + 60)).holder?.workload?.kind === 'Deployment',
      'upgrade',
    );
  });

  it("ends a Job pod at its containers' finish time, even when the event arrives later", async () => {
    h.fake.upsert(job({ name: 'export-1', namespace: 'batch', cronJob: 'export' }));
    const p = pod({
      name: 'export-1-x',
      namespace: 'batch',
      ip: '10.40.2.9',
      node: 'n2',
      owner: { kind: 'Job', name: 'export-1' },
    });
    h.fake.upsert(p);
    const c = h.cluster();
    await c.start();
    await held(c, '10.40.2.9', 'export-1-x', false);
    h.clock.t = T0 + 7_200;
    const finishedAt = new Date((T0 + 600) * 1000);
    const terminated = {
      state: { terminated: { exitCode: 0, finishedAt } },
      name: 'main',
      image: 'x',
      imageID: '',
      ready: false,
      restartCount: 0,
    };
    h.fake.upsert({ ...p, status: { ...p.status, phase: 'Succeeded', containerStatuses: [terminated] } });
    await held(c, '10.40.2.9', 'export-1-x', true);
    const [rec] = await c.timeline.history('10.40.2.9', 0, 4e9);
    expect(rec).toMatchObject({ to: T0 + 600, workload: { kind: 'CronJob', name: 'export' } });
    expect(rec?.endedBefore).toBeUndefined();
  });

  it('attributes hostNetwork pods and node addresses to the node', async () => {
    h.fake.upsert({
      ...pod({ name: 'agent-x', namespace: 'ops', ip: '10.40.0.21', node: 'ip-10-40-0-21', hostNetwork: true }),
    });
    const p = web('web-1-a', '10.40.1.1');
    h.fake.upsert({ ...p, status: { ...p.status, hostIP: '10.40.0.22' } });
    const c = h.cluster();
    await c.start();
    await held(c, '10.40.1.1', 'web-1-a');
    const [agent, node] = await c.attribution.resolveMany([
      { ip: '10.40.0.21', at: T0 },
      { ip: '10.40.0.22', at: T0 },
    ]);
    expect(agent?.holder).toMatchObject({
      pod: null,
      node: 'ip-10-40-0-21',
      hostNetwork: true,
      workload: { kind: 'Node' },
    });
    expect(node?.holder).toMatchObject({ pod: null, node: 'n1', workload: { kind: 'Node', name: 'n1' } });
  });
});
