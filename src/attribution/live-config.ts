import type { Config } from '../config.js';

/** The settings that decide whether and how the live source runs. */
export type K8sConfig = Pick<
  Config,
  | 'EGRESS_K8S_ENABLED'
  | 'EGRESS_CLUSTERS'
  | 'KUBECONFIG'
  | 'KUBERNETES_SERVICE_HOST'
  | 'EGRESS_K8S_CONTEXT'
  | 'EGRESS_CLUSTER_NAME'
  | 'EGRESS_VPC_CIDRS'
  | 'EGRESS_K8S_NAMESPACES'
  | 'EGRESS_TIMELINE_RETENTION'
  | 'REDIS_URL'
>;

/**
 * Live attribution is on when forced, or (auto) when cluster access is configured: in-cluster, KUBECONFIG, a context
 * or EGRESS_CLUSTERS.
 */
export function liveEnabled(c: K8sConfig): boolean {
  if (c.EGRESS_K8S_ENABLED !== 'auto') return c.EGRESS_K8S_ENABLED === 'true';
  return Boolean(c.EGRESS_CLUSTERS.length || c.KUBERNETES_SERVICE_HOST || c.KUBECONFIG || c.EGRESS_K8S_CONTEXT);
}
