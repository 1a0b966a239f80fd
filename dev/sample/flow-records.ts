import { readFileSync } from 'node:fs';
import { type AwsIpRanges, parseAwsIpRanges } from '../../src/aws/ip-ranges.js';
import { ACCOUNT_ID, NAT_AZ, NAT_ENI, NAT_IP, NAT_SUBNET, TCP, VPC_ID } from './constants.js';

/** The world's AWS ranges: the tests' ip-ranges.json fixture, which the world also ships as `ip-ranges.json`. */
export const IP_RANGES_FIXTURE = new URL('../../test/fixtures/aws-ip-ranges.json', import.meta.url);
let ranges: AwsIpRanges | undefined;
const services = new Map<string, string>();

/**
 * What AWS writes in pkt-src/dst-aws-service for an address: the service of the fixture's most specific prefix
 * (`-` for a non-AWS address), so the field and ip-ranges.json always agree in this world.
 */
export function awsServiceOf(ip: string | number): string {
  const key = String(ip);
  let s = services.get(key);
  if (s === undefined) {
    ranges ??= parseAwsIpRanges(readFileSync(IP_RANGES_FIXTURE, 'utf8'));
    s = ranges.lookup(key)?.service ?? '-';
    services.set(key, s);
  }
  return s;
}

/** One connection through the NAT gateway, as the scenario and the noise describe it. */
export interface Connection {
  /** Start of the 60-second aggregation interval (epoch seconds). */
  start: number;
  /** The pod (or unknown internal host) that opened the connection. */
  src: string;
  /** Where it went: an internet address, or a private one reached through the NAT. */
  dst: string;
  /** The pod's ephemeral port. */
  sport: number;
  dport: number;
  protocol: number;
  /** The port the NAT gateway picked on its side. */
  natPort: number;
  bytesOut: number;
  bytesIn: number;
  action: 'ACCEPT' | 'REJECT';
  /**
   * Only the reply half (records 3 and 4) is in this interval: a long download whose request went out a minute
   * earlier. Its bytes count only if the row has an egress record in the window.
   */
  returnOnly?: boolean;
}

type V = string | number;

/** One line of a flow-log object, field name → value; `-` marks an absent value as AWS writes it. */
export interface FlowRecord {
  start: number;
  srcaddr: V;
  dstaddr: V;
  srcport: V;
  dstport: V;
  protocol: V;
  packets: V;
  bytes: V;
  action: V;
  logStatus: 'OK' | 'NODATA' | 'SKIPDATA';
  direction: V;
  path: V;
  pktSrc: V;
  pktDst: V;
  flags: V;
}

/** Roughly one packet per kilobyte; at least one. */
const packets = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1000));

function rec(
  c: Connection,
  srcaddr: string,
  dstaddr: string,
  srcport: number,
  dstport: number,
  bytes: number,
  direction: 'ingress' | 'egress',
  pktSrc: string,
  pktDst: string,
  path: V,
): FlowRecord {
  const flags = c.protocol !== TCP ? 0 : c.action === 'REJECT' ? 2 : 19;
  return {
    start: c.start,
    srcaddr,
    dstaddr,
    srcport,
    dstport,
    protocol: c.protocol,
    packets: packets(bytes),
    bytes,
    action: c.action,
    logStatus: 'OK',
    direction,
    path,
    pktSrc,
    pktDst,
    flags,
  };
}

/** 172.x is reached over a peering (traffic-path 4), 100.64.x through a private NAT in the VPC (1), the rest via IGW (8). */
function pathTo(dst: string): number {
  if (dst.startsWith('172.')) return 4;
  if (dst.startsWith('100.64.') || dst.startsWith('10.')) return 1;
  return 8;
}

/**
 * The records the NAT gateway's ENI logs for one connection, all with the same start/end:
 * 1 pod→NAT (ingress; dstaddr is the NAT, pkt-dstaddr the real destination: the "egress record"),
 * 2 NAT→internet and 3 internet→NAT (untranslated, so they must not count),
 * 4 NAT→pod (egress; pkt-srcaddr is the real source: the "return record" carrying the bytes that came back).
 * A REJECT has only record 1 (nothing was forwarded); a return-only interval only records 3 and 4.
 */
export function natRecords(c: Connection): FlowRecord[] {
  const r1 = rec(c, c.src, NAT_IP, c.sport, c.dport, c.bytesOut, 'ingress', c.src, c.dst, '-');
  if (c.action === 'REJECT') return [r1];
  const r2 = rec(c, NAT_IP, c.dst, c.natPort, c.dport, c.bytesOut, 'egress', NAT_IP, c.dst, pathTo(c.dst));
  const r3 = rec(c, c.dst, NAT_IP, c.dport, c.natPort, c.bytesIn, 'ingress', c.dst, NAT_IP, '-');
  const r4 = rec(c, NAT_IP, c.src, c.dport, c.sport, c.bytesIn, 'egress', c.dst, c.src, 1);
  return c.returnOnly ? [r3, r4] : [r1, r2, r3, r4];
}

/** An untranslated record (internal chatter, scanners knocking on the NAT): addresses equal their pkt- twins. */
export function plainRecord(c: Connection, direction: 'ingress' | 'egress'): FlowRecord {
  return rec(c, c.src, c.dst, c.sport, c.dport, c.bytesOut, direction, c.src, c.dst, direction === 'egress' ? 1 : '-');
}

/** A NODATA (no traffic in the interval) or SKIPDATA (records dropped) line: every traffic field is `-`. */
export function statusRecord(start: number, logStatus: 'NODATA' | 'SKIPDATA'): FlowRecord {
  return {
    start,
    srcaddr: '-',
    dstaddr: '-',
    srcport: '-',
    dstport: '-',
    protocol: '-',
    packets: '-',
    bytes: '-',
    action: '-',
    logStatus,
    direction: '-',
    path: '-',
    pktSrc: '-',
    pktDst: '-',
    flags: '-',
  };
}

const GETTERS: Record<string, (r: FlowRecord) => V> = {
  version: () => 5,
  'account-id': () => ACCOUNT_ID,
  'interface-id': () => NAT_ENI,
  'vpc-id': () => VPC_ID,
  'subnet-id': () => NAT_SUBNET,
  'az-id': () => NAT_AZ,
  srcaddr: (r) => r.srcaddr,
  dstaddr: (r) => r.dstaddr,
  srcport: (r) => r.srcport,
  dstport: (r) => r.dstport,
  protocol: (r) => r.protocol,
  packets: (r) => r.packets,
  bytes: (r) => r.bytes,
  start: (r) => r.start,
  end: (r) => r.start + 60,
  action: (r) => r.action,
  'log-status': (r) => r.logStatus,
  'flow-direction': (r) => r.direction,
  'traffic-path': (r) => r.path,
  'pkt-srcaddr': (r) => r.pktSrc,
  'pkt-dstaddr': (r) => r.pktDst,
  'tcp-flags': (r) => r.flags,
  'pkt-src-aws-service': (r) => awsServiceOf(r.pktSrc),
  'pkt-dst-aws-service': (r) => awsServiceOf(r.pktDst),
};

/**
 * Compiles a line formatter for one field order. It fills one reused array and joins it: for millions of lines that is
 * several times faster than `+=`, whose rope strings keep the garbage collector busy.
 */
export function lineFormatter(fields: readonly string[]): (r: FlowRecord) => string {
  const getters = fields.map((f) => {
    const g = GETTERS[f];
    if (!g) throw new Error(`sample writer has no value for flow-log field "${f}"`);
    return g;
  });
  const values = new Array<V>(getters.length);
  return (r) => {
    for (let i = 0; i < getters.length; i++) values[i] = getters[i]!(r);
    return values.join(' ');
  };
}
