/** Turns leg rows into findings (new destinations, DNS bypass) and applies suppressions. Pure. */
import { createHash } from 'node:crypto';
import { workloadLabel } from '../attribution/owners.js';
import type { FlowRow } from '../commands/answer.js';
import { type AttributedRow, workloadOfRow } from '../commands/buckets.js';
import type { ResultRow } from '../engine/types.js';
import { protocolName } from '../flowlogs/protocol.js';
import { type Suppression, suppresses } from './suppressions.js';
import type { Finding, FindingWorkload, SuppressedItem } from './types.js';

/** One leg of traffic, already attributed: the common input of both finding kinds. */
export interface FindingLeg {
  destination: string;
  workload: string;
  pod: string;
  port: string;
  flows: number;
  rejected: number;
  bytesOut: number;
  firstSeen: number;
  lastSeen: number;
}

/** Stable id of a finding (10 hex chars): same kind + destination → same id in every digest. */
export function findingId(kind: Finding['kind'], destination: string): string {
  return createHash('sha256').update(`${kind}|${destination}`).digest('hex').slice(0, 10);
}

/** `digest-new.sql` 'leg' rows, attributed, as finding legs. */
export function legsFromNewRows(rows: readonly AttributedRow[]): FindingLeg[] {
  return rows.map((a) => {
    const r = a.row;
    const ts = Number(r.ts);
    return {
      destination: String(r.external_ip),
      workload: workloadOfRow(a),
      pod: a.resolution.holder?.pod ?? a.podIp,
      port: `${r.port}/${protocolName(Number(r.protocol))}`,
      flows: Number(r.flows),
      rejected: Number(r.rejected),
      bytesOut: Number(r.bytes),
      firstSeen: ts,
      lastSeen: ts,
    };
  });
}

/** `dns-bypass` answer rows as finding legs. */
export function legsFromFlowRows(rows: readonly FlowRow[]): FindingLeg[] {
  return rows.map((r) => ({
    destination: r.externalIp,
    workload: r.workload ? workloadLabel(r.workload) : `(unattributed) ${r.podIp}`,
    pod: r.pod ?? r.podIp,
    port: `${r.dstPort}/${protocolName(r.protocol)}`,
    flows: r.flows,
    rejected: r.rejected,
    bytesOut: r.bytesOut,
    firstSeen: r.firstSeen,
    lastSeen: r.lastSeen,
  }));
}

const add = (list: string[], v: string) => {
  if (!list.includes(v)) list.push(v);
};

/** Groups legs by destination and workload; findings by bytes out desc, then destination. */
export function groupFindings(
  kind: Finding['kind'],
  legs: readonly FindingLeg[],
  names: ReadonlyMap<string, { names: string[]; newNames: string[] }> = new Map(),
  newIps: ReadonlySet<string> = new Set(),
): Finding[] {
  const byDest = new Map<string, Map<string, FindingWorkload>>();
  for (const l of legs) {
    const ws = byDest.get(l.destination) ?? new Map<string, FindingWorkload>();
    const w = ws.get(l.workload) ?? {
      workload: l.workload,
      pods: [],
      ports: [],
      flows: 0,
      rejected: 0,
      bytesOut: 0,
      firstSeen: l.firstSeen,
      lastSeen: l.lastSeen,
    };
    add(w.pods, l.pod);
    add(w.ports, l.port);
    w.flows += l.flows;
    w.rejected += l.rejected;
    w.bytesOut += l.bytesOut;
    w.firstSeen = Math.min(w.firstSeen, l.firstSeen);
    w.lastSeen = Math.max(w.lastSeen, l.lastSeen);
    ws.set(l.workload, w);
    byDest.set(l.destination, ws);
  }
  const findings = [...byDest.entries()].map(([destination, ws]): Finding => {
    const workloads = [...ws.values()].sort((a, b) => b.bytesOut - a.bytesOut || (a.workload < b.workload ? -1 : 1));
    for (const w of workloads) {
      w.pods.sort();
      w.ports.sort();
    }
    const n = names.get(destination) ?? { names: [], newNames: [] };
    return {
      id: findingId(kind, destination),
      kind,
      destination,
      names: [...n.names].sort(),
      newNames: [...n.newNames].sort(),
      ipNew: newIps.has(destination),
      workloads,
      flows: workloads.reduce((s, w) => s + w.flows, 0),
      rejected: workloads.reduce((s, w) => s + w.rejected, 0),
      bytesOut: workloads.reduce((s, w) => s + w.bytesOut, 0),
      firstSeen: Math.min(...workloads.map((w) => w.firstSeen)),
      lastSeen: Math.max(...workloads.map((w) => w.lastSeen)),
    };
  });
  return findings.sort((a, b) => b.bytesOut - a.bytesOut || (a.destination < b.destination ? -1 : 1));
}

/** Names per address from `digest-new.sql` 'name' rows; new = first resolved at or after `from`. */
export function namesByIp(
  rows: readonly ResultRow[],
  from: number,
): Map<string, { names: string[]; newNames: string[] }> {
  const out = new Map<string, { names: string[]; newNames: string[] }>();
  for (const r of rows) {
    const entry = out.get(String(r.external_ip)) ?? { names: [], newNames: [] };
    add(entry.names, String(r.name));
    if (Number(r.first_seen) >= from) add(entry.newNames, String(r.name));
    out.set(String(r.external_ip), entry);
  }
  return out;
}

/**
 * Removes suppressed workloads from findings (a finding with none left disappears) and lists what was hidden, so
 * the digest can say how many expected items it left out.
 */
export function applySuppressions(findings: readonly Finding[], list: readonly Suppression[]) {
  const hidden: SuppressedItem[] = [];
  const kept: Finding[] = [];
  for (const f of findings) {
    const workloads = f.workloads.filter((w) => {
      const s = list.find((x) => suppresses(x, f, w.workload));
      if (s) hidden.push({ kind: f.kind, destination: f.destination, workload: w.workload, by: s.by });
      return !s;
    });
    if (workloads.length === f.workloads.length) kept.push(f);
    else if (workloads.length) kept.push(regroup(f, workloads));
  }
  return { kept, hidden };
}

function regroup(f: Finding, workloads: FindingWorkload[]): Finding {
  return {
    ...f,
    workloads,
    flows: workloads.reduce((s, w) => s + w.flows, 0),
    rejected: workloads.reduce((s, w) => s + w.rejected, 0),
    bytesOut: workloads.reduce((s, w) => s + w.bytesOut, 0),
    firstSeen: Math.min(...workloads.map((w) => w.firstSeen)),
    lastSeen: Math.max(...workloads.map((w) => w.lastSeen)),
  };
}
