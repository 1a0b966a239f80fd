import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

/**
 * The one way errors are logged: `{ err }`, always the object. Only what explains the failure is kept — type, message,
 * code, Slack/AWS error name, stack — never the rest of a client's error, which can carry request URLs (a slash
 * command's `response_url` is a bearer capability) or headers.
 */
export function errSerializer(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { code?: unknown; data?: { error?: unknown }; $metadata?: unknown; cause?: unknown };
  return {
    type: e.name,
    message: e.message,
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(typeof e.data?.error === 'string' ? { slackError: e.data.error } : {}),
    stack: e.stack,
    ...(e.cause instanceof Error ? { cause: errSerializer(e.cause) } : {}),
  };
}

/** The logger's options: JSON lines, secrets redacted by path, errors through {@link errSerializer}. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: { service: 'egress' },
    serializers: { err: errSerializer },
    redact: {
      paths: [
        '*.token',
        '*.botToken',
        '*.signingSecret',
        '*.appToken',
        '*.authorization',
        '*.headers.authorization',
        'headers.authorization',
        '*.SLACK_BOT_TOKEN',
        '*.SLACK_SIGNING_SECRET',
        '*.SLACK_APP_TOKEN',
        '*.response_url',
        'response_url',
        '*.secretAccessKey',
        '*.sessionToken',
      ],
      censor: '[redacted]',
    },
  };
}

/**
 * JSON logs with secrets redacted by path, so a token that ends up in a logged object never reaches the output.
 * `destination` lets the CLI log to stderr and keep stdout for answers.
 */
export function createLogger(level: string, destination: 1 | 2 = 1): Logger {
  return pino(loggerOptions(level), pino.destination({ fd: destination, sync: true }));
}
