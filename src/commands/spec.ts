/**
 * The shape of a command: one file in `src/commands/` exports one spec — name, usage line, examples, parse, describe
 * (for the ack), run — and the registry lists them. `help`, the CLI's argument text and the Slack manifest's usage
 * hint are generated from the specs.
 */
import type { CommandContext } from './context.js';
import type { ParseOptions } from './grammar.js';

/** What a command file declares, typed by its own command and answer. */
export interface CommandSpec<C extends { name: string }, A> {
  name: C['name'];
  /** Other words that select it (`?` for help). */
  aliases?: readonly string[];
  /** `who <ip> [last N(h|d)]`: the grammar shown in help and in every fix-it message. */
  usage: string;
  /** What it answers, in a few words. */
  summary: string;
  /** A command with several forms lists each with what it answers (help shows these instead of `usage`). */
  forms?: ReadonlyArray<{ usage: string; summary: string }>;
  /** Complete examples; the first one appears in fix-it messages. */
  examples: readonly string[];
  /** The words after the command name → the typed command. Throws `UserError` with a fix-it message. Pure. */
  parse(words: readonly string[], opts: ParseOptions): C;
  /** "Looking up who talked to 142.250.80.46 over the last 7 days" (the Slack ack). */
  describe(cmd: C): string;
  run(cmd: C, ctx: CommandContext): Promise<A>;
}

/** A spec as the registry holds it: `run`/`describe` take any command and check it is theirs first. */
export interface RegisteredCommand<C extends { name: string }, A> extends Omit<CommandSpec<C, A>, 'run' | 'describe'> {
  /** True when `cmd` is this command's. */
  accepts(cmd: { name: string }): cmd is C;
  run(cmd: { name: string }, ctx: CommandContext): Promise<A>;
  describe(cmd: { name: string }): string;
}

/**
 * Registers a spec. The type guard keeps the registry a plain typed list: dispatching by name needs no casts, and a
 * command handed to the wrong spec is a programming error reported as such.
 */
export function defineCommand<C extends { name: string }, A>(spec: CommandSpec<C, A>): RegisteredCommand<C, A> {
  const accepts = (cmd: { name: string }): cmd is C => cmd.name === spec.name;
  const mine = (cmd: { name: string }): C => {
    if (!accepts(cmd)) throw new Error(`command ${cmd.name} handed to ${spec.name}`);
    return cmd;
  };
  return {
    ...spec,
    accepts,
    run: (cmd, ctx) => spec.run(mine(cmd), ctx),
    describe: (cmd) => spec.describe(mine(cmd)),
  };
}
