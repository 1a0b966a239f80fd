import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { IntervalRecord } from '../src/attribution/kube-records.js';
import { LiveAttribution } from '../src/attribution/live.js';
import { SnapshotAttribution } from '../src/attribution/snapshot.js';
import { RedisTimeline } from '../src/attribution/timeline.js';
import { type CliIo, main } from '../src/cli.js';
import type { CommandContext } from '../src/commands/context.js';
import { parseCommand } from '../src/commands/parse.js';
import { describeCommand, isAnswer, runCommand } from '../src/commands/registry.js';
import { createClassifier } from '../src/flowlogs/classify.js';
import { renderJson } from '../src/render/json.js';
import { renderText } from '../src/render/text.js';
import { pod, startKubernetesApiFake, uidFor } from './fakes/kubernetes-api.js';
import { at, until } from './fakes/kubernetes-api-harness.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());

const IP = '10.40.9.9';
const NOW = at('2026-11-20T12:00:00Z');
const classifier = createClassifier(['10.40.0.0/16']);
const parse = (text: string) => parseCommand(text, { maxWindowSeconds: 90 * 86_400, classifier });
const ctx = (attribution: CommandContext['attribution']) => ({ now: NOW, attribution, classifier }) as CommandContext;
/** Runs an `ip-history` text and narrows the answer. */
async function history(text: string, c: CommandContext) {
  const a = await runCommand(parse(text), c);
  if (!isAnswer(a, 'ip-history')) throw new Error(`expected ip-history, got ${a.command}`);
  return a;
}

const interval = (
  id: string,
  name: string,
  ns: string,
  deployment: string,
  from: string,
  to?: string,
): IntervalRecord => ({
  ip: IP,
  id,
  pod: name,
  namespace: ns,
  uid: id,
  node: 'n1',
  workload: { namespace: ns, kind: 'Deployment', name: deployment },
  from: at(from),
  to: to ? at(to) : null,
});

/** Writes A (closed, one end only a bound) and B (open) into a fresh timeline. */
async function seed(tl: RedisTimeline, uidB = 'uid-b'): Promise<void> {
  await tl.touch(at('2026-11-10T00:00:00Z'));
  await tl.open(interval('uid-a', 'checkout-a', 'shop', 'checkout', '2026-11-17T11:00:00Z'));
  await tl.close(IP, 'uid-a', at('2026-11-18T18:00:00Z'), { endedAfter: at('2026-11-18T17:00:00Z') });
  await tl.open(interval(uidB, 'reports-b', 'data', 'reports', '2026-11-19T06:00:00Z'));
}

describe('ip-history', () => {
  it('lists every holder of the address in the window, oldest first, with pod, workload, node, from/to', async () => {
    const tl = new RedisTimeline(redis, 'prod', `egress:test:${randomUUID()}`);
    await seed(tl);
    const live = new LiveAttribution({
      timeline: tl,
      cluster: 'prod',
      clock: () => NOW,
      status: () => ({ synced: true, podsTracked: 2, restarts: 0 }),
    });
    const answer = await history(`ip-history ${IP} last 3d`, ctx(live));
    expect(answer.history?.map((h) => [h.pod, h.workload?.name, h.node, h.from, h.to, h.cluster])).toEqual([
      ['checkout-a', 'checkout', 'n1', at('2026-11-17T11:00:00Z'), at('2026-11-18T18:00:00Z'), 'prod'],
      ['reports-b', 'reports', 'n1', at('2026-11-19T06:00:00Z'), null, 'prod'],
    ]);
    const text = renderText(answer);
    expect(text).toContain('ip-history 10.40.9.9 · last 3d');
    expect(text).toMatch(
      /shop\/checkout-a\s+shop\/Deployment\/checkout\s+n1\s+2026-11-17 11:00\s+before 2026-11-18 18:00/,
    );
    expect(text).toMatch(/data\/reports-b\s+data\/Deployment\/reports\s+n1\s+2026-11-19 06:00\s+still holds it/);
    expect(text).toContain('note: "before" ends');
    const json = renderJson(answer) as { history: Array<Record<string, unknown>> };
    expect(json.history[0]).toMatchObject({
      pod: 'checkout-a',
      from: '2026-11-17T11:00:00Z',
      to: '2026-11-18T18:00:00Z',
      endedBefore: true,
    });
    expect(json.history[1]).toMatchObject({ pod: 'reports-b', to: null });

    // A window that ends before B began shows A only; the registry describes the command for the Slack ack.
    const early = await history(`ip-history ${IP} last 2d`, {
      ...ctx(live),
      now: at('2026-11-19T00:00:00Z'),
    });
    expect(early.history?.map((h) => h.pod)).toEqual(['checkout-a']);
    expect(describeCommand(parse(`ip-history ${IP} last 3d`))).toBe(
      'Looking up which pods held 10.40.9.9 over the last 3 days',
    );
  });

  it('with only a snapshot, shows the holder it knows and says there is no history', async () => {
    const snap = SnapshotAttribution.fromItems(
      [
        {
          kind: 'Pod',
          metadata: { name: 'b', namespace: 'data', uid: 'u' },
          status: { podIP: IP, startTime: '2026-11-19T06:00:00Z' },
        },
      ],
      'snap.json',
    );
    const answer = await history(`ip-history ${IP}`, ctx(snap));
    expect(answer.history?.map((h) => h.pod)).toEqual(['b']);
    expect(answer.notes[0]).toContain('keeps no history');
  });

  it('runs from the CLI against a cluster given by KUBECONFIG (live informer + Redis timeline)', async () => {
    const fake = await startKubernetesApiFake();
    const dir = await mkdtemp(join(tmpdir(), 'egress-iph-'));
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      await writeFile(kubeconfig, fake.kubeconfig());
      const cluster = `cli-${randomUUID().slice(0, 8)}`;
      // Recorded earlier by the bot: A (gone now) and B, the pod the fake still has (same uid).
      await seed(new RedisTimeline(redis, cluster), uidFor('Pod', 'data', 'reports-b'));
      fake.upsert(pod({ name: 'reports-b', namespace: 'data', ip: IP, node: 'n1', startTime: '2026-11-19T06:00:00Z' }));
      let out = '';
      let err = '';
      const io: CliIo = {
        out: (s) => {
          out += s;
        },
        err: (s) => {
          err += s;
        },
        env: {
          KUBECONFIG: kubeconfig,
          REDIS_URL: inject('redisUrl'),
          EGRESS_CLUSTER_NAME: cluster,
          LOG_LEVEL: 'error',
        },
        clock: () => NOW,
      };
      const code = await main(
        ['ip-history', IP, 'last', '3d', '--data', dir, '--now', '2026-11-20T12:00:00Z', '--format', 'json'],
        io,
      );
      expect(err).toBe('');
      expect(code).toBe(0);
      const answer = JSON.parse(out);
      expect(answer.history.map((h: { pod: string; cluster: string }) => `${h.cluster}:${h.pod}`)).toEqual([
        `${cluster}:checkout-a`,
        `${cluster}:reports-b`,
      ]);
      expect(fake.requests.some((r) => r.path === '/api/v1/pods' && r.query.watch === 'true')).toBe(true);
      await until(() => fake.openWatches === 0, 'the CLI to stop its informer on exit');
    } finally {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
