import { createHash } from 'node:crypto';
import type { V1Job, V1Node, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';

/** Builders for the objects the Kubernetes API fake serves (re-exported by kubernetes-api.ts). */

const EPOCH = '2024-01-01T00:00:00Z';

/** Deterministic UUID-shaped uid per object identity, so owner references line up without shared state. */
export function uidFor(kind: string, namespace: string, name: string): string {
  const h = createHash('sha1').update(`${kind}/${namespace}/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function ownerRef(kind: string, namespace: string, name: string) {
  const apiVersion = kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : kind === 'Node' ? 'v1' : 'apps/v1';
  return [{ apiVersion, kind, name, uid: uidFor(kind, namespace, name), controller: true, blockOwnerDeletion: true }];
}

const meta = (kind: string, namespace: string, name: string, owner?: { kind: string; name: string }) => ({
  name,
  namespace,
  uid: uidFor(kind, namespace, name),
  ...(owner ? { ownerReferences: ownerRef(owner.kind, namespace, owner.name) } : {}),
});

/** Builds a Pod; `ip` is the pod IP (the node IP when `hostNetwork`). */
export function pod(o: {
  name: string;
  namespace: string;
  ip: string;
  node: string;
  owner?: { kind: string; name: string };
  phase?: string;
  hostNetwork?: boolean;
  startTime?: string | Date;
  labels?: Record<string, string>;
}): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...meta('Pod', o.namespace, o.name, o.owner), labels: o.labels },
    spec: { nodeName: o.node, hostNetwork: o.hostNetwork, containers: [{ name: 'main', image: 'fake' }] },
    status: {
      phase: o.phase ?? 'Running',
      podIP: o.ip,
      podIPs: [{ ip: o.ip }],
      startTime: new Date(o.startTime ?? EPOCH),
    },
  };
}

/** Builds a ReplicaSet owned by Deployment `deployment`. */
export function replicaSet(o: { name: string; namespace: string; deployment: string }): V1ReplicaSet {
  const owner = { kind: 'Deployment', name: o.deployment };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta('ReplicaSet', o.namespace, o.name, owner),
    spec: { selector: {} },
  };
}

/** Builds a Job, owned by CronJob `cronJob` when given. */
export function job(o: { name: string; namespace: string; cronJob?: string }): V1Job {
  const owner = o.cronJob ? { kind: 'CronJob', name: o.cronJob } : undefined;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta('Job', o.namespace, o.name, owner),
    spec: { template: {} },
  };
}

/** Builds a Node with an InternalIP address. */
export function node(o: { name: string; internalIp: string; providerId?: string }): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: o.name, uid: uidFor('Node', '', o.name) },
    spec: { providerID: o.providerId },
    status: { addresses: [{ type: 'InternalIP', address: o.internalIp }] },
  };
}
