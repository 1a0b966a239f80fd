import { flowWindowParams, P } from '../engine/params.js';
import { resolveWindow, type WindowSpec, windowLabel } from '../flowlogs/window.js';
import type { FlowAnswer } from './answer.js';
import { answerCoverage, rowSources } from './answer-coverage.js';
import type { CommandContext } from './context.js';
import { enrichOwners } from './enrich.js';
import { over, parseTail } from './grammar.js';
import { aggregateLegs } from './legs.js';
import { defineCommand } from './spec.js';

export interface DnsBypassCommand {
  name: 'dns-bypass';
  window: WindowSpec;
}

export interface DnsBypassAnswer extends FlowAnswer {
  command: 'dns-bypass';
}

const USAGE = 'dns-bypass [last N(h|d)]';

/** `dns-bypass`: workloads that talk DNS (53) or DNS-over-TLS (853) to internet resolvers instead of the VPC's. */
export async function runDnsBypass(cmd: DnsBypassCommand, ctx: CommandContext): Promise<DnsBypassAnswer> {
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
    coverage: await answerCoverage(ctx, [result], rowSources(rows)),
    stats: result.stats,
    skipped: result.skipped,
    notes: result.warnings ?? [],
  };
}

export const dnsBypass = defineCommand<DnsBypassCommand, DnsBypassAnswer>({
  name: 'dns-bypass',
  usage: USAGE,
  summary: 'workloads talking DNS (53/853) to the internet instead of the VPC resolver',
  examples: ['dns-bypass last 24h'],
  parse: (words, opts) => ({ name: 'dns-bypass', window: parseTail('dns-bypass', USAGE, words, opts).window }),
  describe: (c) => `Looking for workloads talking DNS to the internet${over(c.window)}`,
  run: runDnsBypass,
});
