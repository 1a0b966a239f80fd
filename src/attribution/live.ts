import type { Window } from '../flowlogs/window.js';
import { isoSeconds, utcDay } from '../flowlogs/window.js';
import type { IntervalRecord } from './kube-records.js';
import type { RedisTimeline } from './timeline.js';
import type { Attribution, AttributionSource, HeldAddress, Holder, HolderListing, IpAt, Resolution } from './types.js';

/** A holder with the address and how sure its end is: what `ip-history` lists. */
export interface TimelineInterval extends Holder {
  ip: string;
  /** `to` is an upper bound: the holder vanished while nobody watched (after `endedAfter`, when known). */
  endedBefore?: boolean;
  endedAfter?: number;
}

/** The evidence behind attributions: every holder of an address in a window. */
export interface IpHistory {
  intervals: TimelineInterval[];
  notes: string[];
}

/** A source that keeps history (the live timeline); the snapshot does not. */
export interface HistorySource {
  history(ip: string, window: Window): Promise<IpHistory>;
}

/** Narrows an attribution source to one that can answer `ip-history`. */
export function hasHistory(a: Attribution): a is Attribution & HistorySource {
  return typeof (a as Partial<HistorySource>).history === 'function';
}

/** The informer's state as the attribution needs it. */
export interface LiveStatus {
  synced: boolean;
  podsTracked: number;
  restarts: number;
  lastSync?: number;
  downSince?: number;
  lastError?: string;
}

/** Options of {@link LiveAttribution}. */
export interface LiveAttributionOptions {
  timeline: RedisTimeline;
  cluster: string;
  clock: () => number;
  status: () => LiveStatus;
  /** A heartbeat younger than this means another replica keeps the timeline current (default 90 s). */
  staleAfterSeconds?: number;
}

/** `2026-11-18T09:12Z`: minutes are what people compare with flow records. */
export const isoMinute = (t: number): string => `${isoSeconds(t).slice(0, 16)}Z`;

const holderName = (r: IntervalRecord) => (r.pod ? `${r.namespace}/${r.pod}` : `node ${r.node}`);

/** Holder in the shape answers use, from a stored interval. */
export function toInterval(r: IntervalRecord, cluster: string): TimelineInterval {
  return {
    ip: r.ip,
    pod: r.pod,
    namespace: r.namespace,
    ...(r.uid ? { uid: r.uid } : {}),
    ...(r.node ? { node: r.node } : {}),
    workload: r.workload,
    cluster,
    from: r.from,
    to: r.to,
    ...(r.hostNetwork ? { hostNetwork: true } : {}),
    ...(r.endedBefore ? { endedBefore: true } : {}),
    ...(r.endedAfter !== undefined ? { endedAfter: r.endedAfter } : {}),
  };
}

/**
 * Attribution from the Redis IP timeline that the informer keeps: who held the IP at the record's time, never who
 * holds it today. Answering never calls the Kubernetes API; one Redis round trip per batch. When the informer is
 * down and no other replica keeps the timeline current, records after the last known-good moment are marked
 * "attribution unavailable since …" instead of being attributed from a stale view.
 */
export class LiveAttribution implements Attribution, HistorySource, HolderListing {
  constructor(private readonly o: LiveAttributionOptions) {}

  async resolveMany(pairs: readonly IpAt[]): Promise<Resolution[]> {
    if (pairs.length === 0) return [];
    const look = await this.o.timeline.lookup(pairs);
    const since = this.unavailableSince(look.heartbeat);
    return pairs.map((p, i) => this.resolution(p, look.latest[i] ?? null, look.start, since));
  }

  async history(ip: string, window: Window): Promise<IpHistory> {
    const [records, meta] = await Promise.all([
      this.o.timeline.history(ip, window.from, window.to),
      this.o.timeline.meta(),
    ]);
    const notes: string[] = [];
    if (meta.start === undefined) notes.push(`cluster ${this.o.cluster}: the timeline has not recorded anything yet`);
    else if (meta.start > window.from)
      notes.push(`cluster ${this.o.cluster}: timeline starts ${isoMinute(meta.start)}`);
    const since = this.unavailableSince(meta.heartbeat);
    if (since !== undefined) notes.push(this.unavailable(since));
    if (records.some((r) => r.endedBefore)) {
      notes.push('"before" ends: the pod vanished while the bot was not watching; it ended at or before that time');
    }
    return { intervals: records.map((r) => toInterval(r, this.o.cluster)), notes };
  }

  /** Every interval of the timeline overlapping the range: each pod's address with the time it held it. */
  async listHolders(range: { from: number; to: number }): Promise<HeldAddress[]> {
    const records = await this.o.timeline.intervalsOverlapping(range.from, range.to);
    // Labels only here: the pods a selector names are what `policy` selects by; answers never show them.
    return records.map((r) => ({ ...toInterval(r, this.o.cluster), ...(r.labels ? { labels: r.labels } : {}) }));
  }

  describe(): string {
    const s = this.o.status();
    const sync = s.lastSync !== undefined ? `, last sync ${isoSeconds(s.lastSync)}` : '';
    const state = s.synced ? 'in sync' : `not in sync${s.downSince ? ` since ${isoSeconds(s.downSince)}` : ''}`;
    return `live timeline (cluster ${this.o.cluster}): ${state}, ${s.podsTracked} pods tracked, ${s.restarts} restarts${sync}`;
  }

  async source(): Promise<AttributionSource> {
    const meta = await this.o.timeline.meta().catch(() => ({ start: undefined }));
    const since = meta.start !== undefined ? { since: meta.start } : {};
    return { source: 'live', clusters: [{ name: this.o.cluster, synced: this.o.status().synced, ...since }] };
  }

  /** Undefined while this process or another replica (fresh heartbeat) keeps the timeline current. */
  private unavailableSince(heartbeat: number | undefined): number | undefined {
    const s = this.o.status();
    if (s.synced) return undefined;
    const now = this.o.clock();
    if (heartbeat !== undefined && now - heartbeat <= (this.o.staleAfterSeconds ?? 90)) return undefined;
    // This process was in sync until downSince only if it ever synced; otherwise the last heartbeat is all we know.
    const known = [heartbeat, s.lastSync !== undefined ? s.downSince : undefined].filter(
      (t): t is number => t !== undefined,
    );
    return known.length ? Math.max(...known) : (s.downSince ?? now);
  }

  private unavailable(since: number): string {
    const err = this.o.status().lastError;
    return `attribution unavailable since ${isoMinute(since)} (cluster ${this.o.cluster}: Kubernetes API unreachable${err ? `, ${err}` : ''})`;
  }

  private resolution(p: IpAt, rec: IntervalRecord | null, start: number | undefined, since?: number): Resolution {
    if (since !== undefined && p.at >= since) {
      const last = rec && (rec.to === null || rec.to > p.at) ? `; last known holder ${holderName(rec)}` : '';
      return { holder: null, reason: `${this.unavailable(since)}${last}` };
    }
    if (rec && (rec.to === null || rec.to > p.at)) {
      const holder = toInterval(rec, this.o.cluster);
      if (rec.endedBefore && p.at >= (rec.endedAfter ?? rec.from)) {
        const reason = `${holderName(rec)} vanished while the bot was not watching and ended before ${isoMinute(rec.to ?? p.at)}; it may not have held ${p.ip} then`;
        return { holder, reason };
      }
      return { holder };
    }
    const began =
      start !== undefined ? `timeline starts ${utcDay(start)}` : 'the timeline has not recorded anything yet';
    const prev = rec?.to != null ? `; ${holderName(rec)} held it until ${isoMinute(rec.to)}` : '';
    return { holder: null, reason: `no pod held ${p.ip} at ${isoMinute(p.at)}; ${began}${prev}` };
  }
}
