/**
 * The "avoidable" part of `cost`: NAT data processing paid for traffic to AWS services, per service and region,
 * with the endpoint that removes it and what that saves a month. Pure: the rows come from nat-peers.sql and
 * peer-talkers.sql (attributed), prices from the configuration.
 */

import type { AwsPeer, Endpoint } from './aws-services.js';
import type { AttributedRow } from './buckets.js';
import { workloadOfRow } from './buckets.js';

/** Bytes in one billed GB (2^30, as AWS meters NAT data processing). */
const GB = 2 ** 30;
/** Seconds in the 30-day month savings are quoted for, and its hours (what hourly endpoint charges run for). */
export const MONTH_SECONDS = 30 * 86_400;
const MONTH_HOURS = 30 * 24;

/** Interface endpoint prices. */
export interface EndpointPrices {
  natPricePerGb: number;
  pricePerGb: number;
  hourlyPerAz: number;
  azCount: number;
}

/** One service and region of the avoidable part. */
export interface AvoidableRow {
  service: string;
  region: string | null;
  /** As the flow log / ip-ranges.json name it (`S3`, `AMAZON`, …). */
  awsService: string;
  /** NAT-processed bytes (out + back) in the window, and their NAT price. */
  bytes: number;
  usd: number;
  endpoint: Endpoint;
  /** The window's NAT cost scaled to 30 days. */
  monthlyNatUsd: number;
  /** What the endpoint would cost a month for this traffic (0 for gateway endpoints). */
  monthlyEndpointUsd: number;
  /** monthlyNatUsd − monthlyEndpointUsd: negative when the endpoint costs more than the NAT processing it saves. */
  monthlySavingUsd: number;
  /** Sources sending the most of it, by bytes (at most 3). */
  topWorkloads: Array<{ workload: string; bytes: number }>;
  /** How the peers were recognised. */
  identifiedBy: Array<'flow-log' | 'ip-ranges'>;
}

/** Money to a micro-dollar, as everywhere in `cost`. */
const micro = (usd: number) => Math.round(usd * 1e6) / 1e6;

/** One NAT-processed peer and what it is. */
export interface PeerBytes {
  peer: string;
  bytes: number;
  aws: AwsPeer;
}

/**
 * Groups the AWS peers that have an endpoint by (service, region), prices them and names their top sources.
 * Sorted by monthly saving, then service and region.
 */
export function avoidableRows(
  peers: readonly PeerBytes[],
  talkers: readonly AttributedRow[],
  windowSeconds: number,
  prices: EndpointPrices,
): AvoidableRow[] {
  const scale = MONTH_SECONDS / windowSeconds;
  const groups = new Map<string, { peers: Set<string>; row: Omit<AvoidableRow, 'usd' | 'topWorkloads'> }>();
  for (const p of peers) {
    const { aws } = p;
    if (!aws.endpoint || !aws.service) continue;
    const key = `${aws.service}|${aws.region ?? ''}`;
    const g = groups.get(key) ?? {
      peers: new Set<string>(),
      row: {
        service: aws.service,
        region: aws.region,
        awsService: aws.awsService,
        bytes: 0,
        endpoint: aws.endpoint,
        monthlyNatUsd: 0,
        monthlyEndpointUsd: 0,
        monthlySavingUsd: 0,
        identifiedBy: [],
      },
    };
    g.peers.add(p.peer);
    g.row.bytes += p.bytes;
    if (!g.row.identifiedBy.includes(aws.identifiedBy)) g.row.identifiedBy.push(aws.identifiedBy);
    groups.set(key, g);
  }
  const rows: AvoidableRow[] = [];
  for (const { peers: set, row } of groups.values()) {
    const gbMonth = (row.bytes / GB) * scale;
    const monthlyNat = gbMonth * prices.natPricePerGb;
    const monthlyEndpoint =
      row.endpoint.type === 'gateway'
        ? 0
        : gbMonth * prices.pricePerGb + prices.hourlyPerAz * prices.azCount * MONTH_HOURS;
    const byWorkload = new Map<string, number>();
    for (const t of talkers) {
      if (!set.has(String(t.row.peer))) continue;
      const w = workloadOfRow(t);
      byWorkload.set(w, (byWorkload.get(w) ?? 0) + Number(t.row.nat_out) + Number(t.row.nat_in));
    }
    const topWorkloads = [...byWorkload.entries()]
      .map(([workload, bytes]) => ({ workload, bytes }))
      .sort((a, b) => b.bytes - a.bytes || (a.workload < b.workload ? -1 : 1))
      .slice(0, 3);
    rows.push({
      ...row,
      identifiedBy: [...row.identifiedBy].sort(),
      usd: micro((row.bytes / GB) * prices.natPricePerGb),
      monthlyNatUsd: micro(monthlyNat),
      monthlyEndpointUsd: micro(monthlyEndpoint),
      monthlySavingUsd: micro(monthlyNat - monthlyEndpoint),
      topWorkloads,
    });
  }
  return rows.sort(
    (a, b) =>
      b.monthlySavingUsd - a.monthlySavingUsd ||
      (a.service < b.service ? -1 : a.service > b.service ? 1 : 0) ||
      ((a.region ?? '') < (b.region ?? '') ? -1 : 1),
  );
}

/** The 30-day projection of a window's NAT cost (`projection30dUsd`), from its bytes. */
export const projection30d = (bytes: number, windowSeconds: number, natPricePerGb: number): number =>
  micro((bytes / GB) * natPricePerGb * (MONTH_SECONDS / windowSeconds));
