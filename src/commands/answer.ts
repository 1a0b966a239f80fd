/**
 * The parts answers are made of. Each command's answer type (in its own file) is one member of the `Answer`
 * discriminated union (see `registry.ts`), tagged by `command`; renderers switch on that tag.
 */
import type { Holder, Owner, Workload } from '../attribution/types.js';
import type { EngineStats, SkippedObject } from '../engine/types.js';
import type { Window } from '../flowlogs/window.js';
import type { Coverage } from './coverage.js';

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
  /** The holder was a hostNetwork pod: its address is its node's (for the SNAT check; not rendered). */
  hostNetwork?: boolean;
}

export type { DomainHit } from '../dns/domains.js';

/** A cell of a generic table. */
export type Cell = string | number | null;

/** The generic table of aggregate answers (top, cost, rejects). */
export interface TableData {
  columns: string[];
  rows: Array<Record<string, Cell>>;
  total?: Record<string, number>;
  /** Columns renderers humanise (`bytes` → 1.2 MiB, `usd` → $0.05); values stay integers / plain numbers. */
  units?: Record<string, 'bytes' | 'usd'>;
}

/** What every answer carries: the evidence behind it and what the person should know about the data. */
export interface AnswerBase {
  stats?: EngineStats;
  /** What the data behind the answer covers (absent only where no log data is read, e.g. help). */
  coverage?: Coverage;
  skipped: SkippedObject[];
  /** Caveats worth showing (attribution unavailable, lookback used…). */
  notes: string[];
}

/** An answer over a time window. */
export interface WindowedAnswer extends AnswerBase {
  /** `last 7d` (plus `· by namespace` where it applies). */
  label: string;
  window: Window;
}

/** Answer of a command that lists traffic rows (who, dns-bypass). */
export interface FlowAnswer extends WindowedAnswer {
  rows: FlowRow[];
}

/** Answer of an aggregate command (top, cost, rejects). */
export interface TableAnswer extends WindowedAnswer {
  table: TableData;
}

/** Holder intervals of an address. */
export type HistoryEntry = Holder & { endedBefore?: boolean };
