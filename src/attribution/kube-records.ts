import type { V1Pod } from '@kubernetes/client-node';
import { type OwnerLookup, workloadOf } from './owners.js';
import type { Workload } from './types.js';

/**
 * One holder of one IP over `[from, to)` as stored in the timeline. `id` identifies the holder (pod uid, or
 * `node:<name>` for node addresses) and is unique per IP, which is what makes writes idempotent across replicas.
 */
export interface IntervalRecord {
  ip: string;
  id: string;
  pod: string | null;
  namespace: string | null;
  uid?: string;
  node?: string;
  workload: Workload | null;
  hostNetwork?: boolean;
  /** Epoch seconds. */
  from: number;
  /** Epoch seconds, exclusive; null while the holder still has the IP. */
  to: number | null;
  /** `to` is only an upper bound: the holder vanished while nobody was watching (after `endedAfter`, if known). */
  endedBefore?: boolean;
  endedAfter?: number;
  /** resourceVersion of the object that opened the interval: reconcile never closes what a newer list has not seen. */
  rv?: string;
  /** The pod's labels when it got the address (what `policy` drafts select the pods by); absent when it had none. */
  labels?: Record<string, string>;
}

const epoch = (t: Date | string | undefined): number | undefined => {
  if (t === undefined) return undefined;
  const ms = (t instanceof Date ? t : new Date(t)).getTime();
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
};

/** Every address of a pod (dual-stack pods have two). */
export function podIps(pod: V1Pod): string[] {
  const ips = new Set<string>();
  for (const p of pod.status?.podIPs ?? []) if (p.ip) ips.add(p.ip);
  if (pod.status?.podIP) ips.add(pod.status.podIP);
  return [...ips];
}

/** A pod whose containers have all stopped has released its address (Job pods, evicted pods). */
export function isFinished(pod: V1Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/**
 * When a finished or deleted pod stopped holding its address, as far as the object says: the last container
 * termination, else the deletion deadline (the kubelet tears the sandbox down by then), else undefined.
 */
export function podEnd(pod: V1Pod): number | undefined {
  const finished = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]
    .map((c) => epoch(c.state?.terminated?.finishedAt))
    .filter((t): t is number => t !== undefined);
  if (finished.length && isFinished(pod)) return Math.max(...finished);
  return epoch(pod.metadata?.deletionTimestamp);
}

/** When the pod started (its sandbox, and so its address, comes right after); creation time as a fallback. */
export function podStart(pod: V1Pod): number | undefined {
  return epoch(pod.status?.startTime) ?? epoch(pod.metadata?.creationTimestamp);
}

/** The node holder of a node address: hostNetwork pods and the node's own traffic are the node's. */
export function nodeRecord(ip: string, node: string, from: number, rv?: string): IntervalRecord {
  return {
    ip,
    id: `node:${node}`,
    pod: null,
    namespace: null,
    node,
    workload: { namespace: '', kind: 'Node', name: node },
    hostNetwork: true,
    from,
    to: null,
    rv,
  };
}

/**
 * The intervals a pod object implies: one per pod IP (or, for hostNetwork pods, the node holding its address), plus
 * the node's own address (status.hostIP), since nodes are not watched (RBAC stays pods/replicasets/jobs). `from` is
 * the pod's start; `fallbackFrom` is used when the object carries no time. Finished pods come back closed.
 */
export function podRecords(pod: V1Pod, owners: OwnerLookup, fallbackFrom: number): IntervalRecord[] {
  const meta = pod.metadata ?? {};
  const from = podStart(pod) ?? fallbackFrom;
  const rv = meta.resourceVersion;
  const node = pod.spec?.nodeName;
  const out: IntervalRecord[] = [];
  const hostIp = pod.status?.hostIP;
  if (node && hostIp) out.push(nodeRecord(hostIp, node, from, rv));
  const to = isFinished(pod) ? (podEnd(pod) ?? null) : null;
  for (const ip of podIps(pod)) {
    if (pod.spec?.hostNetwork) {
      if (node && ip !== hostIp) out.push(nodeRecord(ip, node, from, rv));
      continue;
    }
    if (!meta.uid) continue;
    out.push({
      ip,
      id: meta.uid,
      pod: meta.name ?? null,
      namespace: meta.namespace ?? null,
      uid: meta.uid,
      node,
      workload: workloadOf(meta, owners),
      from,
      to: to !== null ? Math.max(to, from) : null,
      rv,
      ...(meta.labels && Object.keys(meta.labels).length ? { labels: meta.labels } : {}),
    });
  }
  return out;
}

/** `a/b` of a namespaced object, the informer caches' key. */
export const objectKey = (o: { metadata?: { namespace?: string; name?: string } }): string =>
  `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
