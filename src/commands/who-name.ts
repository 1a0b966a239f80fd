import { domainsForMany } from '../dns/domains.js';
import { type NameAnswer, nameAnswers } from '../dns/name-answers.js';
import { describeDuration } from '../duration.js';
import { flowWindowParams, MAX_IPS, P } from '../engine/params.js';
import type { QueryResult } from '../engine/types.js';
import { UserError } from '../errors.js';
import { isoSeconds, resolveWindow, type WindowSpec, windowLabel } from '../flowlogs/window.js';
import type { FlowRow, WindowedAnswer } from './answer.js';
import { answerCoverage, rowSources } from './answer-coverage.js';
import type { CommandContext } from './context.js';
import { enrichOwners } from './enrich.js';
import { aggregateTaggedLegs, toLeg } from './legs.js';
import { mergeResults } from './results.js';
import type { WhoNameTarget } from './who-target.js';

/** A `who <name>` row: a `who <ip>` row plus the asked names that justify it and the other names of its address. */
export interface NamedFlowRow extends FlowRow {
  /** Asked-for names whose resolver answers (≤ the lookback before a flow) justify this row's flows. */
  names: string[];
  /** Other names that resolved to the same address in the window (a shared CDN address): not what was asked. */
  sharedWith: string[];
}

/** An address the asked name(s) resolved to, with the evidence. */
export interface ResolvedAddress {
  ip: string;
  names: string[];
  cnames: string[];
  /** Logged queries whose answer listed it (once per query). */
  queries: number;
  firstSeen: number;
  lastSeen: number;
  /** True for a private/VPC address: no internet egress to look for. */
  internal?: boolean;
}

/** Answer of `who <name>` and `who *.<suffix>`. */
export interface WhoNameAnswer extends WindowedAnswer {
  command: 'who';
  asked: WhoNameTarget;
  rows: NamedFlowRow[];
  addresses: ResolvedAddress[];
}

const text = (t: WhoNameTarget) => (t.kind === 'name' ? t.name : t.pattern);
const matches = (t: WhoNameTarget, name: string) =>
  t.kind === 'name' ? name === t.name : name.endsWith(`.${t.suffix}`);

/** Per address, the answers that listed it, oldest first. */
function answersByIp(answers: readonly NameAnswer[]): Map<string, NameAnswer[]> {
  const out = new Map<string, NameAnswer[]>();
  for (const a of answers) for (const ip of a.addresses) out.set(ip, [...(out.get(ip) ?? []), a]);
  return out;
}

function addressesOf(byIp: Map<string, NameAnswer[]>, isInternal: (ip: string) => boolean): ResolvedAddress[] {
  return [...byIp.entries()]
    .map(([ip, list]) => ({
      ip,
      names: [...new Set(list.map((a) => a.name))].sort(),
      cnames: [...new Set(list.flatMap((a) => a.cnames))].sort(),
      queries: list.length,
      firstSeen: Math.floor(Math.min(...list.map((a) => a.at))),
      lastSeen: Math.floor(Math.max(...list.map((a) => a.at))),
      ...(isInternal(ip) ? { internal: true } : {}),
    }))
    .sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}

/**
 * `who <name>` / `who *.<suffix>`: the addresses Resolver answers gave for the name (directly or through the CNAME
 * chain starting at it), then `who <ip>`'s rows for those addresses — counting a flow only when an answer mapping an
 * asked name to the flow's address was logged at or before the flow's start and at most the DNS lookback before it.
 */
export async function runWhoName(asked: WhoNameTarget, spec: WindowSpec, ctx: CommandContext): Promise<WhoNameAnswer> {
  const window = resolveWindow(spec, ctx.now);
  const opts = { signal: ctx.signal };
  const lookback = ctx.limits.dnsLookbackSeconds;
  ctx.onProgress?.({ state: 'querying' });
  const question = asked.kind === 'name' ? { name: asked.name } : { suffix: asked.suffix };
  const dns = await nameAnswers(ctx.engine, question, window, lookback, opts);
  const byIp = answersByIp(dns.answers);
  const addresses = addressesOf(byIp, (ip) => ctx.classifier.isInternal(ip));
  const targets = addresses.filter((a) => !a.internal).map((a) => a.ip);
  const results: QueryResult[] = [dns.result];
  const notes = [
    `a flow counts for ${text(asked)} when a resolver answer mapping it to the flow's address was logged at or before the flow's start and at most ${describeDuration(lookback)} before it (EGRESS_DNS_LOOKBACK); Resolver logs only uncached queries, so this window is deliberately generous`,
  ];
  if (dns.answers.length === 0) {
    notes.push(
      `no resolver answer for ${text(asked)} was logged from ${isoSeconds(window.from - lookback)} to ${isoSeconds(window.to)}: it may be cached (Resolver logs only uncached queries) or resolved elsewhere (a resolver other than the VPC's, see \`dns-bypass\`), so no traffic can be tied to it`,
    );
  }
  const internal = addresses.filter((a) => a.internal).map((a) => a.ip);
  if (internal.length) notes.push(`resolved to internal addresses (${internal.join(', ')}): not internet egress`);
  if (targets.length > MAX_IPS) {
    throw new UserError(
      'BAD_COMMAND',
      `${text(asked)} resolved to ${targets.length} addresses in the window, more than the ${MAX_IPS} egress looks at at once; ask about a narrower name or a shorter window.`,
    );
  }
  let rows: NamedFlowRow[] = [];
  if (targets.length) {
    const flows = await ctx.engine.run('who-ips', { ips: P.ips(targets), ...flowWindowParams(window) }, opts);
    results.push(flows);
    // Only pods (internal sources) talk to the internet through the NAT; anything else is no egress.
    flows.rows = flows.rows.filter((r) => ctx.classifier.isInternal(String(r.pod_ip)));
    // The asked names whose answers justify each leg: logged in [start − lookback, start].
    const justify = flows.rows.map((r) => {
      const leg = toLeg(r);
      const list = byIp.get(leg.externalIp) ?? [];
      return [...new Set(list.filter((a) => a.at <= leg.at && a.at >= leg.at - lookback).map((a) => a.name))];
    });
    const kept = flows.rows.filter((_, i) => (justify[i] as string[]).length > 0);
    const keptTags = justify.filter((t) => t.length > 0);
    const uncounted = flows.rows.reduce(
      (n, r, i) => n + (r.leg === 'out' && !justify[i]?.length ? toLeg(r).flows : 0),
      0,
    );
    if (uncounted) {
      notes.push(
        `${uncounted} flow${uncounted === 1 ? '' : 's'} to these addresses had no answer for ${text(asked)} in the ${describeDuration(lookback)} before ${uncounted === 1 ? 'it' : 'them'} and ${uncounted === 1 ? 'is' : 'are'} not counted (reached for another name, or resolved earlier)`,
      );
    }
    ctx.onProgress?.({ state: 'enriching' });
    const tagged = await aggregateTaggedLegs(kept, ctx.attribution, (i) => keptTags[i] ?? []);
    const owned = await enrichOwners(
      tagged.map((t) => t.row),
      ctx,
    );
    const shared = await domainsForMany(
      ctx.engine,
      [...new Set(owned.map((r) => r.externalIp))],
      window,
      lookback,
      opts,
    );
    if (shared.result) results.push(shared.result);
    rows = owned.map((r, i) => ({
      ...r,
      names: tagged[i]?.tags ?? [],
      sharedWith: (shared.byIp.get(r.externalIp) ?? []).map((d) => d.name).filter((n) => !matches(asked, n)),
    }));
  }
  const merged = mergeResults(results);
  return {
    command: 'who',
    label: windowLabel(spec),
    window,
    asked,
    rows,
    addresses,
    coverage: await answerCoverage(ctx, results, rowSources(rows)),
    stats: merged.stats,
    skipped: merged.skipped,
    notes: [...merged.warnings, ...notes],
  };
}
