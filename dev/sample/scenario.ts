import { SAMPLE_NOW, TCP, UDP } from './constants.js';
import { POD_IP } from './k8s.js';

/**
 * The scripted, hand-checkable part of the sample world. Times are written as absolute instants for the default
 * `now` (2026-11-20T12:00:00Z) and shifted with `now` when another one is given. `src/sample/expected.ts` derives
 * every expected answer from this list by hand; noise never touches these external addresses.
 */
export interface ScriptedConnection {
  /** Identifies the flow (its ports); a return-only interval shares the id of the connection it continues. */
  flow: string;
  at: string;
  src: string;
  dst: string;
  dport: number;
  protocol: number;
  out: number;
  in: number;
  action?: 'REJECT';
  returnOnly?: boolean;
}

export const GOOGLE = '142.250.80.46';
export const FASTLY = '151.101.1.69';
/** An address nobody in the snapshot has: rows from it stay unattributed. */
export const UNKNOWN_SRC = '10.40.7.99';
/** External addresses of the scenario; the noise generator must never use them. */
export const SCENARIO_EXTERNALS = [
  GOOGLE,
  FASTLY,
  '8.8.8.8',
  '8.8.4.4',
  '1.1.1.1',
  '9.9.9.9',
  // scenario-ask.ts (vendorx)
  '34.120.5.77',
  '34.120.9.10',
  '34.120.44.1',
  // scenario-aws.ts
  '52.216.8.40',
  '52.216.8.41',
  '3.218.182.10',
  '52.46.140.7',
  '185.199.40.10',
  '185.199.41.10',
  '198.51.100.23',
  '203.0.113.50',
] as const;

const { paymentsA: A, paymentsB: B, nightlyExport: X, debugShell, kafka0, nodeAgent, backfill, coredns } = POD_IP;

const c = (
  flow: string,
  at: string,
  src: string,
  dst: string,
  dport: number,
  protocol: number,
  out: number,
  inBytes: number,
  extra: Partial<ScriptedConnection> = {},
): ScriptedConnection => ({ flow, at, src, dst, dport, protocol, out, in: inBytes, ...extra });

/** `2026-11-DDT…` for each day from `first` to `last` (inclusive) at the given time of day. */
const daily = (first: number, last: number, time: string): string[] =>
  Array.from({ length: last - first + 1 }, (_, i) => `2026-11-${String(first + i).padStart(2, '0')}T${time}Z`);

/** Every scripted connection. Bytes are round so the expected sums can be checked by eye. */
export const SCRIPTED: readonly ScriptedConnection[] = [
  // 142.250.80.46 (www/storage.googleapis.com) from payments-api replica A.
  c('g-a-edge', '2026-11-13T12:00:00Z', A, GOOGLE, 443, TCP, 1_000, 10_000), // now−7d exactly: inside last 7d
  c('g-a-before', '2026-11-13T11:59:59Z', A, GOOGLE, 443, TCP, 1_000_000, 2_000_000), // now−7d−1s: outside
  c('g-a-mid', '2026-11-17T09:15:00Z', A, GOOGLE, 443, TCP, 2_000, 20_000),
  c('g-a-quic', '2026-11-20T06:00:00Z', A, GOOGLE, 443, UDP, 8_000, 80_000), // QUIC: its own row (protocol 17)
  c('g-a-http', '2026-11-19T08:30:00Z', A, GOOGLE, 80, TCP, 500, 900), // port 80: its own row
  // … from replica B: the last second of the window, a download spanning two intervals, and a refused attempt.
  c('g-b-last', '2026-11-20T11:59:59Z', B, GOOGLE, 443, TCP, 3_000, 30_000), // now−1s: inside
  c('g-b-dl', '2026-11-18T14:20:00Z', B, GOOGLE, 443, TCP, 4_940, 50_000),
  c('g-b-dl', '2026-11-18T14:21:00Z', B, GOOGLE, 443, TCP, 0, 40_000, { returnOnly: true }),
  c('g-b-reject', '2026-11-19T10:00:00Z', B, GOOGLE, 443, TCP, 60, 0, { action: 'REJECT' }),
  // … from an address no pod has, and a reply to an address that never sent anything (no row may appear).
  c('g-u', '2026-11-16T18:45:00Z', UNKNOWN_SRC, GOOGLE, 443, TCP, 7_000, 70_000),
  c('g-orphan', '2026-11-15T12:00:00Z', '10.40.12.36', GOOGLE, 443, TCP, 0, 9_999, { returnOnly: true }),
  // … from the nightly-export CronJob's pod, every night at 02:00 (2026-11-11 … 2026-11-20).
  ...daily(11, 20, '02:00:00').map((at) => c(`g-x-${at.slice(8, 10)}`, at, X, GOOGLE, 443, TCP, 50_000, 5_000)),

  // DNS that bypasses CoreDNS.
  ...['2026-11-19T15:00:00Z', '2026-11-19T15:05:00Z', '2026-11-19T15:10:00Z'].map((at, i) =>
    c(`dns-debug-${i}`, at, debugShell, '8.8.8.8', 53, UDP, 100, 300),
  ),
  c('dot-debug', '2026-11-19T15:20:00Z', debugShell, '8.8.8.8', 853, TCP, 60, 0, { action: 'REJECT' }),
  c('dot-kafka-1', '2026-11-15T03:00:00Z', kafka0, '1.1.1.1', 853, TCP, 2_000, 4_000),
  c('dot-kafka-2', '2026-11-18T03:00:00Z', kafka0, '1.1.1.1', 853, TCP, 2_000, 4_000),
  ...daily(11, 20, '00:30:00').map((at) =>
    c(`dns-agent-${at.slice(8, 10)}`, at, nodeAgent, '9.9.9.9', 53, TCP, 500, 1_500),
  ),
  ...[0, 1, 2, 3, 4, 5].map((m) =>
    c(`dns-backfill-${m}`, `2026-11-16T10:0${m}:00Z`, backfill, '8.8.4.4', 53, UDP, 60, 200),
  ),

  // 151.101.1.69 (pypi.org and files.pythonhosted.org) from the backfill Job.
  c('pypi-1', '2026-11-16T10:05:00Z', backfill, FASTLY, 443, TCP, 3_000, 900_000),
  c('pypi-2', '2026-11-16T10:06:00Z', backfill, FASTLY, 443, TCP, 1_000, 300_000),

  // Translated but private: the VPC resolver, a peered DNS server, a peered database, a private NAT. Never egress.
  ...daily(11, 20, '06:00:00').map((at) => c(`vpc-dns-${at.slice(8, 10)}`, at, coredns, '10.40.0.2', 53, UDP, 90, 250)),
  ...daily(11, 20, '06:30:00').map((at) =>
    c(`peer-dns-${at.slice(8, 10)}`, at, coredns, '172.21.4.4', 53, UDP, 90, 250),
  ),
  c('peer-db', '2026-11-18T09:00:00Z', A, '172.21.9.9', 5432, TCP, 12_000, 340_000),
  c('private-nat', '2026-11-19T15:30:00Z', debugShell, '100.64.200.1', 8080, TCP, 700, 2_300),
];

/** NODATA/SKIPDATA lines that are always present (the noise adds a few more at random). */
export const SCRIPTED_STATUS: readonly { at: string; status: 'NODATA' | 'SKIPDATA' }[] = [
  { at: '2026-11-12T04:00:00Z', status: 'NODATA' },
  { at: '2026-11-15T04:00:00Z', status: 'SKIPDATA' },
  { at: '2026-11-17T04:00:00Z', status: 'NODATA' },
  { at: '2026-11-19T03:10:00Z', status: 'SKIPDATA' },
];

/** A scripted instant as epoch seconds, moved by however far the caller's `now` is from the default one. */
export function shift(at: string, now: number): number {
  return now - (SAMPLE_NOW - Date.parse(at) / 1000);
}
