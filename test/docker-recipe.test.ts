/**
 * The Dockerfile's recipe, performed for real without a Docker engine (none runs on the CI machines): the build
 * stage's `npm ci` + `npm run build` in one temp directory holding the files it COPYs from the context, the prod-deps
 * stage's `npm ci --omit=dev` in another, then the runtime layout its COPY lines assemble (production node_modules,
 * dist/, package.json, bin/, queries/), made read-only. From there, with HOME and TMPDIR in a temp directory as the pods
 * have them: `--version`, a `who` over the sample world (DuckDB's native binding), and `serve`, `serve --no-worker`
 * and `worker` against the suite's Redis and a Slack fake, each answering /healthz and /metrics, passing the image's
 * HEALTHCHECK command and exiting 0 on SIGTERM, without writing a byte into the app directory.
 *
 * The steps are listed in {@link STAGES} below, not read from the Dockerfile; the first test checks that the
 * Dockerfile's COPY and RUN lines are exactly these. Installs use npm's local cache (`--prefer-offline`): only the
 * npm registry (for anything not cached) and 127.0.0.1 are contacted.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXPECTED } from '../dev/sample/expected.js';
import { generateWorld } from '../dev/sample/world.js';
import { fixLockfile, type Lockfile, lockfileGaps, platformOf } from '../scripts/fix-lock.js';
import { type SlackApiFake, startSlackApiFake } from './fakes/slack-api.js';
import { freePort } from './support/redis-server.js';

const root = path.resolve(import.meta.dirname, '..');
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
/** Two installs and a compile on 2 cores, beside whatever else runs. */
const SETUP_TIMEOUT = 600_000;
/** Five processes start at once (each loads the whole compiled program), next to the rest of the suite. */
const START_TIMEOUT = 100_000;
const TEST_TIMEOUT = 150_000;

type StageName = 'build' | 'prod-deps' | 'runtime';
/** A COPY: `from` absent = the build context; `src` of a stage are paths in that stage (WORKDIR /app). */
type Step = { copy: string[]; to: string; from?: StageName } | { run: string } | { run: string; notHere: string };

/** The Dockerfile's COPY and RUN steps, stage by stage (every stage's WORKDIR is /app). */
const STAGES: Record<StageName, Step[]> = {
  build: [
    { copy: ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'], to: './' },
    { copy: ['scripts/prepare.mjs', 'scripts/copy-assets.mjs', 'scripts/bundle.mjs'], to: './scripts/' },
    // Installed before src/ is copied (prepare builds nothing without it), so the layer survives source changes.
    { run: 'npm ci --no-audit --no-fund' },
    { copy: ['src'], to: './src' },
    { run: 'npm run build' },
  ],
  'prod-deps': [
    { copy: ['package.json', 'package-lock.json'], to: './' },
    { copy: ['scripts/prepare.mjs'], to: './scripts/' },
    { run: 'npm ci --omit=dev --no-audit --no-fund' },
  ],
  runtime: [
    {
      run: 'apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*',
      notHere: 'a system package; the chart tests use the machine’s fonts',
    },
    { copy: ['/app/node_modules'], to: './node_modules', from: 'prod-deps' },
    { copy: ['/app/dist'], to: './dist', from: 'build' },
    { copy: ['package.json'], to: './' },
    { copy: ['bin'], to: './bin' },
    { copy: ['queries'], to: './queries' },
  ],
};
/** The runtime stage's ENV (HOME moves into a temp directory here, as /tmp is the pods' emptyDir). */
const IMAGE_ENV = { NODE_ENV: 'production', PORT: '3000', HOME: '/tmp' };

const stepLine = (s: Step) =>
  'run' in s ? `RUN ${s.run}` : `COPY ${s.from ? `--from=${s.from} ` : ''}${s.copy.join(' ')} ${s.to}`;

/** The Dockerfile's instructions, continuation lines joined and comments dropped: reading, not interpreting. */
const instructions = dockerfile
  .replace(/\s*\\\n(\s*#.*\n)*\s*/g, ' ')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'));

describe('the Dockerfile', () => {
  it('has the COPY and RUN steps this test performs, stage by stage, on a Node 24 slim base', () => {
    const byStage: Record<string, string[]> = {};
    let stage = '';
    for (const line of instructions) {
      const from = /^FROM (\S+) AS (\S+)$/.exec(line);
      if (from) {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile ARG reference, not a template
        expect(from[1]).toBe('${NODE_IMAGE}');
        stage = from[2];
        byStage[stage] = [];
      } else if (/^(COPY|RUN) /.test(line)) byStage[stage].push(line);
    }
    expect(byStage).toEqual(Object.fromEntries(Object.entries(STAGES).map(([k, steps]) => [k, steps.map(stepLine)])));
    expect(instructions).toContain('ARG NODE_IMAGE=node:24-bookworm-slim');
  });

  it('runs as uid 1000 with the exec-form entrypoint, `serve` by default, the ENV this test uses, a HEALTHCHECK', () => {
    expect(instructions).toContain('USER 1000:1000');
    expect(instructions).toContain('ENTRYPOINT ["node", "bin/egress"]');
    expect(instructions).toContain('CMD ["serve"]');
    const env = instructions.find((l) => l.startsWith('ENV '));
    expect(env?.slice(4).split(/\s+/).sort()).toEqual(
      Object.entries(IMAGE_ENV)
        .map(([k, v]) => `${k}=${v}`)
        .sort(),
    );
    expect(healthcheck().join(' ')).toContain('/healthz');
  });

  it('.dockerignore keeps installed trees, build output, local data, tests and secrets out of the context', () => {
    const lines = readFileSync(path.join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    for (const p of ['**/node_modules', 'dist', '.git', '.data', '.bench', 'test', 'bench', '.env', '.env.*'])
      expect(lines, p).toContain(p);
    // What the Dockerfile COPYs from the context is not excluded (scripts/ only through its exceptions).
    const fromContext = Object.values(STAGES).flatMap((steps) =>
      steps.flatMap((s) => ('copy' in s && !s.from ? s.copy : [])),
    );
    for (const p of fromContext) {
      const top = p.split('/')[0];
      if (top === 'scripts') expect(lines).toContain(`!${p}`);
      else expect(lines.filter((l) => l === p || l === top || l === `${top}/*`)).toEqual([]);
    }
  });
});

describe('package-lock.json', () => {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Lockfile;

  it('has an entry for every optional dependency, so `npm ci` accepts it on every platform (docker build too)', () => {
    // On failure: `npx tsx scripts/fix-lock.ts`, then commit the lock.
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
});

describe(
  'the image’s steps, performed',
  () => {
    let dir: string;
    /** Each stage's /app. */
    const app = {} as Record<StageName, string>;
    /** HOME and TMPDIR of the started processes (the pods' /tmp emptyDir). */
    let tmp: string;
    let world: string;
    let slack: SlackApiFake;
    let before: string[];
    const children: ChildProcess[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'egress-docker-'));
      for (const stage of Object.keys(STAGES) as StageName[]) {
        app[stage] = path.join(dir, stage);
        mkdirSync(app[stage]);
      }
      tmp = path.join(dir, 'tmp');
      world = path.join(dir, 'world');
      mkdirSync(tmp);
      // The two install stages are independent, as in a BuildKit build.
      const [, , s] = await Promise.all([
        performStage('build'),
        performStage('prod-deps'),
        startSlackApiFake({ token: 'xoxb-docker-test' }),
        generateWorld({ dir: world }),
      ]);
      slack = s;
      await performStage('runtime');
      // Read-only as in the image (root-owned files). Root ignores permission bits, so the tree is compared too.
      await exec('chmod', ['-R', 'a-w', app.runtime], { cwd: dir, env: process.env });
      before = snapshot(app.runtime);
    }, SETUP_TIMEOUT);

    afterAll(async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await slack?.close();
      if (!dir) return;
      if (existsSync(app.runtime)) await exec('chmod', ['-R', 'u+w', app.runtime], { cwd: dir, env: process.env });
      await rm(dir, { recursive: true, force: true });
    }, SETUP_TIMEOUT);

    /** Performs one stage's steps in `app[stage]`; `npm ci` with npm's local cache. */
    async function performStage(stage: StageName): Promise<void> {
      const cwd = app[stage];
      for (const step of STAGES[stage]) {
        if ('notHere' in step) continue;
        if ('run' in step) {
          const [cmd, ...args] = step.run.split(' ');
          const extra = args[0] === 'ci' ? ['--prefer-offline'] : [];
          const r = await exec(cmd, [...args, ...extra], { cwd, env: npmEnv(), timeout: SETUP_TIMEOUT });
          if (r.status !== 0) throw new Error(`${stage}: ${step.run} failed (${r.status}):\n${r.stdout}${r.stderr}`);
          continue;
        }
        const into = step.to.endsWith('/');
        for (const src of step.copy) {
          const to = path.join(cwd, step.to, into ? path.basename(src) : '');
          mkdirSync(path.dirname(to), { recursive: true });
          // Out of a stage directory (scratch): a move gives the same layout without copying 300 MB.
          if (step.from) renameSync(path.join(app[step.from], path.relative('/app', src)), to);
          else cpSync(path.join(root, src), to, { recursive: true });
        }
      }
    }

    const env = (extra: Record<string, string> = {}) => ({
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...IMAGE_ENV,
      HOME: tmp,
      TMPDIR: tmp,
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
    const egress = (args: string[], extra?: Record<string, string>) =>
      exec('node', ['bin/egress', ...args], { cwd: app.runtime, env: env(extra) });

    it('ships the compiled program, not src/; the production tree has no dev tools and has the native bindings', () => {
      expect(readdirSync(app.runtime).sort()).toEqual(['bin', 'dist', 'node_modules', 'package.json', 'queries']);
      expect(existsSync(path.join(app.runtime, 'dist', 'cli.js'))).toBe(true);
      expect(existsSync(path.join(app.runtime, 'dist', 'engine', 'trino-compat.sql'))).toBe(true);
      // What bin/egress runs: the bundle, with the assets its chunks read beside themselves.
      for (const f of ['cli.js', 'trino-compat.sql', 'lua'])
        expect(existsSync(path.join(app.runtime, 'dist', 'bundle', f)), f).toBe(true);
      const modules = path.join(app.runtime, 'node_modules');
      for (const p of ['typescript', 'tsx', 'esbuild', 'vitest', '@biomejs/biome', 'kubernetes-models'])
        expect(existsSync(path.join(modules, p)), p).toBe(false);
      for (const bin of ['tsc', 'tsx', 'esbuild', 'vitest', 'biome'])
        expect(existsSync(path.join(modules, '.bin', bin)), bin).toBe(false);
      const platform = `${process.platform}-${process.arch}`;
      expect(existsSync(path.join(modules, '@duckdb', `node-bindings-${platform}`, 'duckdb.node'))).toBe(true);
      expect(readdirSync(path.join(modules, '@resvg')).some((d) => d.startsWith(`resvg-js-${platform}`))).toBe(true);
    });

    it.concurrent('`egress --version` prints the package version', async () => {
      const r = await egress(['--version']);
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(version);
      expect(r.status).toBe(0);
    });

    it.concurrent('resvg’s native binding loads from the production tree', async () => {
      const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>';
      const script = `import { Resvg } from '@resvg/resvg-js'; process.stdout.write(String(new Resvg(${JSON.stringify(svg)}).render().asPng().length));`;
      const r = await exec('node', ['--input-type=module', '-e', script], { cwd: app.runtime, env: env() });
      expect(r.status, r.stderr).toBe(0);
      expect(Number(r.stdout)).toBeGreaterThan(0);
    });

    it.concurrent('answers `who 142.250.80.46 last 7d` over the sample world (DuckDB’s native binding)', async () => {
      const r = await egress(
        [
          'who',
          '142.250.80.46',
          'last',
          '7d',
          ...['--data', world, '--k8s', path.join(world, 'k8s-snapshot.json'), '--now', EXPECTED.now],
          ...['--format', 'json'],
        ],
        { EGRESS_VPC_CIDRS: '10.40.0.0/16,100.64.0.0/16' },
      );
      expect(r.status, r.stderr).toBe(0);
      const answer = JSON.parse(r.stdout) as { command: string; window: unknown; rows: Array<Record<string, unknown>> };
      const expected = EXPECTED.who_142_250_80_46_last7d;
      expect(answer.command).toBe('who');
      expect(answer.window).toEqual({ from: '2026-11-13T12:00:00Z', to: '2026-11-20T12:00:00Z' });
      const fields = Object.keys(expected.rows[0]);
      expect(answer.rows.map((row) => Object.fromEntries(fields.map((k) => [k, row[k]])))).toEqual(expected.rows);
    });

    // The default CMD over a local mirror (DuckDB); the two Deployments as deploy/base configures them (Athena engine).
    it.concurrent.each([
      ['serve (the default CMD: receiver + worker, DuckDB)', ['serve'], () => ({ EGRESS_DATA_DIR: world })],
      ['serve --no-worker (the bot Deployment, Athena)', ['serve', '--no-worker'], () => ({ EGRESS_ENGINE: 'athena' })],
      ['worker (the worker Deployment, Athena)', ['worker'], () => ({ EGRESS_ENGINE: 'athena' })],
    ])(
      '%s answers /healthz and /metrics, passes the HEALTHCHECK and exits 0 on SIGTERM',
      async (_name, args, config) => {
        const port = await freePort();
        const child = spawn('node', ['bin/egress', ...args], {
          cwd: app.runtime,
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
        if (args[0] === 'serve') {
          // The HTTP receiver is the one serving /healthz: unsigned Slack requests are refused.
          const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
            method: 'POST',
            body: 'command=/egress&text=help',
          });
          expect(res.status).toBe(401);
          // Bolt checked its token against SLACK_API_URL (the fake), not slack.com.
          expect(slack.calls.some((c) => c.method === 'auth.test' && c.status === 200)).toBe(true);
        }

        const [hcBin, ...hcArgs] = healthcheck();
        const probe = await exec(hcBin, hcArgs, { cwd: app.runtime, env: env({ PORT: String(port) }) });
        expect(probe.status, `HEALTHCHECK ${healthcheck().join(' ')}`).toBe(0);

        child.kill('SIGTERM');
        const end = await Promise.race([exited, sleep(30_000).then(() => ({ code: -1, signal: null }))]);
        expect(end, output).toEqual({ code: 0, signal: null });
      },
    );

    it('wrote nothing into the app directory (readOnlyRootFilesystem): only to HOME/TMPDIR', () => {
      expect(snapshot(app.runtime)).toEqual(before);
    });
  },
  TEST_TIMEOUT,
);

/** The HEALTHCHECK's exec-form command, read from its JSON array. */
function healthcheck(): string[] {
  const line = instructions.find((l) => l.startsWith('HEALTHCHECK '));
  const json = line && /\sCMD (\[.*\])$/.exec(line)?.[1];
  return json ? (JSON.parse(json) as string[]) : [];
}

/**
 * npm's environment: this one, less what would change the install. NODE_ENV=production would drop the dev
 * dependencies; the npm_* variables of an enclosing `npm test` (prefixes, the lifecycle event) describe the repository,
 * not the temp directory. The cache location stays, so `--prefer-offline` finds the packages.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => k !== 'NODE_ENV' && k !== 'INIT_CWD' && (!k.startsWith('npm_') || keep.has(k.toLowerCase())),
    ),
  );
}

/** Runs a command to completion without blocking the event loop (the other tests' processes keep going). */
function exec(
  bin: string,
  args: string[],
  o: { cwd: string; env: NodeJS.ProcessEnv; timeout?: number },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeout ?? START_TIMEOUT);
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

/** Every path under `dir` with its size and modification time (symlinks not followed). */
function snapshot(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(prefix, e.name);
    const st = lstatSync(path.join(dir, rel));
    const entry = `${rel} ${e.isDirectory() ? 'dir' : st.size} ${st.mtimeMs}`;
    return e.isDirectory() ? [entry, ...snapshot(dir, rel)] : [entry];
  });
}
