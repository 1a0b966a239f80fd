import { delimiter } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../errors.js';
import type { RedisLike } from '../redis.js';
import { ClusterInformer, type ClusterStatus } from './informer.js';
import type { Backoff } from './kube-watch.js';
import { LiveAttribution } from './live.js';
import { TimelineRecorder } from './reconcile.js';
import { RedisTimeline } from './timeline.js';

/** How to reach one cluster (from `EGRESS_CLUSTERS`, or the single-cluster settings). */
export interface ClusterSpec {
  name: string;
  /** kubeconfig context; absent = the current context. */
  context?: string;
  /** Use the pod's service account (in-cluster config). */
  inCluster?: boolean;
  /** Pod CIDRs of the cluster's VPC: route an IP to this cluster (empty = ask it for every IP). */
  vpcCidrs: string[];
}

/**
 * Builds a KubeConfig the way kubectl users expect: in-cluster service account, or the KUBECONFIG file list (merged,
 * first file's current context), or ~/.kube/config; then the named context. A missing context is a ConfigError.
 */
export function loadKubeConfig(spec: Pick<ClusterSpec, 'context' | 'inCluster'>, kubeconfig?: string): KubeConfig {
  const kc = new KubeConfig();
  if (spec.inCluster) {
    kc.loadFromCluster();
    return kc;
  }
  const files = (kubeconfig ?? '').split(delimiter).filter(Boolean);
  if (files.length) {
    kc.loadFromFile(files[0] as string);
    for (const f of files.slice(1)) {
      const more = new KubeConfig();
      more.loadFromFile(f);
      kc.mergeConfig(more, true);
    }
  } else {
    kc.loadFromDefault();
  }
  if (spec.context) {
    if (!kc.getContextObject(spec.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new ConfigError(
        `Kubernetes context "${spec.context}" is not in the kubeconfig (known: ${known.join(', ') || 'none'}).`,
      );
    }
    kc.setCurrentContext(spec.context);
  }
  return kc;
}

/** Options of one live cluster. */
export interface LiveClusterOptions {
  name: string;
  kc: KubeConfig;
  redis: RedisLike;
  namespaces: readonly string[];
  clock: () => number;
  retentionSeconds: number;
  backoff?: Backoff;
  watchTimeoutSeconds?: number;
  /** Check interval of the dead-watch detector (see kube-watch.ts). */
  watchdogMs?: number;
  /** How often a synced informer marks the timeline current (default 30 s). */
  heartbeatMs?: number;
  /** How often old intervals are trimmed (default 1 h). */
  trimEveryMs?: number;
  /** How long start() waits for the first sync before answering from the timeline as it is (default 10 s). */
  startWaitMs?: number;
  keyNamespace?: string;
  onRestart?: (resource: string) => void;
  onError?: (resource: string, err: unknown) => void;
  onWriteError?: (err: unknown) => void;
}

/**
 * One cluster's live attribution: the informer feeding a recorder that writes the Redis timeline, and the
 * attribution reading it. Background work (heartbeat, retention trimming) runs on unref'd timers.
 */
export class LiveCluster {
  readonly timeline: RedisTimeline;
  readonly informer: ClusterInformer;
  readonly recorder: TimelineRecorder;
  readonly attribution: LiveAttribution;
  private timers: NodeJS.Timeout[] = [];

  constructor(readonly o: LiveClusterOptions) {
    this.timeline = new RedisTimeline(o.redis, o.name, o.keyNamespace);
    let informer: ClusterInformer | undefined;
    const owners = {
      replicaSet: (ns: string, n: string) => informer?.owners.replicaSet(ns, n),
      job: (ns: string, n: string) => informer?.owners.job(ns, n),
    };
    this.recorder = new TimelineRecorder({
      timeline: this.timeline,
      owners,
      clock: o.clock,
      onWriteError: o.onWriteError,
    });
    informer = new ClusterInformer({
      kc: o.kc,
      namespaces: o.namespaces,
      clock: o.clock,
      events: this.recorder,
      backoff: o.backoff,
      watchTimeoutSeconds: o.watchTimeoutSeconds,
      watchdogMs: o.watchdogMs,
      onRestart: o.onRestart,
      onError: o.onError,
    });
    this.informer = informer;
    this.attribution = new LiveAttribution({
      timeline: this.timeline,
      cluster: o.name,
      clock: o.clock,
      status: () => this.status(),
      staleAfterSeconds: Math.ceil((3 * (o.heartbeatMs ?? 30_000)) / 1000),
    });
  }

  get name(): string {
    return this.o.name;
  }

  /** Starts watching; waits up to `startWaitMs` for the first sync (an unreachable API keeps retrying meanwhile). */
  async start(): Promise<void> {
    const every = (ms: number, fn: () => Promise<unknown>) => {
      const t = setInterval(() => void fn().catch((err) => this.o.onWriteError?.(err)), ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.o.heartbeatMs ?? 30_000, async () => {
      if (this.informer.status().synced) await this.timeline.touch(this.o.clock());
    });
    const trim = () => this.timeline.trim(this.o.clock(), this.o.retentionSeconds);
    every(this.o.trimEveryMs ?? 3_600_000, trim);
    await trim().catch((err) => this.o.onWriteError?.(err));
    let timer: NodeJS.Timeout | undefined;
    const wait = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.o.startWaitMs ?? 10_000);
    });
    await Promise.race([this.informer.start(), wait]);
    clearTimeout(timer);
    await this.recorder.flush();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.informer.stop();
    await this.recorder.flush();
  }

  status(): ClusterStatus {
    return this.informer.status();
  }
}
