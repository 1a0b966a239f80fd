/**
 * What `who` can be asked about — an address, a DNS name, every name below a suffix (`*.vendorx.io`) or an address
 * range — parsed into a typed target, each form refused with a one-line fix-it message when it is not one. Pure.
 */
import ipaddr from 'ipaddr.js';
import { DNS_NAME } from '../engine/params.js';
import { UserError } from '../errors.js';
import type { AddressClassifier } from '../flowlogs/classify.js';
import { type ParseOptions, parseIpArg, truncate, usageHint } from './grammar.js';

/** One `who` target, by kind. */
export type WhoTarget =
  | { kind: 'ip'; ip: string }
  | { kind: 'name'; name: string }
  /** `*.vendorx.io`: `suffix` is `vendorx.io`. */
  | { kind: 'pattern'; pattern: string; suffix: string }
  /** Canonical `network/length`. */
  | { kind: 'cidr'; cidr: string };

/** The targets other than an address (an address stays the flat `ip` field of the command). */
export type WhoNameTarget = Extract<WhoTarget, { kind: 'name' | 'pattern' }>;

/** Narrowest prefixes `who <cidr>` accepts: wider ranges are not one provider's block. */
export const MIN_PREFIX = { ipv4: 8, ipv6: 16 } as const;

const EXAMPLES = '`who 142.250.80.46`, `who telemetry.vendorx.io`, `who *.vendorx.io` or `who 142.250.0.0/16`';

/** The text of a target as people write it: `142.250.80.46`, `telemetry.vendorx.io`, `*.vendorx.io`, `142.250.0.0/16`. */
export function targetText(t: WhoTarget): string {
  switch (t.kind) {
    case 'ip':
      return t.ip;
    case 'name':
      return t.name;
    case 'pattern':
      return t.pattern;
    case 'cidr':
      return t.cidr;
  }
}

/** Parses the first word of `who`. */
export function parseWhoTarget(usage: string, raw: string | undefined, opts: ParseOptions): WhoTarget {
  if (!raw) {
    throw new UserError('BAD_IP', `\`who\` needs an IP address, a name, *.suffix or a range, e.g. ${EXAMPLES}.`);
  }
  if (raw.includes('/')) return { kind: 'cidr', cidr: parseCidr(raw, opts.classifier) };
  if (/^[0-9.]+$/.test(raw) || raw.includes(':')) return { kind: 'ip', ip: parseIpArg('who', usage, raw, opts, true) };
  if (raw.startsWith('*.')) {
    if (raw.slice(2).replace(/\.$/, '').split('.').length < 2) {
      throw new UserError(
        'BAD_IP',
        `"${truncate(raw)}" is too wide: give at least two labels after \`*.\`, e.g. \`who *.vendorx.io\`.`,
      );
    }
    const suffix = parseName(raw.slice(2), raw);
    return { kind: 'pattern', pattern: `*.${suffix}`, suffix };
  }
  if (raw.includes('*')) {
    throw new UserError('BAD_IP', `"${truncate(raw)}": a wildcard only goes first, as in \`who *.vendorx.io\`.`);
  }
  return { kind: 'name', name: parseName(raw, raw) };
}

/**
 * A DNS name in the form the queries compare: lowercase, no trailing dot, LDH labels (IDNA punycode `xn--…` as it is;
 * underscores allowed, as in `_dmarc`), ≤ 63 characters per label and ≤ 253 in all, at least two labels, and not all
 * digits (that is a mistyped address).
 */
export function parseName(text: string, raw: string): string {
  const name = text.toLowerCase().replace(/\.$/, '');
  if (/[^\x21-\x7e]/.test(name)) {
    throw new UserError(
      'BAD_IP',
      `"${truncate(raw)}" has characters a DNS name cannot have: write an international name in punycode (e.g. \`xn--bcher-kva.example\`), without spaces. ${usageHint(`who ${EXAMPLES}`)}`,
    );
  }
  if (name.length > 253) {
    throw new UserError('BAD_IP', `"${truncate(raw)}" is longer than the 253 characters a DNS name may have.`);
  }
  if (name.split('.').some((l) => l.length > 63)) {
    throw new UserError('BAD_IP', `"${truncate(raw)}" has a label longer than the 63 characters DNS allows.`);
  }
  const labels = name.split('.');
  if (!DNS_NAME.test(name) || labels.length < 2 || /^\d+$/.test(labels[labels.length - 1] as string)) {
    throw new UserError(
      'BAD_IP',
      `"${truncate(raw)}" is not an IP address, a DNS name, *.suffix or a range. Try ${EXAMPLES}.`,
    );
  }
  return name;
}

/** A range for `who <cidr>`, in canonical `network/length` form; too wide or entirely internal is refused. */
export function parseCidr(raw: string, classifier: AddressClassifier): string {
  if (!/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(raw) || !ipaddr.isValidCIDR(raw)) {
    throw new UserError(
      'BAD_IP',
      `"${truncate(raw)}" is not an address range. Write it as a CIDR block, e.g. \`who 142.250.0.0/16\` or \`who 2607:f8b0::/32\`.`,
    );
  }
  const [addr, len] = ipaddr.parseCIDR(raw);
  const v4 = addr.kind() === 'ipv4';
  const min = v4 ? MIN_PREFIX.ipv4 : MIN_PREFIX.ipv6;
  if (len < min) {
    throw new UserError(
      'BAD_IP',
      `/${len} is wider than egress looks at once (at most /${min} for ${v4 ? 'IPv4' : 'IPv6'}); ask about a provider's block, e.g. \`who ${v4 ? '142.250.0.0/16' : '2607:f8b0::/32'}\`.`,
    );
  }
  const network = v4
    ? ipaddr.IPv4.networkAddressFromCIDR(raw).toString()
    : ipaddr.IPv6.networkAddressFromCIDR(raw).toString();
  const cidr = `${network}/${len}`;
  const inside = classifier.internalCidrs.some((c) => {
    const [net, bits] = ipaddr.parseCIDR(c);
    return net.kind() === addr.kind() && bits <= len && ipaddr.parse(network).match(net, bits);
  });
  if (inside) {
    throw new UserError(
      'INTERNAL_IP',
      `${cidr} is entirely private/internal, not internet egress. To see which pods held those addresses, use \`ip-history <ip>\`; to see what a workload reaches, use \`from <namespace>/<workload>\`.`,
    );
  }
  return cidr;
}
