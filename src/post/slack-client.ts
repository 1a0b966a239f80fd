/**
 * The Slack Web API client and a pino adapter for the Slack SDKs' logger interface. One place decides retry and rate
 * limit behaviour, so Bolt's client and the worker's behave the same.
 */
import { LogLevel, type RetryOptions, WebClient, type WebClientOptions } from '@slack/web-api';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/**
 * Retries for 5xx/network errors with backoff; on HTTP 429 the WebClient waits the `Retry-After` seconds itself and
 * retries (rejectRateLimitedCalls stays false), so a rate-limited post is delayed, never dropped.
 */
export const SLACK_RETRY: RetryOptions = {
  retries: 6,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 30_000,
  randomize: true,
};

/** The SDK logger interface (structurally `@slack/logger`'s Logger), writing through pino. */
export function slackLogger(logger: Logger, name = 'slack') {
  const log = logger.child({ component: name });
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : String(m))).join(' ');
  let level = LogLevel.INFO;
  return {
    debug: (...msg: unknown[]) => log.debug(text(msg)),
    info: (...msg: unknown[]) => log.info(text(msg)),
    warn: (...msg: unknown[]) => log.warn(text(msg)),
    error: (...msg: unknown[]) => log.error(text(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/** Options shared by every WebClient the bot creates (Bolt's included). */
export function slackClientOptions(config: Config, logger: Logger): WebClientOptions {
  const url = config.SLACK_API_URL;
  return {
    // WebClient joins method names onto this URL, so it must end with a slash.
    slackApiUrl: url ? (url.endsWith('/') ? url : `${url}/`) : undefined,
    retryConfig: SLACK_RETRY,
    rejectRateLimitedCalls: false,
    logger: slackLogger(logger),
    logLevel: logger.isLevelEnabled('debug') ? LogLevel.DEBUG : LogLevel.WARN,
  };
}

/** The bot-token client the worker posts answers with. */
export function createSlackClient(config: Config, logger: Logger): WebClient {
  return new WebClient(config.SLACK_BOT_TOKEN, slackClientOptions(config, logger));
}

/** Slack errors meaning the bot cannot post in the channel: the person must invite it (or use another channel). */
export const NOT_IN_CHANNEL_ERRORS: ReadonlySet<string> = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
]);

/** The Slack `error` code of a failed Web API call (`not_in_channel`), if it was a platform error. */
export function slackErrorCode(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: string } };
  return e?.code === 'slack_webapi_platform_error' ? e.data?.error : undefined;
}

/** After a post in a channel the bot is not a member of. */
export function inviteText(channel: string): string {
  return `I cannot post the answer in <#${channel}> because I am not a member. Invite me with \`/invite @egress\` and ask again.`;
}
