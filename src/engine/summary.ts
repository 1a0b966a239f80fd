import type { Window } from '../flowlogs/window.js';
import type { KindCoverage, LogKind, UnreadableLines } from './types.js';

/**
 * What one log object holds, computed once per object (objects are immutable) by the pass that reads it whole — the
 * store's conversion, or the summary pass when the store is off — and kept in the object index, so the coverage of a
 * later question costs nothing.
 */
export interface ObjectSummary {
  /** Per minute of record start (flow: `start`; resolver: `query_timestamp`): [minute epoch, records, latest end]. */
  minutes: Array<[number, number, number]>;
  /** Record starts of SKIPDATA and NODATA records (rare, so kept exactly). */
  skipData: number[];
  noData: number[];
  /** Lines that could not be read (1-based line numbers in the decompressed object, header = line 1). */
  unreadable: { count: number; lines: number[] };
  /** Bloom filter of the addresses an object holds (see address-bloom.ts): flow `pkt-srcaddr`/`pkt-dstaddr`; resolver A/AAAA Rdata. */
  addresses?: string;
}

/** How many unreadable lines an answer names (per table). */
export const UNREADABLE_SAMPLES = 5;
/** How many line numbers one object's summary keeps. */
export const LINES_KEPT = 5;

const inWindow = (t: number, w: Window) => t >= w.from && t < w.to;

/**
 * Merges the summaries of the objects a table read into that table's coverage of `window`. Minutes are the grain:
 * a minute that straddles a window edge counts as inside when it starts inside. Pure.
 */
export function coverageOf(
  kind: LogKind,
  window: Window,
  objects: ReadonlyArray<{ key: string; summary: ObjectSummary }>,
  missingFields: KindCoverage['missingFields'],
): KindCoverage {
  const hours = new Set<number>();
  let newest: number | undefined;
  let skipData = 0;
  let noData = 0;
  const unreadable: UnreadableLines = { count: 0, samples: [] };
  for (const { key, summary: s } of objects) {
    for (const [minute, records, end] of s.minutes) {
      if (records <= 0 || !inWindow(minute, window)) continue;
      hours.add(minute - (minute % 3600));
      if (newest === undefined || end > newest) newest = end;
    }
    skipData += s.skipData.filter((t) => inWindow(t, window)).length;
    noData += s.noData.filter((t) => inWindow(t, window)).length;
    unreadable.count += s.unreadable.count;
    for (const line of s.unreadable.lines) {
      if (unreadable.samples.length < UNREADABLE_SAMPLES) unreadable.samples.push({ key, line });
    }
  }
  return {
    kind,
    window,
    hours: [...hours].sort((a, b) => a - b),
    ...(newest !== undefined ? { newestRecord: newest } : {}),
    skipData,
    noData,
    unreadableLines: unreadable,
    missingFields,
  };
}
