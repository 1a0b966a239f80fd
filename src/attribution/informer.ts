import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  type KubeConfig,
  type KubernetesObject,
  type V1Job,
  type V1Pod,
  type V1ReplicaSet,
} from '@kubernetes/client-node';
import { type Backoff, type InformerState, ResilientInformer, type WatchedResource } from './kube-watch.js';
import type { OwnerLookup } from './owners.js';

/** What the informer tells the timeline recorder. */
export interface PodEvents {
  /** A pod appeared or changed (also re-sent when its ReplicaSet/Job arrives after it, to complete the owner chain). */
  upsert(pod: V1Pod): void;
  /**
   * A pod is gone. `gap` is set when the deletion happened at an unknown moment during an outage (it vanished in a
   * relist, or the event was replayed right after reconnecting): its end is then only known to be before now.
   */
  remove(pod: V1Pod, gap?: { from?: number }): void;
  /**
   * A complete list of pods (first sync, restart, relist): what reconcile compares the stored timeline with.
   * `scope` is the namespace listed ('' = all namespaces).
   */
  listed(pods: V1Pod[], resourceVersion: string, scope: string): void;
}

/** Options of one cluster's informer. */
export interface ClusterInformerOptions {
  kc: KubeConfig;
  /** Watch only these namespaces; empty = all. */
  namespaces: readonly string[];
  clock: () => number;
  events: PodEvents;
  backoff?: Backoff;
  watchTimeoutSeconds?: number;
  watchdogMs?: number;
  /** Events within this many seconds after recovering from an outage are treated as replayed (default 5). */
  replaySeconds?: number;
  onRestart?: (resource: string) => void;
  onError?: (resource: string, err: unknown) => void;
}

/** Summary state for health and metrics. */
export interface ClusterStatus {
  synced: boolean;
  podsTracked: number;
  restarts: number;
  lastSync?: number;
  downSince?: number;
  lastError?: string;
  resources: InformerState[];
}

type Kind = 'pods' | 'replicasets' | 'jobs';

/**
 * Lists and watches pods, ReplicaSets and Jobs (all namespaces or a list) with client-node informers that restart
 * themselves. ReplicaSets and Jobs are only cached to complete owner chains (ReplicaSet→Deployment, Job→CronJob):
 * resolving an IP never calls the API.
 */
export class ClusterInformer {
  private readonly pods: ResilientInformer<V1Pod>[] = [];
  private readonly replicaSets = new Map<string, ResilientInformer<V1ReplicaSet>>();
  private readonly jobs = new Map<string, ResilientInformer<V1Job>>();

  /** Cached owners, for `workloadOf`. */
  readonly owners: OwnerLookup = {
    replicaSet: (ns, name) => this.cacheFor(this.replicaSets, ns)?.informer.get(name, ns)?.metadata,
    job: (ns, name) => this.cacheFor(this.jobs, ns)?.informer.get(name, ns)?.metadata,
  };

  constructor(private readonly o: ClusterInformerOptions) {
    const core = o.kc.makeApiClient(CoreV1Api);
    const apps = o.kc.makeApiClient(AppsV1Api);
    const batch = o.kc.makeApiClient(BatchV1Api);
    const scopes = o.namespaces.length ? o.namespaces : [''];
    for (const ns of scopes) {
      const at = (group: string, plural: Kind) => (ns ? `/${group}/namespaces/${ns}/${plural}` : `/${group}/${plural}`);
      const pods = this.make<V1Pod>('pods', ns, at('api/v1', 'pods'), () =>
        ns ? core.listNamespacedPod({ namespace: ns }) : core.listPodForAllNamespaces(),
      );
      pods.informer.on('add', (p) => o.events.upsert(p));
      pods.informer.on('update', (p) => o.events.upsert(p));
      pods.informer.on('delete', (p) => o.events.remove(p, this.gapOf(pods, p)));
      this.pods.push(pods);
      const rs = this.make<V1ReplicaSet>('replicasets', ns, at('apis/apps/v1', 'replicasets'), () =>
        ns ? apps.listNamespacedReplicaSet({ namespace: ns }) : apps.listReplicaSetForAllNamespaces(),
      );
      rs.informer.on('add', (r) => this.ownerArrived('ReplicaSet', r));
      this.replicaSets.set(ns, rs);
      const jobs = this.make<V1Job>('jobs', ns, at('apis/batch/v1', 'jobs'), () =>
        ns ? batch.listNamespacedJob({ namespace: ns }) : batch.listJobForAllNamespaces(),
      );
      jobs.informer.on('add', (j) => this.ownerArrived('Job', j));
      this.jobs.set(ns, jobs);
    }
  }

  /** Owners first, so the first pod events already resolve to Deployments and CronJobs. Resolves after one attempt. */
  async start(): Promise<void> {
    await Promise.all([...this.replicaSets.values(), ...this.jobs.values()].map((i) => i.start()));
    await Promise.all(this.pods.map((i) => i.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map((i) => i.stop()));
  }

  /** Every pod in the cache. */
  listPods(): V1Pod[] {
    return this.pods.flatMap((i) => i.informer.list());
  }

  status(): ClusterStatus {
    const states = this.all().map((i) => ({ ...i.state }));
    const min = (xs: Array<number | undefined>) => {
      const v = xs.filter((x): x is number => x !== undefined);
      return v.length ? Math.min(...v) : undefined;
    };
    const synced = states.every((s) => s.synced);
    return {
      synced,
      podsTracked: this.pods.reduce((n, i) => n + i.informer.list().length, 0),
      restarts: states.reduce((n, s) => n + s.restarts, 0),
      // The oldest resource's sync: the cache as a whole is only as fresh as that.
      lastSync: states.some((s) => s.lastSync === undefined) ? undefined : min(states.map((s) => s.lastSync)),
      downSince: min(states.map((s) => s.downSince)),
      lastError: states.find((s) => !s.synced && s.lastError)?.lastError,
      resources: states,
    };
  }

  private all(): ResilientInformer<KubernetesObject>[] {
    return [...this.replicaSets.values(), ...this.jobs.values(), ...this.pods] as ResilientInformer<KubernetesObject>[];
  }

  private make<T extends KubernetesObject>(
    kind: Kind,
    ns: string,
    path: string,
    list: WatchedResource<T>['list'],
  ): ResilientInformer<T> {
    const name = ns ? `${kind}(${ns})` : kind;
    return new ResilientInformer<T>({
      name,
      kc: this.o.kc,
      path,
      list,
      clock: this.o.clock,
      backoff: this.o.backoff ?? { initialMs: 500, maxMs: 30_000 },
      watchTimeoutSeconds: this.o.watchTimeoutSeconds ?? 300,
      watchdogMs: this.o.watchdogMs,
      onList: kind === 'pods' ? (items, rv) => this.o.events.listed(items as V1Pod[], rv, ns) : undefined,
      onRestart: () => this.o.onRestart?.(name),
      onError: (err) => this.o.onError?.(name, err),
    });
  }

  private cacheFor<T>(map: Map<string, T>, ns: string): T | undefined {
    return map.get(ns) ?? map.get('');
  }

  /** A deletion seen in a relist, or replayed while/just after recovering, happened at an unknown time before now. */
  private gapOf(inf: ResilientInformer<V1Pod>, pod: V1Pod): { from?: number } | undefined {
    const s = inf.state;
    const vanished = inf.takeVanished(pod);
    // Still inside the recovering start(): the outage began at downSince.
    if (s.downSince !== undefined) return { from: s.downSince };
    if (vanished) return {};
    if (s.lastGap && this.o.clock() - s.lastGap.to <= (this.o.replaySeconds ?? 5)) return { from: s.lastGap.from };
    return undefined;
  }

  /** Pods cached before their owner: send them again so the stored workload climbs to Deployment/CronJob. */
  private ownerArrived(kind: 'ReplicaSet' | 'Job', owner: KubernetesObject): void {
    const { name, namespace } = owner.metadata ?? {};
    for (const p of this.listPods()) {
      if (p.metadata?.namespace !== namespace) continue;
      if (p.metadata?.ownerReferences?.some((r) => r.kind === kind && r.name === name)) this.o.events.upsert(p);
    }
  }
}
