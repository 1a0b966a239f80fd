import { hasHistory } from '../attribution/live.js';
import { resolveOne } from '../attribution/types.js';
import { resolveWindow, type WindowSpec, windowLabel } from '../flowlogs/window.js';
import type { HistoryEntry, WindowedAnswer } from './answer.js';
import { answerCoverage } from './answer-coverage.js';
import type { CommandContext } from './context.js';
import { over, parseIpArg, parseTail } from './grammar.js';
import { defineCommand } from './spec.js';

export interface IpHistoryCommand {
  name: 'ip-history';
  ip: string;
  window: WindowSpec;
}

export interface IpHistoryAnswer extends WindowedAnswer {
  command: 'ip-history';
  ip: string;
  /** Holder intervals, oldest first. */
  history: HistoryEntry[];
}

const USAGE = 'ip-history <ip> [last N(h|d)]';

/**
 * `ip-history <ip> [last N]`: every interval in which a pod (or node) held the address within the window, with pod,
 * workload, node and from/to — the evidence behind an attribution. Reads the timeline only; no API calls. A source
 * without history (a snapshot) can only tell who held it when the snapshot was taken, and says so.
 */
export async function runIpHistory(cmd: IpHistoryCommand, ctx: CommandContext): Promise<IpHistoryAnswer> {
  const window = resolveWindow(cmd.window, ctx.now);
  // No log data is read: the coverage is the attribution source's.
  const coverage = await answerCoverage(ctx, []);
  const base = {
    command: 'ip-history' as const,
    label: windowLabel(cmd.window),
    window,
    ip: cmd.ip,
    skipped: [],
    coverage,
  };
  if (hasHistory(ctx.attribution)) {
    const { intervals, notes } = await ctx.attribution.history(cmd.ip, window);
    return { ...base, history: intervals, notes };
  }
  const now = await resolveOne(ctx.attribution, cmd.ip, ctx.now);
  const notes = [
    `${ctx.attribution.describe()} keeps no history: only the holder it knows is shown; the live timeline (cluster access + Redis) records every holder`,
  ];
  if (now.reason) notes.push(now.reason);
  return { ...base, history: now.holder ? [now.holder] : [], notes };
}

export const ipHistory = defineCommand<IpHistoryCommand, IpHistoryAnswer>({
  name: 'ip-history',
  usage: USAGE,
  summary: 'which pods held a pod IP, and when',
  examples: ['ip-history 10.40.12.34 last 3d'],
  parse(words, opts) {
    const ip = parseIpArg('ip-history', USAGE, words[0], opts, false);
    return { name: 'ip-history', ip, window: parseTail(`ip-history ${ip}`, USAGE, words.slice(1), opts).window };
  },
  describe: (c) => `Looking up which pods held ${c.ip}${over(c.window)}`,
  run: runIpHistory,
});
