/**
 * How each command is offered as an MCP tool: the typed fields it takes, one entry per command. The fields are turned
 * back into the chat command text and parsed by `parseCommand`, so the grammar, the limits and the fix-it messages are
 * the chat's. A tool is offered only when the registry has its command, and a field only when the command's usage
 * line shows it, so an entry may be listed before its command lands.
 */
import { UserError } from '../errors.js';
import type { Caveat } from './tool-docs.js';

/** Fields that stand for the command's one argument (give exactly one of a tool's). */
export type ArgField = 'ip' | 'name' | 'cidr' | 'selector';
/** Fields after the argument, each written as `<keyword> <value>` in the command text (a flag: the keyword alone). */
export type OptionField = 'window' | 'by' | 'for' | 'collapse';

/** Options that are flags (`[--collapse]`): "true" writes the keyword, "false" nothing. */
const FLAGS: ReadonlySet<OptionField> = new Set(['collapse']);

/** One command's tool input. */
export interface ToolInput {
  command: string;
  /** Alternatives for the argument, in the order the usage line names them; empty when there is none. */
  args: readonly ArgField[];
  options: readonly OptionField[];
  /** What an agent must know to read the answer right (see tool-docs.ts). */
  caveats: readonly Caveat[];
}

/** The table. A new command is one entry here (plus, for namespace-limited tokens, a case in namespace-filter.ts). */
export const TOOL_INPUTS: readonly ToolInput[] = [
  { command: 'who', args: ['ip', 'name', 'cidr'], options: ['window'], caveats: ['flows', 'attribution', 'names'] },
  { command: 'from', args: ['selector'], options: ['window'], caveats: ['flows', 'attribution', 'names'] },
  { command: 'dns-bypass', args: [], options: ['window'], caveats: ['flows', 'attribution'] },
  { command: 'domain', args: ['ip'], options: ['window'], caveats: ['names'] },
  { command: 'ip-history', args: ['ip'], options: ['window'], caveats: ['history'] },
  { command: 'top', args: [], options: ['window', 'by'], caveats: ['flows', 'attribution'] },
  { command: 'cost', args: [], options: ['window', 'by'], caveats: ['flows', 'attribution', 'cost'] },
  { command: 'rejects', args: [], options: ['window'], caveats: ['flows', 'attribution'] },
  {
    command: 'policy',
    args: ['selector'],
    options: ['window', 'for', 'collapse'],
    caveats: ['flows', 'attribution', 'names'],
  },
];

/** The word that introduces an option in the command text (and in the usage line: `[last N(h|d)]`, `[by …]`). */
export const KEYWORD: Record<OptionField, string> = { window: 'last', by: 'by', for: 'for', collapse: '--collapse' };

/** The argument fields the usage line shows (`who <ip|name|cidr>` → all three); all of them if it names none. */
export function offeredArgs(input: ToolInput, usage: string): ArgField[] {
  const placeholder = /<([^>]+)>/.exec(usage)?.[1]?.split('|') ?? [];
  const shown = input.args.filter((a) => placeholder.includes(a));
  return shown.length ? shown : [...input.args];
}

/** The option fields the usage line shows (`[by …]` → `by`). */
export function offeredOptions(input: ToolInput, usage: string): OptionField[] {
  return input.options.filter((o) => usage.includes(FLAGS.has(o) ? `[${KEYWORD[o]}]` : `[${KEYWORD[o]} `));
}

/** The choices a usage line lists for an option (`[by workload|namespace]` → both), if it lists any. */
export function choicesOf(usage: string, option: OptionField): string[] | undefined {
  if (option === 'window') return undefined;
  if (FLAGS.has(option)) return ['true', 'false'];
  const m = new RegExp(`\\[${KEYWORD[option]} ([a-z0-9|-]+)\\]`).exec(usage);
  return m?.[1]?.split('|');
}

/** One field's value as one word of the command text; a space would let a value smuggle in more grammar. */
function word(field: string, value: string): string {
  const v = value.trim();
  if (!v || /\s/.test(v))
    throw new UserError('BAD_COMMAND', `"${field}" takes one value without spaces, e.g. ${EXAMPLES[field] ?? '"7d"'}.`);
  return v;
}

const EXAMPLES: Record<string, string> = {
  ip: '"142.250.80.46"',
  name: '"telemetry.vendorx.io"',
  cidr: '"142.250.0.0/16"',
  selector: '"payments/ledger-api"',
  window: '"7d" or "24h"',
  by: '"namespace"',
  for: '"cilium"',
  collapse: '"true"',
};

/** The chat command text for a tool call, e.g. `who 142.250.80.46 last 7d`. Refuses two arguments at once. */
export function commandText(
  input: ToolInput,
  usage: string,
  fields: Readonly<Record<string, string | undefined>>,
): string {
  const args = offeredArgs(input, usage).filter((a) => fields[a] !== undefined);
  if (args.length > 1)
    throw new UserError(
      'BAD_COMMAND',
      `Give one of ${offeredArgs(input, usage).join(', ')}, not ${args.join(' and ')}.`,
    );
  const words = [input.command];
  for (const a of args) words.push(word(a, fields[a] ?? ''));
  for (const o of offeredOptions(input, usage)) {
    const v = fields[o];
    if (v === undefined) continue;
    if (!FLAGS.has(o)) words.push(KEYWORD[o], word(o, v));
    else if (v.trim() === 'true') words.push(KEYWORD[o]);
    else if (v.trim() !== 'false') throw new UserError('BAD_COMMAND', `"${o}" takes "true" or "false".`);
  }
  return words.join(' ');
}
