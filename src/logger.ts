import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * JSON logs with secrets redacted by path, so a token that ends up in a logged object never reaches the output.
 * `destination` lets the CLI log to stderr and keep stdout for answers.
 */
export function createLogger(level: string, destination: 1 | 2 = 1): Logger {
  return pino(
    {
      level,
      base: { service: 'egress' },
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
    },
    pino.destination({ fd: destination, sync: true }),
  );
}
