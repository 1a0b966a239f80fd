/**
 * Data coverage on Athena: beside each query, one aggregate per table it reads (queries/coverage-flow.sql,
 * coverage-dns.sql) over the same window and partitions, turned into the {@link KindCoverage} every engine reports.
 * Identical windows give identical statements, so Athena's result reuse makes repeats free.
 */
import type { Window } from '../flowlogs/window.js';
import type { KindCoverage, LogKind, Params, ResultRow } from './types.js';

/** The coverage query and the parameters of its window, per table. */
export const COVERAGE_QUERIES: Record<LogKind, { query: string; from: string; to: string; names: string[] }> = {
  flow: { query: 'coverage-flow', from: 't_from', to: 't_to', names: ['day_from', 'day_to', 't_from', 't_to'] },
  dns: {
    query: 'coverage-dns',
    from: 'dns_from',
    to: 'dns_to',
    names: ['dns_day_from', 'dns_day_to', 'dns_from', 'dns_to'],
  },
};

/** The table's window from the query's parameters; undefined when the query does not bound it. */
export function coverageWindow(kind: LogKind, params: Params): Window | undefined {
  const { from, to } = COVERAGE_QUERIES[kind];
  const f = params[from]?.value;
  const t = params[to]?.value;
  return typeof f === 'number' && typeof t === 'number' ? { from: f, to: t } : undefined;
}

/** The coverage query's parameters, taken from the query's own (so both read the same partitions). */
export function coverageParams(kind: LogKind, params: Params): Params {
  return Object.fromEntries(COVERAGE_QUERIES[kind].names.flatMap((n) => (params[n] ? [[n, params[n]]] : [])));
}

/** Per-hour rows → coverage. Athena reports neither unreadable lines nor per-object formats (the table has one). */
export function coverageFromRows(kind: LogKind, window: Window, rows: readonly ResultRow[]): KindCoverage {
  const newest = rows.reduce((m, r) => Math.max(m, Math.floor(Number(r.newest ?? 0))), 0);
  return {
    kind,
    window,
    hours: rows
      .filter((r) => Number(r.records) > 0)
      .map((r) => Number(r.hour))
      .sort((a, b) => a - b),
    ...(newest > 0 ? { newestRecord: newest } : {}),
    skipData: rows.reduce((s, r) => s + Number(r.skipdata ?? 0), 0),
    noData: rows.reduce((s, r) => s + Number(r.nodata ?? 0), 0),
    unreadableLines: { count: 0, samples: [] },
    missingFields: [],
  };
}
