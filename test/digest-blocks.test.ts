/** Block Kit of the digest: snapshots of a small digest, acted states, and Slack's limits with hundreds of findings. */
import { describe, expect, it } from 'vitest';
import type { Digest, Finding } from '../src/digest/types.js';
import { digestMessage } from '../src/render/digest-blocks.js';
import { renderDigestCsv } from '../src/render/digest-csv.js';
import { renderDigestText } from '../src/render/digest-text.js';

const T = Date.UTC(2026, 10, 19) / 1000;

function finding(i: number, kind: Finding['kind'] = 'new-destination', workloads = 1): Finding {
  const ws = Array.from({ length: workloads }, (_, w) => ({
    workload: `ns-${w}/Deployment/app-${i}-${w}`,
    pods: [`app-${i}-${w}-abc12`, `app-${i}-${w}-def34`],
    ports: ['443/tcp'],
    flows: 3,
    rejected: w === 0 ? 1 : 0,
    bytesOut: 1_000 * (w + 1),
    firstSeen: T + 3_600,
    lastSeen: T + 7_200,
  }));
  return {
    id: `f${String(i).padStart(9, '0')}`,
    kind,
    destination: `203.0.${Math.floor(i / 250)}.${i % 250}`,
    names: i % 2 ? [`svc-${i}.example.com`, `cdn-${i}.example.net`] : [],
    newNames: i % 2 ? [`svc-${i}.example.com`] : [],
    ipNew: i % 3 !== 0,
    workloads: ws,
    flows: 3 * workloads,
    rejected: 1,
    bytesOut: ws.reduce((s, w) => s + w.bytesOut, 0),
    firstSeen: T + 3_600,
    lastSeen: T + 7_200,
  };
}

function digest(news: Finding[], dns: Finding[] = []): Digest {
  return {
    date: '2026-11-20',
    tz: 'UTC',
    period: { from: T, to: T + 86_400 },
    baselineFrom: T - 14 * 86_400,
    newDestinations: news,
    dnsBypass: dns,
    suppressed: [
      { kind: 'new-destination', destination: '198.51.100.1', workload: 'web/Deployment/frontend', by: 'U0SEC' },
    ],
    topTalkers: [
      { workload: 'data/StatefulSet/kafka', pods: 3, flows: 112, bytesOut: 1_806_607, bytesIn: 41_740_083 },
      { workload: 'web/Deployment/frontend', pods: 2, flows: 75, bytesOut: 1_341_127, bytesIn: 21_707_433 },
    ],
    bytesOutTotal: 7_839_749,
    cost: [
      {
        namespace: 'data',
        bytes: 43_546_570,
        usd: 0.001825,
        prevBytes: 33_631_494,
        prevUsd: 0.001409,
        changePct: 29.5,
      },
      { namespace: 'default', bytes: 4_200, usd: 0, prevBytes: 0, prevUsd: 0, changePct: null },
    ],
    costTotal: { bytes: 43_550_770, usd: 0.001825, prevBytes: 33_631_494, prevUsd: 0.001409, changePct: 29.5 },
    pricePerGb: 0.045,
    rejects: [{ workload: 'default/Pod/debug-shell', attempts: 1, destinations: ['8.8.8.8:853/tcp'] }],
    rejectsTotal: 1,
    chart: { days: ['2026-11-19'], series: [{ namespace: 'data', bytes: [1_806_607] }] },
    stats: {
      engine: 'duckdb',
      bytesScanned: 1_048_576,
      costUsd: 0,
      reused: false,
      queryExecutionIds: [],
      elapsedMs: 900,
      queries: 4,
    },
    skipped: [],
    notes: [],
  };
}

/** Checks every limit Slack enforces on what the digest sends. */
function expectWithinSlackLimits(blocks: ReturnType<typeof digestMessage>['blocks']) {
  expect(blocks.length).toBeLessThanOrEqual(50);
  const ids = new Set<string>();
  for (const b of blocks) {
    if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(3_000);
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
    if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(10);
    if (b.type === 'actions') {
      expect(b.elements.length).toBeLessThanOrEqual(25);
      expect(b.block_id.length).toBeLessThanOrEqual(255);
      expect(ids.has(b.block_id)).toBe(false);
      ids.add(b.block_id);
      for (const e of b.elements) {
        expect(e.text.text.length).toBeLessThanOrEqual(75);
        expect(e.value.length).toBeLessThanOrEqual(2_000);
        expect(e.action_id.length).toBeLessThanOrEqual(255);
      }
    }
  }
}

describe('digest blocks', () => {
  it('snapshot: one new destination, one DNS-bypass finding', () => {
    const msg = digestMessage(digest([finding(1)], [finding(2, 'dns-bypass')]));
    expect(msg.truncated).toBe(false);
    expect(msg).toMatchSnapshot();
  });

  it('snapshot: after clicks, acts are shown and Mark expected disappears once used', () => {
    const f = finding(1);
    const msg = digestMessage(digest([f]), {
      [f.id]: [
        { action: 'mark', user: 'U0SEC1', at: T },
        { action: 'triage', user: 'U0ONCALL', at: T },
      ],
    });
    const section = msg.blocks.find((b) => b.type === 'section' && b.text.text.includes('203.0.0.1'));
    expect(section).toMatchSnapshot();
    expect(JSON.stringify(msg.blocks)).toContain('✅ marked expected by <@U0SEC1>');
    const actions = msg.blocks.find((b) => b.type === 'actions');
    expect(actions?.type === 'actions' && actions.elements.map((e) => e.action_id)).toEqual([
      'digest_triage',
      'digest_widen',
      'digest_csv',
    ]);
  });

  it('an empty day says so', () => {
    const msg = digestMessage({ ...digest([]), rejects: [], rejectsTotal: 0 });
    expect(
      msg.blocks.filter((b) => b.type === 'section').map((b) => (b.type === 'section' ? b.text.text : '')),
    ).toMatchSnapshot();
  });

  it('hundreds of findings stay within Slack limits and overflow into the CSV', () => {
    const news = Array.from({ length: 300 }, (_, i) => finding(i, 'new-destination', 1 + (i % 12)));
    const dns = Array.from({ length: 120 }, (_, i) => finding(1_000 + i, 'dns-bypass', 3));
    const d = digest(news, dns);
    const msg = digestMessage(d);
    expectWithinSlackLimits(msg.blocks);
    expect(msg.totalFindings).toBe(420);
    expect(msg.shownFindings).toBe(19);
    expect(msg.truncated).toBe(true);
    expect(JSON.stringify(msg.blocks)).toContain('…and 401 more findings: every finding is in the CSV in the thread.');
    const csv = renderDigestCsv(d).trimEnd().split('\r\n');
    const workloadRows = news.reduce((s, f) => s + f.workloads.length, 0) + dns.length * 3;
    expect(csv).toHaveLength(1 + workloadRows);
    expect(csv[0]).toBe(
      'kind,destination,names,new_names,new_address,workload,pods,ports,flows,rejected,bytes_out,first_seen_utc,last_seen_utc',
    );
    // Enormous names are clipped, never split across blocks.
    const huge = finding(7, 'new-destination', 40);
    huge.names = Array.from({ length: 200 }, (_, i) => `very-long-name-${i}.${'x'.repeat(40)}.example.com`);
    expectWithinSlackLimits(digestMessage(digest([huge])).blocks);
  });

  it('the text rendering lists the same findings', () => {
    const text = renderDigestText(digest([finding(1)], [finding(2, 'dns-bypass')]));
    expect(text).toContain('203.0.0.1 (svc-1.example.com ★, cdn-1.example.net) · new address, new name');
    expect(text).toContain('Suppressed: 1 item marked expected (not shown)');
    expect(text).toMatchSnapshot();
  });
});
