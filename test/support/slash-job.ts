import { parseCommand } from '../../src/commands/parse.js';
import { createClassifier } from '../../src/flowlogs/classify.js';
import type { CommandJobData } from '../../src/queue/queue.js';

/** The job data the receiver enqueues for a slash command `text` typed in `channel` at `requestedAt` (epoch s). */
export function slashJob(text: string, o: { channel: string; requestId: string; requestedAt: number }): CommandJobData {
  const command = parseCommand(text, { maxWindowSeconds: 90 * 86_400, classifier: createClassifier([]) });
  return {
    v: 1,
    command,
    channel: o.channel,
    user: 'U0000ASKER',
    requestedAt: o.requestedAt,
    requestId: o.requestId,
    source: 'slash',
  };
}
