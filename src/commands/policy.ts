import type { Workload } from '../attribution/types.js';
import { domainsForMany } from '../dns/domains.js';
import { flowWindowParams, MAX_IPS, P } from '../engine/params.js';
import type { QueryResult } from '../engine/types.js';
import { UserError } from '../errors.js';
import { resolveWindow, type WindowSpec, windowLabel } from '../flowlogs/window.js';
import type { WindowedAnswer } from './answer.js';
import { answerCoverage } from './answer-coverage.js';
import type { CommandContext } from './context.js';
import { tallyFromLegs } from './from-rows.js';
import { over, parseTail, truncate, usageHint } from './grammar.js';
import { type CiliumNetworkPolicy, ciliumPolicy } from './policy-cilium.js';
import {
  commonLabels,
  type PolicyDestination,
  policyDestinations,
  type RejectedDestination,
} from './policy-destinations.js';
import { type DnsFirewallDraft, dnsFirewall } from './policy-dns-firewall.js';
import { type NetworkPolicy, networkPolicy } from './policy-network.js';
import { policyNotes, policyTarget } from './policy-target.js';
import { mergeResults } from './results.js';
import { parseSelector, resolveSelector, type Selection, type Selector, selectorText } from './selector.js';
import { defineCommand } from './spec.js';

/** The drafts `for` can ask for. */
export const POLICY_KINDS = ['cilium', 'kubernetes', 'dns-firewall'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

export interface PolicyCommand {
  name: 'policy';
  selector: Selector;
  window: WindowSpec;
  /** Which drafts, in {@link POLICY_KINDS} order. */
  kinds: PolicyKind[];
  collapse: boolean;
}

/** Answer of `policy <selector>`: what the pods reached and the drafts that allow exactly that. */
export interface PolicyAnswer extends WindowedAnswer {
  command: 'policy';
  selector: Selector;
  matched: Selection['matched'];
  workloads: Workload[];
  /** The selected pods (names), sorted. */
  pods: string[];
  kinds: PolicyKind[];
  collapse: boolean;
  /** The labels that select the pods (`{}` for a whole namespace); null when no label selects them. */
  podSelector: Record<string, string> | null;
  /** ACCEPTed egress, grouped by names. */
  destinations: PolicyDestination[];
  /** Reached only by REJECTed attempts: left out of the drafts. */
  rejected: RejectedDestination[];
  cilium: CiliumNetworkPolicy | null;
  networkPolicy: NetworkPolicy | null;
  dnsFirewall: DnsFirewallDraft | null;
}

const USAGE = 'policy <ns/workload|ns/*|ns/pod|pod-ip> [last N(h|d)] [for cilium|kubernetes|dns-firewall] [--collapse]';
const DEFAULT_WINDOW: WindowSpec = { amount: 30, unit: 'd', seconds: 30 * 86_400 };
/** What people (and Slack's autocorrect, which turns `--` into a dash) type for the flag. */
const COLLAPSE = new Set(['--collapse', '—collapse', '–collapse', 'collapse']);

/** `[for X]` and `[--collapse]` taken out of the words; the rest is the usual `[last N]` tail. */
function parseOptions(
  cmd: string,
  words: readonly string[],
): { rest: string[]; kinds: PolicyKind[]; collapse: boolean } {
  const rest: string[] = [];
  let kinds: PolicyKind[] | undefined;
  let collapse = false;
  for (let i = 0; i < words.length; i++) {
    const w = (words[i] as string).toLowerCase();
    if (COLLAPSE.has(w)) collapse = true;
    else if (w === 'for') {
      const raw = (words[++i] ?? '').toLowerCase();
      const picked = raw.split(',').filter(Boolean);
      const bad = picked.find((k) => !(POLICY_KINDS as readonly string[]).includes(k));
      if (!picked.length || bad !== undefined) {
        throw new UserError(
          'BAD_COMMAND',
          `\`${cmd} for\` takes ${POLICY_KINDS.join(', ')}${bad ? ` (not "${truncate(bad)}")` : ''}; e.g. \`${cmd} for cilium\`. ${usageHint(USAGE)}`,
        );
      }
      kinds = POLICY_KINDS.filter((k) => picked.includes(k) || kinds?.includes(k));
    } else rest.push(words[i] as string);
  }
  return { rest, kinds: kinds ?? [...POLICY_KINDS], collapse };
}

/**
 * `policy <selector>`: drafts from the ACCEPTed egress of the selected pods in the window (default 30 days) — a
 * CiliumNetworkPolicy by names, a NetworkPolicy by addresses, a DNS Firewall list — each allowing what was seen.
 */
export async function runPolicy(cmd: PolicyCommand, ctx: CommandContext): Promise<PolicyAnswer> {
  const window = resolveWindow(cmd.window, ctx.now);
  const opts = { signal: ctx.signal };
  const selection = await resolveSelector(cmd.selector, ctx.attribution, window, 'policy');
  const ips = [...new Set(selection.addresses.map((h) => h.ip))].sort();
  if (ips.length > MAX_IPS) {
    throw new UserError(
      'BAD_COMMAND',
      `${selectorText(cmd.selector)} held ${ips.length} addresses, more than the ${MAX_IPS} egress looks at at once; draft for one workload or a shorter window.`,
    );
  }
  ctx.onProgress?.({ state: 'querying' });
  const flows = await ctx.engine.run('from-pods', { ips: P.ips(ips), ...flowWindowParams(window) }, opts);
  const legs = flows.rows.filter((r) => !ctx.classifier.isInternal(String(r.external_ip)));
  ctx.onProgress?.({ state: 'enriching', bytesScanned: flows.stats.bytesScanned });
  const tally = tallyFromLegs(legs, selection.addresses, window.from);
  const results: QueryResult[] = [flows];
  const accepted = [...new Set(tally.rows.filter((r) => r.flows > r.rejected).map((r) => r.externalIp))];
  const dns = await domainsForMany(ctx.engine, accepted, window, ctx.limits.dnsLookbackSeconds, opts);
  if (dns.result) results.push(dns.result);
  const rows = tally.rows.map((r) => ({ ...r, names: (dns.byIp.get(r.externalIp) ?? []).map((d) => d.name) }));
  const { destinations, rejected } = policyDestinations(rows);
  const podSelector = cmd.selector.kind === 'namespace' ? {} : commonLabels(selection.addresses);
  const target = policyTarget(cmd.selector, selection, podSelector);
  const wants = (k: PolicyKind) => cmd.kinds.includes(k);
  const merged = mergeResults(results);
  return {
    command: 'policy',
    label: windowLabel(cmd.window),
    window,
    selector: cmd.selector,
    matched: selection.matched,
    workloads: selection.workloads,
    pods: [...new Set(selection.addresses.flatMap((h) => (h.pod ? [h.pod] : [])))].sort(),
    kinds: cmd.kinds,
    collapse: cmd.collapse,
    podSelector: target.selectable ? podSelector : null,
    destinations,
    rejected,
    cilium: wants('cilium') && target.selectable ? ciliumPolicy(target, destinations, cmd.collapse) : null,
    networkPolicy: wants('kubernetes') && target.selectable ? networkPolicy(target, destinations) : null,
    dnsFirewall: wants('dns-firewall') ? dnsFirewall(target.base, destinations, cmd.collapse) : null,
    coverage: await answerCoverage(ctx, results),
    stats: merged.stats,
    skipped: merged.skipped,
    notes: [
      ...merged.warnings,
      ...policyNotes({ selector: cmd.selector, selection, target, destinations, rejected, kinds: cmd.kinds }),
      `ACCEPTed egress only; a flow counts only while a selected pod held its source IP (attribution: ${ctx.attribution.describe()})`,
      'names: resolver answers for the addresses (any client: the resolver sees CoreDNS, not pods); review before applying',
    ],
  };
}

export const policy = defineCommand<PolicyCommand, PolicyAnswer>({
  name: 'policy',
  usage: USAGE,
  summary: 'draft egress policies (Cilium, NetworkPolicy, DNS Firewall) from what a workload reached',
  examples: ['policy billing/ledger-api last 30d', 'policy shop/catalog-api for cilium --collapse'],
  parse(words, opts) {
    const selector = parseSelector('policy', words[0], opts);
    const name = `policy ${selectorText(selector)}`;
    const o = parseOptions(name, words.slice(1));
    const window = parseTail(name, USAGE, o.rest, opts, [], DEFAULT_WINDOW).window;
    return { name: 'policy', selector, window, kinds: o.kinds, collapse: o.collapse };
  },
  describe: (c) => `Drafting egress policies for ${selectorText(c.selector)} from what it reached${over(c.window)}`,
  run: runPolicy,
});
