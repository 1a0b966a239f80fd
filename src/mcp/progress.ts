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

/** A reporter that sends one notification per message, or does nothing when the client gave no token. */
export function progressReporter(extra: Pick<ToolExtra, '_meta' | 'sendNotification'>, logger: Logger) {
  const progressToken = extra._meta?.progressToken;
  let progress = 0;
  return (message: string): void => {
    if (progressToken === undefined) return;
    progress += 1;
    extra
      .sendNotification({ method: 'notifications/progress', params: { progressToken, progress, message } })
      .catch((err: unknown) => logger.debug({ err }, 'progress notification not sent'));
  };
}
