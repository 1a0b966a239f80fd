import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { slackClientOptions } from '../src/post/slack-client.js';
import { createSlackApp } from '../src/slack/app.js';

const logger = pino({ level: 'silent' });

describe('Slack app construction', () => {
  it('uses the HTTP receiver when only the signing secret is set', () => {
    const config = loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(createSlackApp({ config, logger, routes: [] }).mode).toBe('http');
  });

  it('uses Socket Mode when SLACK_APP_TOKEN is set (no signing secret needed)', () => {
    const config = loadConfig({ SLACK_APP_TOKEN: 'xapp-1', SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(createSlackApp({ config, logger, routes: [] }).mode).toBe('socket');
  });

  it('refuses the HTTP receiver without a signing secret', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(() => createSlackApp({ config, logger, routes: [] })).toThrow(/SLACK_SIGNING_SECRET/);
  });

  it('configures the Web API client to wait out 429s instead of failing, and to use SLACK_API_URL', () => {
    const o = slackClientOptions(loadConfig({ SLACK_API_URL: 'http://127.0.0.1:9/api' }), logger);
    expect(o).toMatchObject({ slackApiUrl: 'http://127.0.0.1:9/api/', rejectRateLimitedCalls: false });
    expect(o.retryConfig?.retries).toBeGreaterThan(0);
  });
});
