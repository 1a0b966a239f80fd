/**
 * The Bolt app: the HTTP receiver on `/slack/events` (commands, events and interactivity, with Bolt's signature check
 * and its 5-minute replay window) or Socket Mode when `SLACK_APP_TOKEN` is set. Listeners are registered by the caller.
 */
import type { Server } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { OpsRoute } from '../ops-routes.js';
import { slackClientOptions, slackErrorCode, slackLogger } from '../post/slack-client.js';
import { limitBodies, SERVER_TIMEOUTS } from './body-limit.js';
import { extractRequestMeta } from './request-meta.js';

/** A Bolt app with its receiver, ready for listeners. */
export interface SlackApp {
  app: App;
  mode: 'http' | 'socket';
  /** Connects (Socket Mode) or listens (HTTP). Returns the HTTP port, if any. */
  start(port: number, host?: string): Promise<number | undefined>;
  /** Stops receiving; in-flight HTTP requests finish first. */
  stop(): Promise<void>;
  /** Aborted when stopping gave up waiting for listeners' work after their acks (the shutdown grace is over). */
  stopping?: AbortSignal;
}

export interface SlackAppOptions {
  config: Config;
  logger: Logger;
  /** `/healthz` and `/metrics`, served next to `/slack/events` in HTTP mode. */
  routes: OpsRoute[];
}

/** Builds the app. Socket Mode when `SLACK_APP_TOKEN` is set, else HTTP (which needs `SLACK_SIGNING_SECRET`). */
export function createSlackApp(o: SlackAppOptions): SlackApp {
  const { config } = o;
  const logger = slackLogger(o.logger, 'bolt');
  const common = {
    token: config.SLACK_BOT_TOKEN,
    logger,
    clientOptions: slackClientOptions(config, o.logger),
    // auth.test runs in start(), where a bad token is reported, not in a constructor.
    deferInitialization: true,
  };
  if (config.SLACK_APP_TOKEN) {
    const receiver = new SocketModeReceiver({
      appToken: config.SLACK_APP_TOKEN,
      logger,
      customPropertiesExtractor: extractRequestMeta,
      // The socket client's own WebClient calls apps.connections.open: it must use SLACK_API_URL too. Only the URL:
      // its default retry config (many quick retries) is what keeps reconnecting after an outage.
      installerOptions: { clientOptions: { slackApiUrl: common.clientOptions.slackApiUrl } },
    });
    const app = new App({ ...common, receiver });
    return {
      app,
      mode: 'socket',
      async start() {
        await init(app);
        await app.start();
        return undefined;
      },
      stop: () => app.stop().then(() => undefined),
    };
  }
  if (!config.SLACK_SIGNING_SECRET) throw new ConfigError('SLACK_SIGNING_SECRET is required for the HTTP receiver');
  const receiver = new HTTPReceiver({
    signingSecret: config.SLACK_SIGNING_SECRET,
    endpoints: '/slack/events',
    customRoutes: o.routes,
    logger,
    // Ack first, work after: the listener's ack() answers the HTTP request at once.
    processBeforeResponse: false,
    customPropertiesExtractor: extractRequestMeta,
  });
  // In front of Bolt's listener: bodies over EGRESS_MAX_BODY_BYTES get 413 before they are buffered.
  receiver.requestListener = limitBodies(receiver.requestListener, config.EGRESS_MAX_BODY_BYTES, (e) =>
    e.kind === 'too_large'
      ? o.logger.warn({ declared: e.declared, read: e.read }, 'request body over EGRESS_MAX_BODY_BYTES; 413')
      : o.logger.error({ err: e.err }, 'request failed in the receiver'),
  );
  const app = new App({ ...common, receiver });
  let server: Server | undefined;
  return {
    app,
    mode: 'http',
    async start(port, host) {
      await init(app);
      server = (await app.start({ port, host }, SERVER_TIMEOUTS)) as Server;
      const addr = server.address();
      return typeof addr === 'object' && addr ? addr.port : port;
    },
    async stop() {
      if (!server) return;
      const s = server;
      server = undefined;
      const closed = app.stop();
      // Keep-alive connections would hold close() open until they time out.
      s.closeIdleConnections();
      await closed;
    },
  };
}

/** `auth.test` through Bolt's init; a rejected token becomes a config error that names the variable. */
async function init(app: App): Promise<void> {
  try {
    await app.init();
  } catch (err) {
    const code = slackErrorCode(err) ?? slackErrorCode((err as { original?: unknown }).original);
    if (code)
      throw new ConfigError(`Slack rejected SLACK_BOT_TOKEN (${code}): check the bot token on the Slack app page.`);
    throw err;
  }
}
