import type { HeldAddress } from '../attribution/types.js';
import type { ResultRow } from '../engine/types.js';
import { compareText } from '../util/compare.js';
import { addTraffic, type Leg, legTraffic, toLeg } from './legs.js';

/** One row of `from`: what the selected pods sent to one external address, port and protocol. */
export interface FromRow {
  externalIp: string;
  dstPort: number;
  protocol: number;
  /** Names that resolved to the address (window and DNS lookback), as for `domain`. */
  names: string[];
  /** The selected pods that sent it (pod names), sorted. */
  pods: string[];
  flows: number;
  rejected: number;
  bytesOut: number;
  bytesIn: number;
  /** Epoch seconds of the first/last egress record's start. */
  firstSeen: number;
  lastSeen: number;
  /** Not reached by the selected pods in the `EGRESS_NEW_LOOKBACK` before the window. */
  new: boolean;
}

/** The legs split by whose they are: rows of the window, addresses reached before it, legs no selected pod sent. */
export interface FromTally {
  rows: FromRow[];
  /** Egress flows from the selected addresses while no selected pod held them (another pod, or unknown). */
  excludedFlows: number;
}

/** The selected interval of `ip` that holds instant `at`, if any. */
function holderAt(byIp: Map<string, HeldAddress[]>, ip: string, at: number): HeldAddress | undefined {
  return byIp
    .get(ip)
    ?.find((h) => (h.from === undefined || h.from <= at) && (h.to === undefined || h.to === null || at < h.to));
}

const holderId = (h: HeldAddress) => h.uid ?? `${h.namespace}/${h.pod ?? h.node}`;

/**
 * Aggregates `from-pods` legs read over `[baselineFrom, windowFrom + …)`: a leg counts only when a selected pod held
 * its pod IP at the leg's time; legs before `windowFrom` only mark their address as reached before (not new). Return
 * legs add bytes in to the egress of the same pod, address, port and protocol; sorted by bytes out desc, then address,
 * port, protocol. Names are filled in by the caller.
 */
export function tallyFromLegs(
  result: readonly ResultRow[],
  selected: readonly HeldAddress[],
  windowFrom: number,
): FromTally {
  const byIp = new Map<string, HeldAddress[]>();
  for (const h of selected) byIp.set(h.ip, [...(byIp.get(h.ip) ?? []), h]);
  const before = new Set<string>();
  const fine = new Map<string, FromRow>();
  let excludedFlows = 0;
  const legs: Array<{ leg: Leg; holder: HeldAddress }> = [];
  for (const r of result) {
    const leg = toLeg(r);
    const holder = holderAt(byIp, leg.podIp, leg.at);
    if (!holder) {
      if (leg.leg === 'out' && leg.at >= windowFrom) excludedFlows += leg.flows;
      continue;
    }
    if (leg.at < windowFrom) {
      if (leg.leg === 'out') before.add(leg.externalIp);
      continue;
    }
    legs.push({ leg, holder });
  }
  // Egress legs first, so a return leg finds its row whatever order the engine returned them in.
  legs.sort((a, b) => Number(a.leg.leg === 'in') - Number(b.leg.leg === 'in'));
  for (const { leg: l, holder } of legs) {
    const key = [l.podIp, l.externalIp, l.port, l.protocol, holderId(holder)].join('|');
    const row = fine.get(key);
    if (l.leg === 'in') {
      if (row) row.bytesIn += l.bytes;
      continue;
    }
    if (row) {
      addTraffic(row, legTraffic(l));
      continue;
    }
    fine.set(key, {
      externalIp: l.externalIp,
      dstPort: l.port,
      protocol: l.protocol,
      names: [],
      pods: holder.pod ? [holder.pod] : [],
      ...legTraffic(l),
      new: false,
    });
  }
  const rows = new Map<string, FromRow>();
  for (const row of fine.values()) {
    const key = [row.externalIp, row.dstPort, row.protocol].join('|');
    const r = rows.get(key);
    if (!r) {
      rows.set(key, { ...row, pods: [...row.pods], new: !before.has(row.externalIp) });
      continue;
    }
    addTraffic(r, row);
    for (const p of row.pods) if (!r.pods.includes(p)) r.pods.push(p);
  }
  const out = [...rows.values()];
  for (const r of out) r.pods.sort();
  out.sort(
    (a, b) =>
      b.bytesOut - a.bytesOut ||
      compareText(a.externalIp, b.externalIp) ||
      a.dstPort - b.dstPort ||
      a.protocol - b.protocol,
  );
  return { rows: out, excludedFlows };
}
