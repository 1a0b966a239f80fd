import type { Registry } from 'prom-client';
import { ConfigError } from '../errors.js';
import type { HealthCheck } from '../health.js';
import type { Logger } from '../logger.js';
import type { Redis } from '../redis.js';
import { type ClusterSpec, LiveCluster, type LiveClusterOptions, loadKubeConfig } from './kube-cluster.js';
import { kubeHealthCheck, kubeMetrics } from './kube-observe.js';
import { type K8sConfig, liveEnabled } from './live-config.js';
import { MultiClusterAttribution } from './multi-cluster.js';
import { type Attribution, noAttribution } from './types.js';

/** The parts of `Deps` the live source registers itself with. */
export interface LiveRuntime {
  logger: Logger;
  metrics: Registry;
  healthChecks: HealthCheck[];
  onClose: Array<() => Promise<void>>;
  /**
   * The timeline's Redis connection, owned by the caller (made once, with fail-fast options). A lazy one is connected
   * here, so an unreachable Redis is reported instead of waited for.
   */
  redis: () => Promise<Redis>;
  /** Epoch seconds; the wall clock unless a test injects one. */
  clock?: () => number;
  /** Tuning for tests (backoff, timers, start wait). */
  tuning?: LiveTuning;
}

/** Timings and key namespace tests shorten or isolate. */
export type LiveTuning = Partial<
  Pick<LiveClusterOptions, 'backoff' | 'heartbeatMs' | 'trimEveryMs' | 'startWaitMs' | 'keyNamespace'>
>;

export { liveEnabled };

/**
 * The clusters to watch: EGRESS_CLUSTERS, else one named EGRESS_CLUSTER_NAME (default "default") from the context or
 * in-cluster config.
 */
export function clusterSpecs(c: K8sConfig): ClusterSpec[] {
  if (c.EGRESS_CLUSTERS.length) return c.EGRESS_CLUSTERS;
  const inCluster = !c.KUBECONFIG && !c.EGRESS_K8S_CONTEXT && Boolean(c.KUBERNETES_SERVICE_HOST);
  return [
    {
      name: c.EGRESS_CLUSTER_NAME ?? 'default',
      context: c.EGRESS_K8S_CONTEXT,
      inCluster,
      vpcCidrs: c.EGRESS_VPC_CIDRS,
    },
  ];
}

const redacted = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

async function connect(rt: LiveRuntime): Promise<Redis> {
  const redis = await rt.redis();
  if (redis.status !== 'wait') return redis;
  try {
    await redis.connect();
  } catch (err) {
    // Stop ioredis' reconnect loop: attribution answers "unavailable" for this process's life.
    redis.disconnect();
    throw err;
  }
  return redis;
}

/**
 * Builds the live source when enabled: one informer + Redis timeline per cluster, registered with health checks,
 * metrics and cleanup, and started (waiting a bounded time for the first sync). Returns undefined when disabled.
 * Without Redis the timeline cannot exist: a forced setup fails, an automatic one answers "unavailable" instead.
 */
export async function createLiveAttribution(config: K8sConfig, rt: LiveRuntime): Promise<Attribution | undefined> {
  if (!liveEnabled(config)) return undefined;
  const clock = rt.clock ?? (() => Math.floor(Date.now() / 1000));
  const specs = clusterSpecs(config);
  const kcs = specs.map((s) => loadKubeConfig(s, config.KUBECONFIG));
  let redis: Redis;
  try {
    redis = await connect(rt);
  } catch (err) {
    const why = `cannot reach Redis at ${redacted(config.REDIS_URL)} for the IP timeline (${(err as Error).message})`;
    if (config.EGRESS_K8S_ENABLED === 'true') throw new ConfigError(`EGRESS_K8S_ENABLED=true but ${why}.`);
    rt.logger.warn({ redis: redacted(config.REDIS_URL) }, `live attribution off: ${why}`);
    return noAttribution(`live attribution unavailable: ${why}`);
  }
  const metrics = kubeMetrics(rt.metrics);
  const clusters = specs.map((spec, i) => {
    const cluster: string = spec.name;
    const live = new LiveCluster({
      name: cluster,
      kc: kcs[i] as NonNullable<(typeof kcs)[number]>,
      redis,
      namespaces: config.EGRESS_K8S_NAMESPACES,
      clock,
      retentionSeconds: config.EGRESS_TIMELINE_RETENTION,
      ...rt.tuning,
      onRestart: (resource) => metrics.restarts.inc({ cluster, resource }),
      onError: (resource, err) => {
        metrics.errors.inc({ cluster, resource });
        rt.logger.warn({ cluster, resource, err }, 'informer stopped; restarting with backoff');
      },
      onWriteError: (err) => {
        metrics.writeErrors.inc({ cluster });
        rt.logger.warn({ cluster, err }, 'IP timeline write failed');
      },
    });
    const removeGauges = metrics.addCluster(cluster, () => live.status());
    rt.healthChecks.push(kubeHealthCheck(cluster, () => live.status()));
    rt.onClose.push(async () => {
      removeGauges();
      await live.stop();
    });
    return { spec, live };
  });
  await Promise.all(clusters.map((c) => c.live.start()));
  if (clusters.length === 1) return clusters[0]?.live.attribution;
  return new MultiClusterAttribution(
    clusters.map(({ spec, live }) => ({ name: spec.name, vpcCidrs: spec.vpcCidrs, source: live.attribution })),
  );
}
