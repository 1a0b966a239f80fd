import { flowWindowParams, P } from '../engine/params.js';
import type { Answer } from './answer.js';
import { type Command, resolveWindow, windowLabel } from './command.js';
import type { CommandContext } from './context.js';
import { enrichOwners } from './enrich.js';
import { aggregateLegs } from './legs.js';

type DnsBypass = Extract<Command, { name: 'dns-bypass' }>;

/** `dns-bypass`: workloads that talk DNS (53) or DNS-over-TLS (853) to internet resolvers instead of the VPC's. */
export async function runDnsBypass(cmd: DnsBypass, ctx: CommandContext): Promise<Answer> {
  const window = resolveWindow(cmd.window, ctx.now);
  ctx.onProgress?.({ state: 'querying' });
  const result = await ctx.engine.run(
    'dns-bypass',
    { ...flowWindowParams(window), internal_cidrs: P.cidrs(ctx.classifier.internalCidrs) },
    { signal: ctx.signal },
  );
  ctx.onProgress?.({ state: 'enriching', bytesScanned: result.stats.bytesScanned });
  const rows = await enrichOwners(await aggregateLegs(result.rows, ctx.attribution), ctx);
  return {
    command: 'dns-bypass',
    label: windowLabel(cmd.window),
    window,
    rows,
    stats: result.stats,
    skipped: result.skipped,
    notes: result.warnings ?? [],
  };
}
