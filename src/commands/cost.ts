import { flowWindowParams, P } from '../engine/params.js';
import { resolveWindow, type WindowSpec, windowLabel } from '../flowlogs/window.js';
import type { TableAnswer } from './answer.js';
import { answerCoverage } from './answer-coverage.js';
import { type AttributedRow, attributedSources, attributeRows, bucketSeconds, sum, UNITS } from './buckets.js';
import type { CommandContext } from './context.js';
import { type AvoidableRow, projection30d } from './cost-avoidable.js';
import { avoidableTraffic } from './cost-aws.js';
import { costLines, natUsd } from './cost-lines.js';
import { networkLookup, type UnlabelledNetwork } from './cost-network.js';
import { over, parseTail } from './grammar.js';
import { mergeResults } from './results.js';
import { defineCommand } from './spec.js';

export { BYTES_PER_GB, type CostLine, costLines, natUsd } from './cost-lines.js';

export type CostBy = 'workload' | 'namespace' | 'network';

export interface CostCommand {
  name: 'cost';
  window: WindowSpec;
  by: CostBy;
}

export interface CostAnswer extends TableAnswer {
  command: 'cost';
  by: CostBy;
  /** The window's NAT cost scaled to 30 days; null where the total is withheld (namespace-limited tokens). */
  projection30dUsd: number | null;
  /** NAT processing an endpoint would remove, per AWS service and region. */
  avoidable: AvoidableRow[];
  /** `by network`: internal sources no label names, by /16, so the operator sees what to label. */
  unlabelled?: UnlabelledNetwork[];
}

const USAGE = 'cost [last N(h|d)] [by workload|namespace|network]';

/** Rows grouped by network, and the unlabelled ranges with their sources. */
function byNetwork(ctx: CommandContext, rows: readonly AttributedRow[]) {
  const of = networkLookup(ctx.networks ?? [], ctx.classifier);
  const unlabelled = new Map<string, Set<string>>();
  const group = (a: AttributedRow) => {
    const n = of(a.podIp);
    if (!n.labelled) unlabelled.set(n.network, (unlabelled.get(n.network) ?? new Set()).add(a.podIp));
    return n.network;
  };
  const lines = costLines(rows, group, ctx.limits.natPricePerGb);
  const list = [...unlabelled.entries()]
    .map(([network, ips]) => ({ network, addresses: [...ips].sort() }))
    .sort((a, b) => (a.network < b.network ? -1 : 1));
  return { lines, unlabelled: list };
}

/** `cost [last N] [by workload|namespace|network]`: NAT data-processing cost per group, the 30-day projection and the AWS-service traffic a VPC endpoint would take off the NAT. */
export async function runCost(cmd: CostCommand, ctx: CommandContext): Promise<CostAnswer> {
  const window = resolveWindow(cmd.window, ctx.now);
  ctx.onProgress?.({ state: 'querying' });
  const granularity = bucketSeconds(cmd.window.seconds);
  const res = await ctx.engine.run(
    'talkers',
    {
      ...flowWindowParams(window),
      granularity: P.int(granularity),
      internal_cidrs: P.cidrs(ctx.classifier.internalCidrs),
    },
    { signal: ctx.signal },
  );
  ctx.onProgress?.({ state: 'enriching', bytesScanned: res.stats.bytesScanned });
  const price = ctx.limits.natPricePerGb;
  const network = cmd.by === 'network';
  // By network needs no pod: a source's range is its network.
  const attributed = network
    ? res.rows.map((row) => ({ row, podIp: String(row.pod_ip), resolution: { holder: null } }))
    : await attributeRows(res.rows, ctx.attribution);
  const grouped = cmd.by === 'network' ? byNetwork(ctx, attributed) : { lines: costLines(attributed, cmd.by, price) };
  const { lines } = grouped;
  const bytes = sum(lines, (l) => l.bytes);
  const aws = await avoidableTraffic(ctx, window, granularity);
  const merged = mergeResults([res, ...aws.results]);
  const columns = [cmd.by, ...(network ? ['sources'] : []), 'bytes_out', 'bytes_in', 'bytes', 'usd'];
  const sources = network ? undefined : [...attributedSources(attributed), ...attributedSources(aws.attributed)];
  return {
    command: 'cost',
    label: `${windowLabel(cmd.window)} · by ${cmd.by}`,
    window,
    by: cmd.by,
    table: {
      columns,
      rows: lines.map((l) => ({
        [cmd.by]: l.group,
        ...(network ? { sources: l.sources } : {}),
        bytes_out: l.bytesOut,
        bytes_in: l.bytesIn,
        bytes: l.bytes,
        usd: l.usd,
      })),
      // The total is priced from the byte total, not summed from rounded lines.
      total: {
        bytes_out: sum(lines, (l) => l.bytesOut),
        bytes_in: sum(lines, (l) => l.bytesIn),
        bytes,
        usd: natUsd(bytes, price),
      },
      units: UNITS,
    },
    projection30dUsd: projection30d(bytes, window.to - window.from, price),
    avoidable: aws.rows,
    ...('unlabelled' in grouped ? { unlabelled: grouped.unlabelled } : {}),
    coverage: await answerCoverage(ctx, [res, ...aws.results], sources),
    stats: merged.stats,
    skipped: merged.skipped,
    notes: [
      ...merged.warnings,
      `NAT data processing at $${price}/GB (EGRESS_NAT_PRICE_PER_GB; 1 GB = 2^30 bytes): NAT-translated records only, ` +
        'each connection once (bytes out + bytes back); REJECTed records excluded. Hourly NAT charges and internet data transfer are not included.',
      ...(network
        ? ['networks: EGRESS_NETWORKS, then the VPC CIDRs of EGRESS_CLUSTERS; other internal sources by their /16']
        : []),
      ...aws.notes,
    ],
  };
}

export const cost = defineCommand<CostCommand, CostAnswer>({
  name: 'cost',
  usage: USAGE,
  summary: 'NAT gateway data-processing cost, its 30-day projection and what VPC endpoints would save',
  examples: ['cost last 30d by namespace', 'cost last 7d by network'],
  parse(words, opts) {
    const t = parseTail('cost', USAGE, words, opts, ['workload', 'namespace', 'network'] as const);
    return { name: 'cost', window: t.window, by: t.by ?? 'workload' };
  },
  describe: (c) => `Working out NAT gateway data-processing cost per ${c.by}${over(c.window)}`,
  run: runCost,
});
