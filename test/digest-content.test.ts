/**
 * The digest on the sample world, checked against answers worked out by hand from `src/sample/scenario.ts` (noise
 * never uses a scenario address, DNS ports, or the batch/analytics/default pods, so these numbers are exact).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld, SAMPLE_NOW } from '../dev/sample/world.js';
import { SnapshotAttribution } from '../src/attribution/snapshot.js';
import { main } from '../src/cli.js';
import type { CommandContext } from '../src/commands/context.js';
import { buildDigest } from '../src/digest/build.js';
import { addDays, dayAlignedBucket, digestPeriod, localDate, midnight } from '../src/digest/period.js';
import type { Suppression } from '../src/digest/suppressions.js';
import type { Digest } from '../src/digest/types.js';
import { DuckDbEngine } from '../src/engine/duckdb.js';
import { createClassifier } from '../src/flowlogs/classify.js';
import { tempDir } from './support/mini-world.js';

const at = (iso: string) => Date.parse(iso) / 1000;
let dir: string;
let ctx: CommandContext;
const digest = (date: string, suppressions: Suppression[] = []) => buildDigest(ctx, { date, tz: 'UTC', suppressions });
const series = (d: Digest, ns: string) => d.chart.series.find((s) => s.namespace === ns)?.bytes;

beforeAll(async () => {
  dir = await tempDir('egress-digest-');
  await generateWorld({ dir });
  ctx = {
    now: SAMPLE_NOW,
    engine: await DuckDbEngine.create({ dataDir: dir }),
    attribution: await SnapshotAttribution.fromFile(path.join(dir, 'k8s-snapshot.json')),
    classifier: createClassifier(['10.40.0.0/16', '100.64.0.0/16']),
    limits: { maxWindowSeconds: 90 * 86_400, dnsLookbackSeconds: 86_400, natPricePerGb: 0.045 },
  };
});
afterAll(() => ctx?.engine.close());

describe('digest of 2026-11-20 (reports 2026-11-19 UTC)', () => {
  let d: Digest;
  beforeAll(async () => {
    d = await digest('2026-11-20');
  });

  it('finds 8.8.8.8 as the one new destination, reached by debug-shell, named by dns.google', () => {
    expect(d.period).toEqual({ from: at('2026-11-19T00:00:00Z'), to: at('2026-11-20T00:00:00Z') });
    // 3 UDP/53 queries of 100 B at 15:00/05/10 + one refused DoT attempt of 60 B at 15:20; first ever to 8.8.8.8,
    // and dns.google was first resolved at 14:59:58 that day.
    expect(d.newDestinations).toEqual([
      expect.objectContaining({
        kind: 'new-destination',
        destination: '8.8.8.8',
        names: ['dns.google'],
        newNames: ['dns.google'],
        ipNew: true,
        flows: 4,
        rejected: 1,
        bytesOut: 360,
        workloads: [
          {
            workload: 'default/Pod/debug-shell',
            pods: ['debug-shell'],
            ports: ['53/udp', '853/tcp'],
            flows: 4,
            rejected: 1,
            bytesOut: 360,
            firstSeen: at('2026-11-19T15:00:00Z'),
            lastSeen: at('2026-11-19T15:20:00Z'),
          },
        ],
      }),
    ]);
    // Not new: 142.250.80.46 (nightly-export every night since 11-11), nor the private 100.64.200.1 (not internet).
    expect(d.suppressed).toEqual([]);
  });

  it('lists DNS bypass, REJECTs, NAT cost vs the day before and the 14-day chart', () => {
    expect(d.dnsBypass.map((f) => [f.destination, f.workloads.map((w) => w.workload), f.flows, f.bytesOut])).toEqual([
      ['9.9.9.9', ['kube-system/DaemonSet/node-agent'], 1, 500], // 00:30, 500 B over TCP/53
      ['8.8.8.8', ['default/Pod/debug-shell'], 4, 360],
    ]);
    expect(d.rejects.find((r) => r.workload === 'default/Pod/debug-shell')).toEqual({
      workload: 'default/Pod/debug-shell',
      attempts: 1,
      destinations: ['8.8.8.8:853/tcp'],
    });
    expect(d.rejects.find((r) => r.workload === 'payments/Deployment/payments-api')?.destinations).toContain(
      '142.250.80.46:443/tcp',
    );
    const cost = Object.fromEntries(d.cost.map((c) => [c.namespace, c]));
    // nightly-export: 50,000 out + 5,000 back both days → ±0 %.
    expect(cost.batch).toMatchObject({ bytes: 55_000, prevBytes: 55_000, changePct: 0 });
    // debug-shell: 3 × (100 + 300) + private NAT 700 + 2,300 = 4,200 (the refused DoT is not processed); none before.
    expect(cost.default).toMatchObject({ bytes: 4_200, prevBytes: 0, changePct: null });
    expect(d.chart.days).toEqual(Array.from({ length: 14 }, (_, i) => addDays('2026-11-06', i)));
    // The world starts 2026-11-10T12:00Z; nightly-export runs at 02:00 from 11-11.
    expect(series(d, 'batch')).toEqual([0, 0, 0, 0, 0, ...new Array(9).fill(50_000)]);
    expect(series(d, 'analytics')?.[10]).toBe(4_360); // 11-16: pypi 4,000 + 6 DNS × 60
    expect(series(d, 'default')?.[13]).toBe(360);
    expect(d.stats.queries).toBe(4);
  });
});

describe('digest of 2026-11-17 (reports 2026-11-16)', () => {
  it('finds pypi/Fastly and 8.8.4.4 from backfill; a suppression hides one and is counted', async () => {
    const d = await digest('2026-11-17');
    expect(
      d.newDestinations.map((f) => [
        f.destination,
        f.names,
        f.newNames,
        f.workloads.map((w) => w.workload),
        f.flows,
        f.bytesOut,
      ]),
    ).toEqual([
      // 3,000 + 1,000 out at 10:05 and 10:06; both names first resolved at 10:04:58/59.
      [
        '151.101.1.69',
        ['files.pythonhosted.org', 'pypi.org'],
        ['files.pythonhosted.org', 'pypi.org'],
        ['analytics/Job/backfill'],
        2,
        4_000,
      ],
      // 6 × 60 B over UDP/53; no resolver answer names 8.8.4.4 before 11-19.
      ['8.8.4.4', [], [], ['analytics/Job/backfill'], 6, 360],
    ]);
    expect(d.cost.find((c) => c.namespace === 'analytics')).toMatchObject({
      bytes: 1_205_560,
      prevBytes: 0,
      changePct: null,
    });

    const expected: Suppression = {
      destination: '8.8.4.4',
      names: [],
      workload: 'analytics/Job/backfill',
      by: 'U1',
      at: 0,
    };
    const s = await digest('2026-11-17', [expected]);
    expect(s.newDestinations.map((f) => f.destination)).toEqual(['151.101.1.69']);
    expect(s.dnsBypass.map((f) => f.destination)).toEqual(['9.9.9.9']);
    expect(s.suppressed).toEqual([
      { kind: 'new-destination', destination: '8.8.4.4', workload: 'analytics/Job/backfill', by: 'U1' },
      { kind: 'dns-bypass', destination: '8.8.4.4', workload: 'analytics/Job/backfill', by: 'U1' },
    ]);
    // A suppression by name covers the address the name resolved to, whatever it is next time.
    const byName = await digest('2026-11-17', [{ ...expected, destination: '151.101.99.99', names: ['pypi.org'] }]);
    expect(byName.newDestinations.map((f) => f.destination)).toEqual(['8.8.4.4']);
  });
});

describe('egress digest (CLI)', () => {
  const run = async (args: string[]) => {
    let out = '';
    let err = '';
    const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), env: {}, clock: () => SAMPLE_NOW });
    return { code, out, err };
  };

  it('prints text and JSON; --date defaults to today in EGRESS_TZ', async () => {
    const k8s = path.join(dir, 'k8s-snapshot.json');
    const text = await run(['digest', '--data', dir, '--k8s', k8s]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^Egress digest 2026-11-20 · 2026-11-19 00:00 → 2026-11-20 00:00 UTC/);
    expect(text.out).toContain('8.8.8.8 (dns.google ★) · new address, new name · 4 flows (1 rejected) · 360 B out');
    const json = await run(['digest', '--date', '2026-11-17', '--format', 'json', '--data', dir, '--k8s', k8s]);
    const parsed = JSON.parse(json.out);
    expect(parsed.period).toEqual({ from: '2026-11-16T00:00:00Z', to: '2026-11-17T00:00:00Z' });
    expect(parsed.newDestinations.map((f: { destination: string }) => f.destination)).toEqual([
      '151.101.1.69',
      '8.8.4.4',
    ]);
    expect(parsed.newDestinations[0].workloads[0].firstSeen).toBe('2026-11-16T10:05:00Z');
    const bad = await run(['digest', '--date', '2026-02-30', '--data', dir]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/not a date/);
  });
});

describe('digest periods', () => {
  it('are calendar days in EGRESS_TZ, 23/25 h around DST, with day-aligned buckets', () => {
    const ny = digestPeriod('2026-11-20', 'America/New_York');
    expect([ny.from, ny.to]).toEqual([at('2026-11-19T05:00:00Z'), at('2026-11-20T05:00:00Z')]);
    expect(ny.baselineFrom).toBe(at('2026-11-05T05:00:00Z'));
    // 2026-03-08 (reported by the digest of 03-09) starts DST in New York: 23 hours.
    const dst = digestPeriod('2026-03-09', 'America/New_York');
    expect(dst.to - dst.from).toBe(23 * 3_600);
    expect(dayAlignedBucket(ny)).toBe(3_600);
    expect(dayAlignedBucket(digestPeriod('2026-11-20', 'Asia/Kolkata'))).toBe(900);
    expect(localDate(at('2026-11-20T03:00:00Z'), 'America/New_York')).toBe('2026-11-19');
    expect(midnight('2026-11-20', 'Europe/Paris')).toBe(at('2026-11-19T23:00:00Z'));
    expect(() => digestPeriod('2026-11-20', 'Mars/Olympus')).toThrow(/EGRESS_TZ/);
  });
});
