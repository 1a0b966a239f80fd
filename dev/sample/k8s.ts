import { podLabels, SHOP_PODS, SHOP_REPLICA_SETS } from './k8s-shop.js';
import { derive } from './prng.js';

/** Addresses the scripted scenario refers to; the pods below carry them. */
export const POD_IP = {
  paymentsA: '10.40.12.34',
  paymentsB: '10.40.12.35',
  nightlyExport: '10.40.20.7',
  debugShell: '100.64.3.9',
  kafka0: '10.40.30.10',
  nodeAgent: '10.40.1.21',
  backfill: '10.40.41.8',
  coredns: '10.40.2.11',
} as const;

type OwnerKind = 'ReplicaSet' | 'Job' | 'StatefulSet' | 'DaemonSet';

/** A pod of the snapshot, in the few fields the bot reads. */
export interface SamplePod {
  namespace: string;
  name: string;
  /** Absent for a Pending pod that has no address yet. */
  ip?: string;
  node: string;
  phase: 'Running' | 'Succeeded' | 'Pending';
  startTime: string;
  owner?: { kind: OwnerKind; name: string };
  /** Noise traffic may come from this pod (debug and batch pods only send what the scenario scripts). */
  noisy: boolean;
}

const NODES = ['ip-10-40-1-21.ec2.internal', 'ip-10-40-1-22.ec2.internal', 'ip-10-40-1-23.ec2.internal'];
const [N1, N2, N3] = NODES as [string, string, string];
const EARLY = '2026-11-01T08:00:00Z';

/** The CronJob's Job is named after its scheduled time in minutes since the epoch (2026-11-20T02:00Z). */
const NIGHTLY_JOB = 'nightly-export-29919000';

function p(
  namespace: string,
  name: string,
  ip: string | undefined,
  node: string,
  owner?: SamplePod['owner'],
  extra: Partial<SamplePod> = {},
): SamplePod {
  return { namespace, name, ip, node, phase: 'Running', startTime: EARLY, owner, noisy: true, ...extra };
}

const rs = (name: string): SamplePod['owner'] => ({ kind: 'ReplicaSet', name });

/** The CronJob's Job of scenario-ask.ts, scheduled 2026-11-11T13:00Z (29,906,700 minutes since the epoch). */
const INVOICE_JOB = 'invoice-sync-29906700';

/**
 * Every pod in the snapshot. IPs are unique, so attribution by IP is never ambiguous, except 10.40.50.20: the
 * invoice-sync Job's finished pod held it, then a ledger-api replica that started later (scenario-ask.ts).
 */
export const PODS: readonly SamplePod[] = [
  p('payments', 'payments-api-7d9f8b6c5-x2k9p', POD_IP.paymentsA, N1, rs('payments-api-7d9f8b6c5')),
  p('payments', 'payments-api-7d9f8b6c5-q7m4t', POD_IP.paymentsB, N2, rs('payments-api-7d9f8b6c5')),
  p('payments', 'payments-worker-6f7a8b9c01-r8s2d', '10.40.12.50', N3, rs('payments-worker-6f7a8b9c01')),
  p(
    'batch',
    `${NIGHTLY_JOB}-h8z2w`,
    POD_IP.nightlyExport,
    N2,
    { kind: 'Job', name: NIGHTLY_JOB },
    {
      phase: 'Succeeded',
      startTime: '2026-11-20T01:59:55Z',
      noisy: false,
    },
  ),
  p('analytics', 'backfill-7x9kq', POD_IP.backfill, N3, { kind: 'Job', name: 'backfill' }, { noisy: false }),
  p('default', 'debug-shell', POD_IP.debugShell, N1, undefined, { startTime: '2026-11-10T09:00:00Z', noisy: false }),
  p('data', 'kafka-0', POD_IP.kafka0, N1, { kind: 'StatefulSet', name: 'kafka' }),
  p('data', 'kafka-1', '10.40.30.11', N2, { kind: 'StatefulSet', name: 'kafka' }),
  p('data', 'kafka-2', '10.40.30.12', N3, { kind: 'StatefulSet', name: 'kafka' }),
  p('monitoring', 'prometheus-0', '10.40.14.5', N2, { kind: 'StatefulSet', name: 'prometheus' }),
  // node-agent runs with hostNetwork, so its pod IP is the node's IP.
  p('kube-system', 'node-agent-7xk2p', POD_IP.nodeAgent, N1, { kind: 'DaemonSet', name: 'node-agent' }),
  p('kube-system', 'node-agent-m4n8q', '10.40.1.22', N2, { kind: 'DaemonSet', name: 'node-agent' }),
  p('kube-system', 'node-agent-z2r5t', '10.40.1.23', N3, { kind: 'DaemonSet', name: 'node-agent' }),
  p('kube-system', 'coredns-5d78c9869d-4hj2k', POD_IP.coredns, N1, rs('coredns-5d78c9869d'), { noisy: false }),
  p('kube-system', 'coredns-5d78c9869d-8kq7w', '10.40.2.12', N3, rs('coredns-5d78c9869d'), { noisy: false }),
  p('web', 'frontend-6c8d9e7f5b-2xk4l', '10.40.13.20', N1, rs('frontend-6c8d9e7f5b')),
  p('web', 'frontend-6c8d9e7f5b-9mp3z', '10.40.13.21', N2, rs('frontend-6c8d9e7f5b')),
  p('web', 'frontend-6c8d9e7f5b-t5v7w', undefined, N3, rs('frontend-6c8d9e7f5b'), {
    phase: 'Pending',
    startTime: '2026-11-20T11:58:00Z',
    noisy: false,
  }),
  // EKS custom networking: pods in the secondary 100.64.0.0/16 CIDR.
  p('web', 'checkout-58f9c7d6b4-k2j9h', '100.64.5.17', N3, rs('checkout-58f9c7d6b4')),
  // scenario-ask.ts: only scripted traffic (noisy: false), so its answers stay hand-checkable.
  p('billing', 'ledger-api-6f9c7d8b5-x7k2p', '10.40.50.11', N1, rs('ledger-api-6f9c7d8b5'), { noisy: false }),
  p('billing', 'ledger-api-6f9c7d8b5-m3n4q', '10.40.50.12', N2, rs('ledger-api-6f9c7d8b5'), { noisy: false }),
  p('billing', 'ledger-api-6f9c7d8b5-r9t2v', '10.40.50.20', N3, rs('ledger-api-6f9c7d8b5'), {
    startTime: '2026-11-12T00:00:00Z',
    noisy: false,
  }),
  p(
    'billing',
    `${INVOICE_JOB}-p4w8s`,
    '10.40.50.20',
    N3,
    { kind: 'Job', name: INVOICE_JOB },
    { phase: 'Succeeded', startTime: '2026-11-11T13:00:00Z', noisy: false },
  ),
  // k8s-shop.ts: the policy and savings scenario (scenario-aws.ts).
  ...SHOP_PODS((ns, name, ip, node, set) => p(ns, name, ip, NODES[node] as string, rs(set), { noisy: false })),
];

/** ReplicaSet → Deployment. The old payments-api ReplicaSet is scaled to zero, as after a rollout. */
const REPLICA_SETS: readonly [string, string, string][] = [
  ['payments', 'payments-api-7d9f8b6c5', 'payments-api'],
  ['payments', 'payments-api-5b6c7d8e9f', 'payments-api'],
  ['payments', 'payments-worker-6f7a8b9c01', 'payments-worker'],
  ['kube-system', 'coredns-5d78c9869d', 'coredns'],
  ['web', 'frontend-6c8d9e7f5b', 'frontend'],
  ['web', 'checkout-58f9c7d6b4', 'checkout'],
  ['billing', 'ledger-api-6f9c7d8b5', 'ledger-api'],
  ...SHOP_REPLICA_SETS,
];

/** Job → CronJob (or none, for a Job created by hand). */
const JOBS: readonly [string, string, string | undefined][] = [
  ['batch', NIGHTLY_JOB, 'nightly-export'],
  ['analytics', 'backfill', undefined],
  ['billing', INVOICE_JOB, 'invoice-sync'],
];

const API: Record<string, string> = {
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Deployment: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
};

/** A stable UUID per object, independent of the world seed so snapshots compare across seeds. */
function uid(kind: string, namespace: string, name: string): string {
  const h = derive(0, 'uid', kind, namespace, name).hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

function ownerRef(kind: string, namespace: string, name: string) {
  return [
    { apiVersion: API[kind], kind, name, uid: uid(kind, namespace, name), controller: true, blockOwnerDeletion: true },
  ];
}

const labelsOf = (pod: SamplePod) => {
  const labels = podLabels(pod, pod.owner ? uid(pod.owner.kind, pod.namespace, pod.owner.name) : '');
  return labels ? { labels } : {};
};

/** The snapshot as `kubectl get pods,replicasets,jobs -A -o json` prints it. */
export function buildSnapshot(): unknown {
  const items: unknown[] = [];
  for (const pod of PODS) {
    const status: Record<string, unknown> = { phase: pod.phase, hostIP: pod.node.slice(3, -13).replace(/-/g, '.') };
    if (pod.ip) Object.assign(status, { podIP: pod.ip, podIPs: [{ ip: pod.ip }] });
    if (pod.phase !== 'Pending') status.startTime = pod.startTime;
    items.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: pod.name,
        namespace: pod.namespace,
        uid: uid('Pod', pod.namespace, pod.name),
        creationTimestamp: pod.startTime,
        ...labelsOf(pod),
        ...(pod.owner ? { ownerReferences: ownerRef(pod.owner.kind, pod.namespace, pod.owner.name) } : {}),
      },
      spec: { nodeName: pod.node, ...(pod.owner?.kind === 'DaemonSet' ? { hostNetwork: true } : {}) },
      status,
    });
  }
  for (const [namespace, name, deployment] of REPLICA_SETS) {
    items.push({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace,
        uid: uid('ReplicaSet', namespace, name),
        ownerReferences: ownerRef('Deployment', namespace, deployment),
      },
      status: { replicas: PODS.filter((x) => x.owner?.name === name).length },
    });
  }
  for (const [namespace, name, cronJob] of JOBS) {
    items.push({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace,
        uid: uid('Job', namespace, name),
        ...(cronJob ? { ownerReferences: ownerRef('CronJob', namespace, cronJob) } : {}),
      },
      status: cronJob ? { succeeded: 1 } : { active: 1 },
    });
  }
  return { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } };
}
