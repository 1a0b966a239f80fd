import { domainsFor } from '../dns/domains.js';
import { describeDuration } from '../duration.js';
import { flowWindowParams, P } from '../engine/params.js';
import { addStats } from '../engine/types.js';
import { resolveWindow, type WindowSpec, windowLabel } from '../flowlogs/window.js';
import type { DomainHit, FlowAnswer } from './answer.js';
import { answerCoverage, rowSources } from './answer-coverage.js';
import type { CommandContext } from './context.js';
import { enrichOwners } from './enrich.js';
import { over, parseTail } from './grammar.js';
import { aggregateLegs } from './legs.js';
import { defineCommand } from './spec.js';
import { runWhoCidr, type WhoCidrAnswer } from './who-cidr.js';
import { runWhoName, type WhoNameAnswer } from './who-name.js';
import { parseWhoTarget, targetText, type WhoNameTarget, type WhoTarget } from './who-target.js';

export type { WhoTarget } from './who-target.js';

/**
 * `who`, parsed: an address stays the flat `ip` field (the form digests and queued jobs already carry); a name, a
 * `*.suffix` pattern or a range is the typed `target`.
 */
export type WhoCommand =
  | { name: 'who'; ip: string; window: WindowSpec }
  | { name: 'who'; target: WhoNameTarget | Extract<WhoTarget, { kind: 'cidr' }>; window: WindowSpec };

/** Answer of `who <ip>`. */
export interface WhoIpAnswer extends FlowAnswer {
  command: 'who';
  ip: string;
  domains: DomainHit[];
}

/** Any `who` answer: by address, by name or pattern (`asked`), or by range (`cidr`). */
export type WhoAnswer = WhoIpAnswer | WhoNameAnswer | WhoCidrAnswer;

const USAGE = 'who <ip|name|*.suffix|cidr> [last N(h|d)]';

/** The target of a parsed `who`, whichever form it has. */
export function whoTarget(cmd: WhoCommand): WhoTarget {
  return 'ip' in cmd ? { kind: 'ip', ip: cmd.ip } : cmd.target;
}

/** `who <ip>`: which pods/workloads sent traffic to an internet address, how much, when, and the names behind it. */
export async function runWhoIp(ip: string, spec: WindowSpec, ctx: CommandContext): Promise<WhoIpAnswer> {
  const window = resolveWindow(spec, ctx.now);
  const opts = { signal: ctx.signal };
  ctx.onProgress?.({ state: 'querying' });
  const [flows, dns] = await Promise.all([
    ctx.engine.run(
      'who',
      { ...flowWindowParams(window), ip: P.ip(ip), internal_cidrs: P.cidrs(ctx.classifier.internalCidrs) },
      opts,
    ),
    domainsFor(ctx.engine, ip, window, ctx.limits.dnsLookbackSeconds, opts),
  ]);
  ctx.onProgress?.({ state: 'enriching', bytesScanned: flows.stats.bytesScanned + dns.result.stats.bytesScanned });
  const rows = await enrichOwners(await aggregateLegs(flows.rows, ctx.attribution), ctx);
  return {
    command: 'who',
    label: windowLabel(spec),
    window,
    ip,
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

/** Runs any form of `who`. */
export function runWho(cmd: WhoCommand, ctx: CommandContext): Promise<WhoAnswer> {
  const t = whoTarget(cmd);
  switch (t.kind) {
    case 'ip':
      return runWhoIp(t.ip, cmd.window, ctx);
    case 'cidr':
      return runWhoCidr(t.cidr, cmd.window, ctx);
    default:
      return runWhoName(t, cmd.window, ctx);
  }
}

export const who = defineCommand<WhoCommand, WhoAnswer>({
  name: 'who',
  usage: USAGE,
  summary: 'which pods/workloads sent traffic to an internet IP, a name (or *.suffix) or a range',
  forms: [
    { usage: 'who <ip> [last N(h|d)]', summary: 'which pods/workloads sent traffic to an internet IP' },
    { usage: 'who <name> [last N(h|d)]', summary: '… to the addresses resolver answers gave for a name' },
    { usage: 'who *.<suffix> [last N(h|d)]', summary: '… for every name below a suffix' },
    { usage: 'who <cidr> [last N(h|d)]', summary: '… to every internet address of a range (≤ /8, IPv6 ≤ /16)' },
  ],
  examples: ['who 142.250.80.46 last 7d', 'who telemetry.vendorx.io last 10d', 'who *.vendorx.io', 'who 34.120.0.0/16'],
  parse(words, opts) {
    const t = parseWhoTarget(USAGE, words[0], opts);
    const window = parseTail(`who ${targetText(t)}`, USAGE, words.slice(1), opts).window;
    return t.kind === 'ip' ? { name: 'who', ip: t.ip, window } : { name: 'who', target: t, window };
  },
  describe: (c) => {
    const t = whoTarget(c);
    const what = t.kind === 'cidr' ? `addresses in ${t.cidr}` : targetText(t);
    return `Looking up who talked to ${what}${over(c.window)}`;
  },
  run: runWho,
});
