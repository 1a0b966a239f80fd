import type { V1Pod } from '@kubernetes/client-node';
import type { PodEvents } from './informer.js';
import { type IntervalRecord, isFinished, podEnd, podIps, podRecords } from './kube-records.js';
import type { OwnerLookup } from './owners.js';
import type { RedisTimeline } from './timeline.js';

/** Options of the recorder that turns informer events into timeline writes. */
export interface RecorderOptions {
  timeline: RedisTimeline;
  owners: OwnerLookup;
  clock: () => number;
  /** Called for every failed write (the event is lost for this replica; others or the next reconcile repair it). */
  onWriteError?: (err: unknown) => void;
}

/** resourceVersions are opaque, but etcd's are integers; when both are, an older-or-equal one is `<=`. */
function rvAtMost(rv: string | undefined, listRv: string): boolean {
  if (!rv || !/^\d+$/.test(rv) || !/^\d+$/.test(listRv)) return true;
  return BigInt(rv) <= BigInt(listRv);
}

/**
 * Records pod lifecycles in the timeline, in event order (one write queue), and reconciles the stored open
 * intervals with every complete list: an interval whose pod is not in the list ended while nobody watched, so it is
 * closed at the list time and marked "ended before" that time, never guessed.
 */
export class TimelineRecorder implements PodEvents {
  private queue: Promise<void> = Promise.resolve();
  /** Pod uid → the addresses it had: an address that disappears from a live pod ends its interval. */
  private readonly known = new Map<string, Set<string>>();

  constructor(private readonly o: RecorderOptions) {}

  upsert(pod: V1Pod): void {
    this.enqueue(() => this.writeUpsert(pod));
  }

  remove(pod: V1Pod, gap?: { from?: number }): void {
    this.enqueue(() => this.writeRemove(pod, gap));
  }

  listed(pods: V1Pod[], resourceVersion: string, scope = ''): void {
    this.enqueue(() => this.reconcile(pods, resourceVersion, scope));
  }

  /** Resolves once every event received so far is written. */
  flush(): Promise<void> {
    return this.queue;
  }

  private enqueue(write: () => Promise<void>): void {
    this.queue = this.queue.then(write).catch((err) => this.o.onWriteError?.(err));
  }

  private async writeUpsert(pod: V1Pod): Promise<void> {
    const { timeline, clock } = this.o;
    const now = clock();
    const uid = pod.metadata?.uid;
    const before = uid ? this.known.get(uid) : undefined;
    const records = podRecords(pod, this.o.owners, now);
    const ips = new Set<string>();
    for (const rec of records) {
      if (rec.id.startsWith('node:')) {
        await timeline.open(rec, true);
        continue;
      }
      ips.add(rec.ip);
      // A live pod whose address changed got the new one now, not at its start.
      const from = before?.size && !before.has(rec.ip) ? Math.max(rec.from, now) : rec.from;
      await timeline.open({ ...rec, from });
      if (rec.to !== null) await timeline.close(rec.ip, rec.id, rec.to);
    }
    if (!uid) return;
    for (const ip of before ?? []) if (!ips.has(ip)) await timeline.close(ip, uid, now);
    if (isFinished(pod) || ips.size === 0) this.known.delete(uid);
    else this.known.set(uid, ips);
  }

  private async writeRemove(pod: V1Pod, gap?: { from?: number }): Promise<void> {
    const { timeline, clock } = this.o;
    const now = clock();
    const uid = pod.metadata?.uid;
    if (!uid || pod.spec?.hostNetwork) return;
    const before = this.known.get(uid);
    this.known.delete(uid);
    const to = Math.min(podEnd(pod) ?? now, now);
    for (const rec of podRecords(pod, this.o.owners, now)) {
      if (rec.id !== uid) continue;
      // A pod seen only at its deletion (created and deleted during an outage) still belongs in the history.
      await timeline.open({ ...rec, to: null });
      // A container's finish time is exact even when the event comes late; otherwise a gap makes `to` a bound.
      if (rec.to !== null) await timeline.close(rec.ip, uid, rec.to);
      else await timeline.close(rec.ip, uid, to, gap && { endedAfter: gap.from });
    }
    const last = podIps(pod);
    for (const ip of before ?? []) if (!last.includes(ip)) await timeline.close(ip, uid, to);
  }

  /**
   * Closes open intervals of pods (and, for a cluster-wide list, nodes) that the list no longer has. Guarded by a
   * Redis lock so replicas starting together do not race; the resourceVersion guard keeps an interval another replica
   * opened from a newer event than this list. Then marks the timeline in sync.
   */
  private async reconcile(pods: V1Pod[], listRv: string, scope: string): Promise<void> {
    const { timeline, clock } = this.o;
    const now = clock();
    const current = new Set<string>();
    for (const p of pods) {
      for (const r of podRecords(p, this.o.owners, now)) if (r.to === null) current.add(`${r.ip} ${r.id}`);
    }
    const inScope = (r: IntervalRecord) => (scope ? r.namespace === scope : true);
    await timeline.withLock('reconcile', 60_000, async () => {
      const { heartbeat } = await timeline.meta();
      for (const r of await timeline.openIntervals()) {
        if (current.has(`${r.ip} ${r.id}`) || !inScope(r) || !rvAtMost(r.rv, listRv)) continue;
        const after = Math.max(heartbeat ?? r.from, r.from);
        await timeline.close(r.ip, r.id, now, { endedAfter: Math.min(after, now) });
      }
    });
    await timeline.touch(now);
  }
}
