/**
 * `top`, `cost` and `rejects` against hand-computed answers: a mini world written record by record (every number
 * below is worked out in the comments), then the scripted part of the sample world (noise never touches it).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELDS_B } from '../dev/sample/constants.js';
import { generateWorld, SAMPLE_NOW } from '../dev/sample/world.js';
import { SnapshotAttribution } from '../src/attribution/snapshot.js';
import type { TableData } from '../src/commands/answer.js';
import { bucketSeconds } from '../src/commands/buckets.js';
import type { CommandContext } from '../src/commands/context.js';
import { BYTES_PER_GB, natUsd } from '../src/commands/cost.js';
import { DuckDbEngine } from '../src/engine/duckdb.js';
import { createClassifier } from '../src/flowlogs/classify.js';
import { renderText } from '../src/render/text.js';
import { askTable } from './support/ask.js';
import { conn, records, tempDir, writeFlowObject } from './support/mini-world.js';

const NOW = SAMPLE_NOW;
const H = 3_600;
const DAY = 86_400;
const classifier = createClassifier(['10.40.0.0/16', '100.64.0.0/16']);
const pod = (namespace: string, name: string, ip: string, owner: string) => ({
  kind: 'Pod',
  metadata: { name, namespace, uid: name, ownerReferences: [{ kind: 'StatefulSet', name: owner, controller: true }] },
  spec: { nodeName: 'n1' },
  status: { podIP: ip, podIPs: [{ ip }], phase: 'Running', startTime: '2026-11-01T00:00:00Z' },
});
const attribution = SnapshotAttribution.fromItems([
  pod('shop', 'api-0', '10.40.1.10', 'api'),
  pod('shop', 'api-1', '10.40.1.11', 'api'),
  pod('data', 'db-0', '10.40.2.20', 'db'),
] as never);

let mini: { engine: DuckDbEngine };
let sample: { engine: DuckDbEngine; attribution: SnapshotAttribution };

const ctxOf = (engine: DuckDbEngine, attr = attribution, natPricePerGb = 10): CommandContext => ({
  now: NOW,
  engine,
  attribution: attr,
  classifier,
  limits: { maxWindowSeconds: 90 * DAY, dnsLookbackSeconds: DAY, natPricePerGb },
});
const ask = (ctx: CommandContext, text: string) => askTable(text, ctx);
const rows = (a: { table: TableData }) => a.table.rows;

beforeAll(async () => {
  const dir = await tempDir();
  const t = NOW - 3 * H;
  await writeFlowObject(dir, NOW - 2 * H, FIELDS_B, [
    ...records(
      // shop/api: api-0 twice (1000+2000 out, 5000+7000 in), api-1 once (500 / 100) → 3,500 out, 12,100 in, 3 flows.
      conn({ start: t, src: '10.40.1.10', dst: '93.184.216.34', bytesOut: 1_000, bytesIn: 5_000 }),
      conn({ start: t + 600, src: '10.40.1.10', dst: '93.184.216.34', bytesOut: 2_000, bytesIn: 7_000, sport: 40001 }),
      conn({ start: t + 60, src: '10.40.1.11', dst: '93.184.216.34', bytesOut: 500, bytesIn: 100 }),
      // data/db: 10,000 / 20,000 to the internet, two REJECTed ssh attempts of 60 B (egress attempts, not NAT cost).
      conn({ start: t, src: '10.40.2.20', dst: '198.51.100.7', bytesOut: 10_000, bytesIn: 20_000 }),
      conn({
        start: t + 120,
        src: '10.40.2.20',
        dst: '203.0.113.9',
        dport: 22,
        bytesOut: 60,
        bytesIn: 0,
        action: 'REJECT',
      }),
      conn({
        start: t + 180,
        src: '10.40.2.20',
        dst: '203.0.113.9',
        dport: 22,
        bytesOut: 60,
        bytesIn: 0,
        action: 'REJECT',
      }),
      // … and a peered database through the NAT: 3,000 / 4,000 — NAT cost, not internet egress.
      conn({ start: t, src: '10.40.2.20', dst: '172.21.9.9', dport: 5432, bytesOut: 3_000, bytesIn: 4_000 }),
      // A host no pod has: 700 / 800.
      conn({ start: t, src: '10.40.9.99', dst: '198.51.100.7', bytesOut: 700, bytesIn: 800 }),
    ),
  ]);
  // Two days ago: outside `last 1d`.
  await writeFlowObject(
    dir,
    NOW - 2 * DAY + 600,
    FIELDS_B,
    records(conn({ start: NOW - 2 * DAY, src: '10.40.1.10', dst: '93.184.216.34', bytesOut: 99_999 })),
    {
      suffix: 'old00001',
    },
  );
  mini = { engine: await DuckDbEngine.create({ dataDir: dir }) };
  const world = await tempDir('egress-tcr-');
  await generateWorld({ dir: world });
  sample = {
    engine: await DuckDbEngine.create({ dataDir: world }),
    attribution: await SnapshotAttribution.fromFile(path.join(world, 'k8s-snapshot.json')),
  };
});

afterAll(async () => {
  await mini?.engine.close();
  await sample?.engine.close();
});

describe('top', () => {
  it('ranks workloads by bytes sent to the internet (private peers and old records left out)', async () => {
    const a = await ask(ctxOf(mini.engine), 'top last 1d');
    expect(a.table?.columns).toEqual(['workload', 'pod_ips', 'flows', 'rejected', 'bytes_out', 'bytes_in']);
    expect(rows(a)).toEqual([
      // 10,000 + 2 × 60 refused = 10,120 out; 3 attempts, 2 refused; the 172.21.9.9 leg is not internet egress.
      { workload: 'data/StatefulSet/db', pod_ips: 1, flows: 3, rejected: 2, bytes_out: 10_120, bytes_in: 20_000 },
      { workload: 'shop/StatefulSet/api', pod_ips: 2, flows: 3, rejected: 0, bytes_out: 3_500, bytes_in: 12_100 },
      { workload: '(unattributed) 10.40.9.99', pod_ips: 1, flows: 1, rejected: 0, bytes_out: 700, bytes_in: 800 },
    ]);
    expect(a.table?.total).toEqual({ bytes_out: 14_320, bytes_in: 32_900 });
  });

  it('by namespace and by destination', async () => {
    const ns = await ask(ctxOf(mini.engine), 'top by namespace last 1d');
    expect(rows(ns).map((r) => [r.namespace, r.workloads, r.bytes_out])).toEqual([
      ['data', 1, 10_120],
      ['shop', 1, 3_500],
      ['(unattributed)', 1, 700],
    ]);
    const dst = await ask(ctxOf(mini.engine), 'top last 1d by destination');
    expect(rows(dst)).toEqual([
      {
        destination: '198.51.100.7',
        names: null,
        pod_ips: 2,
        flows: 2,
        rejected: 0,
        bytes_out: 10_700,
        bytes_in: 20_800,
      },
      {
        destination: '93.184.216.34',
        names: null,
        pod_ips: 2,
        flows: 3,
        rejected: 0,
        bytes_out: 3_500,
        bytes_in: 12_100,
      },
      { destination: '203.0.113.9', names: null, pod_ips: 1, flows: 2, rejected: 2, bytes_out: 120, bytes_in: 0 },
    ]);
  });

  it('on the sample world: the scripted workloads over 10 days', async () => {
    const a = await ask(ctxOf(sample.engine, sample.attribution), 'top last 10d by namespace');
    const by = Object.fromEntries(rows(a).map((r) => [r.namespace, r]));
    // nightly-export: 10 nights × 50,000 out / 5,000 in.
    expect(by.batch).toMatchObject({ flows: 10, bytes_out: 500_000, bytes_in: 50_000 });
    // backfill: pypi 3,000 + 1,000 and 6 DNS queries × 60 = 4,360 out; 1,200,000 + 6 × 200 = 1,201,200 in.
    expect(by.analytics).toMatchObject({ flows: 8, bytes_out: 4_360, bytes_in: 1_201_200 });
    // shop (scenario-aws.ts): catalog-api's 9 flows, 16 + 16 + 8 + 8 + 96 + 96 MiB = 251,658,240 + 40,000 + 30,000 +
    // 5,000 out, 512 + 512 + 120 + 120 + 32 + 32 MiB = 1,392,508,928 + 120,000 + 90,000 + 2,000 in; legacy-mailer's 2
    // refused attempts (2 × 60 out). It now ranks first, so `default` is the 11th namespace, past the top 10.
    expect(by.shop).toMatchObject({ flows: 11, rejected: 2, bytes_out: 251_733_360, bytes_in: 1_392_720_928 });
    expect(by.default).toBeUndefined();
    // debug-shell, all on 11-19: 3 × 100 DNS + 60 refused DoT = 360 out (the 100.64.200.1 private NAT is not the internet).
    const two = await ask(ctxOf(sample.engine, sample.attribution), 'top last 2d by namespace');
    const def = rows(two).find((r) => r.namespace === 'default');
    expect(def).toMatchObject({ flows: 4, rejected: 1, bytes_out: 360, bytes_in: 900 });
  });
});

describe('cost', () => {
  it('counts NAT-translated legs once (out + back), private peers included, REJECTs excluded, 1 GB = 2^30 B', async () => {
    const a = await ask(ctxOf(mini.engine), 'cost last 1d');
    expect(rows(a)).toEqual([
      // db: internet 10,000 + 20,000 and peer 3,000 + 4,000 = 37,000; the refused 2 × 60 B were never processed.
      { workload: 'data/StatefulSet/db', bytes_out: 13_000, bytes_in: 24_000, bytes: 37_000, usd: natUsd(37_000, 10) },
      { workload: 'shop/StatefulSet/api', bytes_out: 3_500, bytes_in: 12_100, bytes: 15_600, usd: natUsd(15_600, 10) },
      { workload: '(unattributed) 10.40.9.99', bytes_out: 700, bytes_in: 800, bytes: 1_500, usd: natUsd(1_500, 10) },
    ]);
    // 54,100 B × $10 / 1,073,741,824 B = $0.000503842… → $0.000504 (priced from the total, not summed).
    expect(a.table?.total).toEqual({ bytes_out: 17_200, bytes_in: 36_900, bytes: 54_100, usd: 0.000504 });
    expect(BYTES_PER_GB).toBe(1_073_741_824);
    expect(natUsd(BYTES_PER_GB, 0.045)).toBe(0.045);
    const ns = await ask(ctxOf(mini.engine), 'cost last 1d by namespace');
    expect(rows(ns).map((r) => [r.namespace, r.bytes])).toEqual([
      ['data', 37_000],
      ['shop', 15_600],
      ['(unattributed)', 1_500],
    ]);
  });

  it('on the sample world: scripted workloads over 10 days', async () => {
    const a = await ask(ctxOf(sample.engine, sample.attribution, 0.045), 'cost last 10d');
    const by = Object.fromEntries(rows(a).map((r) => [r.workload, r.bytes]));
    expect(by['analytics/Job/backfill']).toBe(4_360 + 1_201_200);
    // 3 × (100 + 300) DNS + the private NAT 700 + 2,300; the refused DoT attempt costs nothing.
    expect(by['default/Pod/debug-shell']).toBe(4_200);
    // CoreDNS to the VPC resolver and a peered resolver, through the NAT: 20 × 90 out + 20 × 250 back.
    expect(by['kube-system/Deployment/coredns']).toBe(6_800);
    expect(by['batch/CronJob/nightly-export']).toBe(550_000);
    // The return-only orphan still went through the NAT.
    expect(by['(unattributed) 10.40.12.36']).toBe(9_999);
    expect(renderText(a)).toMatch(/\$0\.045\/GB/);
  });
});

describe('rejects', () => {
  it('lists refused egress by workload and destination', async () => {
    const a = await ask(ctxOf(mini.engine), 'rejects last 1d');
    expect(rows(a)).toEqual([
      {
        workload: 'data/StatefulSet/db',
        destination: '203.0.113.9:22/tcp',
        attempts: 2,
        first_seen: '2026-11-20T09:02:00Z',
        last_seen: '2026-11-20T09:03:00Z',
      },
    ]);
    expect(a.table?.total).toEqual({ attempts: 2 });
  });

  it('on the sample world: the two scripted REJECTs on 11-19', async () => {
    const a = await ask(ctxOf(sample.engine, sample.attribution), 'rejects last 1d');
    const scripted = rows(a).filter(
      (r) => String(r.destination).startsWith('142.') || String(r.destination).startsWith('8.'),
    );
    expect(scripted).toEqual([
      {
        workload: 'default/Pod/debug-shell',
        destination: '8.8.8.8:853/tcp',
        attempts: 1,
        first_seen: '2026-11-19T15:20:00Z',
        last_seen: '2026-11-19T15:20:00Z',
      },
    ]);
    const week = await ask(ctxOf(sample.engine, sample.attribution), 'rejects last 2d');
    expect(rows(week).find((r) => r.destination === '142.250.80.46:443/tcp')).toMatchObject({
      workload: 'payments/Deployment/payments-api',
      attempts: 1,
      first_seen: '2026-11-19T10:00:00Z',
    });
    // Noise refuses only ssh to one blocked host.
    expect(
      rows(week).every((r) =>
        ['142.250.80.46:443/tcp', '8.8.8.8:853/tcp', '45.33.32.156:22/tcp'].includes(String(r.destination)),
      ),
    ).toBe(true);
  });
});

it('bucket length grows with the window so rankings stay a few hundred rows per pod', () => {
  expect(bucketSeconds(3_600)).toBe(300);
  expect(bucketSeconds(DAY)).toBe(300);
  expect(bucketSeconds(7 * DAY)).toBe(2_100);
  expect(bucketSeconds(30 * DAY)).toBe(9_000);
});
