import type { Answer } from './answer.js';
import { USAGE } from './parse.js';

/** Example per command, shown in help and in fix-it messages. */
export const EXAMPLES: readonly string[] = [
  'who 142.250.80.46 last 7d',
  'dns-bypass last 24h',
  'domain 151.101.1.69',
  'ip-history 10.40.12.34 last 3d',
  'top last 1d by namespace',
  'cost last 30d by namespace',
  'rejects last 7d',
];

/** `help`: every command with an example. Answered directly, no engine needed. */
export async function runHelp(): Promise<Answer> {
  return {
    command: 'help',
    lines: [...USAGE, '', 'Examples:', ...EXAMPLES.map((e) => `  ${e}`)],
    skipped: [],
    notes: [],
  };
}
