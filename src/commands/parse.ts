import { UserError } from '../errors.js';
import { type ParseOptions, truncate, unwrap } from './grammar.js';
import { COMMANDS, type Command, findCommand } from './registry.js';

/** One line per command: the grammar shown in fix-it messages and the CLI's argument text. */
export const USAGE: readonly string[] = COMMANDS.map((c) => c.usage);

/**
 * Parses the command text shared by Slack, the CLI and MCP. Throws {@link UserError} with a one-line fix-it message on
 * anything it does not understand. Pure.
 */
export function parseCommand(text: string, opts: ParseOptions): Command {
  const words = unwrap(text).split(' ').filter(Boolean);
  const name = (words.shift() ?? 'help').toLowerCase();
  const spec = findCommand(name);
  if (!spec) {
    const examples = COMMANDS.slice(0, 3)
      .map((c) => `\`${c.examples[0] ?? c.name}\``)
      .join(', ');
    throw new UserError('BAD_COMMAND', `Unknown command "${truncate(name)}". Try ${examples} or \`help\`.`);
  }
  return spec.parse(words, opts);
}

export type { ParseOptions };
