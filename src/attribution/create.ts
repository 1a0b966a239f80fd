import type { Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { HealthCheck } from '../health.js';
import type { Logger } from '../logger.js';
import type { Redis } from '../redis.js';
import type { LiveTuning } from './kube-setup.js';
import { liveEnabled } from './live-config.js';
import { type Attribution, noAttribution } from './types.js';

/** What the attribution sources register with, and the connection the live timeline uses. */
export interface AttributionRuntime {
  logger: Logger;
  /** The metrics registry, asked for only by the live source (a snapshot answer never loads prom-client). */
  metrics: () => Registry;
  healthChecks: HealthCheck[];
  onClose(name: string, fn: () => Promise<void>): void;
  redis: () => Promise<Redis>;
  clock: () => number;
  tuning?: LiveTuning;
}

/**
 * The attribution source: the snapshot file when given (`--k8s` / `EGRESS_K8S_SNAPSHOT`); else, when cluster access
 * is configured, the live informer + Redis IP timeline (per cluster); else none. The Kubernetes client is loaded only
 * for the live source.
 */
export async function createAttribution(
  config: Config,
  k8sFile: string | undefined,
  rt: AttributionRuntime,
): Promise<Attribution> {
  const file = k8sFile ?? config.EGRESS_K8S_SNAPSHOT;
  if (file) {
    const { SnapshotAttribution } = await import('./snapshot.js');
    return SnapshotAttribution.fromFile(file, config.EGRESS_CLUSTER_NAME);
  }
  if (!liveEnabled(config)) return noAttribution();
  const { createLiveAttribution } = await import('./kube-setup.js');
  const hooks: Array<() => Promise<void>> = [];
  rt.onClose('attribution', async () => {
    for (const fn of hooks.reverse()) await fn();
  });
  const live = await createLiveAttribution(config, { ...rt, metrics: rt.metrics(), onClose: hooks, tuning: rt.tuning });
  return live ?? noAttribution();
}
