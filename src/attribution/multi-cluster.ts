import ipaddr from 'ipaddr.js';
import type { Window } from '../flowlogs/window.js';
import type { HistorySource, IpHistory } from './live.js';
import {
  type Attribution,
  type AttributionSource,
  canListHolders,
  type HeldAddress,
  type HolderListing,
  type IpAt,
  type Resolution,
} from './types.js';

/** One cluster's source and the VPC CIDRs its pod IPs come from. */
export interface ClusterSource {
  name: string;
  vpcCidrs: readonly string[];
  source: Attribution & HistorySource;
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Attribution across several clusters: each IP is asked of the clusters whose VPC CIDRs contain it (clusters
 * without CIDRs when none match, all of them as a last resort), all clusters in parallel with one batch each. The
 * first cluster (in configured order) that had a holder wins; every holder carries its cluster name.
 */
export class MultiClusterAttribution implements Attribution, HistorySource, HolderListing {
  private readonly cidrs: Cidr[][];

  constructor(private readonly clusters: readonly ClusterSource[]) {
    if (clusters.length === 0) throw new Error('MultiClusterAttribution needs at least one cluster');
    this.cidrs = clusters.map((c) => c.vpcCidrs.map((s) => ipaddr.parseCIDR(s)));
  }

  /** Indexes of the clusters to ask about `ip`, in configured order. */
  candidates(ip: string): number[] {
    let addr: ipaddr.IPv4 | ipaddr.IPv6 | undefined;
    try {
      addr = ipaddr.process(ip);
    } catch {
      addr = undefined;
    }
    const all = this.clusters.map((_, i) => i);
    const matching = all.filter((i) =>
      (this.cidrs[i] ?? []).some(([net, bits]) => addr?.kind() === net.kind() && addr.match(net, bits)),
    );
    if (matching.length) return matching;
    const open = all.filter((i) => (this.cidrs[i] ?? []).length === 0);
    return open.length ? open : all;
  }

  async resolveMany(pairs: readonly IpAt[]): Promise<Resolution[]> {
    const routes = pairs.map((p) => this.candidates(p.ip));
    const perCluster = this.clusters.map(() => [] as number[]);
    routes.forEach((cs, i) => {
      for (const c of cs) perCluster[c]?.push(i);
    });
    const answers = await Promise.all(
      this.clusters.map(async (c, ci) => {
        const idx = perCluster[ci] ?? [];
        const res = idx.length ? await c.source.resolveMany(idx.map((i) => pairs[i] as IpAt)) : [];
        return new Map(idx.map((pairIndex, k) => [pairIndex, res[k] as Resolution]));
      }),
    );
    return routes.map((cs, i) => {
      const got = cs.map((c) => ({ name: this.clusters[c]?.name, r: answers[c]?.get(i) }));
      const hit = got.find((g) => g.r?.holder);
      if (hit?.r) return hit.r;
      if (got.length === 1) return got[0]?.r ?? { holder: null };
      return { holder: null, reason: got.map((g) => `${g.name}: ${g.r?.reason ?? 'no holder'}`).join(' | ') };
    });
  }

  async history(ip: string, window: Window): Promise<IpHistory> {
    const parts = await Promise.all(this.candidates(ip).map((c) => this.clusters[c]?.source.history(ip, window)));
    const intervals = parts.flatMap((p) => p?.intervals ?? []).sort((a, b) => (a.from ?? 0) - (b.from ?? 0));
    return { intervals, notes: [...new Set(parts.flatMap((p) => p?.notes ?? []))] };
  }

  /** Every cluster's holders over the range, each carrying its cluster name. */
  async listHolders(range: { from: number; to: number }): Promise<HeldAddress[]> {
    const parts = await Promise.all(
      this.clusters.map(async (c) => (canListHolders(c.source) ? c.source.listHolders(range) : [])),
    );
    return parts.flat();
  }

  describe(): string {
    return this.clusters.map((c) => c.source.describe()).join('; ');
  }

  async source(): Promise<AttributionSource> {
    const each = await Promise.all(this.clusters.map((c) => c.source.source?.()));
    return { source: 'live', clusters: each.flatMap((s) => (s?.source === 'live' ? s.clusters : [])) };
  }
}
