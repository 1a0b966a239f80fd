/**
 * After the ack, the slash command and the mention listener run the same enqueue and report its outcome the same way:
 * a log line, the outcome metric, and — when nothing will run and the thread could not say so — a private message.
 */
import type { Logger } from '../logger.js';
import type { BotMetrics } from '../metrics.js';
import type { BlockMessage } from '../render/blocks.js';
import { QUEUE_ABANDONED_TEXT, QUEUE_UNSURE_TEXT } from './ack-text.js';
import type { ChatWriter, Enqueued } from './after-ack.js';
import type { IntakeResult } from './intake.js';

export interface OutcomeDeps {
  log: Logger;
  metrics: BotMetrics;
  /** The command's name, for the metric. */
  command: string;
  /** Tells only the asker (response_url or an ephemeral message); never rejects. */
  tell: (text: string) => Promise<unknown>;
}

/** Runs the enqueue and reports what happened. Never rejects. */
export async function reportEnqueued(run: () => Promise<Enqueued>, o: OutcomeDeps): Promise<void> {
  const count = (outcome: string) => o.metrics.commands.inc({ command: o.command, outcome });
  try {
    const r = await run();
    switch (r.status) {
      case 'queued':
        o.log.info({ jobId: r.jobId, parentPosted: Boolean(r.parent_ts) }, 'command queued');
        return;
      case 'duplicate':
        o.log.info({ jobId: r.jobId }, 'duplicate delivery ignored');
        return;
      case 'not_in_channel':
        o.log.warn('bot is not in the channel; told the user, nothing queued');
        count('not_in_channel');
        await o.tell(r.message);
        return;
      case 'abandoned':
        o.log.error(
          { jobId: r.jobId },
          'enqueue failed: not queued, nothing will run; the asker was told to ask again',
        );
        count('queue_error');
        if (!r.told) await o.tell(QUEUE_ABANDONED_TEXT);
        return;
      case 'unknown':
        // Stopping while Redis was away: if an attempt reached Redis the job runs; otherwise this question is lost.
        o.log.error({ jobId: r.jobId }, 'stopped before Redis confirmed the enqueue; it runs only if it landed');
        count('queue_unknown');
        return;
    }
  } catch (err) {
    // A bug, not Redis or Slack (those are handled above): do not promise either way.
    o.log.error({ err }, 'enqueue failed after ack');
    count('queue_error');
    await o.tell(QUEUE_UNSURE_TEXT);
  }
}

/**
 * What a listener that answers in a thread does with the intake's result: the reply privately when nothing is queued
 * (help, a fix-it, a denial), else the enqueue and its outcome.
 */
export async function replyOrEnqueue(
  result: IntakeResult,
  client: ChatWriter,
  o: Omit<OutcomeDeps, 'command' | 'tell'> & {
    whisper: (text: string, blocks?: BlockMessage['blocks']) => Promise<unknown>;
  },
): Promise<void> {
  const { enqueue } = result;
  if (!enqueue) {
    await o.whisper(result.reply.text, result.reply.blocks);
    return;
  }
  await reportEnqueued(() => enqueue(client), {
    log: o.log,
    metrics: o.metrics,
    command: result.command?.name ?? '',
    tell: (text) => o.whisper(text),
  });
}
