import { domainsFor } from '../dns/domains.js';
import { resolveWindow, type WindowSpec, windowLabel } from '../flowlogs/window.js';
import type { DomainHit, WindowedAnswer } from './answer.js';
import { answerCoverage } from './answer-coverage.js';
import type { CommandContext } from './context.js';
import { over, parseIpArg, parseTail } from './grammar.js';
import { defineCommand } from './spec.js';

export interface DomainCommand {
  name: 'domain';
  ip: string;
  window: WindowSpec;
}

export interface DomainAnswer extends WindowedAnswer {
  command: 'domain';
  ip: string;
  domains: DomainHit[];
}

const USAGE = 'domain <ip> [last N(h|d)]';

/** `domain <ip>`: which names resolved to an address (with CNAME targets), from Route 53 Resolver query logs. */
export async function runDomain(cmd: DomainCommand, ctx: CommandContext): Promise<DomainAnswer> {
  const window = resolveWindow(cmd.window, ctx.now);
  ctx.onProgress?.({ state: 'querying' });
  const { hits, result } = await domainsFor(ctx.engine, cmd.ip, window, ctx.limits.dnsLookbackSeconds, {
    signal: ctx.signal,
  });
  return {
    command: 'domain',
    label: windowLabel(cmd.window),
    window,
    ip: cmd.ip,
    domains: hits,
    coverage: await answerCoverage(ctx, [result]),
    stats: result.stats,
    skipped: result.skipped,
    notes: result.warnings ?? [],
  };
}

export const domain = defineCommand<DomainCommand, DomainAnswer>({
  name: 'domain',
  usage: USAGE,
  summary: 'which names resolved to an IP',
  examples: ['domain 151.101.1.69'],
  parse(words, opts) {
    const ip = parseIpArg('domain', USAGE, words[0], opts, true);
    return { name: 'domain', ip, window: parseTail(`domain ${ip}`, USAGE, words.slice(1), opts).window };
  },
  describe: (c) => `Looking up which names resolved to ${c.ip}${over(c.window)}`,
  run: runDomain,
});
