/**
 * Digest buttons end to end: the real Bolt HTTP receiver gets signed `block_actions` payloads, acks, queues; the digest
 * worker stores the suppression, updates the message in place, answers Triage/CSV in the thread; audit lines are
 * written. The digest itself is the real one of 2026-11-17 on the sample world (posted by the start-up catch-up).
 */
import { createHmac, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Writable } from 'node:stream';
import { WebClient } from '@slack/web-api';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateWorld } from '../dev/sample/world.js';
import { loadConfig } from '../src/config.js';
import { buildDigest } from '../src/digest/build.js';
import { digestPrefix } from '../src/digest/state.js';
import { redisSuppressions } from '../src/digest/suppressions.js';
import type { Digest } from '../src/digest/types.js';
import { buildDeps, type Deps } from '../src/main.js';
import type { ActionJob } from '../src/queue/digest-jobs.js';
import { abandonJob } from '../src/queue/fate.js';
import type { Redis } from '../src/redis.js';
import { type DigestService, startDigest } from '../src/server/digest.js';
import { createSlackApp, type SlackApp } from '../src/slack/app.js';
import { type SlackApiFake, startSlackApiFake } from './fakes/slack-api.js';
import { tempDir } from './support/mini-world.js';

const SECRET = 'digest-signing-secret-0123456789';
const TOKEN = 'xoxb-digest-actions';
const CHANNEL = 'C0SECURITY';
const CLICK_TIME = Date.parse('2026-11-17T09:30:00Z') / 1000;
const redisUrl = inject('redisUrl');

let fake: SlackApiFake;
let deps: Deps;
let slack: SlackApp;
let svc: DigestService;
let redis: Redis;
let url: string;
let queue: string;
let ts: string;
let posted: Digest;
const chunks: string[] = [];
const logs = () =>
  chunks.flatMap((c) =>
    c
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  );

const sign = (t: number, body: string) => `v0=${createHmac('sha256', SECRET).update(`v0:${t}:${body}`).digest('hex')}`;

/** POSTs a block_actions payload as Slack does (form field `payload`), signed unless told otherwise. */
async function click(
  action: 'digest_mark' | 'digest_triage' | 'digest_widen' | 'digest_csv',
  findingId: string,
  user = 'U0SEC1',
  forge = false,
) {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0000FAKE', domain: 'fake' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0000FAKE' },
    api_app_id: 'A0000FAKE',
    token: 'legacy',
    container: { type: 'message', message_ts: ts, channel_id: CHANNEL, is_ephemeral: false },
    trigger_id: `${Date.now()}.${randomUUID()}`,
    channel: { id: CHANNEL, name: 'security' },
    message: { type: 'message', ts, text: 'Egress digest', blocks: [] },
    response_url: `${fake.url}/response/R1`,
    actions: [
      {
        type: 'button',
        action_id: action,
        block_id: `finding-${findingId}`,
        value: findingId,
        action_ts: String(Date.now() / 1000),
        text: { type: 'plain_text', text: 'x' },
      },
    ],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const t = Math.floor(Date.now() / 1000);
  const started = Date.now();
  const res = await fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(t),
      'x-slack-signature': forge ? sign(t, `${body}x`) : sign(t, body),
    },
    body,
  });
  await res.arrayBuffer();
  return { status: res.status, ms: Date.now() - started };
}

async function until<T>(f: () => T | undefined | false, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; calls: ${fake.calls.map((c) => c.method).join(', ')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const finding = (destination: string, kind = 'new-destination') =>
  [...posted.newDestinations, ...posted.dnsBypass].find(
    (f) => f.destination === destination && f.kind === kind,
  ) as Digest['newDestinations'][number];

beforeAll(async () => {
  const dir = await tempDir('egress-actions-');
  await generateWorld({ dir });
  fake = await startSlackApiFake({ token: TOKEN });
  queue = `da-${randomUUID().slice(0, 8)}`;
  const config = loadConfig({
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_API_URL: fake.apiUrl,
    REDIS_URL: redisUrl,
    EGRESS_DATA_DIR: dir,
    EGRESS_K8S_SNAPSHOT: path.join(dir, 'k8s-snapshot.json'),
    EGRESS_QUEUE: queue,
    EGRESS_DIGEST_CHANNEL: CHANNEL,
    // Who may click: the digest channel and two people (the digest channel is allowed by design too).
    EGRESS_ALLOWED_CHANNELS: CHANNEL,
    EGRESS_ALLOWED_USERS: 'U0SEC1,U0ONCALL',
    EGRESS_RATE_LIMIT_PER_MIN: '100',
    LOG_LEVEL: 'debug',
  });
  const sink = new Writable({
    write(chunk, _e, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  deps = buildDeps(config, pino({ level: 'debug' }, sink), {
    clock: () => CLICK_TIME, // 09:30 on 11-17, past the 08:00 cron: the catch-up posts the digest of 2026-11-17
    slackClient: new WebClient(TOKEN, { slackApiUrl: fake.apiUrl }),
  });
  redis = await deps.redis();
  slack = createSlackApp({ config, logger: deps.logger, routes: [] });
  svc = await startDigest(deps, { app: slack.app });
  url = `http://127.0.0.1:${await slack.start(0, '127.0.0.1')}`;
  const post = await until(
    () => fake.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL),
    'the digest',
  );
  await until(
    () => fake.uploads.find((u) => u.completed && u.filename === 'egress-digest-2026-11-17.png'),
    'the chart upload',
  );
  ts = String(fake.messages(CHANNEL).find((m) => m.text === post.args.text)?.ts);
  posted = (await svc.state.digest(CHANNEL, ts)) as Digest;
});

afterAll(async () => {
  await svc?.queue.removeJobScheduler(`digest-${CHANNEL}`);
  await slack?.stop();
  await deps?.close();
  await fake?.close();
});

describe('digest buttons', () => {
  it('the catch-up posted the real digest of 2026-11-17 with its chart in the thread', () => {
    expect(svc.catchUp).toBe('queued');
    expect(posted.newDestinations.map((f) => f.destination)).toEqual(['151.101.1.69', '8.8.4.4']);
    const chart = fake.uploads.find((u) => u.filename === 'egress-digest-2026-11-17.png');
    expect(chart?.thread_ts).toBe(ts);
    expect(chart?.bytes.subarray(1, 4).toString()).toBe('PNG');
  });

  it('Mark expected: ack at once, suppression stored, message updated in place, audit lines', async () => {
    const f = finding('8.8.4.4');
    const res = await click('digest_mark', f.id);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3_000);
    const update = await until(
      () =>
        fake.calls.find(
          (c) =>
            c.method === 'chat.update' && c.args.ts === ts && JSON.stringify(c.args.blocks).includes('marked expected'),
        ),
      'chat.update',
    );
    const text = JSON.stringify(update.args.blocks);
    expect(text).toContain('✅ marked expected by <@U0SEC1>');
    // The marked finding keeps Triage/Widen/CSV but loses its Mark button; the others keep theirs.
    const blocks = update.args.blocks as Array<{
      type: string;
      block_id?: string;
      elements?: Array<{ action_id: string }>;
    }>;
    expect(blocks.find((b) => b.block_id === `finding-${f.id}`)?.elements?.map((e) => e.action_id)).toEqual([
      'digest_triage',
      'digest_widen',
      'digest_csv',
    ]);
    expect(
      blocks.find((b) => b.block_id === `finding-${finding('151.101.1.69').id}`)?.elements?.map((e) => e.action_id),
    ).toContain('digest_mark');
    const stored = await redisSuppressions(redis, digestPrefix(queue)).list();
    expect(stored).toEqual([
      { destination: '8.8.4.4', names: [], workload: 'analytics/Job/backfill', by: 'U0SEC1', at: CLICK_TIME },
    ]);
    expect(logs()).toContainEqual(
      expect.objectContaining({
        audit: 'digest_action',
        user: 'U0SEC1',
        channel: CHANNEL,
        action: 'mark',
        finding: f.id,
        decision: 'allow',
      }),
    );
    expect(logs()).toContainEqual(
      expect.objectContaining({ audit: 'suppression', user: 'U0SEC1', destination: '8.8.4.4' }),
    );
    // The next digest leaves it out and counts it.
    const next = await buildDigest(await deps.context(CLICK_TIME), {
      date: '2026-11-17',
      tz: 'UTC',
      suppressions: stored,
    });
    expect(next.newDestinations.map((x) => x.destination)).toEqual(['151.101.1.69']);
    expect(next.suppressed).toHaveLength(2);
  });

  it('Triage answers in the digest thread with the full who answer; CSV uploads it', async () => {
    const f = finding('151.101.1.69');
    expect((await click('digest_triage', f.id, 'U0ONCALL')).status).toBe(200);
    const reply = await until(
      () =>
        fake.messages(CHANNEL).find((m) => m.thread_ts === ts && JSON.stringify(m.blocks ?? '').includes('pypi.org')),
      'the who answer in the thread',
    );
    expect(JSON.stringify(reply.blocks)).toContain('files.pythonhosted.org');
    const thread = fake.messages(CHANNEL).filter((m) => m.thread_ts === ts);
    expect(JSON.stringify(thread)).toContain('analytics/Job/backfill');
    expect(JSON.stringify(thread)).toMatch(/who 151\.101\.1\.69 · last 1d/);
    await until(
      () =>
        fake.calls.find(
          (c) =>
            c.method === 'chat.update' && JSON.stringify(c.args.blocks).includes('triage requested by <@U0ONCALL>'),
        ),
      'triage shown',
    );

    // Widen: the same answer over the 30 days up to the click.
    expect((await click('digest_widen', f.id, 'U0ONCALL')).status).toBe(200);
    await until(
      () =>
        fake
          .messages(CHANNEL)
          .find((m) => m.thread_ts === ts && /who 151\.101\.1\.69 · last 30d/.test(JSON.stringify(m))),
      'the widened answer',
    );

    expect((await click('digest_csv', f.id, 'U0ONCALL')).status).toBe(200);
    const csv = await until(
      () => fake.uploads.find((u) => u.completed && u.filename.startsWith('egress-who-151.101.1.69')),
      'the CSV',
    );
    expect(csv.thread_ts).toBe(ts);
    // The digest day [2026-11-16, 2026-11-17): both pypi connections of the backfill Job.
    expect(csv.bytes.toString()).toMatch(
      /analytics,Job,backfill,backfill-7x9kq,10\.40\.41\.8,.*,151\.101\.1\.69,443,tcp,2,0,4000,1200000/,
    );
  });

  it('forged and unauthorized clicks change nothing', async () => {
    const f = finding('151.101.1.69');
    const before = (await redisSuppressions(redis, digestPrefix(queue)).list()).length;
    expect((await click('digest_mark', f.id, 'U0SEC1', true)).status).toBe(401);
    expect((await click('digest_mark', f.id, 'U0INTRUDER')).status).toBe(200);
    await until(
      () => fake.calls.find((c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0INTRUDER'),
      'the denial',
    );
    expect(logs()).toContainEqual(
      expect.objectContaining({ audit: 'digest_action', user: 'U0INTRUDER', decision: 'deny' }),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await redisSuppressions(redis, digestPrefix(queue)).list()).length).toBe(before);
  });

  it('a click whose enqueue the receiver gave up on is never run, even when its add lands later', async () => {
    const f = finding('151.101.1.69');
    const jobId = 'act-late-click';
    // The receiver settled the enqueue as abandoned (the clicker was told to click again)…
    expect(await abandonJob(redis, svc.queue, jobId)).toBe('abandoned');
    const updates = fake.calls.filter((c) => c.method === 'chat.update').length;
    const before = (await redisSuppressions(redis, digestPrefix(queue)).list()).length;
    // …and then the add that was still on its way arrives.
    const data: ActionJob = {
      kind: 'action',
      action: 'mark',
      channel: CHANNEL,
      ts,
      findingId: f.id,
      user: 'U0SEC1',
      requestId: 'req-late-click',
      at: CLICK_TIME,
    };
    await svc.queue.add('action', data, { jobId });
    const deadline = Date.now() + 20_000;
    let job = await svc.queue.getJob(jobId);
    while (!(await job?.isCompleted()) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      job = await svc.queue.getJob(jobId);
    }
    expect(job?.returnvalue).toEqual({ done: 'abandoned' });
    expect((await redisSuppressions(redis, digestPrefix(queue)).list()).length).toBe(before);
    expect(fake.calls.filter((c) => c.method === 'chat.update').length).toBe(updates);
  });
});
