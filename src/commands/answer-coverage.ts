import type { QueryResult } from '../engine/types.js';
import type { FlowRow } from './answer.js';
import type { CommandContext } from './context.js';
import { type Coverage, coverageOf } from './coverage.js';
import { type EgressSource, snatCheck } from './snat.js';

/** The sources of rows, for the SNAT check. */
export const rowSources = (rows: readonly FlowRow[]): EgressSource[] =>
  rows.map((r) => ({
    ip: r.podIp,
    flows: r.flows,
    holder: r.workload ? { workload: r.workload, hostNetwork: r.hostNetwork } : null,
    owner: r.owner,
  }));

/**
 * The coverage of an answer made of `results`: the engine's facts, the attribution source and, when the answer saw
 * who sends egress, the SNAT check.
 */
export async function answerCoverage(
  ctx: CommandContext,
  results: ReadonlyArray<Pick<QueryResult, 'coverage' | 'skipped'>>,
  sources?: readonly EgressSource[],
): Promise<Coverage> {
  const attribution = (await ctx.attribution.source?.()) ?? { source: 'none', reason: ctx.attribution.describe() };
  const snat = sources ? snatCheck(sources, ctx.attribution.nodeIps?.() ?? new Set()) : undefined;
  return coverageOf(results, ctx.now, attribution, snat);
}
