/**
 * Socket Mode end to end: the real Bolt SocketModeReceiver (and its @slack/socket-mode client) gets its WebSocket URL
 * from `apps.connections.open` on the Web API fake, connects to the Socket Mode fake, receives a `slash_commands`
 * envelope and acks it over the socket; the worker then answers through the Web API as in HTTP mode.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type SlackSocketFake, startSlackSocketFake } from './fakes/slack-socket.js';
import { type Harness, startHarness } from './slack-harness.js';

const redisUrl = inject('redisUrl');
const APP_TOKEN = 'xapp-1-A0000FAKE-1-0123456789abcdef';
const CH = 'C0000SOCKET';

/** A port free right now (for `PORT`, which the ops server binds beside the socket). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A slash command's payload as Slack sends it in a Socket Mode envelope. */
function slashPayload(h: Harness, text: string, n: number): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: 'T0000FAKE',
    team_domain: 'fake',
    channel_id: CH,
    channel_name: 'socket',
    user_id: 'U0000ASKER',
    user_name: 'asker',
    command: '/egress',
    text,
    api_app_id: 'A0000FAKE',
    is_enterprise_install: 'false',
    response_url: h.fake.responseUrl(`R-socket-${n}`),
    trigger_id: `socket.${n}.${Date.now()}`,
  };
}

describe('Socket Mode (SLACK_APP_TOKEN) end to end', () => {
  let socket: SlackSocketFake;
  let h: Harness;
  let port: number;
  beforeAll(async () => {
    socket = await startSlackSocketFake();
    port = await freePort();
    h = await startHarness({
      redisUrl,
      env: { SLACK_APP_TOKEN: APP_TOKEN, PORT: String(port) },
      // No explicit port: the ops server binds PORT.
      bot: { port: undefined },
      fake: { appToken: APP_TOKEN, socketModeUrl: () => socket.connectionUrl() },
    });
    await socket.connected();
  });
  afterAll(async () => {
    await h?.stop();
    await socket?.close();
  });

  it('opens the connection with the app token through apps.connections.open', () => {
    expect(h.bot.slack?.mode).toBe('socket');
    const opens = h.fake.calls.filter((c) => c.method === 'apps.connections.open');
    expect(opens.map((c) => c.status)).toEqual([200]);
    expect(socket.connections).toBe(1);
  });

  it('acks a slash command over the socket within 3 s, then the worker posts the parent and the thread', async () => {
    const sent = Date.now();
    const id = socket.send('slash_commands', slashPayload(h, 'who 142.250.80.46 last 7d', 1));
    const ack = await socket.ack(id, 3_000);
    expect(ack.at - sent).toBeLessThan(3_000);
    expect(ack.payload).toMatchObject({
      response_type: 'ephemeral',
      text: 'Looking up who talked to 142.250.80.46 over the last 7 days… answer in a thread below',
    });

    await h.finished(CH);
    const posts = h.fake.calls.filter((c) => c.method === 'chat.postMessage' && !c.args.thread_ts);
    expect(posts).toHaveLength(1);
    // The queued parent goes out after the ack, never before it.
    expect(String(posts[0]?.args.text)).toBe('🔎 who 142.250.80.46 · last 7d · ⏳ Queued');
    expect(posts[0]?.at).toBeGreaterThanOrEqual(ack.at);
    const msgs = h.fake.messages(CH);
    const parent = msgs.find((m) => !m.thread_ts);
    expect(parent?.text).toContain('✅ Done');
    const thread = msgs.filter((m) => m.thread_ts === parent?.ts);
    expect(thread.length).toBeGreaterThanOrEqual(3);
    expect(thread[0]?.text).toMatch(/^\d+ rows · /);
    expect(msgs.filter((m) => !m.thread_ts)).toHaveLength(1);
  });

  it('serves /healthz on PORT beside the socket', async () => {
    expect(h.bot.port).toBe(port);
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      ok: true,
      checks: expect.arrayContaining([
        { name: 'redis', ok: true, detail: expect.any(String) },
        { name: 'worker', ok: true, detail: 'running' },
      ]),
    });
  });

  it('reconnects with a fresh URL when Slack asks it to, and keeps answering', async () => {
    socket.disconnect('refresh_requested');
    await socket.connected(2, 10_000);
    expect(h.fake.calls.filter((c) => c.method === 'apps.connections.open')).toHaveLength(2);
    const id = socket.send('slash_commands', slashPayload(h, 'help', 2));
    const ack = await socket.ack(id, 3_000);
    expect(ack.payload).toMatchObject({ response_type: 'ephemeral', text: 'egress commands' });
  });
});
