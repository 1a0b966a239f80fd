import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type SlackApiFake, startSlackApiFake } from './fakes/slack-api.js';
import { postSigned, SECRET, sampleWorld, slashBody, TOKEN } from './slack-harness.js';

const redisUrl = inject('redisUrl');

interface Proc {
  child: ChildProcess;
  port: number;
  lines: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
}

/** Starts `bin/egress <args>` and waits for its "started" log line. */
async function egress(args: string[], env: Record<string, string>): Promise<Proc> {
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'bin', 'egress'), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d) => {
      buf += String(d);
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = JSON.parse(buf.slice(0, i)) as Record<string, unknown>;
        buf = buf.slice(i + 1);
        lines.push(line);
        if (line.msg === 'egress bot started') resolve(line.port as number);
      }
    });
    exited.then((code) => reject(new Error(`egress exited early (${code}): ${stderr}`)));
  });
  return { child, port, lines, exited };
}

describe('egress serve / egress worker (real processes)', () => {
  let fake: SlackApiFake;
  let env: Record<string, string>;
  beforeAll(async () => {
    fake = await startSlackApiFake({ token: TOKEN });
    const dir = await sampleWorld();
    env = {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: fake.apiUrl,
      REDIS_URL: redisUrl,
      EGRESS_DATA_DIR: dir,
      EGRESS_K8S_SNAPSHOT: join(dir, 'k8s-snapshot.json'),
      EGRESS_QUEUE: `serve-${randomUUID().slice(0, 8)}`,
      PORT: '0',
      LOG_LEVEL: 'info',
    };
  });
  afterAll(() => fake?.close());

  it('serve: answers on /slack/events, reports /healthz, and exits 0 on SIGTERM', async () => {
    const p = await egress(['serve'], env);
    const url = `http://127.0.0.1:${p.port}`;
    const health = await (await fetch(`${url}/healthz`)).json();
    expect(health).toMatchObject({
      ok: true,
      checks: [
        { name: 'redis', ok: true },
        { name: 'worker', ok: true },
        { name: 'digest-worker', ok: true },
      ],
    });
    const body = slashBody('help');
    const res = await postSigned(url, SECRET, body);
    expect(res.status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutdown requested', 'stopped']));
    expect(JSON.stringify(p.lines)).not.toContain(SECRET);
  }, 30_000);

  it('worker: runs without a receiver, with /healthz and /metrics, and exits 0 on SIGINT', async () => {
    const p = await egress(['worker'], { ...env, SLACK_SIGNING_SECRET: '' });
    const url = `http://127.0.0.1:${p.port}`;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('egress_queue_depth');
    expect((await fetch(`${url}/slack/events`, { method: 'POST' })).status).toBe(404);
    p.child.kill('SIGINT');
    expect(await p.exited).toBe(0);
  }, 30_000);
});

describe('egress serve with a rejected token', () => {
  it('exits 2 promptly with a message naming SLACK_BOT_TOKEN', async () => {
    const fake = await startSlackApiFake({ token: TOKEN });
    try {
      const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'bin', 'egress'), 'serve'], {
        env: {
          PATH: process.env.PATH ?? '',
          SLACK_SIGNING_SECRET: SECRET,
          SLACK_BOT_TOKEN: 'xoxb-wrong',
          SLACK_API_URL: fake.apiUrl,
          REDIS_URL: redisUrl,
          EGRESS_DATA_DIR: await sampleWorld(),
          EGRESS_QUEUE: `bad-${randomUUID().slice(0, 8)}`,
          PORT: '0',
          LOG_LEVEL: 'error',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (d) => {
        stderr += String(d);
      });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(2);
      expect(stderr).toContain('Slack rejected SLACK_BOT_TOKEN (invalid_auth)');
    } finally {
      await fake.close();
    }
  }, 30_000);
});
