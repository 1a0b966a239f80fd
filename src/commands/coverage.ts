/**
 * The data coverage every answer carries: how far delivery has got, which hours had no data at all, what AWS dropped
 * (SKIPDATA), what could not be read, and which source attributed the pods — so an empty answer says whether nobody
 * talked or the data was not there. Built from the engine's per-table facts ({@link KindCoverage}). Pure.
 */
import type { AttributionSource } from '../attribution/types.js';
import type { KindCoverage, LogKind, QueryResult, SkippedObject, UnreadableLines } from '../engine/types.js';

/** Hours of a log table's window without any record, merged into ranges (epoch seconds, `to` exclusive). */
export interface Gap {
  kind: LogKind;
  from: number;
  to: number;
}

/** How far one log table's delivery has got. */
export interface KindDelivery {
  kind: LogKind;
  /** Latest record end read; absent when the window held no record at all. */
  newestRecord?: number;
  /** now − newestRecord (≥ 0). */
  lagSeconds?: number;
  /** Seconds at the end of the asked window after the newest record: not delivered yet. */
  undeliveredSeconds: number;
}

/** Signs that pods are hidden behind their nodes (`AWS_VPC_K8S_CNI_EXTERNALSNAT` is probably `false`). */
export interface SnatWarning {
  /** Translated egress flows whose source is a node's address, and all of them. */
  nodeFlows: number;
  flows: number;
  message: string;
}

/** The coverage part of an answer. */
export interface Coverage {
  /** The answer's main table (flow logs when it read them): newest record and lag. */
  newestRecord?: number;
  lagSeconds?: number;
  delivery: KindDelivery[];
  gaps: Gap[];
  skipData: number;
  noData: number;
  skippedObjects: SkippedObject[];
  unreadableLines: UnreadableLines;
  missingFields: Array<{ key: string; fields: string[] }>;
  attribution: AttributionSource;
  snat?: SnatWarning;
}

const HOUR = 3_600;
const MAX_SAMPLES = 5;

/**
 * One table's facts per kind: of several queries over the same table (a command may ask the flow table twice, for
 * different windows), the widest window speaks for the answer, so nothing is counted twice.
 */
function perKind(parts: readonly KindCoverage[]): KindCoverage[] {
  const best = new Map<LogKind, KindCoverage>();
  for (const p of parts) {
    const cur = best.get(p.kind);
    if (!cur || p.window.to - p.window.from > cur.window.to - cur.window.from) best.set(p.kind, p);
  }
  return (['flow', 'dns'] as const).flatMap((k) => (best.has(k) ? [best.get(k) as KindCoverage] : []));
}

/** Hours of `c`'s window up to its newest record that hold no record, merged into ranges. */
export function gapsOf(c: KindCoverage): Gap[] {
  const have = new Set(c.hours);
  const end = Math.min(c.window.to, c.newestRecord ?? c.window.from);
  const gaps: Gap[] = [];
  const first = Math.floor(c.window.from / HOUR) * HOUR;
  // No record at all: the whole window is missing (delivery cannot be what is late).
  const last = c.newestRecord === undefined ? c.window.to : end;
  for (let h = first; h < last; h += HOUR) {
    if (have.has(h)) continue;
    const from = Math.max(h, c.window.from);
    const to = Math.min(h + HOUR, c.window.to);
    const prev = gaps.at(-1);
    if (prev && prev.to === from) prev.to = to;
    else gaps.push({ kind: c.kind, from, to });
  }
  return gaps;
}

const unionBy = <T>(items: readonly T[], key: (t: T) => string): T[] => {
  const seen = new Map<string, T>();
  for (const i of items) if (!seen.has(key(i))) seen.set(key(i), i);
  return [...seen.values()];
};

/** The coverage of an answer made of `results`, as of `now`. */
export function coverageOf(
  results: ReadonlyArray<Pick<QueryResult, 'coverage' | 'skipped'>>,
  now: number,
  attribution: AttributionSource,
  snat?: SnatWarning,
): Coverage {
  const all = results.flatMap((r) => r.coverage ?? []);
  const kinds = perKind(all);
  const delivery = kinds.map((c): KindDelivery => {
    const newest = c.newestRecord;
    return {
      kind: c.kind,
      ...(newest !== undefined ? { newestRecord: newest, lagSeconds: Math.max(0, now - newest) } : {}),
      undeliveredSeconds: Math.max(0, c.window.to - (newest ?? c.window.from)),
    };
  });
  const main = delivery[0];
  const lines = all.flatMap((c) => c.unreadableLines.samples);
  const flow = kinds.find((k) => k.kind === 'flow');
  return {
    ...(main?.newestRecord !== undefined ? { newestRecord: main.newestRecord, lagSeconds: main.lagSeconds } : {}),
    delivery,
    gaps: kinds.flatMap(gapsOf),
    skipData: flow?.skipData ?? 0,
    noData: flow?.noData ?? 0,
    skippedObjects: unionBy(
      results.flatMap((r) => r.skipped),
      (s) => s.key,
    ),
    unreadableLines: {
      count: kinds.reduce((s, k) => s + k.unreadableLines.count, 0),
      samples: unionBy(lines, (l) => `${l.key}:${l.line}`).slice(0, MAX_SAMPLES),
    },
    missingFields: unionBy(
      all.flatMap((c) => c.missingFields),
      (m) => m.key,
    ),
    attribution,
    ...(snat ? { snat } : {}),
  };
}
