import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackApiFake, startSlackApiFake } from './slack-api.js';

describe('Slack Web API fake with the real WebClient', () => {
  let fake: SlackApiFake;
  let client: WebClient;

  beforeEach(async () => {
    fake = await startSlackApiFake({ token: 'xoxb-test' });
    client = new WebClient('xoxb-test', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 2 },
      logLevel: LogLevel.ERROR,
    });
  });
  afterEach(() => fake.close());

  it('posts, updates and replies in a thread', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }];
    const first = await client.chat.postMessage({ channel: 'C1', text: 'working…', blocks });
    expect(first.ts).toBe('1700000000.000100');
    expect(fake.calls[0].args.blocks).toEqual(blocks);

    await client.chat.update({ channel: 'C1', ts: first.ts!, text: 'done' });
    const reply = await client.chat.postMessage({ channel: 'C1', thread_ts: first.ts!, text: 'details' });
    expect(Number(reply.ts)).toBeGreaterThan(Number(first.ts));

    const msgs = fake.messages('C1');
    expect(msgs.map((m) => [m.text, m.thread_ts])).toEqual([
      ['done', undefined],
      ['details', first.ts],
    ]);
    expect(msgs[0].edited).toBeDefined();
    expect(fake.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage']);
  });

  it('receives files.uploadV2 bytes and completes the upload into a thread', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x10]);
    const result = await client.files.uploadV2({
      channel_id: 'C1',
      thread_ts: '1700000000.000100',
      file: bytes,
      filename: 'chart.png',
      title: 'Egress by pod',
      initial_comment: 'here you go',
    });
    expect(result.ok).toBe(true);
    expect(fake.uploads).toHaveLength(1);
    const [upload] = fake.uploads;
    expect(upload.bytes.equals(bytes)).toBe(true);
    expect(upload).toMatchObject({
      filename: 'chart.png',
      title: 'Egress by pod',
      completed: true,
      channel_id: 'C1',
      thread_ts: '1700000000.000100',
      initial_comment: 'here you go',
    });
    expect(fake.messages('C1')[0].files).toEqual([{ id: upload.file_id, title: 'Egress by pod' }]);
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const res = await client.chat.postMessage({ channel: 'C1', text: 'eventually' });
    expect(res.ok).toBe(true);
    const attempts = fake.calls.filter((c) => c.method === 'chat.postMessage');
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    // WebClient sleeps Retry-After seconds, then p-retry adds its own backoff on top.
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(990);
    expect(fake.messages('C1')).toHaveLength(1);
  });

  it('surfaces platform errors such as not_in_channel', async () => {
    fake.failNext('chat.postMessage', { error: 'not_in_channel' });
    const err = await client.chat.postMessage({ channel: 'C2', text: 'x' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.PlatformError, data: { ok: false, error: 'not_in_channel' } });
    // The failure is one-shot.
    await expect(client.chat.postMessage({ channel: 'C2', text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('answers lookups, rejects bad tokens and records response_url posts', async () => {
    await expect(client.auth.test()).resolves.toMatchObject({ user_id: 'UBOT0001' });
    await expect(client.users.info({ user: 'U1' })).resolves.toMatchObject({ user: { id: 'U1' } });
    const bad = new WebClient('xoxb-wrong', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    await expect(bad.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });

    const pending = fake.waitFor((c) => c.method === 'response_url');
    await fetch(fake.responseUrl('abc'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'only you' }),
    });
    await expect(pending).resolves.toMatchObject({ args: { response_id: 'abc' } });
    expect(fake.responses).toEqual([
      { id: 'abc', body: { response_type: 'ephemeral', text: 'only you' }, at: expect.any(Number) },
    ]);
    await expect(fake.waitFor((c) => c.method === 'never', 50)).rejects.toThrow(/no matching call within 50ms/);
  });
});
