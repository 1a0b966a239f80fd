/**
 * Attribution benchmark: resolving 10 000 (ip, at) pairs against a populated Redis IP timeline (time and Redis round
 * trips; goal 1 round trip, < 50 ms), and Kubernetes API calls made while answering 100 `who` queries with the live
 * source (goal 0). Own redis-server, the Kubernetes API fake and a generated world: loopback and temp files only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { Redis } from 'ioredis';
import { VPC_CIDRS } from '../dev/sample/constants.js';
import { buildSnapshot } from '../dev/sample/k8s.js';
import { generateWorld, SAMPLE_NOW } from '../dev/sample/world.js';
import { LiveCluster } from '../src/attribution/kube-cluster.js';
import { RedisTimeline } from '../src/attribution/timeline.js';
import type { CommandContext } from '../src/commands/context.js';
import { parseCommand } from '../src/commands/parse.js';
import { runCommand } from '../src/commands/registry.js';
import { DuckDbEngine } from '../src/engine/duckdb.js';
import { createClassifier } from '../src/flowlogs/classify.js';
import { type KubeObject, startKubernetesApiFake } from '../test/fakes/kubernetes-api.js';
import { startRedisServer } from '../test/support/redis-server.js';

const DAY = 86_400;
const PAIRS = 10_000;
const IPS = 5_000;
const WHO_QUERIES = 100;

/** Deterministic pseudo-random numbers (LCG), so every run asks the same questions. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Commands the connection `of` sends while `fn` runs (not the script's inner calls), seen through MONITOR. */
async function clientCommands(url: string, of: Redis, fn: () => Promise<unknown>): Promise<string[]> {
  // lazyConnect: only the MONITOR connection is opened, so its own INFO ready check is not counted.
  const client = new Redis(url, { lazyConnect: true });
  const monitor = await client.monitor();
  const mine = `:${(of as unknown as { stream: { localPort: number } }).stream.localPort}`;
  const seen: string[] = [];
  monitor.on('monitor', (_t: string, args: string[], source: string) => {
    if (source.endsWith(mine)) seen.push(String(args[0]).toLowerCase());
  });
  await new Promise((r) => setTimeout(r, 50));
  await fn();
  await new Promise((r) => setTimeout(r, 100));
  // Stop listening before disconnecting: later commands must not land in the returned list.
  monitor.removeAllListeners('monitor');
  monitor.disconnect();
  client.disconnect();
  return [...seen];
}

/** 5 000 pod IPs, each reused by 3 pods over 10 days (a closed interval, a gap, then the current holder). */
async function populate(tl: RedisTimeline, now: number): Promise<void> {
  const rnd = lcg(7);
  await tl.touch(now - 10 * DAY);
  for (let i = 0; i < IPS; i += 500) {
    const writes: Array<Promise<void>> = [];
    for (let k = i; k < i + 500; k++) {
      const ip = `10.40.${Math.floor(k / 250)}.${k % 250}`;
      const t1 = now - 10 * DAY + Math.floor(rnd() * DAY);
      const t2 = t1 + Math.floor((2 + rnd() * 3) * DAY);
      const t3 = t2 + 600 + Math.floor(rnd() * DAY);
      const base = {
        ip,
        namespace: 'shop',
        node: 'n1',
        workload: { namespace: 'shop', kind: 'Deployment', name: `w${k % 40}` },
      };
      const podAt = (n: number, from: number) => ({
        ...base,
        id: `u${k}-${n}`,
        uid: `u${k}-${n}`,
        pod: `p${k}-${n}`,
        from,
        to: null,
      });
      writes.push(
        (async () => {
          await tl.open(podAt(1, t1));
          await tl.close(ip, `u${k}-1`, t2);
          await tl.open(podAt(2, t3));
        })(),
      );
    }
    await Promise.all(writes);
  }
}

/** Median time and round trips of resolving PAIRS pairs spread over `spread` of the populated IPs. */
async function resolveRun(url: string, redis: Redis, tl: RedisTimeline, spread: number): Promise<string> {
  const rnd = lcg(11);
  const pairs = Array.from({ length: PAIRS }, () => {
    const k = Math.floor(rnd() * spread);
    return { ip: `10.40.${Math.floor(k / 250)}.${k % 250}`, at: SAMPLE_NOW - Math.floor(rnd() * 10 * DAY) };
  });
  await tl.lookup(pairs.slice(0, 10)); // the script is loaded once per server, not per batch
  await redis.config('RESETSTAT');
  const times: number[] = [];
  let attributed = 0;
  for (let run = 0; run < 7; run++) {
    const t = performance.now();
    const look = await tl.lookup(pairs);
    times.push(performance.now() - t);
    attributed = look.latest.filter((r, i) => r && (r.to === null || r.to > (pairs[i]?.at ?? 0))).length;
  }
  const commands = await clientCommands(url, redis, () => tl.lookup(pairs));
  const sorted = [...times].sort((a, b) => a - b);
  // Server-side script time, from INFO commandstats: what Redis spends, apart from transfer and parsing here.
  const stats = await redis.info('commandstats');
  const serverMs = Number(/cmdstat_evalsha:calls=\d+,usec=\d+,usec_per_call=([\d.]+)/.exec(stats)?.[1] ?? 0) / 1000;
  return (
    `resolve ${PAIRS} (ip, at) pairs over ${spread} IPs: median ${sorted[3]?.toFixed(1)} ms, best ${sorted[0]?.toFixed(1)} ms of 7 ` +
    `(goal < 50 ms; Redis script ${serverMs.toFixed(1)} ms of it); ${commands.length} Redis round trip${commands.length === 1 ? '' : 's'} [${commands.join(', ')}] (goal 1); ` +
    `${attributed} attributed, ${PAIRS - attributed} fell in gaps between holders`
  );
}

async function benchResolve(url: string): Promise<string[]> {
  const redis = new Redis(url);
  try {
    const tl = new RedisTimeline(redis, 'bench');
    const t = performance.now();
    await populate(tl, SAMPLE_NOW);
    const load = loadavg()[0]?.toFixed(1);
    const setup = `timeline: ${IPS} pod IPs × 3 holders over 10 days written in ${(performance.now() - t).toFixed(0)} ms (load average ${load} on ${cpus().length} CPUs)`;
    // A cluster-wide `top` touches many pod IPs; a `who` answer a few hundred at most.
    return [setup, await resolveRun(url, redis, tl, IPS), await resolveRun(url, redis, tl, 200)];
  } finally {
    redis.disconnect();
  }
}

async function benchWhoApiCalls(url: string): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'egress-bench-attr-'));
  const fake = await startKubernetesApiFake();
  const redis = new Redis(url);
  const kc = new KubeConfig();
  kc.loadFromString(fake.kubeconfig());
  const clock = () => SAMPLE_NOW;
  const live = new LiveCluster({ name: 'bench-who', kc, redis, namespaces: [], clock, retentionSeconds: 90 * DAY });
  const engine = await generateWorld({ dir, days: 1 }).then(() => DuckDbEngine.create({ dataDir: dir }));
  try {
    for (const item of (buildSnapshot() as { items: KubeObject[] }).items) fake.upsert(item);
    await live.start();
    await live.recorder.flush();
    const classifier = createClassifier([...VPC_CIDRS]);
    const ctx = {
      now: SAMPLE_NOW,
      engine,
      attribution: live.attribution,
      classifier,
      limits: { maxWindowSeconds: 90 * DAY, dnsLookbackSeconds: DAY, natPricePerGb: 0.045 },
    } satisfies CommandContext;
    const cmd = parseCommand('who 142.250.80.46 last 1d', { maxWindowSeconds: 90 * DAY, classifier });
    const before = fake.requests.length;
    const t = performance.now();
    let attributedRows = 0;
    for (let i = 0; i < WHO_QUERIES; i++) {
      const answer = await runCommand(cmd, ctx);
      attributedRows += 'rows' in answer ? answer.rows.filter((r) => r.workload).length : 0;
    }
    const calls = fake.requests.length - before;
    return [
      `${WHO_QUERIES} \`who\` queries with the live source: ${calls} Kubernetes API calls (goal 0), ` +
        `${attributedRows / WHO_QUERIES} attributed rows each, ${((performance.now() - t) / WHO_QUERIES).toFixed(0)} ms per query`,
    ];
  } finally {
    await live.stop();
    await engine.close();
    redis.disconnect();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs both measurements on a private redis-server and returns the report lines. */
export async function benchAttribution(): Promise<string[]> {
  const server = await startRedisServer();
  try {
    return [...(await benchResolve(server.url)), ...(await benchWhoApiCalls(server.url))];
  } finally {
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of await benchAttribution()) console.log(line);
}
