import type { HeldAddress, Workload } from '../attribution/types.js';
import { domainsForMany } from '../dns/domains.js';
import { describeDuration } from '../duration.js';
import { flowWindowParams, MAX_IPS, P } from '../engine/params.js';
import type { QueryResult } from '../engine/types.js';
import { UserError } from '../errors.js';
import { isoSeconds, resolveWindow, type WindowSpec, windowLabel } from '../flowlogs/window.js';
import type { WindowedAnswer } from './answer.js';
import { answerCoverage } from './answer-coverage.js';
import { type CommandContext, DEFAULT_NEW_LOOKBACK_SECONDS } from './context.js';
import { type FromRow, tallyFromLegs } from './from-rows.js';
import { over, parseTail } from './grammar.js';
import { mergeResults } from './results.js';
import { parseSelector, resolveSelector, type Selection, type Selector, selectorText } from './selector.js';
import { defineCommand } from './spec.js';

export type { FromRow } from './from-rows.js';

export interface FromCommand {
  name: 'from';
  selector: Selector;
  window: WindowSpec;
}

/** Answer of `from <selector>`: the selection's egress profile. */
export interface FromAnswer extends WindowedAnswer {
  command: 'from';
  selector: Selector;
  /** What the selector named (a workload, a pod, a namespace, an IP). */
  matched: Selection['matched'];
  workloads: Workload[];
  /** The selected pods' addresses and the times they held them: what the rows were counted from. */
  holders: HeldAddress[];
  /** One per (address, port, protocol); `rows` in JSON (named apart here so flow-row helpers never take them). */
  destinations: FromRow[];
  /** Start of the baseline `new` is judged against (window start − `EGRESS_NEW_LOOKBACK`). */
  newSince: number;
}

const USAGE = 'from <ns/workload|ns/*|ns/pod|pod-ip> [last N(h|d)]';

/**
 * `from <selector>`: everything the selected pods sent to the internet, one row per (address, port, protocol), each
 * flow counted only while a selected pod held the flow's source IP; `new` when the selection did not reach the
 * address in the `EGRESS_NEW_LOOKBACK` before the window.
 */
export async function runFrom(cmd: FromCommand, ctx: CommandContext): Promise<FromAnswer> {
  const window = resolveWindow(cmd.window, ctx.now);
  const opts = { signal: ctx.signal };
  const newLookback = ctx.limits.newLookbackSeconds ?? DEFAULT_NEW_LOOKBACK_SECONDS;
  const newSince = window.from - newLookback;
  const selection = await resolveSelector(cmd.selector, ctx.attribution, { from: newSince, to: window.to });
  const ips = [...new Set(selection.addresses.map((h) => h.ip))].sort();
  if (ips.length > MAX_IPS) {
    throw new UserError(
      'BAD_COMMAND',
      `${selectorText(cmd.selector)} held ${ips.length} addresses, more than the ${MAX_IPS} egress looks at at once; select one workload or a shorter window.`,
    );
  }
  ctx.onProgress?.({ state: 'querying' });
  // One read over baseline and window: legs before the window only tell which addresses are not new.
  const flows = await ctx.engine.run(
    'from-pods',
    {
      ips: P.ips(ips),
      ...flowWindowParams({ from: newSince, to: window.to }),
    },
    opts,
  );
  // Internet destinations only: a peered database or the VPC resolver is not egress.
  const legs = flows.rows.filter((r) => !ctx.classifier.isInternal(String(r.external_ip)));
  ctx.onProgress?.({ state: 'enriching', bytesScanned: flows.stats.bytesScanned });
  const tally = tallyFromLegs(legs, selection.addresses, window.from);
  const results: QueryResult[] = [flows];
  const dns = await domainsForMany(
    ctx.engine,
    [...new Set(tally.rows.map((r) => r.externalIp))],
    window,
    ctx.limits.dnsLookbackSeconds,
    opts,
  );
  if (dns.result) results.push(dns.result);
  const destinations = tally.rows.map((r) => ({
    ...r,
    names: (dns.byIp.get(r.externalIp) ?? []).map((d) => d.name),
  }));
  const merged = mergeResults(results);
  const notes = [
    ...merged.warnings,
    `a flow counts only while a selected pod held its source IP (attribution: ${ctx.attribution.describe()})`,
    `new: not reached by the selection from ${isoSeconds(newSince)} (${describeDuration(newLookback)} before the window, EGRESS_NEW_LOOKBACK) until the window`,
  ];
  if (tally.excludedFlows) {
    const n = tally.excludedFlows;
    notes.push(
      `${n} flow${n === 1 ? '' : 's'} from these addresses while other pods held them ${n === 1 ? 'is' : 'are'} not counted`,
    );
  }
  notes.push(`names: resolver answers from ${describeDuration(ctx.limits.dnsLookbackSeconds)} before the window on`);
  return {
    command: 'from',
    label: windowLabel(cmd.window),
    window,
    selector: cmd.selector,
    matched: selection.matched,
    workloads: selection.workloads,
    holders: selection.addresses,
    destinations,
    newSince,
    coverage: await answerCoverage(ctx, results),
    stats: merged.stats,
    skipped: merged.skipped,
    notes,
  };
}

export const from = defineCommand<FromCommand, FromAnswer>({
  name: 'from',
  usage: USAGE,
  summary: 'what a workload, pod or namespace sends to the internet (new destinations marked)',
  forms: [
    { usage: 'from <ns>/<workload> [last N(h|d)]', summary: 'what a workload sends to the internet (new ones marked)' },
    { usage: 'from <ns>/<Kind>/<name> [last N(h|d)]', summary: '… one workload of that kind' },
    { usage: 'from <ns>/* | <ns>/<pod> | <pod-ip> [last N(h|d)]', summary: '… a namespace, one pod, a pod IP' },
  ],
  examples: ['from billing/ledger-api last 9d', 'from billing/Deployment/ledger-api', 'from billing/*'],
  parse(words, opts) {
    const selector = parseSelector('from', words[0], opts);
    const window = parseTail(`from ${selectorText(selector)}`, USAGE, words.slice(1), opts).window;
    return { name: 'from', selector, window };
  },
  describe: (c) => `Looking up what ${selectorText(c.selector)} sent to the internet${over(c.window)}`,
  run: runFrom,
});
