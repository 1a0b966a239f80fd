/**
 * The Kubernetes NetworkPolicy draft (networking.k8s.io/v1, Egress only): DNS to kube-dns, then one rule per
 * destination with an `ipBlock` of each of its addresses (/32, /128) and the ports reached. NetworkPolicy knows no
 * names, so the renderer writes the names behind each rule as a YAML comment. Pure and deterministic.
 */
import type { PolicyTarget } from './policy-cilium.js';
import type { PolicyDestination, PolicyPort } from './policy-destinations.js';

/** A port of a rule. */
export interface NetworkPolicyPort {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  port: number;
}

/** A peer of a rule. */
export type NetworkPolicyPeer =
  | { ipBlock: { cidr: string } }
  | {
      namespaceSelector: { matchLabels: Record<string, string> };
      podSelector: { matchLabels: Record<string, string> };
    };

/** One egress rule. */
export interface NetworkPolicyEgressRule {
  to: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

/** The draft object. */
export interface NetworkPolicy {
  apiVersion: 'networking.k8s.io/v1';
  kind: 'NetworkPolicy';
  metadata: { name: string; namespace: string };
  spec: {
    podSelector: { matchLabels: Record<string, string> };
    policyTypes: ['Egress'];
    egress: NetworkPolicyEgressRule[];
  };
}

const PROTOCOLS: Record<number, 'TCP' | 'UDP' | 'SCTP'> = { 6: 'TCP', 17: 'UDP', 132: 'SCTP' };

/** DNS to the cluster's resolver (CoreDNS answers as kube-dns in kube-system), UDP and TCP. */
export const KUBE_DNS_RULE: NetworkPolicyEgressRule = {
  to: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
  ],
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
};

/** `52.216.8.40/32`, `2600:1ffd:8001::5/128`. */
export const hostCidr = (ip: string): string => `${ip}/${ip.includes(':') ? 128 : 32}`;

/** Ports of a rule; a protocol NetworkPolicy cannot name (ICMP) leaves the rule open on every port of its peers. */
function ports(list: readonly PolicyPort[]): NetworkPolicyPort[] | undefined {
  const named = list.filter((p) => PROTOCOLS[p.protocol]);
  if (named.length < list.length) return undefined;
  return named.map((p) => ({ protocol: PROTOCOLS[p.protocol] as 'TCP', port: p.port }));
}

/** The NetworkPolicy for `target`: rule i + 1 is destination i (rule 0 is DNS). */
export function networkPolicy(target: PolicyTarget, destinations: readonly PolicyDestination[]): NetworkPolicy {
  const egress: NetworkPolicyEgressRule[] = [KUBE_DNS_RULE];
  for (const d of destinations) {
    const rule: NetworkPolicyEgressRule = { to: d.addresses.map((ip) => ({ ipBlock: { cidr: hostCidr(ip) } })) };
    const p = ports(d.ports);
    if (p) rule.ports = p;
    egress.push(rule);
  }
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: target.name, namespace: target.namespace },
    spec: { podSelector: { matchLabels: target.matchLabels }, policyTypes: ['Egress'], egress },
  };
}
