import { TCP } from './constants.js';
import type { ScriptedConnection } from './scenario.js';
import { cnameAnswer, ipAnswer, type ScriptedQuery } from './scenario-dns.js';

/**
 * The scripted cases of asking by name, by range and by workload (`who <name>`, `who *.<suffix>`, `who <cidr>`,
 * `from <selector>`): a vendor's addresses in 34.120.0.0/16 reached by the `billing` namespace. They all lie in the
 * first days of the sample world (2026-11-10T12:00Z … 2026-11-12T20:00Z), before every `last 7d` window and its DNS
 * lookback, with addresses and pods nothing else uses, so no other answer or README transcript changes; ask over
 * `last 10d` (or `last 9d`, whose 14-day baseline holds 2026-11-10) to see them.
 *
 * - telemetry.vendorx.io sits behind a CNAME chain (→ ingest.vendorx-cdn.net → 34.120.5.77); its last flow comes 30 h
 *   after its last A answer, beyond the 24 h lookback, so that flow does not count for the name;
 * - api.vendorx.io is resolved only after a first flow to its address (34.120.9.10): that flow does not count;
 * - 34.120.44.1 is a shared CDN address: assets.vendorx.io and downloads.acme-tools.com both resolve to it, and the
 *   answer for assets.vendorx.io lists it twice (one query, counted once);
 * - 10.40.50.20 is held by the invoice-sync CronJob's pod (from 11-11 13:00), then reused by a ledger-api replica
 *   (from 11-12 00:00), both inside the window;
 * - ledger-api reached 34.120.5.77 before `last 9d` (11-10 18:00), the other two addresses only inside it (new).
 */
export const VENDOR = {
  telemetry: '34.120.5.77',
  api: '34.120.9.10',
  shared: '34.120.44.1',
  telemetryV6: '2600:1901:0:5a0::77',
} as const;

/** Pod addresses of the billing namespace (k8s.ts gives them their pods). */
export const BILLING_IP = { ledgerA: '10.40.50.11', ledgerB: '10.40.50.12', reused: '10.40.50.20' } as const;

const { ledgerA: L1, ledgerB: L2, reused: R } = BILLING_IP;
const { telemetry: V1, api: V2, shared: V3 } = VENDOR;

const c = (
  flow: string,
  at: string,
  src: string,
  dst: string,
  out: number,
  inBytes: number,
  extra: Partial<ScriptedConnection> = {},
): ScriptedConnection => ({ flow, at, src, dst, dport: 443, protocol: TCP, out, in: inBytes, ...extra });

/** Every connection of these cases (all HTTPS). */
export const ASK_SCRIPTED: readonly ScriptedConnection[] = [
  c('v-l1-base', '2026-11-10T18:00:00Z', L1, V1, 1_000, 2_000), // 2 s after telemetry's first answer
  c('v-l1-a', '2026-11-11T14:00:00Z', L1, V1, 3_000, 4_000), // 2 s after its second
  c('v-l1-late', '2026-11-12T20:00:00Z', L1, V1, 5_000, 6_000), // 30 h after the last A answer
  c('v-l2-early', '2026-11-11T15:00:00Z', L2, V2, 700, 800), // an hour before api.vendorx.io is first resolved
  c('v-l2-a', '2026-11-11T16:05:00Z', L2, V2, 900, 1_100),
  c('v-l2-reject', '2026-11-12T09:00:00Z', L2, V2, 60, 0, { action: 'REJECT' }),
  c('v-job-assets', '2026-11-11T13:05:00Z', R, V3, 400, 9_000), // invoice-sync holds 10.40.50.20
  c('v-l3-assets', '2026-11-12T03:00:00Z', R, V3, 2_000, 50_000), // the ledger-api replica holds it
];

const q = (at: string, name: string, type: ScriptedQuery['type'], answers: ScriptedQuery['answers']) => ({
  at,
  name,
  type,
  answers,
});

/** The Resolver queries of these cases. */
export const ASK_QUERIES: readonly ScriptedQuery[] = [
  q('2026-11-10T17:59:58Z', 'telemetry.vendorx.io.', 'A', [cnameAnswer('ingest.vendorx-cdn.net.'), ipAnswer(V1)]),
  q('2026-11-11T13:59:58Z', 'telemetry.vendorx.io.', 'A', [cnameAnswer('ingest.vendorx-cdn.net.'), ipAnswer(V1)]),
  q('2026-11-11T20:00:00Z', 'telemetry.vendorx.io.', 'AAAA', [
    cnameAnswer('ingest.vendorx-cdn.net.'),
    ipAnswer(VENDOR.telemetryV6),
  ]),
  q('2026-11-11T16:00:00Z', 'api.vendorx.io.', 'A', [ipAnswer(V2)]),
  q('2026-11-11T15:00:00Z', 'assets.vendorx.io.', 'A', [
    cnameAnswer('assets.vendorx-cdn.net.'),
    ipAnswer(V3),
    ipAnswer(V3),
  ]),
  q('2026-11-11T15:30:00Z', 'downloads.acme-tools.com.', 'A', [ipAnswer(V3)]),
];
