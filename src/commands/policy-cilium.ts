/**
 * The CiliumNetworkPolicy draft (cilium.io/v2): the workload's pods by their labels, one egress rule per port set
 * with the names (`toFQDNs`) reached on it, and the DNS rule to kube-dns that FQDN rules need (Cilium learns which
 * addresses a name stands for from the DNS answers its proxy sees). Addresses without a name are not in it: Cilium
 * allows them only by CIDR, which the NetworkPolicy draft does. Pure and deterministic (sorted).
 */

import { compareText } from '../util/compare.js';
import type { PolicyDestination, PolicyPort } from './policy-destinations.js';

/** `toFQDNs` entry: one exact name, or a pattern (`*` stands for one label). */
export type FqdnSelector = { matchName: string } | { matchPattern: string };

/** A port rule of `toPorts`. */
export interface CiliumPortRule {
  ports: Array<{ port: string; protocol: 'TCP' | 'UDP' | 'SCTP' | 'ANY' }>;
  rules?: { dns: Array<{ matchPattern: string }> };
}

/** One egress rule of the draft. */
export interface CiliumEgressRule {
  toEndpoints?: Array<{ matchLabels: Record<string, string> }>;
  toFQDNs?: FqdnSelector[];
  toPorts?: CiliumPortRule[];
}

/** The draft object, as `kubectl apply` takes it. */
export interface CiliumNetworkPolicy {
  apiVersion: 'cilium.io/v2';
  kind: 'CiliumNetworkPolicy';
  metadata: { name: string; namespace: string };
  spec: { endpointSelector: { matchLabels: Record<string, string> }; egress: CiliumEgressRule[] };
}

/** What a draft is made for. */
export interface PolicyTarget {
  name: string;
  namespace: string;
  /** The labels that select the pods (empty: every pod of the namespace). */
  matchLabels: Record<string, string>;
}

const PROTOCOLS: Record<number, 'TCP' | 'UDP' | 'SCTP'> = { 6: 'TCP', 17: 'UDP', 132: 'SCTP' };

/** The rule every FQDN policy needs: DNS to kube-dns, through Cilium's DNS proxy (which sees every name asked). */
export const CILIUM_DNS_RULE: CiliumEgressRule = {
  toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
  toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
};

/**
 * Zones where one label below is a whole provider service shared by every customer (`sqs.us-east-1.amazonaws.com`,
 * `<bucket>.storage.googleapis.com`): a pattern directly below them would allow every service of the provider.
 */
const SHARED_ZONES =
  /^(?:[a-z0-9-]+\.)?(?:amazonaws\.com|amazonaws\.com\.cn|googleapis\.com|cloudfront\.net|azure\.com|windows\.net)$/;

/**
 * With `collapse`, names that differ only in their first label become one `*.parent` pattern when at least two share
 * the parent, the parent keeps three labels or more (so `*.com` or `*.co.uk` never appear) and is not a provider's
 * shared zone (`*.us-east-1.amazonaws.com` would allow every AWS API of the region). Sorted.
 */
export function collapseNames(names: readonly string[], collapse: boolean): FqdnSelector[] {
  const sorted = [...new Set(names)].sort(compareText);
  if (!collapse) return sorted.map((matchName) => ({ matchName }));
  const byParent = new Map<string, string[]>();
  for (const n of sorted) {
    const parent = n.slice(n.indexOf('.') + 1);
    if (!n.includes('.') || parent.split('.').length < 3 || SHARED_ZONES.test(parent)) continue;
    byParent.set(parent, [...(byParent.get(parent) ?? []), n]);
  }
  const out: FqdnSelector[] = [];
  const done = new Set<string>();
  for (const n of sorted) {
    const parent = n.slice(n.indexOf('.') + 1);
    if ((byParent.get(parent)?.length ?? 0) >= 2) {
      if (!done.has(parent)) out.push({ matchPattern: `*.${parent}` });
      done.add(parent);
    } else out.push({ matchName: n });
  }
  return out.sort((a, b) => compareText(selectorText(a), selectorText(b)));
}

/** The text of a selector (`*.api.example.com` or the name), as the DNS Firewall list writes it too. */
export const selectorText = (s: FqdnSelector): string => ('matchName' in s ? s.matchName : s.matchPattern);

/** `toPorts` of a port set; a protocol Cilium cannot name per port (ICMP) leaves the rule without ports. */
function toPorts(ports: readonly PolicyPort[]): CiliumPortRule[] | undefined {
  const named = ports.filter((p) => PROTOCOLS[p.protocol]);
  if (named.length < ports.length) return undefined;
  return [{ ports: named.map((p) => ({ port: String(p.port), protocol: PROTOCOLS[p.protocol] as 'TCP' })) }];
}

/** Every name with the ports reached on any of its addresses, grouped by port set: `6/443` → names. */
export function namesByPorts(
  destinations: readonly PolicyDestination[],
): Map<string, { ports: PolicyPort[]; names: string[] }> {
  const perName = new Map<string, Map<string, PolicyPort>>();
  for (const d of destinations) {
    for (const n of d.names) {
      const ports = perName.get(n) ?? new Map<string, PolicyPort>();
      for (const p of d.ports) ports.set(`${p.protocol}/${p.port}`, p);
      perName.set(n, ports);
    }
  }
  const groups = new Map<string, { ports: PolicyPort[]; names: string[] }>();
  for (const [name, ports] of perName) {
    const list = [...ports.values()].sort((a, b) => a.protocol - b.protocol || a.port - b.port);
    const key = list.map((p) => `${p.protocol}/${p.port}`).join(' ');
    const g = groups.get(key) ?? { ports: list, names: [] };
    g.names.push(name);
    groups.set(key, g);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => compareText(a, b)));
}

/** The CiliumNetworkPolicy for `target`. */
export function ciliumPolicy(
  target: PolicyTarget,
  destinations: readonly PolicyDestination[],
  collapse: boolean,
): CiliumNetworkPolicy {
  const egress: CiliumEgressRule[] = [CILIUM_DNS_RULE];
  for (const { ports, names } of namesByPorts(destinations).values()) {
    const rule: CiliumEgressRule = { toFQDNs: collapseNames(names, collapse) };
    const tp = toPorts(ports);
    if (tp) rule.toPorts = tp;
    egress.push(rule);
  }
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: target.name, namespace: target.namespace },
    spec: { endpointSelector: { matchLabels: target.matchLabels }, egress },
  };
}
