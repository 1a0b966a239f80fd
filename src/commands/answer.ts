import type { Holder, Workload } from '../attribution/types.js';
import type { EngineStats, SkippedObject } from '../engine/types.js';
import type { CommandName, Window } from './command.js';

/** What a non-pod source IP is, from EC2 (instance, Lambda, endpoint, load balancer…). */
export interface Owner {
  type: string;
  id: string;
  name: string | null;
}

/** One row of `who` / `dns-bypass`: traffic of one pod (holder) to one external address and port. */
export interface FlowRow {
  podIp: string;
  externalIp: string;
  dstPort: number;
  protocol: number;
  workload: Workload | null;
  pod: string | null;
  flows: number;
  rejected: number;
  bytesOut: number;
  bytesIn: number;
  /** Epoch seconds of the first/last egress record's start. */
  firstSeen: number;
  lastSeen: number;
  node?: string;
  cluster?: string;
  owner?: Owner | null;
  /** Why the row has no workload (never a guess), or a caveat about the attribution. */
  reason?: string;
}

/** A name that resolved to the asked address, with the CNAME targets in the same answers. */
export interface DomainHit {
  name: string;
  cnames: string[];
  queries: number;
  firstSeen: number;
  lastSeen: number;
}

/** The typed result of any command; renderers turn it into Block Kit, text, JSON or CSV. */
export interface Answer {
  command: CommandName;
  /** `last 7d` */
  label?: string;
  window?: Window;
  ip?: string;
  rows?: FlowRow[];
  domains?: DomainHit[];
  /** Holder intervals (ip-history). */
  history?: Holder[];
  /** Generic table for aggregate commands (top, cost, rejects). */
  table?: {
    columns: string[];
    rows: Array<Record<string, string | number | null>>;
    total?: Record<string, number>;
    /** Columns renderers humanise (`bytes` → 1.2 MiB, `usd` → $0.05); values stay integers / plain numbers. */
    units?: Record<string, 'bytes' | 'usd'>;
  };
  /** Help text lines. */
  lines?: string[];
  stats?: EngineStats;
  skipped: SkippedObject[];
  /** Caveats worth showing (attribution unavailable, lookback used…). */
  notes: string[];
}
