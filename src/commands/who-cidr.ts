import ipaddr from 'ipaddr.js';
import { domainsForMany } from '../dns/domains.js';
import { describeDuration } from '../duration.js';
import { flowWindowParams, P } from '../engine/params.js';
import type { QueryResult, ResultRow } from '../engine/types.js';
import type { AddressClassifier } from '../flowlogs/classify.js';
import { resolveWindow, type WindowSpec, windowLabel } from '../flowlogs/window.js';
import type { FlowRow, WindowedAnswer } from './answer.js';
import { answerCoverage, rowSources } from './answer-coverage.js';
import type { CommandContext } from './context.js';
import { enrichOwners } from './enrich.js';
import { aggregateLegs } from './legs.js';
import { mergeResults } from './results.js';

/** A `who <cidr>` row: a `who <ip>` row plus the names that resolved to its address. */
export interface CidrFlowRow extends FlowRow {
  domains: string[];
}

/** Answer of `who <cidr>`. */
export interface WhoCidrAnswer extends WindowedAnswer {
  command: 'who';
  cidr: string;
  rows: CidrFlowRow[];
}

/**
 * who-cidr.sql's records as legs (the shape of who.sql's rows): egress when the source is internal and the destination
 * an internet address of the range, return when the reverse; anything else (both sides internal, or both external)
 * is no egress. Pure.
 */
export function rangeLegs(records: readonly ResultRow[], cidr: string, classifier: AddressClassifier): ResultRow[] {
  const [net, bits] = ipaddr.parseCIDR(cidr);
  const inRange = (ip: string) => {
    if (!ipaddr.isValid(ip)) return false;
    const a = ipaddr.process(ip);
    return a.kind() === net.kind() && a.match(net, bits);
  };
  const out: ResultRow[] = [];
  for (const r of records) {
    const src = String(r.src);
    const dst = String(r.dst);
    const srcInternal = classifier.isInternal(src);
    if (srcInternal === classifier.isInternal(dst)) continue;
    const ext = srcInternal ? dst : src;
    if (!inRange(ext)) continue;
    out.push({
      leg: srcInternal ? 'out' : 'in',
      pod_ip: srcInternal ? src : dst,
      external_ip: ext,
      port: srcInternal ? r.dstport : r.srcport,
      protocol: r.protocol,
      ts: r.ts,
      flows: r.flows,
      rejected: r.rejected,
      bytes: r.bytes,
    });
  }
  return out;
}

/**
 * `who <cidr>`: `who <ip>`'s rows for every internet address of the range that pods reached, each with the names
 * that resolved to its address (the window extended back by the DNS lookback, as for `who <ip>`).
 */
export async function runWhoCidr(cidr: string, spec: WindowSpec, ctx: CommandContext): Promise<WhoCidrAnswer> {
  const window = resolveWindow(spec, ctx.now);
  const opts = { signal: ctx.signal };
  ctx.onProgress?.({ state: 'querying' });
  const flows = await ctx.engine.run('who-cidr', { ...flowWindowParams(window), cidr: P.cidr(cidr) }, opts);
  ctx.onProgress?.({ state: 'enriching', bytesScanned: flows.stats.bytesScanned });
  const legs = rangeLegs(flows.rows, cidr, ctx.classifier);
  const rows = await enrichOwners(await aggregateLegs(legs, ctx.attribution), ctx);
  const results: QueryResult[] = [flows];
  const ips = [...new Set(rows.map((r) => r.externalIp))];
  const dns = await domainsForMany(ctx.engine, ips, window, ctx.limits.dnsLookbackSeconds, opts);
  if (dns.result) results.push(dns.result);
  const merged = mergeResults(results);
  return {
    command: 'who',
    label: windowLabel(spec),
    window,
    cidr,
    rows: rows.map((r) => ({ ...r, domains: (dns.byIp.get(r.externalIp) ?? []).map((d) => d.name) })),
    coverage: await answerCoverage(ctx, results, rowSources(rows)),
    stats: merged.stats,
    skipped: merged.skipped,
    notes: [
      ...merged.warnings,
      `names: resolver answers from ${describeDuration(ctx.limits.dnsLookbackSeconds)} before the window on`,
    ],
  };
}
