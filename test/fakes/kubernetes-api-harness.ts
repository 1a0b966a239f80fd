import { randomUUID } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { Redis } from 'ioredis';
import { LiveCluster, type LiveClusterOptions } from '../../src/attribution/kube-cluster.js';
import { type KubeFake, startKubernetesApiFake } from './kubernetes-api.js';

/** A settable clock (epoch seconds): tests move time, the code under test only reads it. */
export interface TestClock {
  t: number;
  now: () => number;
}

export function testClock(t: number): TestClock {
  const c = { t, now: () => c.t };
  return c;
}

/** `2026-11-18T10:00:00Z` → epoch seconds. */
export const at = (iso: string): number => Date.parse(iso) / 1000;

/** Polls `check` (sync or async) until it holds; informer events arrive asynchronously off the watch stream. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The real client-node pointed at the fake over 127.0.0.1; a timeline in the suite's Redis under a fresh prefix. */
export interface KubeHarness {
  fake: KubeFake;
  kc: KubeConfig;
  redis: Redis;
  clock: TestClock;
  keyNamespace: string;
  /** A live cluster on the fake (not started); several may share the key namespace to play replicas or restarts. */
  cluster(o?: Partial<LiveClusterOptions>): LiveCluster;
  close(): Promise<void>;
}

/** Starts the fake API and a Redis connection; `close()` stops every cluster made here, then the rest. */
export async function startKubeHarness(redisUrl: string, start: number, fake?: KubeFake): Promise<KubeHarness> {
  const api = fake ?? (await startKubernetesApiFake());
  const kc = new KubeConfig();
  kc.loadFromString(api.kubeconfig());
  const redis = new Redis(redisUrl);
  const clock = testClock(start);
  const keyNamespace = `egress:test:${randomUUID()}`;
  const made: LiveCluster[] = [];
  return {
    fake: api,
    kc,
    redis,
    clock,
    keyNamespace,
    cluster(o = {}) {
      const c = new LiveCluster({
        name: 'test',
        kc,
        redis,
        namespaces: [],
        clock: clock.now,
        retentionSeconds: 90 * 86_400,
        backoff: { initialMs: 20, maxMs: 200 },
        heartbeatMs: 600_000,
        startWaitMs: 3_000,
        keyNamespace,
        ...o,
      });
      made.push(c);
      return c;
    },
    async close() {
      for (const c of made) await c.stop();
      await api.close();
      redis.disconnect();
    },
  };
}

/** Waits until the timeline shows pod `name` holding `ip`, open (`closed` false), closed (true) or either. */
export async function held(c: LiveCluster, ip: string, name: string, closed?: boolean): Promise<void> {
  await until(async () => {
    await c.recorder.flush();
    const hist = await c.timeline.history(ip, 0, 4e9);
    return hist.some((r) => r.pod === name && (closed === undefined || (r.to !== null) === closed));
  }, `${name} on ${ip}`);
}
