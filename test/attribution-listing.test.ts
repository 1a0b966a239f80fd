/**
 * Listing who held which address over a range — what `from <selector>` resolves workloads with — from both sources:
 * the snapshot (a pod holds its IP from its start until the next pod with that IP started) and the live timeline
 * (every interval overlapping the range, ended ones included), and through the selector.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type IntervalRecord, podRecords } from '../src/attribution/kube-records.js';
import { LiveAttribution } from '../src/attribution/live.js';
import { SnapshotAttribution } from '../src/attribution/snapshot.js';
import { RedisTimeline } from '../src/attribution/timeline.js';
import { noAttribution } from '../src/attribution/types.js';
import { resolveSelector } from '../src/commands/selector.js';
import { UserError } from '../src/errors.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.quit());

const at = (iso: string) => Date.parse(iso) / 1000;
const pod = (name: string, ip: string, startTime: string, owner?: string) => ({
  kind: 'Pod',
  metadata: {
    namespace: 'billing',
    name,
    uid: `uid-${name}`,
    labels: { app: name.split('-')[0] as string },
    ...(owner ? { ownerReferences: [{ kind: 'StatefulSet', name: owner, controller: true }] } : {}),
  },
  spec: { nodeName: 'n1' },
  status: { podIP: ip, startTime },
});

describe('snapshot', () => {
  const snap = SnapshotAttribution.fromItems([
    pod('job-a', '10.0.0.5', '2026-11-11T13:00:00Z'),
    pod('db-0', '10.0.0.5', '2026-11-12T00:00:00Z', 'db'),
    pod('db-1', '10.0.0.6', '2026-11-01T00:00:00Z', 'db'),
  ]);

  it('lists each pod with the interval it held its IP, labels included', async () => {
    const all = await snap.listHolders({ from: at('2026-11-10T00:00:00Z'), to: at('2026-11-20T00:00:00Z') });
    const brief = all.map((h) => [h.pod, h.ip, h.from, h.to, h.labels?.app]);
    expect(brief).toEqual([
      ['db-0', '10.0.0.5', at('2026-11-12T00:00:00Z'), null, 'db'],
      // Until its successor on the address started.
      ['job-a', '10.0.0.5', at('2026-11-11T13:00:00Z'), at('2026-11-12T00:00:00Z'), 'job'],
      ['db-1', '10.0.0.6', at('2026-11-01T00:00:00Z'), null, 'db'],
    ]);
    // A range after job-a lost the address leaves it out; one before db-0 started leaves db-0 out.
    const late = await snap.listHolders({ from: at('2026-11-13T00:00:00Z'), to: at('2026-11-14T00:00:00Z') });
    expect(late.map((h) => h.pod)).toEqual(['db-0', 'db-1']);
    const early = await snap.listHolders({ from: at('2026-11-11T14:00:00Z'), to: at('2026-11-11T15:00:00Z') });
    expect(early.map((h) => h.pod)).toEqual(['job-a', 'db-1']);
  });

  it('resolves selectors to those intervals, and suggests the closest workloads', async () => {
    const range = { from: at('2026-11-10T00:00:00Z'), to: at('2026-11-20T00:00:00Z') };
    const db = await resolveSelector({ kind: 'named', namespace: 'billing', name: 'db' }, snap, range);
    expect([db.matched, db.addresses.map((h) => h.pod), db.workloads]).toEqual([
      'workload',
      ['db-0', 'db-1'],
      [{ namespace: 'billing', kind: 'StatefulSet', name: 'db' }],
    ]);
    const one = await resolveSelector({ kind: 'named', namespace: 'billing', name: 'job-a' }, snap, range);
    expect([one.matched, one.addresses.map((h) => h.ip)]).toEqual(['workload', ['10.0.0.5']]);
    const ip = await resolveSelector({ kind: 'ip', ip: '10.0.0.5' }, snap, range);
    expect(ip.addresses.map((h) => h.pod)).toEqual(['db-0', 'job-a']);
    await expect(resolveSelector({ kind: 'named', namespace: 'billing', name: 'dbb' }, snap, range)).rejects.toThrow(
      /Closest known: `billing\/db`/,
    );
    await expect(resolveSelector({ kind: 'namespace', namespace: 'x' }, noAttribution(), range)).rejects.toBeInstanceOf(
      UserError,
    );
  });
});

describe('live timeline', () => {
  const rec = (id: string, ip: string, from: number, to: number | null = null): IntervalRecord => ({
    ip,
    id,
    pod: id,
    namespace: 'billing',
    uid: id,
    workload: { namespace: 'billing', kind: 'Deployment', name: 'ledger-api' },
    from,
    to,
  });

  it('lists every interval overlapping the range, ended ones included, never those outside it', async () => {
    const tl = new RedisTimeline(redis, 'c1', `egress:test:${randomUUID()}`);
    await tl.open(rec('old', '10.1.0.1', 100, 200)); // ended before the range
    await tl.open(rec('a', '10.1.0.1', 300, 500)); // ended inside it
    await tl.open(rec('b', '10.1.0.1', 500)); // reused address, still open
    await tl.open(rec('c', '10.1.0.2', 1_000)); // starts after the range
    await tl.open(rec('d', '10.1.0.3', 50)); // open throughout
    const live = new LiveAttribution({
      timeline: tl,
      cluster: 'c1',
      clock: () => 2_000,
      status: () => ({ synced: true, podsTracked: 4, restarts: 0 }),
    });
    const got = await live.listHolders({ from: 250, to: 900 });
    expect(got.map((h) => [h.pod, h.ip, h.from, h.to, h.cluster])).toEqual([
      ['a', '10.1.0.1', 300, 500, 'c1'],
      ['b', '10.1.0.1', 500, null, 'c1'],
      ['d', '10.1.0.3', 50, null, 'c1'],
    ]);
  });

  it('carries the labels a pod had when it got its address (what `policy` selects by), from the pod object on', async () => {
    const pod = {
      metadata: {
        name: 'catalog-api-7c9d8f6b5-a1b2c',
        namespace: 'shop',
        uid: 'u-1',
        labels: { 'app.kubernetes.io/name': 'catalog-api', 'pod-template-hash': '7c9d8f6b5' },
      },
      spec: { nodeName: 'n1', containers: [] },
      status: { podIP: '10.40.60.11', startTime: new Date(1_000_000), phase: 'Running' },
    };
    const [own] = podRecords(pod, { replicaSet: () => undefined, job: () => undefined }, 0).filter((r) => r.pod);
    expect(own?.labels).toEqual(pod.metadata.labels);
    const bare = podRecords(
      { ...pod, metadata: { ...pod.metadata, labels: {} } },
      { replicaSet: () => undefined, job: () => undefined },
      0,
    );
    expect(bare.some((r) => 'labels' in r)).toBe(false);
    const tl = new RedisTimeline(redis, 'c1', `egress:test:${randomUUID()}`);
    await tl.open(own as IntervalRecord);
    const live = new LiveAttribution({
      timeline: tl,
      cluster: 'c1',
      clock: () => 2_000_000,
      status: () => ({ synced: true, podsTracked: 1, restarts: 0 }),
    });
    const [held] = await live.listHolders({ from: 0, to: 2_000_000 });
    expect(held?.labels).toEqual(pod.metadata.labels);
    // ip-history shows holders, never their labels.
    const history = await live.history('10.40.60.11', { from: 0, to: 2_000_000 });
    expect(history.intervals[0]).not.toHaveProperty('labels');
  });
});
