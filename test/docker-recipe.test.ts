/**
 * The Dockerfile, replayed without Docker (scripts/docker-steps.ts): its stages are performed in a temp directory,
 * then the runtime stage's own ENTRYPOINT + CMD start the bot with fake Slack settings, the suite's Redis and a free
 * port, and must answer GET /healthz; the image's HEALTHCHECK command must pass against it; SIGTERM must end it with
 * exit code 0 (node is PID 1 in the image, so the app's own handler is what stops it); `egress worker` (the worker
 * Deployment) and a CLI answer over the sample world (DuckDB's native binary from the production tree) work too.
 *
 * By default installs come from package-lock.json without the registry (production packages only, linked from the
 * repository's node_modules: code that needs a devDependency fails here as it would in the image). EGRESS_DOCKER_FULL=1
 * runs the real `npm ci --omit=dev --ignore-scripts --prefer-offline` and the build stage's `tsc` instead (≈1 min).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateWorld } from '../dev/sample/world.js';
import {
  dockerignore,
  fixLockfile,
  hostEnv,
  type ImageConfig,
  type Lockfile,
  lockfileGaps,
  parseDockerfile,
  platformOf,
  productionPackages,
  replayDockerfile,
} from '../scripts/docker-steps.js';
import { type SlackApiFake, startSlackApiFake } from './fakes/slack-api.js';
import { freePort } from './support/redis-server.js';

const root = path.resolve(import.meta.dirname, '..');
const FULL = process.env.EGRESS_DOCKER_FULL === '1';
/** A start compiles src/ with tsx (≈5 s of CPU); several run at once next to the rest of the suite on 2 cores. */
const START_TIMEOUT = 100_000;
const TEST_TIMEOUT = 150_000;

describe('Dockerfile parsing', () => {
  const df = parseDockerfile(readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
  const runtime = df.stages.at(-1);

  it('is multi-stage on a Node 24 slim base, with a production-only install in what ships', () => {
    expect(df.stages.map((s) => s.name)).toEqual(['build', 'prod-deps', 'runtime']);
    for (const s of df.stages) expect(s.from).toMatch(/^node:24(\.\d+)*-[\w-]*slim$/);
    const runs = (name: string) =>
      df.stages
        .find((s) => s.name === name)
        ?.steps.filter((x) => x.op === 'RUN')
        .map((x) => x.args);
    expect(runs('build')?.[0]).toMatch(/^npm ci\b(?!.*--omit)/);
    expect(runs('prod-deps')?.[0]).toMatch(/^npm ci --omit=dev\b/);
    // node_modules in the runtime image comes from prod-deps, never from the build stage's dev tree.
    const copies = runtime?.steps.filter((s) => s.op === 'COPY') ?? [];
    expect(copies.find((c) => c.args.includes('node_modules'))?.flags.from).toBe('prod-deps');
    // The runtime stage installs no npm packages of its own, only the chart's font.
    const runtimeRuns = runtime?.steps.filter((s) => s.op === 'RUN').map((s) => s.args) ?? [];
    expect(runtimeRuns.join(' ')).not.toMatch(/\bnpm\b/);
    expect(runtimeRuns.join(' ')).toMatch(/apt-get install -y --no-install-recommends fonts-dejavu-core/);
  });

  it('runs as a numeric non-root user, exec-form entrypoint, a HEALTHCHECK on /healthz', () => {
    const steps = runtime?.steps ?? [];
    const user = steps.filter((s) => s.op === 'USER').at(-1)?.args;
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(steps.find((s) => s.op === 'ENTRYPOINT')?.exec).toEqual(['node', 'bin/egress']);
    expect(steps.find((s) => s.op === 'CMD')?.exec).toEqual(['serve']);
    const hc = steps.find((s) => s.op === 'HEALTHCHECK');
    expect(hc?.exec?.join(' ')).toContain('/healthz');
  });

  it('parses continuations, flags, ARG defaults and exec forms', () => {
    const d = parseDockerfile(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Dockerfile syntax, not a template
      'ARG BASE=node:24-slim\n# c\nFROM ${BASE} AS a\nRUN echo 1 \\\n  && echo 2\nCOPY --from=a --chown=1:1 /x ./y\nCMD ["a", "b"]\n',
    );
    expect(d.stages[0].from).toBe('node:24-slim');
    expect(d.stages[0].steps.map((s) => [s.op, s.args, s.flags, s.exec])).toEqual([
      ['RUN', 'echo 1    && echo 2', {}, undefined],
      ['COPY', '/x ./y', { from: 'a', chown: '1:1' }, undefined],
      ['CMD', '["a", "b"]', {}, ['a', 'b']],
    ]);
  });

  it('.dockerignore keeps secrets, tests and local data out of the context, and what the image needs in', () => {
    const ignored = dockerignore(readFileSync(path.join(root, '.dockerignore'), 'utf8'));
    for (const p of [
      '.env',
      '.env.local',
      'node_modules/x/index.js',
      'src/node_modules/y',
      '.git/HEAD',
      '.data/sample/a',
      'test/x.test.ts',
      'k.pem',
    ])
      expect(ignored(p), p).toBe(true);
    for (const p of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'src/cli.ts',
      'bin/egress',
      'queries/who.sql',
      'src/engine/trino-compat.sql',
    ])
      expect(ignored(p), p).toBe(false);
  });
});

describe('package-lock.json', () => {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Lockfile;

  it('has an entry for every optional dependency, so `npm ci` accepts it (here and in docker build)', () => {
    expect(lockfileGaps(lock)).toEqual([]);
  });

  it('fix-lock fills gaps with the platform read from the package name', () => {
    const copy: Lockfile = {
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { a: '1' } },
        'node_modules/a': {
          version: '1.0.0',
          optionalDependencies: { '@x/a-linux-arm64-musl': '1.0.0', '@x/a-darwin-x64': '1.0.0' },
        },
        'node_modules/@x/a-darwin-x64': { version: '1.0.0', optional: true },
      },
    };
    expect(lockfileGaps(copy)).toEqual(['@x/a-linux-arm64-musl@1.0.0 (optional dependency of node_modules/a)']);
    expect(fixLockfile(copy)).toEqual(['@x/a-linux-arm64-musl@1.0.0']);
    expect(copy.packages['node_modules/@x/a-linux-arm64-musl']).toEqual({
      version: '1.0.0',
      os: ['linux'],
      cpu: ['arm64'],
      libc: ['musl'],
      optional: true,
    });
    expect(lockfileGaps(copy)).toEqual([]);
    expect(platformOf('@rollup/rollup-win32-ia32-msvc')).toEqual({ os: ['win32'], cpu: ['ia32'] });
    expect(platformOf('left-pad')).toBeUndefined();
  });

  it('the production tree has DuckDB’s native binding and tsx, and none of the dev tools', () => {
    const prod = new Set(productionPackages(lock));
    for (const p of ['@duckdb/node-api', 'tsx', 'esbuild', '@slack/bolt', 'bullmq']) expect(prod.has(p), p).toBe(true);
    expect([...prod].some((p) => p.startsWith('@duckdb/node-bindings-linux-'))).toBe(true);
    for (const p of ['vitest', 'typescript', '@biomejs/biome', 'kubernetes-models']) expect(prod.has(p), p).toBe(false);
  });
});

describe(
  'the image, replayed',
  () => {
    let dir: string;
    let image: ImageConfig;
    let tmp: string;
    let slack: SlackApiFake;
    let before: string[];
    let world: string;
    const children: ChildProcess[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'egress-docker-'));
      image = await replayDockerfile({ repo: root, dir, full: FULL, skipTypecheck: !FULL });
      tmp = path.join(dir, 'container-tmp');
      mkdirSync(tmp);
      slack = await startSlackApiFake({ token: 'xoxb-docker-test' });
      world = path.join(dir, 'world');
      await generateWorld({ dir: world });
      before = listTree(image.cwd);
    }, 600_000);

    afterAll(async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await slack?.close();
      // Asynchronous and with time to spare: with EGRESS_DOCKER_FULL=1 the stages hold real node_modules trees.
      if (dir) await rm(dir, { recursive: true, force: true });
    }, 300_000);

    const env = (extra: Record<string, string> = {}) =>
      hostEnv(image, tmp, {
        SLACK_SIGNING_SECRET: 'docker-test-signing-secret',
        SLACK_BOT_TOKEN: 'xoxb-docker-test',
        SLACK_API_URL: slack.apiUrl,
        REDIS_URL: inject('redisUrl'),
        LOG_LEVEL: 'warn',
        // Nothing may leave loopback: AWS calls (there should be none at start-up) go to a closed port.
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIDDOCKERTEST',
        AWS_SECRET_ACCESS_KEY: 'docker-test',
        AWS_ENDPOINT_URL_ATHENA: 'http://127.0.0.1:9',
        AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:9',
        EGRESS_K8S_ENABLED: 'false',
        ...extra,
      });

    it('performed every RUN step', () => {
      expect(image.ran).toEqual([
        expect.stringMatching(/^apt-get update → skipped/),
        expect.stringMatching(/^apt-get install .*fonts-dejavu-core → fonts-dejavu-core (present|not on)/),
        expect.stringMatching(/rm -rf \/var\/lib\/apt\/lists\/\* → skipped/),
      ]);
      expect(image.entrypoint).toEqual(['node', 'bin/egress']);
      expect(image.env).toMatchObject({ NODE_ENV: 'production', HOME: '/tmp' });
      expect(readdirSync(image.cwd).sort()).toEqual(['bin', 'node_modules', 'package.json', 'queries', 'src']);
    });

    // Each start costs a few seconds (tsx compiles src/ on start-up), so the processes run side by side.
    it.concurrent('`egress --version` prints the package version', async () => {
      const [bin, ...args] = image.entrypoint;
      const r = await run(bin, [...args, '--version'], { cwd: image.cwd, env: env() });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
      expect(r.status).toBe(0);
    });

    it.concurrent('answers a question over the sample world (DuckDB’s native binary in the production tree)', async () => {
      const [bin, ...args] = image.entrypoint;
      const r = await run(
        bin,
        [
          ...args,
          'who',
          '142.250.80.46',
          'last',
          '7d',
          '--data',
          world,
          '--k8s',
          path.join(world, 'k8s-snapshot.json'),
          '--now',
          '2026-11-20T12:00:00Z',
          '--format',
          'json',
        ],
        { cwd: image.cwd, env: env() },
      );
      expect(r.status, r.stderr).toBe(0);
      const answer = JSON.parse(r.stdout) as { command: string; rows: unknown[] };
      expect(answer.command).toBe('who');
      expect(answer.rows.length).toBeGreaterThan(0);
    });

    // The default CMD over a local mirror (DuckDB); the two Deployments as deploy/base configures them (Athena engine).
    it.concurrent.each([
      ['serve (the default CMD: receiver + worker, DuckDB)', [] as string[], () => ({ EGRESS_DATA_DIR: world })],
      ['serve --no-worker (the bot Deployment, Athena)', ['serve', '--no-worker'], () => ({ EGRESS_ENGINE: 'athena' })],
      ['worker (the worker Deployment, Athena)', ['worker'], () => ({ EGRESS_ENGINE: 'athena' })],
    ])('%s starts, answers /healthz, passes the HEALTHCHECK and exits 0 on SIGTERM', async (_name, args, config) => {
      const port = await freePort();
      const [bin, ...entry] = image.entrypoint;
      const child = spawn(bin, [...entry, ...(args.length ? args : image.cmd)], {
        cwd: image.cwd,
        env: env({ PORT: String(port), EGRESS_QUEUE: `docker-${port}`, ...config() }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let output = '';
      child.stdout?.on('data', (d) => {
        output += d;
      });
      child.stderr?.on('data', (d) => {
        output += d;
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, signal) => resolve({ code, signal })),
      );

      const health = await waitForHealth(port, child, START_TIMEOUT).catch((err: Error) => {
        throw new Error(`${err.message}\n--- output ---\n${output}`);
      });
      expect(health.status, output).toBe(200);
      expect(health.body.ok).toBe(true);

      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^# (HELP|TYPE) /m);
      if (args[0] !== 'worker') {
        // The HTTP receiver is the one serving /healthz: unsigned Slack requests are refused.
        const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
          method: 'POST',
          body: 'command=/egress&text=help',
        });
        expect(res.status).toBe(401);
        // Bolt checked its token against SLACK_API_URL (the fake), not slack.com.
        expect(slack.calls.some((c) => c.method === 'auth.test' && c.status === 200)).toBe(true);
      }

      const hc = image.healthcheck?.exec ?? [];
      const probe = await run(hc[0], hc.slice(1), { cwd: image.cwd, env: env({ PORT: String(port) }) });
      expect(probe.status, `HEALTHCHECK ${hc.join(' ')}`).toBe(0);

      child.kill('SIGTERM');
      const end = await Promise.race([exited, sleep(30_000).then(() => ({ code: -1, signal: null }))]);
      expect(end, output).toEqual({ code: 0, signal: null });
    });

    it('writes nothing inside the image (readOnlyRootFilesystem): only to /tmp', () => {
      expect(listTree(image.cwd)).toEqual(before);
    });
  },
  TEST_TIMEOUT,
);

/** Runs a command to completion without blocking the event loop (the other processes' tests keep going). */
function run(
  bin: string,
  args: string[],
  o: { cwd: string; env: Record<string, string> },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...o, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

async function waitForHealth(
  port: number,
  child: ChildProcess,
  timeoutMs: number,
): Promise<{ status: number; body: { ok: boolean } }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the process exited with ${child.exitCode} before /healthz answered`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      const body = (await res.json()) as { ok: boolean };
      if (res.status === 200 || Date.now() > deadline) return { status: res.status, body };
    } catch {
      if (Date.now() > deadline) throw new Error(`/healthz on ${port} did not answer within ${timeoutMs} ms`);
    }
    await sleep(200);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every path under `dir` (not following the node_modules symlinks). */
function listTree(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(prefix, e.name);
    if (e.isDirectory() && !e.isSymbolicLink()) return [rel, ...listTree(dir, rel)];
    return [rel];
  });
}
