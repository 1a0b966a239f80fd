import { addStats, type EngineStats, type QueryResult, type SkippedObject } from '../engine/types.js';

/** What several queries behind one answer add up to: summed stats, each skipped object once, every warning once. */
export function mergeResults(results: readonly QueryResult[]): {
  stats?: EngineStats;
  skipped: SkippedObject[];
  warnings: string[];
} {
  const skipped = new Map<string, SkippedObject>();
  for (const r of results) for (const s of r.skipped) if (!skipped.has(s.key)) skipped.set(s.key, s);
  return {
    stats: results.length ? results.map((r) => r.stats).reduce(addStats) : undefined,
    skipped: [...skipped.values()],
    warnings: [...new Set(results.flatMap((r) => r.warnings ?? []))],
  };
}
