import type { AnswerBase } from './answer.js';
import { defineCommand, type RegisteredCommand } from './spec.js';

export interface HelpCommand {
  name: 'help';
  topic?: string;
}

export interface HelpAnswer extends AnswerBase {
  command: 'help';
  /** Help text lines. */
  lines: string[];
}

/** What help shows of each command. */
export type CommandInfo = Pick<
  RegisteredCommand<{ name: string }, unknown>,
  'name' | 'usage' | 'summary' | 'examples' | 'forms'
>;

/** Help's lines, generated from the specs: the grammar (each form) with a summary, then the examples. */
export function helpLines(commands: readonly CommandInfo[]): string[] {
  const forms = commands.flatMap((c) => c.forms ?? [{ usage: c.usage, summary: c.summary }]);
  const width = Math.max(...forms.map((f) => f.usage.length)) + 3;
  return [
    ...forms.map((f) => `${f.usage.padEnd(width)}${f.summary}`),
    '',
    'Examples:',
    ...commands.flatMap((c) => c.examples.map((e) => `  ${e}`)),
  ];
}

/**
 * The slash command's usage hint in the Slack manifests: each command's grammar without the optional window and
 * grouping, e.g. `who <ip> · dns-bypass · …` (Slack shows it under the command as people type).
 */
export function slackUsageHint(commands: readonly CommandInfo[]): string {
  return commands.map((c) => c.usage.replace(/\s*\[(last|by) [^\]]*\]/g, '')).join(' · ');
}

/** The help answer: needs no engine, so entry points answer it without building a context. */
export function helpAnswer(commands: readonly CommandInfo[]): HelpAnswer {
  return { command: 'help', lines: helpLines(commands), skipped: [], notes: [] };
}

/**
 * `help`: every command with an example. Built from the registry's list (handed in, so this file does not import the
 * registry that lists it) and answered directly, without the engine.
 */
export function helpCommand(list: () => readonly CommandInfo[]): RegisteredCommand<HelpCommand, HelpAnswer> {
  return defineCommand<HelpCommand, HelpAnswer>({
    name: 'help',
    aliases: ['?'],
    usage: 'help',
    summary: 'this list',
    examples: [],
    parse: (words) => ({ name: 'help', topic: words[0] }),
    describe: () => 'Help',
    run: async () => helpAnswer(list()),
  });
}
