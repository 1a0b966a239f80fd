/**
 * The one list of commands. Slack, the queue worker, the CLI and the MCP server all parse and dispatch through it;
 * `help`, the CLI's argument text and the Slack manifest's usage hint are generated from it.
 */
import { cost } from './cost.js';
import { dnsBypass } from './dns-bypass.js';
import { domain } from './domain.js';
import { from } from './from.js';
import { type HelpAnswer, helpAnswer, helpCommand, slackUsageHint } from './help.js';
import { ipHistory } from './ip-history.js';
import { policy } from './policy.js';
import { rejects } from './rejects.js';
import { top } from './top.js';
import { who } from './who.js';

const helpSpec = helpCommand(() => COMMANDS);

/** Every command, in the order help lists them. */
export const COMMANDS = [who, from, policy, dnsBypass, domain, ipHistory, top, cost, rejects, helpSpec] as const;

type Spec = (typeof COMMANDS)[number];

/** Any parsed command: a discriminated union on `name`. */
export type Command = ReturnType<Spec['parse']>;
/** A command's name. */
export type CommandName = Command['name'];
/** Any answer: a discriminated union on `command`. */
export type Answer = Awaited<ReturnType<Spec['run']>>;
/** The answer of one command. */
export type AnswerOf<N extends CommandName> = Extract<Answer, { command: N }>;

/** The spec of a command name (or alias), if there is one. */
export function findCommand(word: string): Spec | undefined {
  return COMMANDS.find((c) => c.name === word || c.aliases?.includes(word));
}

/** The spec of a parsed command. */
export function specOf(cmd: Command): Spec {
  const spec = COMMANDS.find((c) => c.accepts(cmd));
  if (!spec) throw new Error(`no spec for command ${cmd.name}`);
  return spec;
}

/** Runs a parsed command through the registry. */
export function runCommand(cmd: Command, ctx: Parameters<Spec['run']>[1]): Promise<Answer> {
  return specOf(cmd).run(cmd, ctx);
}

/** "Looking up who talked to 142.250.80.46 over the last 7 days" */
export function describeCommand(cmd: Command): string {
  return specOf(cmd).describe(cmd);
}

/** `help`'s answer, without a context (no engine is needed to list the commands). */
export function help(): HelpAnswer {
  return helpAnswer(COMMANDS);
}

/** Narrows an answer to one command's. */
export function isAnswer<N extends CommandName>(a: Answer, name: N): a is AnswerOf<N> {
  return a.command === name;
}

/** The usage hint the Slack manifests declare for `/egress` (`npm run manifests` writes it). */
export function usageHint(): string {
  return slackUsageHint(COMMANDS);
}
