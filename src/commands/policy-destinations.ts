/**
 * What a policy draft allows, from the rows of `from`: every destination the selected pods reached with at least one
 * ACCEPTed flow, grouped by the resolver names behind its addresses, and the pods' labels that select them. Pure.
 */
import ipaddr from 'ipaddr.js';
import type { HeldAddress } from '../attribution/types.js';
import { compareText } from '../util/compare.js';
import type { FromRow } from './from-rows.js';

/** A port and IANA protocol number (6 TCP, 17 UDP, 132 SCTP, …). */
export interface PolicyPort {
  port: number;
  protocol: number;
}

/** Addresses that share the same resolver names, with every port the pods reached on them. */
export interface PolicyDestination {
  /** Names whose A/AAAA answers listed these addresses (sorted); empty: no DNS name seen. */
  names: string[];
  /** Sorted by address value. */
  addresses: string[];
  /** Sorted by protocol, then port. */
  ports: PolicyPort[];
  flows: number;
  bytesOut: number;
  bytesIn: number;
}

/** A destination only REJECTed attempts reached: it never got through, so no draft allows it. */
export interface RejectedDestination {
  address: string;
  port: number;
  protocol: number;
  attempts: number;
}

const bytesOf = (ip: string) => {
  const a = ipaddr.process(ip);
  return [a.kind() === 'ipv4' ? 4 : 6, ...a.toByteArray()];
};

/** Orders addresses by value (IPv4 before IPv6), so 10.0.0.9 comes before 10.0.0.10. */
export function compareIp(a: string, b: string): number {
  if (!ipaddr.isValid(a) || !ipaddr.isValid(b)) return compareText(a, b);
  const x = bytesOf(a);
  const y = bytesOf(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] ?? -1) - (y[i] ?? -1);
  return 0;
}
const portKey = (p: PolicyPort) => `${p.protocol}/${p.port}`;
const comparePorts = (a: PolicyPort, b: PolicyPort) => a.protocol - b.protocol || a.port - b.port;

/**
 * Groups `from` rows into draft destinations: rows whose flows were all REJECTed are set apart; the others are grouped
 * by their exact set of names (an address without names is a destination of its own). Sorted: named destinations by
 * their first name, then the addresses without a name by address.
 */
export function policyDestinations(rows: readonly FromRow[]): {
  destinations: PolicyDestination[];
  rejected: RejectedDestination[];
} {
  const groups = new Map<string, PolicyDestination>();
  const rejected: RejectedDestination[] = [];
  for (const r of rows) {
    if (r.flows <= r.rejected) {
      rejected.push({ address: r.externalIp, port: r.dstPort, protocol: r.protocol, attempts: r.rejected });
      continue;
    }
    const names = [...new Set(r.names)].sort(compareText);
    const key = names.length ? `n:${names.join(',')}` : `a:${r.externalIp}`;
    const g = groups.get(key) ?? { names, addresses: [], ports: [], flows: 0, bytesOut: 0, bytesIn: 0 };
    if (!g.addresses.includes(r.externalIp)) g.addresses.push(r.externalIp);
    const port = { port: r.dstPort, protocol: r.protocol };
    if (!g.ports.some((p) => portKey(p) === portKey(port))) g.ports.push(port);
    g.flows += r.flows - r.rejected;
    g.bytesOut += r.bytesOut;
    g.bytesIn += r.bytesIn;
    groups.set(key, g);
  }
  const destinations = [...groups.values()];
  for (const d of destinations) {
    d.addresses.sort(compareIp);
    d.ports.sort(comparePorts);
  }
  destinations.sort(
    (a, b) =>
      Number(a.names.length === 0) - Number(b.names.length === 0) ||
      compareText(a.names[0] ?? '', b.names[0] ?? '') ||
      compareIp(a.addresses[0] ?? '', b.addresses[0] ?? ''),
  );
  rejected.sort((a, b) => compareIp(a.address, b.address) || a.protocol - b.protocol || a.port - b.port);
  return { destinations, rejected };
}

/**
 * Labels that change with every rollout, restart or run: a selector on them would stop matching the workload's next
 * pods. Controllers add them; people do not select by them.
 */
export const VOLATILE_LABELS: ReadonlySet<string> = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-uid',
  'job-name',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/job-completion-index',
]);

/** The labels every selected pod carries with the same value, minus the volatile ones; sorted by key. */
export function commonLabels(holders: readonly HeldAddress[]): Record<string, string> {
  const pods = holders.filter((h) => h.pod);
  if (!pods.length) return {};
  let common = Object.entries(pods[0]?.labels ?? {}).filter(([k]) => !VOLATILE_LABELS.has(k));
  for (const h of pods.slice(1)) common = common.filter(([k, v]) => h.labels?.[k] === v);
  return Object.fromEntries(common.sort(([a], [b]) => compareText(a, b)));
}
