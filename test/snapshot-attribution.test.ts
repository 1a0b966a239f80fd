import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workloadOf } from '../src/attribution/owners.js';
import { SnapshotAttribution } from '../src/attribution/snapshot.js';
import { UserError } from '../src/errors.js';
import { tempDir } from './support/mini-world.js';

const owner = (kind: string, name: string) => [{ kind, name, controller: true }];
const pod = (
  name: string,
  ip: string,
  ownerReferences?: ReturnType<typeof owner>,
  startTime = '2026-11-01T00:00:00Z',
) => ({
  kind: 'Pod',
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, ownerReferences },
  spec: { nodeName: 'node-1' },
  status: { podIP: ip, podIPs: [{ ip }], startTime },
});

const items = [
  pod('web-abc-1', '10.0.0.1', owner('ReplicaSet', 'web-abc')),
  { kind: 'ReplicaSet', metadata: { name: 'web-abc', namespace: 'ns', ownerReferences: owner('Deployment', 'web') } },
  pod('export-123-x', '10.0.0.2', owner('Job', 'export-123')),
  { kind: 'Job', metadata: { name: 'export-123', namespace: 'ns', ownerReferences: owner('CronJob', 'export') } },
  pod('once-x', '10.0.0.3', owner('Job', 'once')),
  { kind: 'Job', metadata: { name: 'once', namespace: 'ns' } },
  pod('db-0', '10.0.0.4', owner('StatefulSet', 'db')),
  pod('agent-x', '10.0.0.5', owner('DaemonSet', 'agent')),
  pod('shell', '10.0.0.6'),
  pod('orphan-rs-x', '10.0.0.7', owner('ReplicaSet', 'gone-rs')),
  // 10.0.0.8 reused: an old finished pod and a newer one.
  pod('old-x', '10.0.0.8', undefined, '2026-11-01T00:00:00Z'),
  pod('new-x', '10.0.0.8', undefined, '2026-11-10T00:00:00Z'),
  {
    ...pod('v6', '10.0.0.9'),
    status: { podIP: '10.0.0.9', podIPs: [{ ip: '10.0.0.9' }, { ip: 'fd00::9' }], startTime: '2026-11-01T00:00:00Z' },
  },
];
const at = Date.parse('2026-11-15T00:00:00Z') / 1000;

describe('snapshot attribution', () => {
  const a = SnapshotAttribution.fromItems(items, 'test');
  const w = async (ip: string, t = at) => (await a.resolveMany([{ ip, at: t }]))[0];

  it('follows controller owners to the workload for every kind', async () => {
    expect((await w('10.0.0.1'))?.holder?.workload).toEqual({ namespace: 'ns', kind: 'Deployment', name: 'web' });
    expect((await w('10.0.0.2'))?.holder?.workload).toEqual({ namespace: 'ns', kind: 'CronJob', name: 'export' });
    expect((await w('10.0.0.3'))?.holder?.workload).toEqual({ namespace: 'ns', kind: 'Job', name: 'once' });
    expect((await w('10.0.0.4'))?.holder?.workload).toEqual({ namespace: 'ns', kind: 'StatefulSet', name: 'db' });
    expect((await w('10.0.0.5'))?.holder?.workload).toEqual({ namespace: 'ns', kind: 'DaemonSet', name: 'agent' });
    expect((await w('10.0.0.6'))?.holder).toMatchObject({
      pod: 'shell',
      workload: { kind: 'Pod', name: 'shell' },
      node: 'node-1',
    });
    // The ReplicaSet is not in the snapshot: stop there rather than guess the Deployment from the name.
    expect((await w('10.0.0.7'))?.holder?.workload).toEqual({ namespace: 'ns', kind: 'ReplicaSet', name: 'gone-rs' });
    expect((await w('fd00::9'))?.holder?.pod).toBe('v6');
  });

  it('an unknown IP has no holder and says why', async () => {
    expect(await w('10.9.9.9')).toEqual({ holder: null, reason: 'no pod in the snapshot (test) has IP 10.9.9.9' });
  });

  it('a reused IP is attributed to the pod that had started by the flow time', async () => {
    expect((await w('10.0.0.8', Date.parse('2026-11-05T00:00:00Z') / 1000))?.holder?.pod).toBe('old-x');
    expect((await w('10.0.0.8', Date.parse('2026-11-12T00:00:00Z') / 1000))?.holder?.pod).toBe('new-x');
  });

  it('a pod that started after the flow is named with a caveat', async () => {
    const r = await w('10.0.0.1', Date.parse('2026-10-01T00:00:00Z') / 1000);
    expect(r?.holder?.pod).toBe('web-abc-1');
    expect(r?.reason).toMatch(/after this traffic/);
  });

  it('a missing or malformed file is a user error with the kubectl command to fix it', async () => {
    const d = await tempDir();
    await expect(SnapshotAttribution.fromFile(path.join(d, 'nope.json'))).rejects.toThrow(
      /kubectl get pods,replicasets,jobs -A -o json/,
    );
    await writeFile(path.join(d, 'bad.json'), '{"kind": "Pod"}');
    await expect(SnapshotAttribution.fromFile(path.join(d, 'bad.json'))).rejects.toBeInstanceOf(UserError);
  });

  it('workloadOf uses the first owner when none is marked controller', () => {
    expect(
      workloadOf(
        { name: 'p', namespace: 'n', ownerReferences: [{ kind: 'StatefulSet', name: 's' }] },
        { replicaSet: () => undefined, job: () => undefined },
      ),
    ).toEqual({
      namespace: 'n',
      kind: 'StatefulSet',
      name: 's',
    });
  });
});
