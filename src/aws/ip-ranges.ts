/**
 * AWS's published address ranges (`ip-ranges.json`, https://docs.aws.amazon.com/vpc/latest/userguide/aws-ip-ranges.html)
 * as a lookup: address → the service and region of the most specific prefix that holds it, IPv4 and IPv6. Pure.
 *
 * The file lists one entry per (prefix, service, region, border group); every prefix of a named service also appears
 * as `AMAZON`, the superset. So at equal prefix length a named service wins over `AMAZON`, and a longer prefix wins
 * over a shorter one whatever its service.
 */
import ipaddr from 'ipaddr.js';

/** What the ranges say about one address. */
export interface AwsRange {
  /** `S3`, `DYNAMODB`, `EC2`, `AMAZON` (any other AWS address), … as AWS names them. */
  service: string;
  /** `us-east-1`, or `GLOBAL` for services without a region (CloudFront, Route 53). */
  region: string;
  /** The prefix that matched, `3.5.0.0/19`. */
  prefix: string;
}

/** The parsed ranges. */
export interface AwsIpRanges {
  /** The most specific range holding `ip`, or undefined for a non-AWS (or unparseable) address. */
  lookup(ip: string): AwsRange | undefined;
  /** `createDate` of the file (`2026-11-18-21-13-04`), as AWS writes it. */
  readonly createDate: string;
  /** How many prefixes (IPv4 + IPv6 entries) were indexed. */
  readonly size: number;
}

interface Entry {
  service?: unknown;
  region?: unknown;
  ip_prefix?: unknown;
  ipv6_prefix?: unknown;
}

/** The generic service every AWS address also belongs to. */
export const GENERIC_SERVICE = 'AMAZON';

/** Prefix length → network bits (as a bigint) → the range. */
type Table = Map<number, Map<bigint, AwsRange>>;

function bitsOf(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return addr.toByteArray().reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function masked(bits: bigint, width: number, len: number): bigint {
  const host = BigInt(width - len);
  return (bits >> host) << host;
}

/** Whether `candidate` should replace `current` for the same prefix: a named service beats `AMAZON`, then by name. */
function better(candidate: AwsRange, current: AwsRange | undefined): boolean {
  if (!current) return true;
  const named = (r: AwsRange) => (r.service === GENERIC_SERVICE ? 0 : 1);
  if (named(candidate) !== named(current)) return named(candidate) > named(current);
  // Two named services on one prefix (rare): the alphabetically first, so the answer never depends on file order.
  return `${candidate.service}|${candidate.region}` < `${current.service}|${current.region}`;
}

/**
 * Indexes the text of an `ip-ranges.json`. Throws an Error saying what is wrong when the text is not that format (so
 * a truncated download or a wrong file is refused rather than indexed as "no AWS addresses").
 */
export function parseAwsIpRanges(text: string): AwsIpRanges {
  let doc: { createDate?: unknown; prefixes?: unknown; ipv6_prefixes?: unknown };
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON (${(err as Error).message})`);
  }
  if (!doc || !Array.isArray(doc.prefixes) || !Array.isArray(doc.ipv6_prefixes)) {
    throw new Error('not an AWS ip-ranges.json (it needs "prefixes" and "ipv6_prefixes" lists)');
  }
  const tables: Record<'ipv4' | 'ipv6', Table> = { ipv4: new Map(), ipv6: new Map() };
  let size = 0;
  const add = (e: Entry, field: 'ip_prefix' | 'ipv6_prefix') => {
    const prefix = e[field];
    if (typeof prefix !== 'string' || typeof e.service !== 'string' || typeof e.region !== 'string') {
      throw new Error(
        `an entry of "${field === 'ip_prefix' ? 'prefixes' : 'ipv6_prefixes'}" lacks ${field}, service or region`,
      );
    }
    const base = prefix.split('/')[0] ?? '';
    // ipaddr accepts legacy IPv4 forms ("1.2.3/24"); AWS writes dotted quads, so anything else is a broken file.
    if (!ipaddr.isValidCIDR(prefix) || (!base.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(base)))
      throw new Error(`"${prefix}" is not a CIDR prefix`);
    const [net, len] = ipaddr.parseCIDR(prefix);
    const kind = net.kind();
    const width = kind === 'ipv4' ? 32 : 128;
    const range: AwsRange = { service: e.service, region: e.region, prefix: `${net.toString()}/${len}` };
    const byLen = tables[kind].get(len) ?? new Map<bigint, AwsRange>();
    const key = masked(bitsOf(net), width, len);
    if (better(range, byLen.get(key)))
      byLen.set(key, { ...range, prefix: `${ipaddr.fromByteArray(toBytes(key, width)).toString()}/${len}` });
    tables[kind].set(len, byLen);
    size++;
  };
  for (const e of doc.prefixes as Entry[]) add(e, 'ip_prefix');
  for (const e of doc.ipv6_prefixes as Entry[]) add(e, 'ipv6_prefix');
  // Longest prefix first: the first hit of a lookup is the most specific.
  const lengths = {
    ipv4: [...tables.ipv4.keys()].sort((a, b) => b - a),
    ipv6: [...tables.ipv6.keys()].sort((a, b) => b - a),
  };
  return {
    createDate: typeof doc.createDate === 'string' ? doc.createDate : '',
    size,
    lookup(ip) {
      if (!ipaddr.isValid(ip)) return undefined;
      const addr = ipaddr.process(ip);
      const kind = addr.kind();
      const width = kind === 'ipv4' ? 32 : 128;
      const bits = bitsOf(addr);
      for (const len of lengths[kind]) {
        const hit = tables[kind].get(len)?.get(masked(bits, width, len));
        if (hit) return hit;
      }
      return undefined;
    },
  };
}

function toBytes(bits: bigint, width: number): number[] {
  const out: number[] = [];
  for (let shift = width - 8; shift >= 0; shift -= 8) out.push(Number((bits >> BigInt(shift)) & 0xffn));
  return out;
}
