/**
 * Answers for asking by name, range and workload on the sample world (scenario-ask.ts), computed BY HAND from its
 * eight connections and six Resolver queries, following the contract of expected.ts plus:
 * - `who <name>`: a flow counts when an answer for the name listing the flow's address was logged in
 *   [start − 24h, start] (EGRESS_DNS_LOOKBACK); rows carry `names` (the asked names that justify them) and
 *   `sharedWith` (other names of the address in the window + lookback);
 * - `from <selector> last 9d`: window [2026-11-11T12:00Z, 2026-11-20T12:00Z), baseline for `new` the 14 days before
 *   ([2026-10-28T12:00Z, 2026-11-11T12:00Z), of which the world holds 2026-11-10T12:00Z on); a leg counts only while
 *   a selected pod held its source IP — in the snapshot from the pod's start until the next pod with that IP started.
 *
 * The connections (all 443/TCP, bytes out / in):
 *   f1 11-10 18:00 x7k2p → 34.120.5.77   1,000 / 2,000   f5 11-11 16:05 m3n4q → 34.120.9.10     900 / 1,100
 *   f2 11-11 14:00 x7k2p → 34.120.5.77   3,000 / 4,000   f9 11-12 09:00 m3n4q → 34.120.9.10      60 / 0 (REJECT)
 *   f3 11-12 20:00 x7k2p → 34.120.5.77   5,000 / 6,000   f7 11-11 13:05 10.40.50.20 (invoice-sync) → 34.120.44.1  400 / 9,000
 *   f4 11-11 15:00 m3n4q → 34.120.9.10     700 / 800     f6 11-12 03:00 10.40.50.20 (ledger r9t2v) → 34.120.44.1 2,000 / 50,000
 * The answers: telemetry.vendorx.io A (CNAME ingest.vendorx-cdn.net) 34.120.5.77 at 11-10 17:59:58 and 11-11 13:59:58,
 * AAAA 2600:1901:0:5a0::77 at 11-11 20:00; api.vendorx.io 34.120.9.10 at 11-11 16:00; assets.vendorx.io (CNAME
 * assets.vendorx-cdn.net) 34.120.44.1 listed twice at 11-11 15:00; downloads.acme-tools.com 34.120.44.1 at 11-11 15:30.
 */
import type { ExpectedRow, ExpectedWorkload } from './expected.js';

const LEDGER: ExpectedWorkload = { namespace: 'billing', kind: 'Deployment', name: 'ledger-api' };
const INVOICE: ExpectedWorkload = { namespace: 'billing', kind: 'CronJob', name: 'invoice-sync' };
const X7 = { podIp: '10.40.50.11', workload: LEDGER, pod: 'ledger-api-6f9c7d8b5-x7k2p' };
const M3 = { podIp: '10.40.50.12', workload: LEDGER, pod: 'ledger-api-6f9c7d8b5-m3n4q' };
const R9 = { podIp: '10.40.50.20', workload: LEDGER, pod: 'ledger-api-6f9c7d8b5-r9t2v' };
const JOB = { podIp: '10.40.50.20', workload: INVOICE, pod: 'invoice-sync-29906700-p4w8s' };
const [V1, V2, V3] = ['34.120.5.77', '34.120.9.10', '34.120.44.1'];
const TCP = 6;

function row(
  src: Pick<ExpectedRow, 'podIp' | 'workload' | 'pod'>,
  externalIp: string,
  [flows, rejected, bytesOut, bytesIn]: [number, number, number, number],
  [firstSeen, lastSeen]: [string, string],
): ExpectedRow {
  return { ...src, externalIp, dstPort: 443, protocol: TCP, flows, rejected, bytesOut, bytesIn, firstSeen, lastSeen };
}

/** One `from` row. */
export interface ExpectedFromRow {
  externalIp: string;
  dstPort: number;
  protocol: number;
  names: string[];
  pods: string[];
  flows: number;
  rejected: number;
  bytesOut: number;
  bytesIn: number;
  firstSeen: string;
  lastSeen: string;
  new: boolean;
}

const dest = (
  externalIp: string,
  names: string[],
  pods: string[],
  [flows, rejected, bytesOut, bytesIn]: [number, number, number, number],
  [firstSeen, lastSeen]: [string, string],
  isNew: boolean,
): ExpectedFromRow => ({
  externalIp,
  dstPort: 443,
  protocol: TCP,
  names,
  pods,
  flows,
  rejected,
  bytesOut,
  bytesIn,
  firstSeen,
  lastSeen,
  new: isNew,
});

const ASSETS = ['assets.vendorx.io', 'downloads.acme-tools.com'];
// from, `last 9d`: f1 is in the baseline, so 34.120.5.77 is not new; f2 + f3 = 2 flows, 8,000 out, 10,000 in.
const FROM_V1 = dest(
  V1,
  ['telemetry.vendorx.io'],
  [X7.pod],
  [2, 0, 8_000, 10_000],
  ['2026-11-11T14:00:00Z', '2026-11-12T20:00:00Z'],
  false,
);
// f4 + f5 + f9: 700 + 900 + 60 = 1,660 out, 800 + 1,100 + 0 = 1,900 in, 1 refused; never reached before: new.
const FROM_V2 = dest(
  V2,
  ['api.vendorx.io'],
  [M3.pod],
  [3, 1, 1_660, 1_900],
  ['2026-11-11T15:00:00Z', '2026-11-12T09:00:00Z'],
  true,
);
// f6 alone (f7 came from 10.40.50.20 while the invoice-sync pod held it).
const FROM_V3_LEDGER = dest(
  V3,
  ASSETS,
  [R9.pod],
  [1, 0, 2_000, 50_000],
  ['2026-11-12T03:00:00Z', '2026-11-12T03:00:00Z'],
  true,
);
// f7 + f6, both holders of 10.40.50.20: 400 + 2,000 out, 9,000 + 50,000 in.
const FROM_V3_BOTH = dest(
  V3,
  ASSETS,
  [JOB.pod, R9.pod],
  [2, 0, 2_400, 59_000],
  ['2026-11-11T13:05:00Z', '2026-11-12T03:00:00Z'],
  true,
);

export const EXPECTED_ASK = {
  who_telemetry_last10d: {
    // f1 (answer 2 s before) and f2 (2 s before) count: 1,000 + 3,000 out, 2,000 + 4,000 in. f3 comes 30 h after the
    // last A answer (the AAAA one names another address): not counted.
    rows: [
      {
        ...row(X7, V1, [2, 0, 4_000, 6_000], ['2026-11-10T18:00:00Z', '2026-11-11T14:00:00Z']),
        names: ['telemetry.vendorx.io'],
        sharedWith: [],
      },
    ],
    uncountedFlows: 1,
    addresses: [
      {
        ip: '2600:1901:0:5a0::77',
        names: ['telemetry.vendorx.io'],
        cnames: ['ingest.vendorx-cdn.net'],
        queries: 1,
        firstSeen: '2026-11-11T20:00:00Z',
        lastSeen: '2026-11-11T20:00:00Z',
      },
      {
        ip: V1,
        names: ['telemetry.vendorx.io'],
        cnames: ['ingest.vendorx-cdn.net'],
        queries: 2,
        firstSeen: '2026-11-10T17:59:58Z',
        lastSeen: '2026-11-11T13:59:58Z',
      },
    ],
  },

  who_any_vendorx_last10d: {
    rows: [
      {
        ...row(X7, V1, [2, 0, 4_000, 6_000], ['2026-11-10T18:00:00Z', '2026-11-11T14:00:00Z']),
        names: ['telemetry.vendorx.io'],
        sharedWith: [],
      },
      // f6, 12 h after assets.vendorx.io's answer; downloads.acme-tools.com resolved to the same CDN address.
      {
        ...row(R9, V3, [1, 0, 2_000, 50_000], ['2026-11-12T03:00:00Z', '2026-11-12T03:00:00Z']),
        names: ['assets.vendorx.io'],
        sharedWith: ['downloads.acme-tools.com'],
      },
      // f5 (5 min after api.vendorx.io's answer) + f9 (17 h after): 900 + 60 out, 1,100 in; f4 came before any answer.
      {
        ...row(M3, V2, [2, 1, 960, 1_100], ['2026-11-11T16:05:00Z', '2026-11-12T09:00:00Z']),
        names: ['api.vendorx.io'],
        sharedWith: [],
      },
    ],
    // f3 (too late), f4 (before the answer), f7 (before the answer).
    uncountedFlows: 3,
    addresses: ['2600:1901:0:5a0::77', V3, V1, V2],
  },

  /** `who metrics.vendorx.io last 10d`: no answers at all. */
  who_unresolved_last10d: { rows: [], addresses: [] },

  who_34_120_0_0_16_last10d: {
    rows: [
      // f1 + f2 + f3 = 9,000 out, 12,000 in.
      {
        ...row(X7, V1, [3, 0, 9_000, 12_000], ['2026-11-10T18:00:00Z', '2026-11-12T20:00:00Z']),
        domains: ['telemetry.vendorx.io'],
      },
      { ...row(R9, V3, [1, 0, 2_000, 50_000], ['2026-11-12T03:00:00Z', '2026-11-12T03:00:00Z']), domains: ASSETS },
      // f4 + f5 + f9 = 1,660 out, 1,900 in.
      {
        ...row(M3, V2, [3, 1, 1_660, 1_900], ['2026-11-11T15:00:00Z', '2026-11-12T09:00:00Z']),
        domains: ['api.vendorx.io'],
      },
      // The same pod IP, the holder before: its own row.
      { ...row(JOB, V3, [1, 0, 400, 9_000], ['2026-11-11T13:05:00Z', '2026-11-11T13:05:00Z']), domains: ASSETS },
    ],
  },

  /** One query whose answer lists 34.120.44.1 twice counts once (issue 14). */
  domain_34_120_44_1_last10d: {
    domains: ASSETS,
    details: [
      { name: 'assets.vendorx.io', cnames: ['assets.vendorx-cdn.net'], queries: 1 },
      { name: 'downloads.acme-tools.com', cnames: [], queries: 1 },
    ],
  },

  /** `from <selector> last 9d`, per selector: rows (by bytes out) and the flows left out because another pod held the IP. */
  from_last9d: {
    'billing/ledger-api': { rows: [FROM_V1, FROM_V3_LEDGER, FROM_V2], excludedFlows: 1, matched: 'workload' },
    'billing/Deployment/ledger-api': {
      rows: [FROM_V1, FROM_V3_LEDGER, FROM_V2],
      excludedFlows: 1,
      matched: 'workload',
    },
    'billing/*': { rows: [FROM_V1, FROM_V3_BOTH, FROM_V2], excludedFlows: 0, matched: 'namespace' },
    'billing/ledger-api-6f9c7d8b5-x7k2p': { rows: [FROM_V1], excludedFlows: 0, matched: 'pod' },
    // f7 only: 400 out / 9,000 in; f6 is the ledger replica's.
    'billing/invoice-sync': {
      rows: [dest(V3, ASSETS, [JOB.pod], [1, 0, 400, 9_000], ['2026-11-11T13:05:00Z', '2026-11-11T13:05:00Z'], true)],
      excludedFlows: 1,
      matched: 'workload',
    },
    '10.40.50.20': { rows: [FROM_V3_BOTH], excludedFlows: 0, matched: 'ip' },
  },
} as const;
