import { domainsFor } from '../dns/domains.js';
import type { Answer } from './answer.js';
import { type Command, resolveWindow, windowLabel } from './command.js';
import type { CommandContext } from './context.js';

type Domain = Extract<Command, { name: 'domain' }>;

/** `domain <ip>`: which names resolved to an address (with CNAME targets), from Route 53 Resolver query logs. */
export async function runDomain(cmd: Domain, ctx: CommandContext): Promise<Answer> {
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
    stats: result.stats,
    skipped: result.skipped,
    notes: result.warnings ?? [],
  };
}
