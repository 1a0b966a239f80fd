import { readFile, stat } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { isoSeconds } from '../flowlogs/window.js';
import { type ObjectMeta, workloadOf } from './owners.js';
import type { Attribution, AttributionSource, HeldAddress, Holder, HolderListing, Resolution } from './types.js';

interface KubeItem {
  kind?: string;
  metadata?: ObjectMeta & { creationTimestamp?: string; deletionTimestamp?: string; labels?: Record<string, string> };
  spec?: { nodeName?: string; hostNetwork?: boolean };
  status?: { podIP?: string; podIPs?: Array<{ ip?: string }>; hostIP?: string; phase?: string; startTime?: string };
}

interface PodEntry {
  holder: Holder;
  start?: number;
  labels?: Record<string, string>;
}

/**
 * Attribution from a `kubectl get pods,replicasets,jobs -A -o json` file (a v1 List): the pod whose podIP(s) is the
 * address. A snapshot only knows who held an IP when it was taken; where the pod started after the traffic the answer
 * carries a caveat, and the live IP timeline (Redis) gives the exact holder at the time.
 */
export class SnapshotAttribution implements Attribution, HolderListing {
  private constructor(
    private readonly byIp: Map<string, PodEntry[]>,
    private readonly file: string,
    private readonly takenAt?: number,
    private readonly hostIps: ReadonlySet<string> = new Set(),
  ) {}

  /** Loads and indexes a snapshot file; a missing or malformed file is a {@link UserError} naming the fix. */
  static async fromFile(file: string, cluster?: string): Promise<SnapshotAttribution> {
    let text: string;
    let takenAt: number | undefined;
    try {
      text = await readFile(file, 'utf8');
      takenAt = Math.floor((await stat(file)).mtimeMs / 1000);
    } catch (err) {
      throw new UserError(
        'BAD_SNAPSHOT',
        `Cannot read --k8s file ${file}: ${(err as Error).message}. Create it with \`kubectl get pods,replicasets,jobs -A -o json > ${file}\`.`,
      );
    }
    let doc: { kind?: string; items?: KubeItem[] };
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new UserError(
        'BAD_SNAPSHOT',
        `--k8s file ${file} is not JSON (${(err as Error).message}). Create it with \`kubectl get pods,replicasets,jobs -A -o json\`.`,
      );
    }
    if (!Array.isArray(doc.items)) {
      throw new UserError(
        'BAD_SNAPSHOT',
        `--k8s file ${file} is not a Kubernetes List (no "items"). Create it with \`kubectl get pods,replicasets,jobs -A -o json\`.`,
      );
    }
    return SnapshotAttribution.fromItems(doc.items, file, cluster, takenAt);
  }

  /** Indexes already-parsed List items. */
  static fromItems(items: KubeItem[], source = 'snapshot', cluster?: string, takenAt?: number): SnapshotAttribution {
    const key = (ns: string | undefined, name: string | undefined) => `${ns ?? ''}/${name ?? ''}`;
    const rs = new Map<string, ObjectMeta>();
    const jobs = new Map<string, ObjectMeta>();
    for (const it of items) {
      if (it.kind === 'ReplicaSet' && it.metadata) rs.set(key(it.metadata.namespace, it.metadata.name), it.metadata);
      if (it.kind === 'Job' && it.metadata) jobs.set(key(it.metadata.namespace, it.metadata.name), it.metadata);
    }
    const lookup = {
      replicaSet: (ns: string, n: string) => rs.get(key(ns, n)),
      job: (ns: string, n: string) => jobs.get(key(ns, n)),
    };
    const byIp = new Map<string, PodEntry[]>();
    for (const it of items) {
      if (it.kind !== 'Pod' || !it.metadata) continue;
      const ips = new Set<string>(
        [...(it.status?.podIPs ?? []).map((p) => p.ip ?? ''), it.status?.podIP ?? ''].filter(Boolean),
      );
      const hostNetwork = it.spec?.hostNetwork === true;
      const holder: Holder = {
        pod: it.metadata.name ?? null,
        namespace: it.metadata.namespace ?? null,
        uid: it.metadata.uid,
        node: it.spec?.nodeName,
        workload: workloadOf(it.metadata, lookup),
        cluster,
        hostNetwork,
      };
      const started = it.status?.startTime ?? it.metadata.creationTimestamp;
      const start = started ? Date.parse(started) / 1000 : undefined;
      const labels = it.metadata.labels;
      for (const ip of ips) byIp.set(ip, [...(byIp.get(ip) ?? []), { holder, start, ...(labels ? { labels } : {}) }]);
    }
    // Latest start first: for a reused IP the most recent pod that had started by the flow's time wins.
    for (const list of byIp.values()) list.sort((a, b) => (b.start ?? 0) - (a.start ?? 0));
    const hostIps = new Set(items.flatMap((it) => (it.kind === 'Pod' && it.status?.hostIP ? [it.status.hostIP] : [])));
    return new SnapshotAttribution(byIp, source, takenAt, hostIps);
  }

  async resolveMany(pairs: ReadonlyArray<{ ip: string; at: number }>): Promise<Resolution[]> {
    return pairs.map(({ ip, at }) => {
      const list = this.byIp.get(ip);
      if (!list?.length) return { holder: null, reason: `no pod in the snapshot (${this.file}) has IP ${ip}` };
      // Several pods with one IP (a finished Job pod and its successor): the latest one started by the flow's time.
      const hit = list.find((e) => e.start === undefined || e.start <= at);
      if (hit) return { holder: hit.holder };
      // Only pods that started after the traffic: a snapshot cannot know the earlier holder. It names the pod that
      // has the IP (the documented snapshot semantics) with a caveat; the live timeline answers this exactly.
      const first = list[list.length - 1] as PodEntry;
      return {
        holder: first.holder,
        reason: `snapshot caveat: ${first.holder.namespace}/${first.holder.pod} got ${ip} at ${isoSeconds(first.start ?? 0)}, after this traffic; an earlier pod may have held it`,
      };
    });
  }

  /**
   * The snapshot's pods as address intervals: a pod holds its IP from its start until the next pod with that IP
   * started (the same rule {@link resolveMany} applies), else to the end of the range. What a snapshot cannot know —
   * earlier holders, the end of a finished pod — is left out rather than guessed.
   */
  async listHolders(range: { from: number; to: number }): Promise<HeldAddress[]> {
    const out: HeldAddress[] = [];
    for (const [ip, list] of this.byIp) {
      // `list` is latest start first: each entry ends where the one before it in the list begins.
      list.forEach((e, i) => {
        const to = i === 0 ? null : ((list[i - 1] as PodEntry).start ?? null);
        if ((e.start ?? -Infinity) >= range.to || (to !== null && to <= range.from)) return;
        out.push({ ...e.holder, ip, from: e.start, to, ...(e.labels ? { labels: e.labels } : {}) });
      });
    }
    return out;
  }

  describe(): string {
    return `snapshot ${this.file} (${this.byIp.size} pod IPs)`;
  }

  /** The nodes' addresses (the pods' hostIP): egress from them means pods are hidden behind their nodes. */
  nodeIps(): ReadonlySet<string> {
    return this.hostIps;
  }

  async source(): Promise<AttributionSource> {
    const taken = this.takenAt !== undefined ? { takenAt: this.takenAt } : {};
    return { source: 'snapshot', file: this.file, podIps: this.byIp.size, ...taken };
  }
}
