/** The digest as data: what every renderer (Block Kit, text, JSON, CSV, chart) and the button handlers read. */
import type { EngineStats, SkippedObject } from '../engine/types.js';

/** One workload's part of a finding. */
export interface FindingWorkload {
  /** `payments/Deployment/payments-api`, or `(unattributed) 10.40.7.99`. */
  workload: string;
  /** Pod names (or pod IPs when no pod is known). */
  pods: string[];
  /** `443/tcp`, `53/udp`. */
  ports: string[];
  flows: number;
  rejected: number;
  bytesOut: number;
  /** Epoch seconds. */
  firstSeen: number;
  lastSeen: number;
}

/** Something a person may want to act on: a destination and the workloads that reached it. */
export interface Finding {
  /** Stable per kind + destination, so buttons of a posted digest find it again. */
  id: string;
  kind: 'new-destination' | 'dns-bypass';
  /** The internet address. */
  destination: string;
  /** Names that resolved to it (A/AAAA answers), sorted. */
  names: string[];
  /** Names first resolved inside the period. */
  newNames: string[];
  /** The address itself was not reached in the baseline. */
  ipNew: boolean;
  workloads: FindingWorkload[];
  flows: number;
  rejected: number;
  bytesOut: number;
  firstSeen: number;
  lastSeen: number;
}

/** NAT cost of one namespace on the reported day and the day before. */
export interface CostChange {
  namespace: string;
  bytes: number;
  usd: number;
  prevBytes: number;
  prevUsd: number;
  /** Change in bytes vs the day before, in percent; null when the day before had none. */
  changePct: number | null;
}

/** A finding workload hidden by a suppression ("Mark expected"). */
export interface SuppressedItem {
  kind: Finding['kind'];
  destination: string;
  workload: string;
  by: string;
}

/** The digest for one date. Integers stay integers; only renderers humanise. */
export interface Digest {
  date: string;
  tz: string;
  /** The reported day [from, to), epoch seconds. */
  period: { from: number; to: number };
  baselineFrom: number;
  newDestinations: Finding[];
  dnsBypass: Finding[];
  suppressed: SuppressedItem[];
  topTalkers: Array<{ workload: string; pods: number; flows: number; bytesOut: number; bytesIn: number }>;
  /** Egress bytes out of every workload on the reported day (the top talkers' share is against this). */
  bytesOutTotal: number;
  cost: CostChange[];
  costTotal: Omit<CostChange, 'namespace'>;
  pricePerGb: number;
  rejects: Array<{ workload: string; attempts: number; destinations: string[] }>;
  rejectsTotal: number;
  /** Bytes out to the internet per namespace per day over the baseline's 14 days (chart data). */
  chart: { days: string[]; series: Array<{ namespace: string; bytes: number[] }> };
  stats: EngineStats & { queries: number };
  skipped: SkippedObject[];
  notes: string[];
}

/** What a digest button does: answer the day (triage), mark the pair expected, widen to 30 days, or attach a CSV. */
export type DigestAction = 'triage' | 'mark' | 'widen' | 'csv';

/** Someone acted on a finding (shown under it after `chat.update`). */
export interface Acted {
  action: DigestAction;
  user: string;
  /** Epoch seconds. */
  at: number;
}
