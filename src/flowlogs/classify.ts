import ipaddr from 'ipaddr.js';

/**
 * Ranges that are never "the internet". The seeds filter with three `NOT LIKE` prefixes, which misses 172.17–172.31,
 * 100.64/10 (EKS custom networking), link-local and all of IPv6; this list is the single source of truth for both the
 * JS classifier and the SQL parameter the queries receive.
 */
export const BUILTIN_INTERNAL_CIDRS: readonly string[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
  '127.0.0.0/8',
  'fc00::/7',
  'fe80::/10',
  '::1/128',
];

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses a comma-separated CIDR list (e.g. `EGRESS_VPC_CIDRS`), normalised to `addr/len`. Throws on a bad entry. */
export function parseCidrList(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(',')) {
    const s = raw.trim();
    if (!s) continue;
    if (!s.includes('/') || !ipaddr.isValidCIDR(s)) {
      throw new Error(`"${s}" is not a CIDR block; expected e.g. 10.40.0.0/16 or 2600:1f18::/56`);
    }
    const [addr, len] = ipaddr.parseCIDR(s);
    out.push(`${addr.toString()}/${len}`);
  }
  return out;
}

/** Parses an address the user typed; IPv4-mapped IPv6 is unwrapped. Returns the canonical text or undefined. */
export function canonicalIp(text: string): string | undefined {
  const s = text.trim();
  if (!ipaddr.isValid(s)) return undefined;
  // ipaddr.isValid accepts legacy forms like "10" or "0x7f.1"; a person asking about an address means dotted quad.
  if (!s.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(s)) return undefined;
  return ipaddr.process(s).toString();
}

/** A classifier bound to the configured VPC CIDRs. */
export interface AddressClassifier {
  /** True for RFC1918, 100.64/10, link-local, loopback, IPv6 ULA/link-local and the VPC CIDRs. */
  isInternal(ip: string): boolean;
  /** The full CIDR list (built-ins + VPC), as passed to the SQL queries. */
  readonly internalCidrs: readonly string[];
}

/** Builds a classifier for the built-in internal ranges plus `vpcCidrs`. */
export function createClassifier(vpcCidrs: readonly string[] = []): AddressClassifier {
  const internalCidrs = [...BUILTIN_INTERNAL_CIDRS, ...vpcCidrs];
  const parsed: Cidr[] = internalCidrs.map((c) => ipaddr.parseCIDR(c));
  return {
    internalCidrs,
    isInternal(ip: string): boolean {
      if (!ipaddr.isValid(ip)) return false;
      const addr = ipaddr.process(ip);
      return parsed.some(([net, len]) => net.kind() === addr.kind() && addr.match(net, len));
    },
  };
}
