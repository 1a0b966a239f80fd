import type { Attribution, Holder } from '../attribution/types.js';
import type { ResultRow } from '../engine/types.js';
import { compareText } from '../util/compare.js';
import type { FlowRow } from './answer.js';

/** A row of the leg queries (who.sql, dns-bypass.sql, who-ips.sql, who-cidr.sql, from-pods.sql): one pod IP, peer, port and record start. */
export interface Leg {
  leg: 'out' | 'in';
  podIp: string;
  externalIp: string;
  port: number;
  protocol: number;
  at: number;
  flows: number;
  rejected: number;
  bytes: number;
}

/** A leg from its result row. */
export function toLeg(r: ResultRow): Leg {
  return {
    leg: r.leg === 'in' ? 'in' : 'out',
    podIp: String(r.pod_ip),
    externalIp: String(r.external_ip),
    port: Number(r.port),
    protocol: Number(r.protocol),
    at: Number(r.ts),
    flows: Number(r.flows),
    rejected: Number(r.rejected),
    bytes: Number(r.bytes ?? 0),
  };
}

/** What every traffic row counts: `who`'s per pod, `from`'s per destination. */
export type Traffic = Pick<FlowRow, 'flows' | 'rejected' | 'bytesOut' | 'bytesIn' | 'firstSeen' | 'lastSeen'>;

/** The counts of one egress leg, as a row that has seen only it (bytes in come from the return legs). */
export function legTraffic(l: Leg): Traffic {
  return { flows: l.flows, rejected: l.rejected, bytesOut: l.bytes, bytesIn: 0, firstSeen: l.at, lastSeen: l.at };
}

/** Adds `more` (another row's counts, or {@link legTraffic} of a leg) into `row`. */
export function addTraffic(row: Traffic, more: Traffic): void {
  row.flows += more.flows;
  row.rejected += more.rejected;
  row.bytesOut += more.bytesOut;
  row.bytesIn += more.bytesIn;
  row.firstSeen = Math.min(row.firstSeen, more.firstSeen);
  row.lastSeen = Math.max(row.lastSeen, more.lastSeen);
}

const holderKey = (h: Holder | null) => (h ? (h.uid ?? `${h.namespace}/${h.pod}`) : '-');

/**
 * Turns leg rows into answer rows, attributing every leg to the pod that held its IP at the leg's own time (one
 * batched resolution), so a reused IP yields one row per holder. Return legs add bytes in to the matching egress row;
 * rows without an egress leg are dropped. Sorted by bytes out desc, then pod IP (then the rest of the key, so the
 * order is total and deterministic).
 */
export async function aggregateLegs(result: ResultRow[], attribution: Attribution): Promise<FlowRow[]> {
  return (await aggregateTaggedLegs(result, attribution)).map((t) => t.row);
}

/**
 * {@link aggregateLegs}, carrying tags: each egress leg's tags (`tagsOf(i)` for result row `i`, e.g. the names that
 * justify it) are collected, sorted and deduplicated, on the row it adds to.
 */
export async function aggregateTaggedLegs(
  result: ResultRow[],
  attribution: Attribution,
  tagsOf: (i: number) => readonly string[] = () => [],
): Promise<Array<{ row: FlowRow; tags: string[] }>> {
  const legs = result.map(toLeg);
  const resolutions = await attribution.resolveMany(legs.map((l) => ({ ip: l.podIp, at: l.at })));
  const rows = new Map<string, { row: FlowRow; tags: Set<string> }>();
  const inbound: Array<{ key: string; bytes: number }> = [];
  legs.forEach((l, i) => {
    const res = resolutions[i] ?? { holder: null };
    const key = [l.podIp, l.externalIp, l.port, l.protocol, holderKey(res.holder)].join('|');
    if (l.leg === 'in') {
      inbound.push({ key, bytes: l.bytes });
      return;
    }
    const found = rows.get(key);
    if (found) {
      const row = found.row;
      addTraffic(row, legTraffic(l));
      if (res.reason && !row.reason) row.reason = res.reason;
      for (const t of tagsOf(i)) found.tags.add(t);
      return;
    }
    const h = res.holder;
    const row: FlowRow = {
      podIp: l.podIp,
      externalIp: l.externalIp,
      dstPort: l.port,
      protocol: l.protocol,
      workload: h?.workload ?? null,
      pod: h?.pod ?? null,
      ...legTraffic(l),
      ...(h?.node ? { node: h.node } : {}),
      ...(h?.cluster ? { cluster: h.cluster } : {}),
      ...(res.reason ? { reason: res.reason } : {}),
      ...(h?.hostNetwork ? { hostNetwork: true } : {}),
    };
    rows.set(key, { row, tags: new Set(tagsOf(i)) });
  });
  for (const { key, bytes } of inbound) {
    const found = rows.get(key);
    if (found) found.row.bytesIn += bytes;
  }
  return [...rows.values()]
    .sort((a, b) => compareRows(a.row, b.row))
    .map(({ row, tags }) => ({ row, tags: [...tags].sort() }));
}

/** bytesOut desc, then podIp, externalIp, port, protocol, pod. */
export function compareRows(a: FlowRow, b: FlowRow): number {
  return (
    b.bytesOut - a.bytesOut ||
    compareText(a.podIp, b.podIp) ||
    compareText(a.externalIp, b.externalIp) ||
    a.dstPort - b.dstPort ||
    a.protocol - b.protocol ||
    compareText(a.pod ?? '', b.pod ?? '')
  );
}
