import { LogLevel, WebClient } from '@slack/web-api';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnswerPoster, type PostingJob, type Reply } from '../src/post/answer-poster.js';
import type { CommandJobData } from '../src/queue/queue.js';
import { type SlackApiFake, startSlackApiFake } from './fakes/slack-api.js';

const msg = (text: string): Reply => ({ kind: 'message', message: { text, blocks: [] } });

function job(data: Partial<CommandJobData> = {}): PostingJob & { saves: Array<Partial<CommandJobData>> } {
  const state: CommandJobData = {
    v: 1,
    command: { name: 'dns-bypass', window: { amount: 7, unit: 'd', seconds: 604_800 } },
    channel: 'C1',
    user: 'U1',
    requestedAt: 1_795_000_000,
    requestId: 'req-1',
    source: 'slash',
    ...data,
  };
  const saves: Array<Partial<CommandJobData>> = [];
  return {
    saves,
    get data() {
      return state;
    },
    async save(patch) {
      saves.push(patch);
      Object.assign(state, patch);
    },
  };
}

describe('AnswerPoster (idempotent posting)', () => {
  let fake: SlackApiFake;
  let client: WebClient;
  const logger = pino({ level: 'silent' });
  beforeEach(async () => {
    fake = await startSlackApiFake();
    client = new WebClient('xoxb-x', {
      slackApiUrl: fake.apiUrl,
      logLevel: LogLevel.ERROR,
      retryConfig: { retries: 0 },
    });
  });
  afterEach(() => fake.close());

  it('posts the parent once and saves its ts; later calls update it in place', async () => {
    const j = job();
    const p = new AnswerPoster(client, j, logger);
    await p.showParent({ text: 'one', blocks: [] });
    await p.showParent({ text: 'two', blocks: [] });
    expect(j.saves).toEqual([{ parent_ts: fake.messages('C1')[0]?.ts }]);
    expect(fake.messages('C1').map((m) => m.text)).toEqual(['two']);
  });

  it('continues after the replies an earlier attempt posted', async () => {
    const j = job({ parent_ts: '1700000000.000100', repliesPosted: 2 });
    await new AnswerPoster(client, j, logger).postReplies([msg('a'), msg('b'), msg('c'), msg('d')]);
    expect(fake.messages('C1').map((m) => [m.text, m.thread_ts])).toEqual([
      ['c', '1700000000.000100'],
      ['d', '1700000000.000100'],
    ]);
    expect(j.data.repliesPosted).toBe(4);
  });

  it('drops a progress update that arrives after the final state', async () => {
    const j = job();
    const p = new AnswerPoster(client, j, logger);
    await p.showParent({ text: 'querying', blocks: [] });
    const final = p.showParent({ text: 'done', blocks: [] }, true);
    const late = p.showParent({ text: 'querying 10 MiB', blocks: [] });
    await Promise.all([final, late]);
    expect(fake.messages('C1').map((m) => m.text)).toEqual(['done']);
  });

  it('posts a new parent when the saved one was deleted', async () => {
    const j = job({ parent_ts: '1700000000.999999' });
    await new AnswerPoster(client, j, logger).showParent({ text: 'again', blocks: [] });
    expect(fake.messages('C1').map((m) => m.text)).toEqual(['again']);
    expect(j.data.parent_ts).toBe(fake.messages('C1')[0]?.ts);
  });

  it('maps not_in_channel to a user error that says how to invite the bot', async () => {
    fake.failNext('chat.postMessage', { error: 'not_in_channel' });
    const err = await new AnswerPoster(client, job(), logger)
      .showParent({ text: 'x', blocks: [] })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SLACK_NOT_IN_CHANNEL' });
    expect((err as Error).message).toContain('/invite @egress');
  });

  it('tells the user through response_url, or ephemerally without one', async () => {
    await new AnswerPoster(client, job({ response_url: fake.responseUrl('R9') }), logger).tellUser('hello');
    expect(fake.responses).toMatchObject([{ id: 'R9', body: { response_type: 'ephemeral', text: 'hello' } }]);
    await new AnswerPoster(client, job({ source: 'mention', thread_ts: '1.2' }), logger).tellUser('psst');
    expect(fake.calls.at(-1)).toMatchObject({
      method: 'chat.postEphemeral',
      args: { user: 'U1', thread_ts: '1.2', text: 'psst' },
    });
  });
});
