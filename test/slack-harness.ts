/**
 * Test harness for the Slack path: a sample world in a temp dir, real deps (DuckDB engine, snapshot attribution),
 * the Slack Web API fake, the real bot (Bolt HTTP receiver + BullMQ worker) on 127.0.0.1, a queue per test, and
 * signed requests. Everything is loopback-only.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { generateWorld, SAMPLE_NOW } from '../dev/sample/world.js';
import { loadConfig } from '../src/config.js';
import type { QueryEngine } from '../src/engine/types.js';
import { loggerOptions } from '../src/logger.js';
import { buildDeps, type Deps, type DepsOptions } from '../src/main.js';
import { type Bot, type BotOptions, startBot } from '../src/server/start.js';
import { type SlackApiFake, type SlackApiFakeOptions, startSlackApiFake } from './fakes/slack-api.js';

export const SECRET = 'test-signing-secret-0123456789';
export const TOKEN = 'xoxb-test-token';
export { SAMPLE_NOW };

let world: Promise<string> | undefined;
/** Generates the sample world once per test file (process). */
export function sampleWorld(): Promise<string> {
  world ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'egress-slack-'));
    await generateWorld({ dir });
    process.once('exit', () => void rm(dir, { recursive: true, force: true }));
    return dir;
  })();
  return world;
}

/** `v0=…` signature of a request body at a timestamp, as Slack computes it. */
export function sign(secret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POSTs `body` to the receiver's `/slack/events`, signed with `secret` at `ts` as Slack signs requests. */
export function postSigned(
  baseUrl: string,
  secret: string,
  body: string,
  o: { type?: string; ts?: number; headers?: Record<string, string> } = {},
): Promise<Response> {
  const ts = o.ts ?? Math.floor(Date.now() / 1000);
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': o.type ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': sign(secret, ts, body),
      ...o.headers,
    },
    body,
  });
}

export interface Harness {
  fake: SlackApiFake;
  bot: Bot;
  deps: Deps;
  url: string;
  queueName: string;
  /** Parsed JSON log lines. */
  logs: Array<Record<string, unknown>>;
  /** Raw log text (for "no secrets" checks). */
  rawLogs(): string;
  /** POSTs a signed slash command; returns the HTTP status and the parsed ack. */
  slash(
    text: string,
    o?: SlashOptions,
  ): Promise<{ status: number; body: { text?: string; blocks?: unknown[] } | undefined }>;
  /** POSTs a signed Events API envelope. */
  event(event: Record<string, unknown>, o?: { eventId?: string; retryNum?: number }): Promise<number>;
  /**
   * Resolves once the queue holds at least `n` jobs in any state. The enqueue runs after the ack (behind the queued
   * parent's Slack call), so a test that just got its ack waits here before counting jobs.
   */
  queued(n?: number, timeoutMs?: number): Promise<number>;
  /** Resolves when the parent message of channel `channel` reaches ✅/❌ (the final chat.update). */
  finished(channel?: string, count?: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface SlashOptions {
  user?: string;
  channel?: string;
  responseId?: string;
  timestamp?: number;
  triggerId?: string;
}

export interface HarnessOptions {
  redisUrl: string;
  env?: Record<string, string>;
  bot?: BotOptions;
  /** Dependency options (a Slack client for the worker, a clock…). */
  deps?: DepsOptions;
  fake?: SlackApiFakeOptions;
  /** Wraps the real engine (to gate, fail or slow queries). */
  engine?: (real: QueryEngine) => QueryEngine;
  /** Reuse a running fake (for a second bot instance). */
  sharedFake?: SlackApiFake;
  queueName?: string;
}

/** Starts the fake, builds deps over the sample world and starts the bot. */
export async function startHarness(o: HarnessOptions): Promise<Harness> {
  const dir = await sampleWorld();
  const fake = o.sharedFake ?? (await startSlackApiFake({ token: TOKEN, ...o.fake }));
  const queueName = o.queueName ?? `q-${randomUUID().slice(0, 8)}`;
  const config = loadConfig({
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_API_URL: fake.apiUrl,
    REDIS_URL: o.redisUrl,
    EGRESS_DATA_DIR: dir,
    EGRESS_K8S_SNAPSHOT: join(dir, 'k8s-snapshot.json'),
    EGRESS_QUEUE: queueName,
    LOG_LEVEL: 'debug',
    ...o.env,
  });
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  // The product's own logger options (redaction, err serializer), so the log checks test what ships.
  const logger = pino(loggerOptions('debug'), sink);
  const deps = buildDeps(config, logger, { clock: () => SAMPLE_NOW, wrapEngine: o.engine, ...o.deps });
  const bot = await startBot(deps, { port: 0, host: '127.0.0.1', queueName, ...o.bot });
  const url = `http://127.0.0.1:${bot.port}`;
  const post = (body: string, type: string, ts: number, headers: Record<string, string> = {}) =>
    postSigned(url, SECRET, body, { type, ts, headers });
  let seq = 0;
  return {
    fake,
    bot,
    deps,
    url,
    queueName,
    get logs() {
      return chunks.flatMap((c) =>
        c
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      );
    },
    rawLogs: () => chunks.join(''),
    async slash(text, s = {}) {
      const body = slashBody(text, {
        ...s,
        responseUrl: fake.responseUrl(s.responseId ?? `R${++seq}`),
        triggerId: s.triggerId ?? `${Date.now()}.${++seq}`,
      });
      const res = await post(body, 'application/x-www-form-urlencoded', s.timestamp ?? Math.floor(Date.now() / 1000));
      const raw = await res.text();
      return { status: res.status, body: raw ? JSON.parse(raw) : undefined };
    },
    async event(event, e = {}) {
      const body = JSON.stringify({
        token: 'legacy',
        team_id: 'T0000FAKE',
        api_app_id: 'A0000FAKE',
        type: 'event_callback',
        event_id: e.eventId ?? `Ev${++seq}`,
        event_time: SAMPLE_NOW,
        event: { type: 'app_mention', event_ts: event.ts, ...event },
      });
      const headers: Record<string, string> = e.retryNum
        ? { 'x-slack-retry-num': String(e.retryNum), 'x-slack-retry-reason': 'http_timeout' }
        : {};
      const res = await post(body, 'application/json', Math.floor(Date.now() / 1000), headers);
      await res.arrayBuffer();
      return res.status;
    },
    async queued(n = 1, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const counts = await bot.queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');
        const total = Object.values(counts).reduce((a, b) => a + b, 0);
        if (total >= n) return total;
        if (Date.now() > deadline) throw new Error(`queue holds ${total} jobs, expected ${n}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async finished(channel = 'C0000TEST', count = 1, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const done = fake.calls.filter(
          (c) => c.method === 'chat.update' && c.args.channel === channel && /✅|❌/.test(String(c.args.text)),
        );
        if (done.length >= count) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no finished answer in ${channel}; calls: ${fake.calls.map((c) => c.method).join(', ')}`);
    },
    async stop() {
      await bot.stop();
      await deps.close();
      if (!o.sharedFake) await fake.close();
    },
  };
}

/** A slash-command form body as Slack sends it. */
export function slashBody(text: string, o: SlashOptions & { responseUrl?: string } = {}): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0000FAKE',
    team_domain: 'fake',
    channel_id: o.channel ?? 'C0000TEST',
    channel_name: 'test',
    user_id: o.user ?? 'U0000ASKER',
    user_name: 'asker',
    command: '/egress',
    text,
    api_app_id: 'A0000FAKE',
    response_url: o.responseUrl ?? 'http://127.0.0.1:9/response',
    trigger_id: o.triggerId ?? `${Date.now()}.1.abc`,
  }).toString();
}
