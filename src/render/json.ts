import type { Answer, FlowRow } from '../commands/answer.js';
import { isoSeconds } from '../flowlogs/window.js';

/** JSON shape of a row: the CLI/API contract (ISO-8601 UTC times, integers as numbers). */
function rowJson(r: FlowRow) {
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

/**
 * The `--format json` object: `{command, window: {from, to}, rows?, domains?, stats?, skipped?, …}`. `domains` is the
 * list of names workloads asked for; `domainDetails` adds CNAME targets and counts. Pure.
 */
export function renderJson(a: Answer): Record<string, unknown> {
  const out: Record<string, unknown> = { command: a.command };
  if (a.window) out.window = { from: isoSeconds(a.window.from), to: isoSeconds(a.window.to) };
  if (a.ip) out.ip = a.ip;
  if (a.rows) out.rows = a.rows.map(rowJson);
  if (a.domains) {
    out.domains = a.domains.map((d) => d.name);
    out.domainDetails = a.domains.map((d) => ({
      name: d.name,
      cnames: d.cnames,
      queries: d.queries,
      firstSeen: isoSeconds(d.firstSeen),
      lastSeen: isoSeconds(d.lastSeen),
    }));
  }
  if (a.history)
    out.history = a.history.map((h) => ({
      ...h,
      from: h.from !== undefined ? isoSeconds(h.from) : null,
      to: h.to ? isoSeconds(h.to) : null,
    }));
  if (a.table) out.table = a.table;
  if (a.lines) out.lines = a.lines;
  if (a.stats) {
    const { engine, bytesScanned, costUsd, reused, queryExecutionIds } = a.stats;
    out.stats = { engine, bytesScanned, costUsd, reused, queryExecutionIds };
  }
  out.skipped = a.skipped;
  if (a.notes.length) out.notes = a.notes;
  return out;
}
