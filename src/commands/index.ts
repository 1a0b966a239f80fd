import { describeDuration } from '../duration.js';
import type { Answer } from './answer.js';
import type { Command, CommandName } from './command.js';
import type { CommandContext } from './context.js';
import { runCost } from './cost.js';
import { runDnsBypass } from './dns-bypass.js';
import { runDomain } from './domain.js';
import { runHelp } from './help.js';
import { runIpHistory } from './ip-history.js';
import { runRejects } from './rejects.js';
import { runTop } from './top.js';
import { runWho } from './who.js';

/** A registered command: how to run it and how to say what is being done (for the Slack ack). */
export interface CommandSpec {
  run(cmd: Command, ctx: CommandContext): Promise<Answer>;
  /** "Looking up who talked to 142.250.80.46 over the last 7 days" */
  describe(cmd: Command): string;
}

const over = (cmd: Command) => ('window' in cmd ? ` over the last ${describeDuration(cmd.window.seconds)}` : '');

const byWhat = (cmd: Command) => ('by' in cmd ? cmd.by : 'workload');

/** The one list of commands; Slack, the queue worker and the CLI all dispatch through it. */
export const COMMANDS: Partial<Record<CommandName, CommandSpec>> = {
  who: {
    run: (c, ctx) => runWho(c as Extract<Command, { name: 'who' }>, ctx),
    describe: (c) => `Looking up who talked to ${(c as { ip: string }).ip}${over(c)}`,
  },
  'dns-bypass': {
    run: (c, ctx) => runDnsBypass(c as Extract<Command, { name: 'dns-bypass' }>, ctx),
    describe: (c) => `Looking for workloads talking DNS to the internet${over(c)}`,
  },
  domain: {
    run: (c, ctx) => runDomain(c as Extract<Command, { name: 'domain' }>, ctx),
    describe: (c) => `Looking up which names resolved to ${(c as { ip: string }).ip}${over(c)}`,
  },
  'ip-history': {
    run: (c, ctx) => runIpHistory(c as Extract<Command, { name: 'ip-history' }>, ctx),
    describe: (c) => `Looking up which pods held ${(c as { ip: string }).ip}${over(c)}`,
  },
  top: {
    run: (c, ctx) => runTop(c as Extract<Command, { name: 'top' }>, ctx),
    describe: (c) => `Ranking ${byWhat(c)}s by bytes sent to the internet${over(c)}`,
  },
  cost: {
    run: (c, ctx) => runCost(c as Extract<Command, { name: 'cost' }>, ctx),
    describe: (c) => `Working out NAT gateway data-processing cost per ${byWhat(c)}${over(c)}`,
  },
  rejects: {
    run: (c, ctx) => runRejects(c as Extract<Command, { name: 'rejects' }>, ctx),
    describe: (c) => `Looking for REJECTed egress by workload and destination${over(c)}`,
  },
  help: { run: () => runHelp(), describe: () => 'Help' },
};

/** Runs a parsed command through the registry. */
export async function runCommand(cmd: Command, ctx: CommandContext): Promise<Answer> {
  const spec = COMMANDS[cmd.name];
  if (!spec) {
    const { UserError } = await import('../errors.js');
    throw new UserError(
      'BAD_COMMAND',
      `\`${cmd.name}\` is not available in this installation yet. Type \`help\` for the list.`,
    );
  }
  return spec.run(cmd, ctx);
}
