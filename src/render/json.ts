import type { DomainHit, FlowRow, HistoryEntry } from '../commands/answer.js';
import type { FromAnswer } from '../commands/from.js';
import type { Traffic } from '../commands/legs.js';
import type { Answer } from '../commands/registry.js';
import { selectorText } from '../commands/selector.js';
import type { WhoAnswer } from '../commands/who.js';
import { isoSeconds, type Window } from '../flowlogs/window.js';
import { coverageJson } from './coverage.js';
import { policyJson } from './json-policy.js';

/** The counts every traffic row carries, times as ISO-8601 (`who`'s and `from`'s rows alike). */
const trafficJson = (r: Traffic) => ({
  flows: r.flows,
  rejected: r.rejected,
  bytesOut: r.bytesOut,
  bytesIn: r.bytesIn,
  firstSeen: isoSeconds(r.firstSeen),
  lastSeen: isoSeconds(r.lastSeen),
});

/** JSON shape of a row: the CLI/API contract (ISO-8601 UTC times, integers as numbers). */
export function rowJson(r: FlowRow) {
  return {
    podIp: r.podIp,
    externalIp: r.externalIp,
    dstPort: r.dstPort,
    protocol: r.protocol,
    workload: r.workload,
    pod: r.pod,
    ...trafficJson(r),
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

const iso = (t: number | null | undefined) => (t == null ? null : isoSeconds(t));

/** `who` by address, by name or pattern (`name`/`pattern`, rows with `names`/`sharedWith`), by range (`cidr`). */
function whoJson(a: WhoAnswer): Record<string, unknown> {
  if ('ip' in a) return { ...windowJson(a.window), ip: a.ip, rows: a.rows.map(rowJson), ...domainsJson(a.domains) };
  if ('cidr' in a) {
    return { ...windowJson(a.window), cidr: a.cidr, rows: a.rows.map((r) => ({ ...rowJson(r), domains: r.domains })) };
  }
  return {
    ...windowJson(a.window),
    ...(a.asked.kind === 'name' ? { name: a.asked.name } : { pattern: a.asked.pattern }),
    rows: a.rows.map((r) => ({ ...rowJson(r), names: r.names, sharedWith: r.sharedWith })),
    addresses: a.addresses.map((d) => ({ ...d, firstSeen: isoSeconds(d.firstSeen), lastSeen: isoSeconds(d.lastSeen) })),
  };
}

/** `from`: the selector, the pods and intervals it resolved to, and one row per destination. */
function fromJson(a: FromAnswer): Record<string, unknown> {
  return {
    selector: selectorText(a.selector),
    ...windowJson(a.window),
    matched: a.matched,
    workloads: a.workloads,
    holders: a.holders.map((h) => ({
      ip: h.ip,
      namespace: h.namespace,
      pod: h.pod,
      workload: h.workload,
      from: iso(h.from),
      to: iso(h.to),
      ...(h.cluster !== undefined ? { cluster: h.cluster } : {}),
    })),
    rows: a.destinations.map((r) => ({
      externalIp: r.externalIp,
      dstPort: r.dstPort,
      protocol: r.protocol,
      names: r.names,
      pods: r.pods,
      ...trafficJson(r),
      new: r.new,
    })),
    newSince: isoSeconds(a.newSince),
  };
}

/** What the answer's own part holds, per command. */
function body(a: Answer): Record<string, unknown> {
  switch (a.command) {
    case 'who':
      return whoJson(a);
    case 'from':
      return fromJson(a);
    case 'policy':
      return policyJson(a);
    case 'dns-bypass':
      return { ...windowJson(a.window), rows: a.rows.map(rowJson) };
    case 'domain':
      return { ...windowJson(a.window), ip: a.ip, ...domainsJson(a.domains) };
    case 'ip-history':
      return { ...windowJson(a.window), ip: a.ip, history: historyJson(a.history) };
    case 'cost':
      return {
        ...windowJson(a.window),
        by: a.by,
        table: a.table,
        projection30dUsd: a.projection30dUsd,
        avoidable: a.avoidable,
        ...(a.unlabelled ? { unlabelled: a.unlabelled } : {}),
      };
    case 'top':
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
  if (a.coverage) out.coverage = coverageJson(a.coverage);
  if (a.stats) {
    const { engine, bytesScanned, costUsd, reused, queryExecutionIds, cache } = a.stats;
    out.stats = { engine, bytesScanned, costUsd, reused, queryExecutionIds, ...(cache ? { cache } : {}) };
  }
  out.skipped = a.skipped;
  if (a.notes.length) out.notes = a.notes;
  return out;
}
