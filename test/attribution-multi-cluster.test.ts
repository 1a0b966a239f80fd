import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { describe, expect, inject, it } from 'vitest';
import { createLiveAttribution, liveEnabled } from '../src/attribution/kube-setup.js';
import { hasHistory } from '../src/attribution/live.js';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { runHealthChecks } from '../src/health.js';
import { createLogger } from '../src/logger.js';
import { redisOptions } from '../src/redis.js';
import { type KubeFake, pod, startKubernetesApiFake } from './fakes/kubernetes-api.js';
import { at } from './fakes/kubernetes-api-harness.js';

/** One kubeconfig file with a context per fake, named like the clusters (`a`, `b`). */
/** The timeline's connection, as the process builds it; closed last (first in the list run in reverse). */
function timelineRedis(onClose: Array<() => Promise<void>>): Redis {
  const redis = new Redis(inject('redisUrl'), redisOptions('timeline'));
  onClose.unshift(async () => redis.disconnect());
  return redis;
}

async function kubeconfigFor(dir: string, fakes: Record<string, KubeFake>): Promise<string> {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [] as unknown[],
    users: [] as unknown[],
    contexts: [] as unknown[],
  };
  for (const [name, fake] of Object.entries(fakes)) {
    const one = JSON.parse(fake.kubeconfig());
    doc.clusters.push({ ...one.clusters[0], name });
    doc.users.push({ ...one.users[0], name });
    doc.contexts.push({ name, context: { cluster: name, user: name } });
  }
  const file = join(dir, 'kubeconfig');
  await writeFile(file, JSON.stringify({ ...doc, 'current-context': 'a' }));
  return file;
}

describe('EGRESS_CLUSTERS', () => {
  it('validates the JSON list and normalises CIDRs', () => {
    const ok = loadConfig({
      EGRESS_CLUSTERS: '[{"name":"prod","context":"p","vpcCidrs":["10.40.0.0/16"]},{"name":"ops","inCluster":true}]',
    });
    expect(ok.EGRESS_CLUSTERS).toEqual([
      { name: 'prod', context: 'p', vpcCidrs: ['10.40.0.0/16'] },
      { name: 'ops', inCluster: true, vpcCidrs: [] },
    ]);
    expect(liveEnabled(ok)).toBe(true);
    expect(liveEnabled(loadConfig({}))).toBe(false);
    expect(liveEnabled(loadConfig({ KUBERNETES_SERVICE_HOST: '10.0.0.1' }))).toBe(true);
    expect(liveEnabled(loadConfig({ KUBECONFIG: '/k', EGRESS_K8S_ENABLED: 'false' }))).toBe(false);
    const bad = (v: string) => () => loadConfig({ EGRESS_CLUSTERS: v });
    expect(bad('[{name:')).toThrow(/EGRESS_CLUSTERS: not JSON/);
    expect(bad('[{"name":"x"}]')).toThrow(/exactly one of "context" or "inCluster"/);
    expect(bad('[{"name":"x","context":"c","vpcCidrs":["10.40.0.0"]}]')).toThrow(/not a CIDR block/);
    expect(bad('[{"name":"x","context":"c"},{"name":"x","context":"d"}]')).toThrow(/appears twice/);
    expect(bad('[{"name":"a b","context":"c"}]')).toThrow(/\[0.name\]/);
  });
});

describe('multi-cluster live attribution', () => {
  it('routes each IP to its cluster by VPC CIDR and every holder carries its cluster', async () => {
    const fakes = { a: await startKubernetesApiFake(), b: await startKubernetesApiFake() };
    const dir = await mkdtemp(join(tmpdir(), 'egress-mc-'));
    const onClose: Array<() => Promise<void>> = [];
    try {
      fakes.a.upsert(
        pod({ name: 'web-a', namespace: 'shop', ip: '10.40.1.1', node: 'na', startTime: '2026-11-17T00:00:00Z' }),
      );
      fakes.b.upsert(
        pod({ name: 'web-b', namespace: 'shop', ip: '10.50.1.1', node: 'nb', startTime: '2026-11-17T00:00:00Z' }),
      );
      // The same address in both clusters (overlapping VPCs): only the CIDR-matched cluster is asked.
      fakes.b.upsert(
        pod({ name: 'shadow', namespace: 'shop', ip: '10.40.1.1', node: 'nb', startTime: '2026-11-17T00:00:00Z' }),
      );
      const config = loadConfig({
        KUBECONFIG: await kubeconfigFor(dir, fakes),
        REDIS_URL: inject('redisUrl'),
        EGRESS_CLUSTERS: JSON.stringify([
          { name: 'prod-a', context: 'a', vpcCidrs: ['10.40.0.0/16'] },
          { name: 'prod-b', context: 'b', vpcCidrs: ['10.50.0.0/16'] },
        ]),
      });
      const metrics = new Registry();
      const healthChecks: Parameters<typeof createLiveAttribution>[1]['healthChecks'] = [];
      const live = await createLiveAttribution(config, {
        logger: createLogger('silent'),
        metrics,
        healthChecks,
        onClose,
        redis: async () => timelineRedis(onClose),
        clock: () => at('2026-11-18T00:00:00Z'),
        tuning: { keyNamespace: `egress:test:${randomUUID()}`, backoff: { initialMs: 20, maxMs: 100 } },
      });
      if (!live || !hasHistory(live)) throw new Error('expected a live source with history');
      const res = await live.resolveMany([
        { ip: '10.40.1.1', at: at('2026-11-17T12:00:00Z') },
        { ip: '10.50.1.1', at: at('2026-11-17T12:00:00Z') },
        { ip: '10.60.1.1', at: at('2026-11-17T12:00:00Z') },
      ]);
      expect(res.map((r) => r.holder && `${r.holder.cluster}/${r.holder.pod}`)).toEqual([
        'prod-a/web-a',
        'prod-b/web-b',
        null,
      ]);
      expect(res[2]?.reason).toMatch(
        /^prod-a: no pod held 10.60.1.1 at 2026-11-17T12:00Z; timeline starts 2026-11-18 \| prod-b: /,
      );
      const hist = await live.history('10.50.1.1', {
        from: at('2026-11-10T00:00:00Z'),
        to: at('2026-11-18T00:00:00Z'),
      });
      expect(hist.intervals.map((h) => `${h.cluster}/${h.pod}`)).toEqual(['prod-b/web-b']);

      const health = await runHealthChecks(healthChecks);
      expect(health.checks.map((c) => [c.name, c.ok])).toEqual([
        ['kubernetes:prod-a', true],
        ['kubernetes:prod-b', true],
      ]);
      expect(await metrics.metrics()).toContain('egress_k8s_pods_tracked{cluster="prod-b"} 2');
      expect(live.describe()).toMatch(/cluster prod-a\): in sync, 1 pods tracked.*; live timeline \(cluster prod-b\)/);
    } finally {
      for (const fn of [...onClose].reverse()) await fn();
      expect(fakes.a.openWatches + fakes.b.openWatches).toBeLessThanOrEqual(6);
      await fakes.a.close();
      await fakes.b.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a missing context, and refuses a forced setup without Redis', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'egress-mc-'));
    const fake = await startKubernetesApiFake();
    try {
      const KUBECONFIG = await kubeconfigFor(dir, { a: fake });
      const rt = {
        logger: createLogger('silent'),
        metrics: new Registry(),
        healthChecks: [],
        onClose: [],
        redis: async () => new Redis('redis://127.0.0.1:1', redisOptions('timeline')),
      };
      await expect(createLiveAttribution(loadConfig({ KUBECONFIG, EGRESS_K8S_CONTEXT: 'nope' }), rt)).rejects.toThrow(
        /context "nope" is not in the kubeconfig \(known: a\)/,
      );
      const noRedis = loadConfig({ KUBECONFIG, REDIS_URL: 'redis://127.0.0.1:1', EGRESS_K8S_ENABLED: 'true' });
      await expect(createLiveAttribution(noRedis, rt)).rejects.toBeInstanceOf(ConfigError);
      const auto = await createLiveAttribution({ ...noRedis, EGRESS_K8S_ENABLED: 'auto' }, rt);
      const [r] = (await auto?.resolveMany([{ ip: '10.40.1.1', at: 0 }])) ?? [];
      expect(r?.reason).toMatch(/^live attribution unavailable: cannot reach Redis at redis:\/\/127.0.0.1:1/);
    } finally {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
