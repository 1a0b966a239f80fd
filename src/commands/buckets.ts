/**
 * Shared by `top`, `cost`, `rejects` and the digest: rows that carry a pod IP and a record time (`pod_ip`, `ts`) are
 * attributed in one batched resolution, each at its own time, then grouped by workload or namespace.
 */
import { workloadLabel } from '../attribution/owners.js';
import type { Attribution, Resolution } from '../attribution/types.js';
import type { ResultRow } from '../engine/types.js';
import type { EgressSource } from './snat.js';

/** Which grouping a ranking uses. */
export type GroupBy = 'workload' | 'namespace';

/** A row with the holder of its pod IP at the row's time. */
export interface AttributedRow {
  row: ResultRow;
  podIp: string;
  resolution: Resolution;
}

/** The egress sources of attributed talkers rows, for the SNAT check (internet egress flows only). */
export const attributedSources = (rows: readonly AttributedRow[]): EgressSource[] =>
  rows.map((a) => ({
    ip: a.podIp,
    flows: Number(a.row.egress_flows ?? a.row.flows ?? 0),
    holder: a.resolution.holder,
  }));

/** Label of rows whose pod IP nobody held (or no Kubernetes source is configured). */
export const UNATTRIBUTED = '(unattributed)';

/** Resolves every row's `pod_ip` at its `ts` in one call, so a reused IP is split between its holders. */
export async function attributeRows(rows: readonly ResultRow[], attribution: Attribution): Promise<AttributedRow[]> {
  const pairs = rows.map((r) => ({ ip: String(r.pod_ip), at: Number(r.ts) }));
  const resolutions = await attribution.resolveMany(pairs);
  return rows.map((row, i) => ({
    row,
    podIp: String(row.pod_ip),
    resolution: resolutions[i] ?? { holder: null },
  }));
}

/**
 * The group a row belongs to. Unattributed sources stay separate per IP when grouping by workload (two unknown
 * hosts are not one workload); by namespace they share one bucket, since no namespace is known for either.
 */
export function groupOf(a: AttributedRow, by: GroupBy): string {
  const w = a.resolution.holder?.workload;
  if (by === 'namespace') return w?.namespace ?? a.resolution.holder?.namespace ?? UNATTRIBUTED;
  return w ? workloadLabel(w) : `${UNATTRIBUTED} ${a.podIp}`;
}

/** Workload label (or `(unattributed) <ip>`) of a row, whatever the grouping. */
export const workloadOfRow = (a: AttributedRow): string => groupOf(a, 'workload');

/**
 * Bucket length for per-time attribution over a window: 5 minutes up to a day, then longer so a ranking over 90 days
 * returns about as many rows per pod IP as one over a day (≈ 288). An IP handed to another pod inside one bucket is
 * attributed to the holder at the bucket's first record; with pod IPs reused after minutes at the earliest, a
 * 5-minute bucket keeps that error small where it matters (recent, short windows).
 */
export function bucketSeconds(windowSeconds: number): number {
  return Math.max(300, Math.ceil(windowSeconds / 288 / 300) * 300);
}

/** Sorts by a numeric column desc, then by the label, so equal values have a stable order. */
export function byValueThenLabel<T>(value: (t: T) => number, label: (t: T) => string) {
  return (a: T, b: T): number => value(b) - value(a) || (label(a) < label(b) ? -1 : label(a) > label(b) ? 1 : 0);
}

/** Columns renderers humanise; the answer keeps integers. */
export const UNITS = { bytes_out: 'bytes', bytes_in: 'bytes', bytes: 'bytes', usd: 'usd' } as const;

/** Sums a numeric field. */
export function sum<T>(items: readonly T[], f: (t: T) => number): number {
  return items.reduce((s, t) => s + f(t), 0);
}
