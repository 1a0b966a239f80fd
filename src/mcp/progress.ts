/**
 * MCP progress notifications for one tool call, sent only when the client asked for them (a `progressToken` in the
 * request's `_meta`), counting up from 1 as the spec requires.
 */
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Progress } from '../commands/context.js';
import type { Logger } from '../logger.js';
import { humanBytes } from '../render/format.js';

/** What a tool handler is handed by the SDK. */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** A command's progress in words: `querying`, `enriching (404 KiB scanned)`. */
export function progressMessage(p: Progress): string {
  return p.bytesScanned !== undefined ? `${p.state} (${humanBytes(p.bytesScanned)} scanned)` : p.state;
}

/** Progress of one call: `report` sends a notification in order; `flush` waits until all were handed over. */
export interface ProgressReporter {
  report(message: string): void;
  /**
   * Awaited before the result is returned, so no notification is written after it. The SDK client still handles a
   * notification read in the same chunk as the response after the response (typescript-sdk#2580): calls therefore send
   * no progress of their own right before the result.
   */
  flush(): Promise<void>;
}

/** A reporter that sends one notification per message, or does nothing when the client gave no token. */
export function progressReporter(
  extra: Pick<ToolExtra, '_meta' | 'sendNotification'>,
  logger: Logger,
): ProgressReporter {
  const progressToken = extra._meta?.progressToken;
  let progress = 0;
  let sent: Promise<void> = Promise.resolve();
  return {
    report(message) {
      if (progressToken === undefined) return;
      progress += 1;
      const params = { progressToken, progress, message };
      sent = sent
        .then(() => extra.sendNotification({ method: 'notifications/progress', params }))
        .catch((err: unknown) => logger.debug({ err }, 'progress notification not sent'));
    },
    flush: () => sent,
  };
}
