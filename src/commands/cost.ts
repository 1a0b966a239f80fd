import { flowWindowParams, P } from '../engine/params.js';
import { resolveWindow, type WindowSpec, windowLabel } from '../flowlogs/window.js';
import type { TableAnswer } from './answer.js';
import { answerCoverage } from './answer-coverage.js';
import {
  type AttributedRow,
  attributedSources,
  attributeRows,
  bucketSeconds,
  byValueThenLabel,
  type GroupBy,
  groupOf,
  sum,
  UNITS,
} from './buckets.js';
import type { CommandContext } from './context.js';
import { over, parseTail } from './grammar.js';
import { defineCommand } from './spec.js';

export type CostBy = 'workload' | 'namespace';

export interface CostCommand {
  name: 'cost';
  window: WindowSpec;
  by: CostBy;
}

export interface CostAnswer extends TableAnswer {
  command: 'cost';
}

const USAGE = 'cost [last N(h|d)] [by workload|namespace]';

/**
 * Bytes in one billed GB. AWS meters NAT gateway data processing in GB and, as for its other data charges, counts
 * a GB as 2^30 bytes (1,073,741,824); using 10^9 would overstate the cost by 7.4 %.
 */
export const BYTES_PER_GB = 2 ** 30;

/** NAT data processed by one group, in integers, plus the derived price. */
export interface CostLine {
  group: string;
  bytesOut: number;
  bytesIn: number;
  bytes: number;
  usd: number;
}

/** Price of `bytes` at `pricePerGb`, rounded to a micro-dollar (the cent is too coarse for small groups). */
export function natUsd(bytes: number, pricePerGb: number): number {
  return Math.round((bytes / BYTES_PER_GB) * pricePerGb * 1e6) / 1e6;
}

/**
 * Groups attributed `talkers.sql` rows into NAT data-processing cost (pure). What counts, per seed 004: only NAT-translated records,
 * so each connection's legs are counted once — the egress record's bytes (pod → NAT, what the NAT sends on) plus the
 * return record's bytes (NAT → pod, what it brought back). Both are data the NAT gateway processed and bills; the
 * untranslated NAT ↔ internet twins carry the same bytes again and are left out, as are REJECTed records (dropped,
 * not processed). Translated traffic to private peers (peering, private NAT) counts: the gateway bills it too.
 */
export function costLines(rows: readonly AttributedRow[], by: GroupBy, pricePerGb: number): CostLine[] {
  const groups = new Map<string, CostLine>();
  for (const a of rows) {
    const out = Number(a.row.nat_out);
    const inb = Number(a.row.nat_in);
    if (out + inb === 0) continue;
    const group = groupOf(a, by);
    const g = groups.get(group) ?? { group, bytesOut: 0, bytesIn: 0, bytes: 0, usd: 0 };
    g.bytesOut += out;
    g.bytesIn += inb;
    g.bytes += out + inb;
    groups.set(group, g);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, usd: natUsd(g.bytes, pricePerGb) }))
    .sort(
      byValueThenLabel<CostLine>(
        (g) => g.bytes,
        (g) => g.group,
      ),
    );
}

/** `cost [last N] [by workload|namespace]`: NAT gateway data-processing cost per group, with a total. */
export async function runCost(cmd: CostCommand, ctx: CommandContext): Promise<CostAnswer> {
  const window = resolveWindow(cmd.window, ctx.now);
  ctx.onProgress?.({ state: 'querying' });
  const res = await ctx.engine.run(
    'talkers',
    {
      ...flowWindowParams(window),
      granularity: P.int(bucketSeconds(cmd.window.seconds)),
      internal_cidrs: P.cidrs(ctx.classifier.internalCidrs),
    },
    { signal: ctx.signal },
  );
  ctx.onProgress?.({ state: 'enriching', bytesScanned: res.stats.bytesScanned });
  const price = ctx.limits.natPricePerGb;
  const attributed = await attributeRows(res.rows, ctx.attribution);
  const lines = costLines(attributed, cmd.by, price);
  const bytes = sum(lines, (l) => l.bytes);
  return {
    command: 'cost',
    label: `${windowLabel(cmd.window)} · by ${cmd.by}`,
    window,
    table: {
      columns: [cmd.by, 'bytes_out', 'bytes_in', 'bytes', 'usd'],
      rows: lines.map((l) => ({
        [cmd.by]: l.group,
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
    coverage: await answerCoverage(ctx, [res], attributedSources(attributed)),
    stats: res.stats,
    skipped: res.skipped,
    notes: [
      `NAT data processing at $${price}/GB (EGRESS_NAT_PRICE_PER_GB; 1 GB = 2^30 bytes): NAT-translated records only, ` +
        'each connection once (bytes out + bytes back); REJECTed records excluded. Hourly NAT charges and internet data transfer are not included.',
    ],
  };
}

export const cost = defineCommand<CostCommand, CostAnswer>({
  name: 'cost',
  usage: USAGE,
  summary: 'NAT gateway data-processing cost',
  examples: ['cost last 30d by namespace'],
  parse(words, opts) {
    const t = parseTail('cost', USAGE, words, opts, ['workload', 'namespace'] as const);
    return { name: 'cost', window: t.window, by: t.by ?? 'workload' };
  },
  describe: (c) => `Working out NAT gateway data-processing cost per ${c.by}${over(c.window)}`,
  run: runCost,
});
