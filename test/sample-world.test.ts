import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED, type ExpectedRow, type ExpectedWorkload } from '../dev/sample/expected.js';
import { SCRIPTED } from '../dev/sample/scenario.js';
import { generateWorld, SAMPLE_NOW, type WorldManifest } from '../dev/sample/world.js';
import { DEFAULT_FIELDS, FLOW_LOG_FIELDS, REQUIRED_FIELDS } from '../src/flowlogs/fields.js';

type Rec = Record<string, string>;
interface K8sItem {
  kind: string;
  metadata: { name: string; namespace: string; ownerReferences?: { kind: string; name: string }[] };
  status?: { podIP?: string };
}
interface Query {
  version: string;
  query_timestamp: string;
  query_name: string;
  query_type: string;
  rcode: string;
  answers: { Rdata: string; Type: string }[];
  srcaddr: string;
  srcids: object;
}
interface FlowObject {
  key: string;
  header: string;
  records: Rec[];
}

const FLOW_KEY =
  /^AWSLogs\/111122223333\/vpcflowlogs\/us-east-1\/(\d{4})\/(\d{2})\/(\d{2})\/111122223333_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_(\d{8})T(\d{2})05Z_[0-9a-f]{8}\.log\.gz$/;
const DNS_KEY =
  /^AWSLogs\/111122223333\/vpcdnsquerylogs\/vpc-0123456789abcdef0\/(\d{4})\/(\d{2})\/(\d{2})\/111122223333_vpcdnsquerylogs_vpc-0123456789abcdef0_(\d{8})T(\d{2})05Z_[0-9a-f]{8}\.log\.gz$/;
const NAT = '10.40.0.5';
const iso = (t: number): string => new Date(t * 1000).toISOString().replace('.000', '');

let dir = '';
let dir2 = '';
let manifest: WorldManifest;
let files: string[] = [];
const flows: FlowObject[] = [];
const dns: Query[] = [];
let snapshot: { items: K8sItem[] };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-world-'));
  dir2 = await mkdtemp(join(tmpdir(), 'egress-world-'));
  manifest = await generateWorld({ dir, seed: 42 });
  await generateWorld({ dir: dir2, seed: 42 });
  files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.gz')).sort();
  for (const key of files) {
    const text = gunzipSync(await readFile(join(dir, key))).toString('utf8');
    const lines = text.trimEnd().split('\n');
    if (key.includes('/vpcflowlogs/')) {
      const [header = '', ...rest] = lines;
      const fields = header.split(' ');
      flows.push({
        key,
        header,
        records: rest.map((l) => Object.fromEntries(l.split(' ').map((v, i) => [fields[i], v]))),
      });
    } else dns.push(...lines.map((l) => JSON.parse(l)));
  }
  snapshot = JSON.parse(await readFile(manifest.k8sFile, 'utf8'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(dir2, { recursive: true, force: true });
});

describe('sample world files', () => {
  it('is byte-identical for the same seed', async () => {
    const again = (await readdir(dir2, { recursive: true })).filter((f) => f.endsWith('.gz')).sort();
    expect(again).toEqual(files);
    for (const key of [...files, 'k8s-snapshot.json']) {
      expect((await readFile(join(dir2, key))).equals(await readFile(join(dir, key))), key).toBe(true);
    }
  });

  it('matches the manifest and the AWS key layout; delivery is end of hour + 5 min, filed by delivery day', () => {
    const flowKeys = files.filter((f) => FLOW_KEY.test(f));
    const dnsKeys = files.filter((f) => DNS_KEY.test(f));
    expect(flowKeys.length + dnsKeys.length).toBe(files.length);
    expect(manifest.flowObjects).toBe(flowKeys.length);
    expect(manifest.dnsObjects).toBe(dnsKeys.length);
    expect(manifest.flowRecords).toBe(flows.reduce((n, f) => n + f.records.length, 0));
    expect(manifest.dnsRecords).toBe(dns.length);
    expect(flowKeys).toHaveLength(240);
    for (const f of flows) {
      const [, y, m, d, stamp, hh] = FLOW_KEY.exec(f.key)!;
      expect(stamp).toBe(`${y}${m}${d}`);
      const delivery = Date.UTC(+y!, +m! - 1, +d!, +hh!, 5) / 1000;
      for (const r of f.records) expect(delivery - 3900 <= +r.start! && +r.start! < delivery - 300, f.key).toBe(true);
    }
    // The 23:00 hour of 11-19 is delivered at 00:05 and filed under the next day.
    expect(flowKeys.some((k) => k.includes('/2026/11/20/') && k.includes('_20261120T0005Z_'))).toBe(true);
  });

  it('starts every flow object with a header in one of three non-default orders, switching at the format changes', () => {
    const headers = new Set(flows.map((f) => f.header));
    expect(headers.size).toBe(3);
    for (const h of headers) {
      const fields = h.split(' ');
      expect(fields.every((x) => x in FLOW_LOG_FIELDS)).toBe(true);
      expect(REQUIRED_FIELDS.every((x) => fields.includes(x))).toBe(true);
      expect(fields.slice(0, DEFAULT_FIELDS.length)).not.toEqual([...DEFAULT_FIELDS]);
    }
    const change = Date.parse(EXPECTED.formatChangeAt) / 1000;
    // Order C (with the AWS-service fields) from 3 days before now: 2026-11-17T12:00:00Z.
    const changeC = Date.parse('2026-11-17T12:00:00Z') / 1000;
    const headersIn = (from: number, to: number) =>
      new Set(flows.filter((f) => +f.records[0]!.start! >= from && +f.records[0]!.start! < to).map((f) => f.header));
    const [a, b, c] = [headersIn(0, change), headersIn(change, changeC), headersIn(changeC, Infinity)];
    expect([a.size, b.size, c.size]).toEqual([1, 1, 1]);
    expect([...b][0]).toContain('az-id');
    expect([...b][0]).not.toContain('aws-service');
    expect([...c][0]).toContain('pkt-srcaddr pkt-src-aws-service srcaddr');
    // The service field names AWS addresses of the world's ip-ranges.json only: S3 here, '-' for the rest.
    const c3 = flows.filter((f) => +f.records[0]!.start! >= changeC).flatMap((f) => f.records);
    expect(c3.find((r) => r['pkt-dstaddr'] === '52.216.8.41')?.['pkt-dst-aws-service']).toBe('S3');
    expect(c3.find((r) => r['pkt-dstaddr'] === '52.94.0.10')?.['pkt-dst-aws-service']).toBe('-');
  });

  it('writes well-formed records, including NODATA and SKIPDATA', () => {
    const all = flows.flatMap((f) => f.records);
    for (const r of all) {
      expect(r.version).toBe('5');
      expect(+r.end! - +r.start!).toBe(60);
      expect(+r.start! >= SAMPLE_NOW - 10 * 86_400 && +r.start! < SAMPLE_NOW).toBe(true);
    }
    for (const status of ['NODATA', 'SKIPDATA']) {
      const lines = all.filter((r) => r['log-status'] === status);
      expect(lines.length).toBeGreaterThan(0);
      for (const r of lines)
        expect([r.srcaddr, r.dstaddr, r.srcport, r.bytes, r['pkt-srcaddr']]).toEqual(['-', '-', '-', '-', '-']);
    }
    expect(all.length).toBeGreaterThan(10_000);
  });

  it('logs each scripted connection as 4 NAT records (1 for a REJECT, 2 for a return-only minute)', () => {
    const byStart = new Map<string, Rec[]>();
    for (const r of flows.flatMap((f) => f.records)) byStart.set(r.start!, [...(byStart.get(r.start!) ?? []), r]);
    for (const c of SCRIPTED) {
      const t = String(Date.parse(c.at) / 1000);
      const [r1, r2, r3, r4] = (byStart.get(t) ?? []).filter(
        (r) =>
          r.protocol === String(c.protocol) &&
          ((r['pkt-dstaddr'] === c.dst && r.dstport === String(c.dport)) ||
            (r['pkt-srcaddr'] === c.dst && r.srcport === String(c.dport))),
      );
      const got = [r1, r2, r3, r4].filter(Boolean) as Rec[];
      const addrs = (r: Rec) => [
        r.srcaddr,
        r.dstaddr,
        r['pkt-srcaddr'],
        r['pkt-dstaddr'],
        r['flow-direction'],
        r.bytes,
      ];
      if (c.action === 'REJECT') {
        expect(got.map(addrs), c.flow).toEqual([[c.src, NAT, c.src, c.dst, 'ingress', String(c.out)]]);
        expect(r1!.action).toBe('REJECT');
      } else if (c.returnOnly) {
        expect(got.map(addrs), c.flow).toEqual([
          [c.dst, NAT, c.dst, NAT, 'ingress', String(c.in)],
          [NAT, c.src, c.dst, c.src, 'egress', String(c.in)],
        ]);
      } else {
        expect(got.map(addrs), c.flow).toEqual([
          [c.src, NAT, c.src, c.dst, 'ingress', String(c.out)],
          [NAT, c.dst, NAT, c.dst, 'egress', String(c.out)],
          [c.dst, NAT, c.dst, NAT, 'ingress', String(c.in)],
          [NAT, c.src, c.dst, c.src, 'egress', String(c.in)],
        ]);
        expect([r1!.srcport, r2!.srcport]).toEqual([r4!.dstport, r3!.dstport]);
      }
    }
  });

  it('snapshots every owner kind', () => {
    const owners = (kind: string) =>
      snapshot.items.filter((i) => i.kind === kind).map((i) => i.metadata.ownerReferences?.[0]?.kind ?? 'none');
    expect(new Set(owners('Pod'))).toEqual(new Set(['ReplicaSet', 'Job', 'StatefulSet', 'DaemonSet', 'none']));
    expect(new Set(owners('ReplicaSet'))).toEqual(new Set(['Deployment']));
    expect(new Set(owners('Job'))).toEqual(new Set(['CronJob', 'none']));
    const ips = snapshot.items.filter((i) => i.kind === 'Pod' && i.status?.podIP).map((i) => i.status!.podIP);
    // Unique but for the one reuse scenario-ask.ts scripts: the invoice-sync Job's finished pod, then a ledger-api replica.
    const reused = ips.filter((ip, i) => ips.indexOf(ip) !== i);
    expect(reused).toEqual(['10.40.50.20']);
  });

  it('writes Resolver lines as AWS does: CoreDNS source, CNAME chains, AAAA, NXDOMAIN', () => {
    expect(dns.every((q) => q.srcaddr === '172.20.0.10' && q.version === '1.100000')).toBe(true);
    expect(dns.some((q) => q.rcode === 'NXDOMAIN' && q.answers.length === 0)).toBe(true);
    expect(dns.some((q) => q.answers.some((a) => a.Type === 'AAAA'))).toBe(true);
    const pyhosted = dns.find((q) => q.query_name === 'files.pythonhosted.org.' && q.query_type === 'A')!;
    expect(pyhosted.answers.map((a) => a.Type)).toEqual(['CNAME', 'A', 'A']);
    expect(dns.some((q) => JSON.stringify(q.srcids) === '{}')).toBe(true);
  });
});

/** A deliberately naive reading of the contract, written apart from the generator, to check the hand-made EXPECTED. */
describe('EXPECTED agrees with a naive reference over the files', () => {
  const D = 86_400;
  const internal = (ip: string): boolean => {
    if (ip.includes(':')) return /^(f[cd]|fe[89ab])/i.test(ip) || ip === '::1';
    const [a = 0, b = 0] = ip.split('.').map(Number);
    const v4 = [a === 10, a === 127, a === 172 && b >= 16 && b < 32, a === 192 && b === 168];
    return [...v4, a === 100 && b >= 64 && b < 128, a === 169 && b === 254].some(Boolean);
  };
  const translated = (r: Rec) => r.srcaddr !== r['pkt-srcaddr'] || r.dstaddr !== r['pkt-dstaddr'];
  const attribute = (ip: string): Pick<ExpectedRow, 'workload' | 'pod'> => {
    const pod = snapshot.items.find((i) => i.kind === 'Pod' && i.status?.podIP === ip);
    if (!pod) return { workload: null, pod: null };
    const { namespace, name } = pod.metadata;
    let owner = pod.metadata.ownerReferences?.[0];
    const parent = snapshot.items.find((i) => i.kind === owner?.kind && i.metadata.name === owner?.name);
    owner = parent?.metadata.ownerReferences?.[0] ?? owner;
    const kind = (owner?.kind ?? 'Pod') as ExpectedWorkload['kind'];
    return { workload: { namespace, kind, name: owner?.name ?? name }, pod: name };
  };

  function rows(window: number, keep: (r: Rec) => boolean): ExpectedRow[] {
    const all = flows.flatMap((f) => f.records);
    const inWindow = all.filter((r) => +r.start! >= SAMPLE_NOW - window && +r.start! < SAMPLE_NOW);
    const acc = new Map<string, Omit<ExpectedRow, 'firstSeen' | 'lastSeen'> & { first: number; last: number }>();
    for (const r of inWindow) {
      const [src, dst, start] = [r['pkt-srcaddr']!, r['pkt-dstaddr']!, +r.start!];
      if (!internal(src) || internal(dst) || !translated(r) || !keep(r)) continue;
      const k = [src, dst, r.dstport, r.protocol].join('|');
      const row = acc.get(k) ?? {
        ...{ podIp: src, externalIp: dst, dstPort: +r.dstport!, protocol: +r.protocol!, ...attribute(src) },
        ...{ flows: 0, rejected: 0, bytesOut: 0, bytesIn: 0, first: start, last: start },
      };
      row.flows += 1;
      row.rejected += r.action === 'REJECT' ? 1 : 0;
      row.bytesOut += +r.bytes!;
      row.first = Math.min(row.first, start);
      row.last = Math.max(row.last, start);
      acc.set(k, row);
    }
    for (const r of inWindow) {
      if (internal(r['pkt-srcaddr']!) || !internal(r['pkt-dstaddr']!) || !translated(r)) continue;
      const row = acc.get([r['pkt-dstaddr'], r['pkt-srcaddr'], r.srcport, r.protocol].join('|'));
      if (row) row.bytesIn += +r.bytes!;
    }
    return [...acc.values()]
      .map(({ first, last, ...r }) => ({ ...r, firstSeen: iso(first), lastSeen: iso(last) }))
      .sort((a, b) => b.bytesOut - a.bytesOut || (a.podIp < b.podIp ? -1 : 1));
  }
  const domains = (ip: string, window: number): string[] => {
    const from = SAMPLE_NOW - window - D;
    const hits = dns.filter((q) => {
      const t = Date.parse(q.query_timestamp) / 1000;
      return t >= from && t < SAMPLE_NOW && q.answers.some((a) => ['A', 'AAAA'].includes(a.Type) && a.Rdata === ip);
    });
    return [...new Set(hits.map((q) => q.query_name.replace(/\.$/, '')))].sort();
  };
  const who = (ip: string, window: number) => ({
    rows: rows(window, (r) => r['pkt-dstaddr'] === ip),
    domains: domains(ip, window),
  });
  const dnsPort = (r: Rec) => r.dstport === '53' || r.dstport === '853';

  it('who 142.250.80.46 (7d, 10d, 1h)', () => {
    expect(who('142.250.80.46', 7 * D)).toEqual(EXPECTED.who_142_250_80_46_last7d);
    expect(who('142.250.80.46', 10 * D)).toEqual(EXPECTED.who_142_250_80_46_last10d);
    expect(who('142.250.80.46', 3600)).toEqual(EXPECTED.who_142_250_80_46_last1h);
  });

  it('who/domain 151.101.1.69, domain 8.8.8.8, dns-bypass, never-egress', () => {
    expect(who('151.101.1.69', 7 * D)).toEqual(EXPECTED.who_151_101_1_69_last7d);
    expect({ domains: domains('151.101.1.69', 7 * D) }).toEqual(EXPECTED.domain_151_101_1_69_last7d);
    expect({ domains: domains('8.8.8.8', 7 * D) }).toEqual(EXPECTED.domain_8_8_8_8_last7d);
    expect({ rows: rows(7 * D, dnsPort) }).toEqual(EXPECTED.dnsBypass_last7d);
    expect({ rows: rows(10 * D, dnsPort) }).toEqual(EXPECTED.dnsBypass_last10d);
    const leaked = rows(10 * D, () => true).filter(
      (r) => EXPECTED.neverEgress.includes(r.externalIp) || r.podIp === EXPECTED.returnOnlyPodIp,
    );
    expect(leaked).toEqual([]);
  });
});
