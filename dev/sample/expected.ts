/**
 * Answers for the sample world (default options: now = 2026-11-20T12:00:00Z, days 10, any seed), computed BY HAND
 * from the scripted connections in `scenario.ts` and queries in `scenario-dns.ts`, following the engine contract:
 * - window `last N` = records with start ∈ [now − N, now); `last 7d` = [2026-11-13T12:00:00Z, 2026-11-20T12:00:00Z);
 * - egress record = pkt-srcaddr internal, pkt-dstaddr external, translated; return record = the mirror image;
 * - row (podIp, externalIp, dstPort, protocol): flows/rejected/bytesOut/firstSeen/lastSeen from egress records,
 *   bytesIn from return records; rows without an egress record are not shown; sort bytesOut desc, then podIp;
 * - domains: A/AAAA answers with query_timestamp ∈ [now − N − 24h, now), trailing dot removed, sorted.
 * Noise never uses a scenario address nor port 53/853 towards the internet, so it adds nothing here.
 * `pod` is the pod's metadata.name; `protocol` the IANA number (6 TCP, 17 UDP).
 */

/** A workload as attribution reports it. */
export interface ExpectedWorkload {
  namespace: string;
  kind: 'Deployment' | 'CronJob' | 'Job' | 'StatefulSet' | 'DaemonSet' | 'Pod';
  name: string;
}

/** One row of a `who` or `dns-bypass` answer. */
export interface ExpectedRow {
  podIp: string;
  externalIp: string;
  dstPort: number;
  protocol: number;
  workload: ExpectedWorkload | null;
  pod: string | null;
  flows: number;
  rejected: number;
  bytesOut: number;
  bytesIn: number;
  firstSeen: string;
  lastSeen: string;
}

const G = '142.250.80.46';
const TCP = 6;
const UDP = 17;

/** Who sent it: the pod's address and what attribution makes of it. */
interface Source {
  podIp: string;
  workload: ExpectedWorkload | null;
  pod: string | null;
}

const deployment = (namespace: string, name: string): ExpectedWorkload => ({ namespace, kind: 'Deployment', name });
const A: Source = {
  podIp: '10.40.12.34',
  workload: deployment('payments', 'payments-api'),
  pod: 'payments-api-7d9f8b6c5-x2k9p',
};
const B: Source = {
  podIp: '10.40.12.35',
  workload: deployment('payments', 'payments-api'),
  pod: 'payments-api-7d9f8b6c5-q7m4t',
};
const X: Source = {
  podIp: '10.40.20.7',
  workload: { namespace: 'batch', kind: 'CronJob', name: 'nightly-export' },
  pod: 'nightly-export-29919000-h8z2w',
};
const U: Source = { podIp: '10.40.7.99', workload: null, pod: null };
const DEBUG: Source = {
  podIp: '100.64.3.9',
  workload: { namespace: 'default', kind: 'Pod', name: 'debug-shell' },
  pod: 'debug-shell',
};
const KAFKA: Source = {
  podIp: '10.40.30.10',
  workload: { namespace: 'data', kind: 'StatefulSet', name: 'kafka' },
  pod: 'kafka-0',
};
const AGENT: Source = {
  podIp: '10.40.1.21',
  workload: { namespace: 'kube-system', kind: 'DaemonSet', name: 'node-agent' },
  pod: 'node-agent-7xk2p',
};
const BACKFILL: Source = {
  podIp: '10.40.41.8',
  workload: { namespace: 'analytics', kind: 'Job', name: 'backfill' },
  pod: 'backfill-7x9kq',
};

/** A row, with counts written as [flows, rejected, bytesOut, bytesIn] and times as [firstSeen, lastSeen]. */
function row(
  src: Source,
  externalIp: string,
  dstPort: number,
  protocol: number,
  [flows, rejected, bytesOut, bytesIn]: [number, number, number, number],
  [firstSeen, lastSeen]: [string, string],
): ExpectedRow {
  const { podIp, workload, pod } = src;
  return {
    podIp,
    externalIp,
    dstPort,
    protocol,
    workload,
    pod,
    flows,
    rejected,
    bytesOut,
    bytesIn,
    firstSeen,
    lastSeen,
  };
}

// Rows of 142.250.80.46 that read the same in 7d and 10d (all their records are after 2026-11-13T12:00:00Z).
/** QUIC from replica A is its own row (protocol 17): g-a-quic alone → 8,000 out / 80,000 in. */
const A_QUIC = row(A, G, 443, UDP, [1, 0, 8_000, 80_000], ['2026-11-20T06:00:00Z', '2026-11-20T06:00:00Z']);
/**
 * Replica B: out = g-b-dl 4,940 + g-b-reject 60 + g-b-last 3,000 = 8,000 (ties A_QUIC; 10.40.12.34 sorts first);
 * in = 50,000 (g-b-dl) + 40,000 (its return-only next minute) + 30,000 (g-b-last) + 0 (a REJECT has no return) = 120,000.
 */
const B_TCP = row(B, G, 443, TCP, [3, 1, 8_000, 120_000], ['2026-11-18T14:20:00Z', '2026-11-20T11:59:59Z']);
/** No pod has 10.40.7.99: g-u → 7,000 / 70,000, unattributed. */
const U_TCP = row(U, G, 443, TCP, [1, 0, 7_000, 70_000], ['2026-11-16T18:45:00Z', '2026-11-16T18:45:00Z']);
/** Port 80 is its own row: g-a-http → 500 / 900. */
const A_HTTP = row(A, G, 80, TCP, [1, 0, 500, 900], ['2026-11-19T08:30:00Z', '2026-11-19T08:30:00Z']);

// DNS-bypass rows that read the same in 7d and 10d.
/** kafka-0 → 1.1.1.1:853 (DoT) on 11-15 and 11-18 at 03:00: 2 × 2,000 = 4,000 out, 2 × 4,000 = 8,000 in. */
const KAFKA_DOT = row(
  KAFKA,
  '1.1.1.1',
  853,
  TCP,
  [2, 0, 4_000, 8_000],
  ['2026-11-15T03:00:00Z', '2026-11-18T03:00:00Z'],
);
/** backfill → 8.8.4.4:53/UDP at 10:00 … 10:05 on 11-16: 6 × 60 = 360 out, 6 × 200 = 1,200 in. */
const BACKFILL_DNS = row(
  BACKFILL,
  '8.8.4.4',
  53,
  UDP,
  [6, 0, 360, 1_200],
  ['2026-11-16T10:00:00Z', '2026-11-16T10:05:00Z'],
);
/** debug-shell → 8.8.8.8:53/UDP at 15:00, 15:05, 15:10 on 11-19: 3 × 100 = 300 out, 3 × 300 = 900 in. */
const DEBUG_DNS = row(DEBUG, '8.8.8.8', 53, UDP, [3, 0, 300, 900], ['2026-11-19T15:00:00Z', '2026-11-19T15:10:00Z']);
/** debug-shell → 8.8.8.8:853/TCP refused once at 15:20 on 11-19: 60 out, nothing back. */
const DEBUG_DOT = row(DEBUG, '8.8.8.8', 853, TCP, [1, 1, 60, 0], ['2026-11-19T15:20:00Z', '2026-11-19T15:20:00Z']);

/** The expected answers, keyed by question. */
export const EXPECTED = {
  now: '2026-11-20T12:00:00Z',
  /** Objects whose capture window starts before this use field order A, later ones order B. */
  formatChangeAt: '2026-11-15T12:00:00Z',

  who_142_250_80_46_last7d: {
    rows: [
      // Nights 11-14 … 11-20 at 02:00 (11-13 02:00 is before the window): 7 × 50,000 = 350,000 out, 7 × 5,000 in.
      row(X, G, 443, TCP, [7, 0, 350_000, 35_000], ['2026-11-14T02:00:00Z', '2026-11-20T02:00:00Z']),
      A_QUIC,
      B_TCP,
      U_TCP,
      // g-a-edge (start = now − 7d: inside) 1,000 + g-a-mid 2,000 = 3,000 out; 10,000 + 20,000 = 30,000 in.
      row(A, G, 443, TCP, [2, 0, 3_000, 30_000], ['2026-11-13T12:00:00Z', '2026-11-17T09:15:00Z']),
      A_HTTP,
    ],
    // Lookback [2026-11-12T12:00:00Z, now): maps (at its first second) in; legacy (1 s earlier) and old out; TXT never.
    domains: ['maps.googleapis.com', 'storage.googleapis.com', 'www.googleapis.com'],
  },

  who_142_250_80_46_last10d: {
    rows: [
      // + g-a-before (now − 7d − 1s): 1,000 + 1,000,000 + 2,000 = 1,003,000 out; 10,000 + 2,000,000 + 20,000 in.
      row(A, G, 443, TCP, [3, 0, 1_003_000, 2_030_000], ['2026-11-13T11:59:59Z', '2026-11-17T09:15:00Z']),
      // Nights 11-11 … 11-20: 10 × 50,000 = 500,000 out, 10 × 5,000 = 50,000 in.
      row(X, G, 443, TCP, [10, 0, 500_000, 50_000], ['2026-11-11T02:00:00Z', '2026-11-20T02:00:00Z']),
      A_QUIC,
      B_TCP,
      U_TCP,
      A_HTTP,
    ],
    // Lookback [2026-11-09T12:00:00Z, now) holds every scripted query.
    domains: [
      'legacy.googleusercontent.com',
      'maps.googleapis.com',
      'old.example-cdn.com',
      'storage.googleapis.com',
      'www.googleapis.com',
    ],
  },

  // Window [11:00, 12:00) on 11-20: only g-b-last (now − 1s). Lookback from 2026-11-19T11:00:00Z, which leaves out
  // www.googleapis.com at 2026-11-19T10:00:03Z but keeps its later queries.
  who_142_250_80_46_last1h: {
    rows: [row(B, G, 443, TCP, [1, 0, 3_000, 30_000], ['2026-11-20T11:59:59Z', '2026-11-20T11:59:59Z'])],
    domains: ['storage.googleapis.com', 'www.googleapis.com'],
  },

  // backfill: 3,000 + 1,000 = 4,000 out; 900,000 + 300,000 = 1,200,000 in.
  who_151_101_1_69_last7d: {
    rows: [
      row(
        BACKFILL,
        '151.101.1.69',
        443,
        TCP,
        [2, 0, 4_000, 1_200_000],
        ['2026-11-16T10:05:00Z', '2026-11-16T10:06:00Z'],
      ),
    ],
    domains: ['files.pythonhosted.org', 'pypi.org'],
  },

  // The query name counts, not the CNAME target (dualstack.python.map.fastly.net).
  domain_151_101_1_69_last7d: { domains: ['files.pythonhosted.org', 'pypi.org'] },
  domain_8_8_8_8_last7d: { domains: ['dns.google'] },

  dnsBypass_last7d: {
    rows: [
      KAFKA_DOT,
      // node-agent nights 11-14 … 11-20 at 00:30: 7 × 500 = 3,500 out, 7 × 1,500 = 10,500 in.
      row(AGENT, '9.9.9.9', 53, TCP, [7, 0, 3_500, 10_500], ['2026-11-14T00:30:00Z', '2026-11-20T00:30:00Z']),
      BACKFILL_DNS,
      DEBUG_DNS,
      DEBUG_DOT,
    ],
  },

  dnsBypass_last10d: {
    rows: [
      // node-agent nights 11-11 … 11-20: 10 × 500 = 5,000 out (now above kafka's 4,000), 10 × 1,500 = 15,000 in.
      row(AGENT, '9.9.9.9', 53, TCP, [10, 0, 5_000, 15_000], ['2026-11-11T00:30:00Z', '2026-11-20T00:30:00Z']),
      KAFKA_DOT,
      BACKFILL_DNS,
      DEBUG_DNS,
      DEBUG_DOT,
    ],
  },

  /** Reached through the NAT (translated records exist) but private: no row anywhere, in any window. */
  neverEgress: ['10.40.0.2', '172.21.4.4', '172.21.9.9', '100.64.200.1'],
  /** Only return-only records reached it (9,999 bytes in, nothing out): no row. */
  returnOnlyPodIp: '10.40.12.36',
};
