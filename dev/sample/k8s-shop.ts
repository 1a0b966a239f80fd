/**
 * The pods' labels, as their controllers and charts set them, and the `shop` namespace of the policy and savings
 * scenario (scenario-aws.ts). Shop pods send only scripted traffic (noisy: false), so no other answer moves.
 */
import type { SamplePod } from './k8s.js';

/** Addresses of the shop pods. */
export const SHOP_IP = {
  catalogA: '10.40.60.11',
  catalogB: '10.40.60.12',
  mailer: '10.40.60.30',
  cartCache: '10.40.60.40',
} as const;

/** The shop pods: catalog-api (two replicas), legacy-mailer (only refused attempts), cart-cache (never talks out). */
export const SHOP_PODS = (p: (ns: string, name: string, ip: string, node: number, rs: string) => SamplePod) => [
  p('shop', 'catalog-api-7c9d8f6b5-a1b2c', SHOP_IP.catalogA, 0, 'catalog-api-7c9d8f6b5'),
  p('shop', 'catalog-api-7c9d8f6b5-d3e4f', SHOP_IP.catalogB, 1, 'catalog-api-7c9d8f6b5'),
  p('shop', 'legacy-mailer-5f6b7c8d9-k2l3m', SHOP_IP.mailer, 2, 'legacy-mailer-5f6b7c8d9'),
  p('shop', 'cart-cache-6b7c8d9e0f-p9q8r', SHOP_IP.cartCache, 0, 'cart-cache-6b7c8d9e0f'),
];

/** ReplicaSet → Deployment of the shop pods. */
export const SHOP_REPLICA_SETS: readonly [string, string, string][] = [
  ['shop', 'catalog-api-7c9d8f6b5', 'catalog-api'],
  ['shop', 'legacy-mailer-5f6b7c8d9', 'legacy-mailer'],
  ['shop', 'cart-cache-6b7c8d9e0f', 'cart-cache'],
];

/** Chart labels beyond the controller's, per Deployment. */
const PART_OF: Record<string, string> = { 'catalog-api': 'shop', 'legacy-mailer': 'shop', 'cart-cache': 'shop' };

/**
 * A pod's metadata.labels: what its controller stamps (pod-template-hash, controller-revision-hash, job-name…) plus
 * an app label; kube-system's CoreDNS answers to `k8s-app: kube-dns`. debug-shell, started by hand, has none.
 */
export function podLabels(pod: SamplePod, controllerUid: string): Record<string, string> | undefined {
  const o = pod.owner;
  if (!o) return undefined;
  if (o.kind === 'ReplicaSet') {
    const hash = o.name.slice(o.name.lastIndexOf('-') + 1);
    const app = o.name.slice(0, o.name.lastIndexOf('-'));
    if (app === 'coredns') return { 'k8s-app': 'kube-dns', 'pod-template-hash': hash };
    const partOf = PART_OF[app];
    return {
      'app.kubernetes.io/name': app,
      ...(partOf ? { 'app.kubernetes.io/part-of': partOf } : {}),
      'pod-template-hash': hash,
    };
  }
  if (o.kind === 'StatefulSet') {
    return {
      'app.kubernetes.io/name': o.name,
      'controller-revision-hash': `${o.name}-6d8f9b7c4`,
      'statefulset.kubernetes.io/pod-name': pod.name,
    };
  }
  if (o.kind === 'DaemonSet')
    return { 'k8s-app': o.name, 'controller-revision-hash': '5c7b9d8f6', 'pod-template-generation': '1' };
  const app = o.name.replace(/-\d+$/, '');
  return {
    'app.kubernetes.io/name': app,
    'batch.kubernetes.io/controller-uid': controllerUid,
    'batch.kubernetes.io/job-name': o.name,
    'controller-uid': controllerUid,
    'job-name': o.name,
  };
}
