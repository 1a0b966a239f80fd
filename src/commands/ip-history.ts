import { hasHistory } from '../attribution/live.js';
import { resolveOne } from '../attribution/types.js';
import type { Answer } from './answer.js';
import { type Command, resolveWindow, windowLabel } from './command.js';
import type { CommandContext } from './context.js';

type IpHistory = Extract<Command, { name: 'ip-history' }>;

/**
 * `ip-history <ip> [last N]`: every interval in which a pod (or node) held the address within the window, with pod,
 * workload, node and from/to — the evidence behind an attribution. Reads the timeline only; no API calls. A source
 * without history (a snapshot) can only tell who held it when the snapshot was taken, and says so.
 */
export async function runIpHistory(cmd: IpHistory, ctx: CommandContext): Promise<Answer> {
  const window = resolveWindow(cmd.window, ctx.now);
  const base = { command: 'ip-history' as const, label: windowLabel(cmd.window), window, ip: cmd.ip, skipped: [] };
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
