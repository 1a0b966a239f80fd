import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FIELDS_B, HOUR, SAMPLE_NOW, TCP } from '../dev/sample/constants.js';
import { type Connection, lineFormatter, natRecords } from '../dev/sample/flow-records.js';
import { flowKey, writeGzip } from '../dev/sample/writer.js';
import type { LiveCluster } from '../src/attribution/kube-cluster.js';
import { loadConfig } from '../src/config.js';
import { DuckDbEngine } from '../src/engine/duckdb.js';
import { createClassifier } from '../src/flowlogs/classify.js';
import { renderText } from '../src/render/text.js';
import { pod, replicaSet } from './fakes/kubernetes-api.js';
import { at, type KubeHarness, startKubeHarness, until } from './fakes/kubernetes-api-harness.js';
import { askAs } from './support/ask.js';

const IP = '10.40.9.9';
const EXTERNAL = '1.2.3.4';

/** One connection pod → NAT → 1.2.3.4:443 at `iso` (the NAT ENI logs its egress, return and untranslated records). */
const conn = (iso: string, bytesOut: number, bytesIn: number, sport: number): Connection => ({
  start: at(iso),
  src: IP,
  dst: EXTERNAL,
  sport,
  dport: 443,
  protocol: TCP,
  natPort: 40_000 + sport,
  bytesOut,
  bytesIn,
  action: 'ACCEPT',
});

/** Writes one hourly flow-log object per connection hour, in the S3 key layout (header line + NAT records). */
async function writeFlows(dir: string, conns: Connection[]): Promise<void> {
  const format = lineFormatter(FIELDS_B);
  const byHour = new Map<number, Connection[]>();
  for (const c of conns) {
    const h = Math.floor(c.start / HOUR) * HOUR;
    byHour.set(h, [...(byHour.get(h) ?? []), c]);
  }
  for (const [h, cs] of byHour) {
    const lines = [FIELDS_B.join(' '), ...cs.flatMap(natRecords).map(format)];
    await writeGzip(dir, flowKey(h + HOUR + 300, `t${h}`.slice(0, 8)), `${lines.join('\n')}\n`, 6);
  }
}

describe('who over a reused pod IP (pod A on day 1, pod B on day 2)', () => {
  let h: KubeHarness;
  let dir: string;
  let engine: DuckDbEngine;
  let live: LiveCluster;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'egress-who-'));
    await writeFlows(dir, [
      conn('2026-11-18T10:00:00Z', 1_000, 5_000, 50_001),
      conn('2026-11-18T10:30:00Z', 2_000, 6_000, 50_002),
      conn('2026-11-18T20:00:00Z', 300, 400, 50_003), // after A was deleted, before B started: nobody's
      conn('2026-11-19T09:00:00Z', 7_000, 9_000, 50_004),
    ]);
    engine = await DuckDbEngine.create({ dataDir: dir });

    h = await startKubeHarness(inject('redisUrl'), at('2026-11-17T12:00:00Z'));
    h.fake.upsert(replicaSet({ name: 'checkout-7d9f', namespace: 'shop', deployment: 'checkout' }));
    const owner = { kind: 'ReplicaSet', name: 'checkout-7d9f' };
    h.fake.upsert(
      pod({ name: 'checkout-7d9f-a', namespace: 'shop', ip: IP, node: 'n1', owner, startTime: '2026-11-17T11:00:00Z' }),
    );
    live = h.cluster();
    await live.start();
    const recorded = async (name: string, closed: boolean) => {
      await live.recorder.flush();
      return (await live.timeline.history(IP, 0, 4e9)).some((r) => r.pod === name && (r.to !== null) === closed);
    };
    await until(() => recorded('checkout-7d9f-a', false), 'pod A recorded');

    h.clock.t = at('2026-11-18T18:00:00Z');
    h.fake.remove('Pod', 'shop', 'checkout-7d9f-a');
    // The clock must not move on before the deletion event is in: its time is when the bot saw it.
    await until(() => recorded('checkout-7d9f-a', true), 'pod A deleted');
    h.clock.t = at('2026-11-19T06:00:00Z');
    h.fake.upsert(replicaSet({ name: 'reports-5c4b', namespace: 'data', deployment: 'reports' }));
    h.fake.upsert(
      pod({
        name: 'reports-5c4b-b',
        namespace: 'data',
        ip: IP,
        node: 'n2',
        owner: { kind: 'ReplicaSet', name: 'reports-5c4b' },
        startTime: '2026-11-19T06:00:00Z',
      }),
    );
    await until(() => recorded('reports-5c4b-b', false), 'pod B recorded');
    h.clock.t = SAMPLE_NOW;
  });
  afterAll(async () => {
    await h.close();
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows both pods as separate rows with their own bytes, and nobody for the gap, without API calls', async () => {
    const config = loadConfig({ EGRESS_VPC_CIDRS: '10.40.0.0/16' });
    const classifier = createClassifier(config.EGRESS_VPC_CIDRS);
    const ctx = {
      now: h.clock.now(),
      engine,
      attribution: live.attribution,
      classifier,
      limits: {
        maxWindowSeconds: config.EGRESS_MAX_WINDOW,
        dnsLookbackSeconds: config.EGRESS_DNS_LOOKBACK,
        natPricePerGb: config.EGRESS_NAT_PRICE_PER_GB,
      },
    };
    const apiCalls = h.fake.requests.length;
    const answer = await askAs('who', `who ${EXTERNAL} last 3d`, ctx);
    expect(h.fake.requests.length).toBe(apiCalls);

    const rows = answer.rows.map((r) => ({
      pod: r.pod,
      workload: r.workload && `${r.workload.namespace}/${r.workload.kind}/${r.workload.name}`,
      cluster: r.cluster,
      flows: r.flows,
      bytesOut: r.bytesOut,
      bytesIn: r.bytesIn,
      firstSeen: r.firstSeen,
      lastSeen: r.lastSeen,
      reason: r.reason,
    }));
    expect(rows).toEqual([
      {
        pod: 'reports-5c4b-b',
        workload: 'data/Deployment/reports',
        cluster: 'test',
        flows: 1,
        bytesOut: 7_000,
        bytesIn: 9_000,
        firstSeen: at('2026-11-19T09:00:00Z'),
        lastSeen: at('2026-11-19T09:00:00Z'),
        reason: undefined,
      },
      {
        pod: 'checkout-7d9f-a',
        workload: 'shop/Deployment/checkout',
        cluster: 'test',
        flows: 2,
        bytesOut: 3_000,
        bytesIn: 11_000,
        firstSeen: at('2026-11-18T10:00:00Z'),
        lastSeen: at('2026-11-18T10:30:00Z'),
        reason: undefined,
      },
      {
        pod: null,
        workload: null,
        cluster: undefined,
        flows: 1,
        bytesOut: 300,
        bytesIn: 400,
        firstSeen: at('2026-11-18T20:00:00Z'),
        lastSeen: at('2026-11-18T20:00:00Z'),
        reason:
          'no pod held 10.40.9.9 at 2026-11-18T20:00Z; timeline starts 2026-11-17; shop/checkout-7d9f-a held it until 2026-11-18T18:00Z',
      },
    ]);
    expect(renderText(answer)).toContain('10.40.9.9: no pod held 10.40.9.9 at 2026-11-18T20:00Z');
  });
});
