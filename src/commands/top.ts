import { dnsWindowParams, flowWindowParams, P } from '../engine/params.js';
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

export type TopBy = 'workload' | 'namespace' | 'destination';

export interface TopCommand {
  name: 'top';
  window: WindowSpec;
  by: TopBy;
}

export interface TopAnswer extends TableAnswer {
  command: 'top';
}

const USAGE = 'top [last N(h|d)] [by workload|namespace|destination]';

/** Rows a ranking shows; the total still covers everything. */
export const TOP_N = 10;

/** One ranked group of `top` by workload/namespace (also used by the digest). */
export interface Talker {
  group: string;
  /** Distinct pod IPs (by workload) or workloads (by namespace) in the group. */
  members: number;
  flows: number;
  rejected: number;
  bytesOut: number;
  bytesIn: number;
}

/**
 * Groups attributed `talkers.sql` rows by workload or namespace: internet egress only (pod → internet legs), each
 * bucket attributed at its own time. Sorted by bytes out desc. Pure.
 */
export function rankTalkers(rows: readonly AttributedRow[], by: GroupBy): Talker[] {
  const groups = new Map<string, Talker & { ids: Set<string> }>();
  for (const a of rows) {
    const r = a.row;
    if (Number(r.egress_flows) === 0) continue;
    const group = groupOf(a, by);
    const g = groups.get(group) ?? {
      group,
      members: 0,
      flows: 0,
      rejected: 0,
      bytesOut: 0,
      bytesIn: 0,
      ids: new Set(),
    };
    g.ids.add(by === 'workload' ? a.podIp : groupOf(a, 'workload'));
    g.flows += Number(r.egress_flows);
    g.rejected += Number(r.egress_rejected);
    g.bytesOut += Number(r.egress_out);
    g.bytesIn += Number(r.egress_in);
    groups.set(group, g);
  }
  return [...groups.values()]
    .map(({ ids, ...t }) => ({ ...t, members: ids.size }))
    .sort(
      byValueThenLabel<Talker>(
        (t) => t.bytesOut,
        (t) => t.group,
      ),
    );
}

/** `top [last N] [by workload|namespace|destination]`: who sends the most bytes to the internet (10 rows + total). */
export async function runTop(cmd: TopCommand, ctx: CommandContext): Promise<TopAnswer> {
  const window = resolveWindow(cmd.window, ctx.now);
  const base = {
    command: 'top' as const,
    label: `${windowLabel(cmd.window)} · by ${cmd.by}`,
    window,
    notes: [] as string[],
  };
  ctx.onProgress?.({ state: 'querying' });
  const internal = P.cidrs(ctx.classifier.internalCidrs);
  if (cmd.by === 'destination') {
    const params = { ...flowWindowParams(window), ...dnsWindowParams(window, ctx.limits.dnsLookbackSeconds) };
    const res = await ctx.engine.run(
      'top-destinations',
      { ...params, internal_cidrs: internal, limit: P.int(TOP_N) },
      { signal: ctx.signal },
    );
    const dests = new Map<string, { r: (typeof res.rows)[number]; names: string[] }>();
    for (const r of res.rows) {
      const d = dests.get(String(r.external_ip)) ?? { r, names: [] };
      if (r.name) d.names.push(String(r.name));
      dests.set(String(r.external_ip), d);
    }
    const rows = [...dests.values()]
      .sort(
        byValueThenLabel(
          (d) => Number(d.r.bytes_out),
          (d) => String(d.r.external_ip),
        ),
      )
      .map(({ r, names }) => ({
        destination: String(r.external_ip),
        names: names.sort().join(' ') || null,
        pod_ips: Number(r.sources),
        flows: Number(r.flows),
        rejected: Number(r.rejected),
        bytes_out: Number(r.bytes_out),
        bytes_in: Number(r.bytes_in),
      }));
    base.notes.push(
      `names: resolver answers from ${Math.round(ctx.limits.dnsLookbackSeconds / 3600)}h before the window on`,
    );
    const table = {
      columns: ['destination', 'names', 'pod_ips', 'flows', 'rejected', 'bytes_out', 'bytes_in'],
      rows,
      units: UNITS,
    };
    return { ...base, table, coverage: await answerCoverage(ctx, [res]), stats: res.stats, skipped: res.skipped };
  }
  const res = await ctx.engine.run(
    'talkers',
    { ...flowWindowParams(window), granularity: P.int(bucketSeconds(cmd.window.seconds)), internal_cidrs: internal },
    { signal: ctx.signal },
  );
  ctx.onProgress?.({ state: 'enriching', bytesScanned: res.stats.bytesScanned });
  const attributed = await attributeRows(res.rows, ctx.attribution);
  const ranked = rankTalkers(attributed, cmd.by);
  const members = cmd.by === 'workload' ? 'pod_ips' : 'workloads';
  const rows = ranked.slice(0, TOP_N).map((t) => ({
    [cmd.by]: t.group,
    [members]: t.members,
    flows: t.flows,
    rejected: t.rejected,
    bytes_out: t.bytesOut,
    bytes_in: t.bytesIn,
  }));
  const total = { bytes_out: sum(ranked, (t) => t.bytesOut), bytes_in: sum(ranked, (t) => t.bytesIn) };
  if (ranked.length > TOP_N) base.notes.push(`top ${TOP_N} of ${ranked.length} ${cmd.by}s; the total covers all`);
  const table = { columns: [cmd.by, members, 'flows', 'rejected', 'bytes_out', 'bytes_in'], rows, total, units: UNITS };
  const coverage = await answerCoverage(ctx, [res], attributedSources(attributed));
  return { ...base, table, coverage, stats: res.stats, skipped: res.skipped };
}

export const top = defineCommand<TopCommand, TopAnswer>({
  name: 'top',
  usage: USAGE,
  summary: 'top talkers by bytes out',
  examples: ['top last 1d by namespace'],
  parse(words, opts) {
    const t = parseTail('top', USAGE, words, opts, ['workload', 'namespace', 'destination'] as const);
    return { name: 'top', window: t.window, by: t.by ?? 'workload' };
  },
  describe: (c) => `Ranking ${c.by}s by bytes sent to the internet${over(c.window)}`,
  run: runTop,
});
