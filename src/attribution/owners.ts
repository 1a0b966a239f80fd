import type { Workload } from './types.js';

/** The part of a Kubernetes object's metadata the owner chain needs. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  ownerReferences?: Array<{ kind?: string; name?: string; uid?: string; controller?: boolean }>;
}

/** Lookups for intermediate owners (ReplicaSets, Jobs) from a cache; never one API call per IP. */
export interface OwnerLookup {
  replicaSet(namespace: string, name: string): ObjectMeta | undefined;
  job(namespace: string, name: string): ObjectMeta | undefined;
}

function controllerOf(meta: ObjectMeta | undefined) {
  const refs = meta?.ownerReferences ?? [];
  return refs.find((r) => r.controller) ?? refs[0];
}

/**
 * Follows controller ownerReferences to the workload: ReplicaSet→Deployment, Job→CronJob; StatefulSet, DaemonSet
 * and other controllers are the workload themselves; a pod with no owner is its own workload (kind "Pod"). When an
 * intermediate owner is not in the cache, the chain stops there (kind ReplicaSet/Job) rather than guessing from names.
 */
export function workloadOf(pod: ObjectMeta, lookup: OwnerLookup): Workload {
  const namespace = pod.namespace ?? 'default';
  const owner = controllerOf(pod);
  if (!owner?.kind || !owner.name) return { namespace, kind: 'Pod', name: pod.name ?? '?' };
  if (owner.kind === 'ReplicaSet' || owner.kind === 'Job') {
    const mid =
      owner.kind === 'ReplicaSet' ? lookup.replicaSet(namespace, owner.name) : lookup.job(namespace, owner.name);
    const top = controllerOf(mid);
    if (top?.kind && top.name) return { namespace, kind: top.kind, name: top.name };
  }
  return { namespace, kind: owner.kind, name: owner.name };
}

/** `payments/Deployment/payments-api` */
export function workloadLabel(w: Workload | null | undefined): string {
  if (!w) return '—';
  // Node holders are cluster-scoped: no namespace to show.
  return w.namespace ? `${w.namespace}/${w.kind}/${w.name}` : `${w.kind}/${w.name}`;
}
