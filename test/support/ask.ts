/** Runs command text through the real parser and registry and narrows the answer to the command the test expects. */
import type { CommandContext } from '../../src/commands/context.js';
import { parseCommand } from '../../src/commands/parse.js';
import { type Answer, type AnswerOf, type CommandName, isAnswer, runCommand } from '../../src/commands/registry.js';

/** `ask('who', 'who 1.2.3.4 last 1d', ctx)` → the `who` answer (throws if another command answered). */
export async function askAs<N extends CommandName>(name: N, text: string, ctx: CommandContext): Promise<AnswerOf<N>> {
  const cmd = parseCommand(text, { maxWindowSeconds: ctx.limits.maxWindowSeconds, classifier: ctx.classifier });
  const answer = await runCommand(cmd, ctx);
  if (!isAnswer(answer, name)) throw new Error(`expected a ${name} answer, got ${answer.command}`);
  return answer;
}

/** Runs text whose answer has traffic rows (who, dns-bypass). */
export async function askRows(text: string, ctx: CommandContext): Promise<Extract<Answer, { rows: unknown }>> {
  const a = await runText(text, ctx);
  if (!('rows' in a)) throw new Error(`expected an answer with rows, got ${a.command}`);
  return a;
}

/** Runs text whose answer is a table (top, cost, rejects). */
export async function askTable(text: string, ctx: CommandContext): Promise<Extract<Answer, { table: unknown }>> {
  const a = await runText(text, ctx);
  if (!('table' in a)) throw new Error(`expected an answer with a table, got ${a.command}`);
  return a;
}

function runText(text: string, ctx: CommandContext): Promise<Answer> {
  return runCommand(
    parseCommand(text, { maxWindowSeconds: ctx.limits.maxWindowSeconds, classifier: ctx.classifier }),
    ctx,
  );
}
