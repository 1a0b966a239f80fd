/** The short texts people see right after asking (the ack), kept together so their tone stays consistent. */
import { USAGE } from '../commands/parse.js';
import { type Command, describeCommand } from '../commands/registry.js';

/** "Looking up who talked to 142.250.80.46 over the last 7 days… answer in a thread below" */
export function ackText(cmd: Command, where: 'channel' | 'thread'): string {
  return `${describeCommand(cmd)}… answer in ${where === 'thread' ? 'this thread' : 'a thread below'}`;
}

/** A parse error's fix-it message plus the grammar, so the next attempt can succeed. */
export function fixItText(message: string): string {
  return `${message}\n\nUsage:\n${USAGE.map((u) => `• \`${u}\``).join('\n')}`;
}

/** When Redis fails before anything was queued. */
export const QUEUE_DOWN_TEXT =
  'Sorry, I could not take that question: the job queue is unreachable right now. Nothing will run; please ask again in a minute.';

/** When the work after the ack failed unexpectedly (a bug): it may still have reached Redis, so do not promise either way. */
export const QUEUE_UNSURE_TEXT =
  'Sorry, I could not confirm that your question was queued (the job queue is slow or unreachable). If no answer appears within a minute, please ask again.';

/** A digest button's click whose enqueue is known not to have landed: nothing will run, so clicking again is safe. */
export const ACTION_ABANDONED_TEXT =
  'Sorry, I could not queue that click: the job queue was unreachable, so nothing will run. Please click the button again.';

/** When the enqueue after the ack is known not to have landed: nothing will run, so asking again is safe. */
export const QUEUE_ABANDONED_TEXT =
  'Sorry, I could not queue your question: the job queue was unreachable, so nothing will run. Please ask again.';
