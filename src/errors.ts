/**
 * Coded errors. The class decides what happens next:
 * - {@link UserError} (and subclasses): the person asked something we cannot answer as asked. Never retried; the message
 *   is shown as-is and must tell them what to type instead.
 * - {@link TransientError}: a dependency hiccup (throttling, network). Retried with backoff by the queue.
 * - {@link ConfigError}: the operator's environment is wrong. Printed once, process exits.
 * Anything else is a bug or an unexpected failure: retried by the queue a bounded number of times, then reported.
 */
export type ErrorCode =
  | 'BAD_COMMAND'
  | 'BAD_IP'
  | 'INTERNAL_IP'
  | 'BAD_WINDOW'
  | 'WINDOW_TOO_LONG'
  | 'NOT_AUTHORIZED'
  | 'RATE_LIMITED'
  | 'NO_DATA_DIR'
  | 'CORRUPT_OBJECT'
  | 'BAD_SNAPSHOT'
  | 'CONFIG'
  | 'QUERY_FAILED'
  | 'QUERY_TIMEOUT'
  | 'QUERY_CANCELLED'
  | 'TABLE_MISSING'
  | 'ACCESS_DENIED'
  | 'THROTTLED'
  | 'BAD_PARAMETER'
  | 'SETUP_REFUSED'
  | 'SLACK_NOT_IN_CHANNEL'
  | 'UPSTREAM';

/** Base class: every error we raise on purpose carries a stable code. */
export class EgressError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request is wrong; the message says how to fix it. Exit code 2 in the CLI, no retry in the queue. */
export class UserError extends EgressError {}

/** The environment/configuration is wrong; the message lists every problem. */
export class ConfigError extends EgressError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG', message, options);
  }
}

/** A dependency failed in a way that is worth retrying (throttling, timeouts on the network, Redis blips). */
export class TransientError extends EgressError {}

/** A dependency failed permanently (query FAILED, access denied, missing table); retrying will not help. */
export class PermanentError extends EgressError {}

/** True when the error is the user's to fix (no retry, show the message). */
export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}

/** True when a retry may succeed. Unknown errors count as retryable (bounded by the queue's attempts). */
export function isRetryable(err: unknown): boolean {
  if (err instanceof TransientError) return true;
  if (err instanceof EgressError) return false;
  return true;
}

/** Message safe to show to a person: coded errors as written, unknown ones without internals. */
export function publicMessage(err: unknown): string {
  if (err instanceof EgressError) return err.message;
  return 'Something went wrong on our side while answering. The error was logged; try again, and tell the bot owners if it persists.';
}

/** A query parameter failed validation; nothing was sent to any engine. */
export class BadParameterError extends UserError {
  constructor(
    readonly param: string,
    why: string,
  ) {
    super('BAD_PARAMETER', `Refused query parameter ${param}: ${why}.`);
  }
}

/** A log object (gzip) could not be read; named so nobody wonders why numbers are low. */
export class CorruptObjectError extends PermanentError {
  constructor(
    readonly keys: string[],
    detail: string,
  ) {
    super(
      'CORRUPT_OBJECT',
      `Could not read ${keys.length === 1 ? 'log object' : 'log objects'} ${keys.join(', ')}: ${detail}`,
    );
  }
}
