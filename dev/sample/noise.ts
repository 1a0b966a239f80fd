import { NAT_IP, TCP, UDP } from './constants.js';
import { type Connection, type FlowRecord, natRecords, plainRecord, statusRecord } from './flow-records.js';
import { PODS } from './k8s.js';
import type { Rng } from './prng.js';
import { SCENARIO_EXTERNALS } from './scenario.js';
import { type Answer, cnameAnswer, ipAnswer } from './scenario-dns.js';

/** A service the cluster talks to every day. */
interface NoiseDest {
  name: string;
  ips: string[];
  v6?: string[];
  cname?: string;
  port: number;
  protocol: number;
}

/** Background destinations. None is a scenario address and none is DNS (53/853), so expectations stay hand-checkable. */
export const NOISE_DESTS: readonly NoiseDest[] = [
  { name: 'dynamodb.us-east-1.amazonaws.com.', ips: ['52.94.0.10', '52.94.4.20'], port: 443, protocol: TCP },
  { name: 'sqs.us-east-1.amazonaws.com.', ips: ['52.94.236.248'], port: 443, protocol: TCP },
  { name: 'sts.us-east-1.amazonaws.com.', ips: ['52.94.229.16'], port: 443, protocol: TCP },
  { name: 'payments-archive.s3.us-east-1.amazonaws.com.', ips: ['3.5.0.12', '3.5.29.100'], port: 443, protocol: TCP },
  { name: 'api.github.com.', ips: ['140.82.112.6'], port: 443, protocol: TCP },
  {
    name: 'registry-1.docker.io.',
    ips: ['3.216.34.172', '54.236.113.205'],
    v6: ['2600:1f18:2148:bc00::a'],
    port: 443,
    protocol: TCP,
  },
  { name: 'api.stripe.com.', ips: ['54.187.174.169', '54.187.216.72'], port: 443, protocol: TCP },
  { name: 'hooks.slack.com.', ips: ['3.94.192.33'], cname: 'hooks-slack.l.slack-edge.com.', port: 443, protocol: TCP },
  { name: 'api.datadoghq.com.', ips: ['3.233.158.40'], port: 443, protocol: TCP },
  { name: 'api.paypal.com.', ips: ['64.4.250.37'], port: 443, protocol: TCP },
  { name: 'pool.ntp.org.', ips: ['162.159.200.1', '162.159.200.123'], port: 123, protocol: UDP },
];

for (const d of NOISE_DESTS) {
  if (d.ips.some((ip) => (SCENARIO_EXTERNALS as readonly string[]).includes(ip)) || d.port === 53 || d.port === 853) {
    throw new Error(`noise destination ${d.name} collides with the scripted scenario`);
  }
}

/** Pods that sent traffic but are gone from the snapshot (their rows are unattributed). */
const GONE = ['10.40.9.14', '10.40.9.15', '100.64.7.3'];
const SOURCES = [...PODS.filter((p) => p.noisy && p.ip).map((p) => p.ip as string), ...GONE];
/** A host the NACL blocks (ssh to a random box): the only egress REJECTs in the noise. */
const BLOCKED = '45.33.32.156';
const SCANNERS = ['45.155.205.233', '185.224.128.17', '193.32.162.80'];
const NXDOMAINS = [
  'dynamodb.us-east-1.amazonaws.com.ec2.internal.',
  'kafka.data.svc.corp.internal.',
  'wpad.ec2.internal.',
];

/** A heavy-tailed size: mostly small, sometimes large, like real request/response bytes. */
const size = (rng: Rng, lo: number, hi: number): number => Math.round(lo * (hi / lo) ** (rng.next() ** 2));

/**
 * Background flow records for the capture window [from, to): `count` NAT connections from the snapshot's pods (and a
 * few vanished ones) plus internal chatter, scanners knocking on the NAT, and an occasional NODATA/SKIPDATA line.
 */
export function noiseFlows(rng: Rng, from: number, to: number, count: number): FlowRecord[] {
  const out: FlowRecord[] = [];
  const when = (): number => from + rng.int(0, to - from - 1);
  const ports = () => ({ sport: rng.int(32768, 60999), natPort: rng.int(1024, 65535) });
  for (let i = 0; i < count; i++) {
    const src = rng.pick(SOURCES);
    if (rng.chance(0.02)) {
      const conn: Connection = {
        start: when(),
        src,
        dst: BLOCKED,
        dport: 22,
        protocol: TCP,
        ...ports(),
        bytesOut: 60,
        bytesIn: 0,
        action: 'REJECT',
      };
      out.push(...natRecords(conn));
      continue;
    }
    const d = rng.pick(NOISE_DESTS);
    const ntp = d.protocol === UDP;
    out.push(
      ...natRecords({
        start: when(),
        src,
        dst: rng.pick(d.ips),
        dport: d.port,
        protocol: d.protocol,
        ...ports(),
        bytesOut: ntp ? 76 : size(rng, 300, 200_000),
        bytesIn: ntp ? 76 : size(rng, 500, 5_000_000),
        action: 'ACCEPT',
      }),
    );
  }
  // Internal chatter seen on the ENI: untranslated, both ends private.
  for (let i = 0; i < Math.ceil(count / 10); i++) {
    const src = rng.pick(SOURCES);
    const conn: Connection = {
      start: when(),
      src,
      dst: rng.pick(SOURCES.filter((ip) => ip !== src)),
      dport: rng.pick([8080, 9092, 9100]),
      protocol: TCP,
      ...ports(),
      bytesOut: size(rng, 200, 50_000),
      bytesIn: 0,
      action: 'ACCEPT',
    };
    out.push(
      plainRecord(conn, 'ingress'),
      plainRecord({ ...conn, src: conn.dst, dst: conn.src, sport: conn.dport, dport: conn.sport }, 'egress'),
    );
  }
  if (rng.chance(0.3)) {
    const conn: Connection = {
      start: when(),
      src: rng.pick(SCANNERS),
      dst: NAT_IP,
      dport: rng.pick([22, 23, 3389, 8080]),
      protocol: TCP,
      ...ports(),
      bytesOut: 40,
      bytesIn: 0,
      action: 'REJECT',
    };
    out.push(plainRecord(conn, 'ingress'));
  }
  if (rng.chance(0.02)) out.push(statusRecord(when(), 'NODATA'));
  if (rng.chance(0.01)) out.push(statusRecord(when(), 'SKIPDATA'));
  return out;
}

/** A background Resolver query. */
export interface NoiseQuery {
  at: number;
  name: string;
  type: 'A' | 'AAAA';
  rcode: 'NOERROR' | 'NXDOMAIN';
  answers: Answer[];
}

/** Background Resolver queries in [from, to): lookups of the noise destinations and search-path NXDOMAINs. */
export function noiseQueries(rng: Rng, from: number, to: number, count: number): NoiseQuery[] {
  const out: NoiseQuery[] = [];
  for (let i = 0; i < count; i++) {
    const at = from + rng.int(0, to - from - 1);
    if (rng.chance(0.1)) {
      out.push({ at, name: rng.pick(NXDOMAINS), type: 'A', rcode: 'NXDOMAIN', answers: [] });
      continue;
    }
    const d = rng.pick(NOISE_DESTS);
    const aaaa = d.v6 !== undefined && rng.chance(0.3);
    const ips = aaaa ? (d.v6 as string[]) : d.ips;
    const answers = [...(d.cname ? [cnameAnswer(d.cname)] : []), ...ips.map(ipAnswer)];
    out.push({ at, name: d.name, type: aaaa ? 'AAAA' : 'A', rcode: 'NOERROR', answers });
  }
  return out;
}
