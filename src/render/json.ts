import type { DomainHit, FlowRow, HistoryEntry } from '../commands/answer.js';
import type { Answer } from '../commands/registry.js';
import { isoSeconds, type Window } from '../flowlogs/window.js';

/** JSON shape of a row: the CLI/API contract (ISO-8601 UTC times, integers as numbers). */
export function rowJson(r: FlowRow) {
  return {
    podIp: r.podIp,
    externalIp: r.externalIp,
    dstPort: r.dstPort,
    protocol: r.protocol,
    workload: r.workload,
    pod: r.pod,
    flows: r.flows,
    rejected: r.rejected,
    bytesOut: r.bytesOut,
    bytesIn: r.bytesIn,
    firstSeen: isoSeconds(r.firstSeen),
    lastSeen: isoSeconds(r.lastSeen),
    ...(r.node !== undefined ? { node: r.node } : {}),
    ...(r.cluster !== undefined ? { cluster: r.cluster } : {}),
    ...(r.owner !== undefined ? { owner: r.owner } : {}),
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
  };
}

/** `domains` (the names workloads asked for) and `domainDetails` (with CNAME targets and counts). */
export function domainsJson(hits: readonly DomainHit[]) {
  return {
    domains: hits.map((d) => d.name),
    domainDetails: hits.map((d) => ({
      name: d.name,
      cnames: d.cnames,
      queries: d.queries,
      firstSeen: isoSeconds(d.firstSeen),
      lastSeen: isoSeconds(d.lastSeen),
    })),
  };
}

const windowJson = (w: Window) => ({ window: { from: isoSeconds(w.from), to: isoSeconds(w.to) } });

const historyJson = (history: readonly HistoryEntry[]) =>
  history.map((h) => ({
    ...h,
    from: h.from !== undefined ? isoSeconds(h.from) : null,
    to: h.to ? isoSeconds(h.to) : null,
  }));

/** What the answer's own part holds, per command. */
function body(a: Answer): Record<string, unknown> {
  switch (a.command) {
    case 'who':
      return { ...windowJson(a.window), ip: a.ip, rows: a.rows.map(rowJson), ...domainsJson(a.domains) };
    case 'dns-bypass':
      return { ...windowJson(a.window), rows: a.rows.map(rowJson) };
    case 'domain':
      return { ...windowJson(a.window), ip: a.ip, ...domainsJson(a.domains) };
    case 'ip-history':
      return { ...windowJson(a.window), ip: a.ip, history: historyJson(a.history) };
    case 'top':
    case 'cost':
    case 'rejects':
      return { ...windowJson(a.window), table: a.table };
    case 'help':
      return { lines: a.lines };
  }
}

/**
 * The `--format json` object: `{command, window: {from, to}, …the command's part…, stats?, skipped, notes?}`. Pure.
 */
export function renderJson(a: Answer): Record<string, unknown> {
  const out: Record<string, unknown> = { command: a.command, ...body(a) };
  if (a.stats) {
    const { engine, bytesScanned, costUsd, reused, queryExecutionIds, cache } = a.stats;
    out.stats = { engine, bytesScanned, costUsd, reused, queryExecutionIds, ...(cache ? { cache } : {}) };
  }
  out.skipped = a.skipped;
  if (a.notes.length) out.notes = a.notes;
  return out;
}
