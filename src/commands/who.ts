import { domainsFor } from '../dns/domains.js';
import { describeDuration } from '../duration.js';
import { flowWindowParams, P } from '../engine/params.js';
import { addStats } from '../engine/types.js';
import type { Answer } from './answer.js';
import { type Command, resolveWindow, windowLabel } from './command.js';
import type { CommandContext } from './context.js';
import { enrichOwners } from './enrich.js';
import { aggregateLegs } from './legs.js';

type Who = Extract<Command, { name: 'who' }>;

/** `who <ip>`: which pods/workloads sent traffic to an internet address, how much, when, and the names behind it. */
export async function runWho(cmd: Who, ctx: CommandContext): Promise<Answer> {
  const window = resolveWindow(cmd.window, ctx.now);
  const opts = { signal: ctx.signal };
  ctx.onProgress?.({ state: 'querying' });
  const [flows, dns] = await Promise.all([
    ctx.engine.run(
      'who',
      { ...flowWindowParams(window), ip: P.ip(cmd.ip), internal_cidrs: P.cidrs(ctx.classifier.internalCidrs) },
      opts,
    ),
    domainsFor(ctx.engine, cmd.ip, window, ctx.limits.dnsLookbackSeconds, opts),
  ]);
  ctx.onProgress?.({ state: 'enriching', bytesScanned: flows.stats.bytesScanned + dns.result.stats.bytesScanned });
  const rows = await enrichOwners(await aggregateLegs(flows.rows, ctx.attribution), ctx);
  return {
    command: 'who',
    label: windowLabel(cmd.window),
    window,
    ip: cmd.ip,
    rows,
    domains: dns.hits,
    stats: addStats(flows.stats, dns.result.stats),
    skipped: [...flows.skipped, ...dns.result.skipped],
    notes: [
      ...(flows.warnings ?? []),
      ...(dns.result.warnings ?? []),
      `names: resolver answers from ${describeDuration(ctx.limits.dnsLookbackSeconds)} before the window on`,
    ],
  };
}
