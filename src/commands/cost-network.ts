/**
 * `cost by network`: the network a source address belongs to — the most specific labelled CIDR (`EGRESS_NETWORKS`,
 * then the clusters' VPC CIDRs), else, for an internal address, its /16 (IPv6: /48), so the operator sees which
 * ranges still need a label. Pure.
 */
import ipaddr from 'ipaddr.js';
import type { NetworkLabel } from '../config-networks.js';
import type { AddressClassifier } from '../flowlogs/classify.js';

/** An unlabelled range and the sources seen in it. */
export interface UnlabelledNetwork {
  network: string;
  addresses: string[];
}

/** Which network an address is in, and whether a label named it. */
export interface NetworkOf {
  network: string;
  labelled: boolean;
}

/** Builds the lookup once per answer: labels sorted most specific first. */
export function networkLookup(
  labels: readonly NetworkLabel[],
  classifier: AddressClassifier,
): (ip: string) => NetworkOf {
  const parsed = labels
    .map((l) => ({ label: l.label, range: ipaddr.parseCIDR(l.cidr) }))
    .sort((a, b) => b.range[1] - a.range[1]);
  return (ip) => {
    if (!ipaddr.isValid(ip)) return { network: '(not an address)', labelled: false };
    const addr = ipaddr.process(ip);
    const hit = parsed.find(({ range: [net, len] }) => net.kind() === addr.kind() && addr.match(net, len));
    if (hit) return { network: hit.label, labelled: true };
    if (!classifier.isInternal(ip)) return { network: '(internet)', labelled: false };
    const len = addr.kind() === 'ipv4' ? 16 : 48;
    const bytes = addr.toByteArray().map((b, i) => (i < len / 8 ? b : 0));
    return { network: `${ipaddr.fromByteArray(bytes).toString()}/${len}`, labelled: false };
  };
}
