/** The short texts people see right after asking (the ack), kept together so their tone stays consistent. */
import type { Command } from '../commands/command.js';
import { COMMANDS } from '../commands/index.js';
import { USAGE } from '../commands/parse.js';

/** "Looking up who talked to 142.250.80.46 over the last 7 days… answer in a thread below" */
export function ackText(cmd: Command, where: 'channel' | 'thread'): string {
  const doing = COMMANDS[cmd.name]?.describe(cmd) ?? `Running ${cmd.name}`;
  return `${doing}… answer in ${where === 'thread' ? 'this thread' : 'a thread below'}`;
}

/** A parse error's fix-it message plus the grammar, so the next attempt can succeed. */
export function fixItText(message: string): string {
  return `${message}\n\nUsage:\n${USAGE.map((u) => `• \`${u.split(/\s{2,}/)[0]}\``).join('\n')}`;
}

/** For commands the parser knows but this installation does not run yet. */
export function unavailableText(cmd: Command): string {
  return `\`${cmd.name}\` is not available in this installation yet. Type \`/egress help\` for what is.`;
}

/** When Redis fails before anything was queued. */
export const QUEUE_DOWN_TEXT =
  'Sorry, I could not take that question: the job queue is unreachable right now. Nothing will run; please ask again in a minute.';

/** When the enqueue after the ack failed or timed out: it may still have reached Redis, so do not promise either way. */
export const QUEUE_UNSURE_TEXT =
  'Sorry, I could not confirm that your question was queued (the job queue is slow or unreachable). If no answer appears within a minute, please ask again.';

/** After a slash command whose channel the bot cannot post in. */
export function inviteText(channel: string): string {
  return `I cannot post the answer in <#${channel}> because I am not a member. Invite me with \`/invite @egress\` and ask again.`;
}
