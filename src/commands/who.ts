import { domainsFor } from '../dns/domains.js';
import { describeDuration } from '../duration.js';
import { flowWindowParams, P } from '../engine/params.js';
import { addStats } from '../engine/types.js';
import { resolveWindow, type WindowSpec, windowLabel } from '../flowlogs/window.js';
import type { DomainHit, FlowAnswer } from './answer.js';
import { answerCoverage, rowSources } from './answer-coverage.js';
import type { CommandContext } from './context.js';
import { enrichOwners } from './enrich.js';
import { over, parseIpArg, parseTail } from './grammar.js';
import { aggregateLegs } from './legs.js';
import { defineCommand } from './spec.js';

export interface WhoCommand {
  name: 'who';
  ip: string;
  window: WindowSpec;
}

export interface WhoAnswer extends FlowAnswer {
  command: 'who';
  ip: string;
  domains: DomainHit[];
}

const USAGE = 'who <ip> [last N(h|d)]';

/** `who <ip>`: which pods/workloads sent traffic to an internet address, how much, when, and the names behind it. */
export async function runWho(cmd: WhoCommand, ctx: CommandContext): Promise<WhoAnswer> {
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
    coverage: await answerCoverage(ctx, [flows, dns.result], rowSources(rows)),
    stats: addStats(flows.stats, dns.result.stats),
    skipped: [...flows.skipped, ...dns.result.skipped],
    notes: [
      ...(flows.warnings ?? []),
      ...(dns.result.warnings ?? []),
      `names: resolver answers from ${describeDuration(ctx.limits.dnsLookbackSeconds)} before the window on`,
    ],
  };
}

export const who = defineCommand<WhoCommand, WhoAnswer>({
  name: 'who',
  usage: USAGE,
  summary: 'which pods/workloads sent traffic to an internet IP',
  examples: ['who 142.250.80.46 last 7d'],
  parse(words, opts) {
    const ip = parseIpArg('who', USAGE, words[0], opts, true);
    return { name: 'who', ip, window: parseTail(`who ${ip}`, USAGE, words.slice(1), opts).window };
  },
  describe: (c) => `Looking up who talked to ${c.ip}${over(c.window)}`,
  run: runWho,
});
