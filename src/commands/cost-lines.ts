import { type AttributedRow, byValueThenLabel, type GroupBy, groupOf } from './buckets.js';

/**
 * Bytes in one billed GB. AWS meters NAT gateway data processing in GB and, as for its other data charges, counts
 * a GB as 2^30 bytes (1,073,741,824); using 10^9 would overstate the cost by 7.4 %.
 */
export const BYTES_PER_GB = 2 ** 30;

/** NAT data processed by one group, in integers, plus the derived price. */
export interface CostLine {
  group: string;
  bytesOut: number;
  bytesIn: number;
  bytes: number;
  usd: number;
  /** Distinct source addresses of the group. */
  sources: number;
}

/** Price of `bytes` at `pricePerGb`, rounded to a micro-dollar (the cent is too coarse for small groups). */
export function natUsd(bytes: number, pricePerGb: number): number {
  return Math.round((bytes / BYTES_PER_GB) * pricePerGb * 1e6) / 1e6;
}

/**
 * Groups attributed `talkers.sql` rows into NAT data-processing cost (pure). What counts, per seed 004: only NAT-translated records,
 * so each connection's legs are counted once — the egress record's bytes (pod → NAT, what the NAT sends on) plus the
 * return record's bytes (NAT → pod, what it brought back). Both are data the NAT gateway processed and bills; the
 * untranslated NAT ↔ internet twins carry the same bytes again and are left out, as are REJECTed records (dropped,
 * not processed). Translated traffic to private peers (peering, private NAT) counts: the gateway bills it too.
 * `by` is a grouping or a function naming each row's group (`cost by network`).
 */
export function costLines(
  rows: readonly AttributedRow[],
  by: GroupBy | ((a: AttributedRow) => string),
  pricePerGb: number,
): CostLine[] {
  const groups = new Map<string, CostLine & { ips: Set<string> }>();
  for (const a of rows) {
    const out = Number(a.row.nat_out);
    const inb = Number(a.row.nat_in);
    if (out + inb === 0) continue;
    const group = typeof by === 'function' ? by(a) : groupOf(a, by);
    const g = groups.get(group) ?? { group, bytesOut: 0, bytesIn: 0, bytes: 0, usd: 0, sources: 0, ips: new Set() };
    g.bytesOut += out;
    g.bytesIn += inb;
    g.bytes += out + inb;
    g.ips.add(a.podIp);
    groups.set(group, g);
  }
  return [...groups.values()]
    .map(({ ips, ...g }) => ({ ...g, sources: ips.size, usd: natUsd(g.bytes, pricePerGb) }))
    .sort(
      byValueThenLabel<CostLine>(
        (g) => g.bytes,
        (g) => g.group,
      ),
    );
}
