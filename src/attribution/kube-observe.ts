import { Counter, Gauge, type Registry } from 'prom-client';
import { isoSeconds } from '../flowlogs/window.js';
import type { HealthCheck } from '../health.js';
import type { ClusterStatus } from './informer.js';

/** Metrics of the Kubernetes informers and the IP timeline. */
export interface KubeMetrics {
  /** `egress_k8s_informer_restarts_total{cluster,resource}`: restarts after errors (dropped watch, API down). */
  restarts: Counter<'cluster' | 'resource'>;
  /** `egress_k8s_informer_errors_total{cluster,resource}`: errors that stopped an informer. */
  errors: Counter<'cluster' | 'resource'>;
  /** `egress_timeline_write_errors_total{cluster}`: timeline writes that failed (Redis down). */
  writeErrors: Counter<'cluster'>;
  /** Adds a cluster to the scrape-time gauges; returns its removal. */
  addCluster(name: string, status: () => ClusterStatus): () => void;
}

const cache = new WeakMap<Registry, KubeMetrics>();

/**
 * Creates (once per registry) the Kubernetes metrics. Gauges are read from the informers at scrape time
 * (`egress_k8s_informer_synced`, `egress_k8s_last_sync_timestamp_seconds`, `egress_k8s_pods_tracked`), so nothing has
 * to remember to update them.
 */
export function kubeMetrics(registry: Registry): KubeMetrics {
  const existing = cache.get(registry);
  if (existing) return existing;
  const sources = new Map<string, () => ClusterStatus>();
  const registers = [registry];
  const gauge = (name: string, help: string, value: (s: ClusterStatus) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ['cluster'],
      registers,
      collect() {
        this.reset();
        for (const [cluster, status] of sources) {
          const v = value(status());
          if (v !== undefined) this.set({ cluster }, v);
        }
      },
    });
  gauge('egress_k8s_informer_synced', '1 while every informer of the cluster is in sync with the API', (s) =>
    s.synced ? 1 : 0,
  );
  gauge(
    'egress_k8s_last_sync_timestamp_seconds',
    'When the informers last (re)synced, epoch seconds',
    (s) => s.lastSync,
  );
  gauge('egress_k8s_pods_tracked', 'Pods in the informer cache', (s) => s.podsTracked);
  const metrics: KubeMetrics = {
    restarts: new Counter({
      name: 'egress_k8s_informer_restarts_total',
      help: 'Informer restarts after errors',
      labelNames: ['cluster', 'resource'],
      registers,
    }),
    errors: new Counter({
      name: 'egress_k8s_informer_errors_total',
      help: 'Errors that stopped an informer (it restarts with backoff)',
      labelNames: ['cluster', 'resource'],
      registers,
    }),
    writeErrors: new Counter({
      name: 'egress_timeline_write_errors_total',
      help: 'IP timeline writes that failed',
      labelNames: ['cluster'],
      registers,
    }),
    addCluster(name, status) {
      sources.set(name, status);
      return () => sources.delete(name);
    },
  };
  cache.set(registry, metrics);
  return metrics;
}

/** `/healthz` check of one cluster's informers: in sync, or down since when and why. */
export function kubeHealthCheck(cluster: string, status: () => ClusterStatus): HealthCheck {
  return {
    name: `kubernetes:${cluster}`,
    async check() {
      const s = status();
      const last = s.lastSync !== undefined ? `last sync ${isoSeconds(s.lastSync)}` : 'never synced';
      const common = `${s.podsTracked} pods tracked, ${s.restarts} restarts, ${last}`;
      if (s.synced) return { ok: true, detail: `in sync: ${common}` };
      const down = s.downSince !== undefined ? ` since ${isoSeconds(s.downSince)}` : '';
      return { ok: false, detail: `not in sync${down} (${s.lastError ?? 'starting'}); retrying: ${common}` };
    },
  };
}
