/**
 * Replays the Dockerfile without a Docker engine (none runs on the CI machines), so a broken image recipe fails CI.
 *
 * It parses the Dockerfile, and for every stage (in order) performs its steps in a temp directory that stands in for
 * that stage's filesystem: WORKDIR, COPY from the build context (honouring .dockerignore) and COPY --from=<stage>,
 * ENV, and the RUN commands it knows: `npm ci [flags]`, `npx tsc …`, `npm cache clean --force` (skipped: the user's
 * cache is not the image's), `apt-get update` / `rm -rf /var/lib/apt/lists/*` (skipped) and `apt-get install` (system
 * packages are not installed here; whether this machine has them is reported). An unknown RUN command is an error, so
 * the Dockerfile cannot outgrow this replay silently. The last stage's ENTRYPOINT + CMD, ENV, USER, EXPOSE and HEALTHCHECK are returned for the caller to run.
 *
 * Installs:
 *   - default ("lockfile" mode): no registry, no network. `npm ci --omit=dev` becomes a node_modules holding only the
 *     packages package-lock.json marks as production (symlinks into the repo's installed node_modules), so code that
 *     imports a devDependency fails to start exactly as in the image; `npm ci` (with dev) links the whole tree.
 *     package-lock.json is also checked for the gaps that make a real `npm ci` refuse it.
 *   - EGRESS_DOCKER_FULL=1 / --full: the real `npm ci <flags> --ignore-scripts --prefer-offline` in each stage (≈20 s
 *     per install with a warm npm cache, 320 MB for the production tree), and the build stage's real `tsc`.
 *
 * CLI:
 *   npx tsx scripts/docker-steps.ts [--full] [--keep]   replay, then `egress --version` in the runtime stage
 *   npx tsx scripts/docker-steps.ts fix-lock            add the optional platform packages npm left out of
 *                                                       package-lock.json (see {@link lockfileGaps})
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

// ---------------------------------------------------------------------------------------------------------------------
// Dockerfile parsing

export interface Instruction {
  /** Upper-case instruction (`COPY`). */
  op: string;
  /** The rest of the line, continuations joined, flags removed. */
  args: string;
  /** `--from=build` → `{ from: 'build' }`. */
  flags: Record<string, string>;
  /** Exec form (`["node", "bin/egress"]`), when the arguments are a JSON array. */
  exec?: string[];
  line: number;
}

export interface Stage {
  name: string;
  from: string;
  steps: Instruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Record<string, string>;
  stages: Stage[];
}

/** `${VAR}`, `${VAR:-default}` and `$VAR` from `vars`. */
export function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)/g, (_m, a: string, def: string | undefined, b: string) => {
    const name = a ?? b;
    return vars[name] ?? def ?? '';
  });
}

function splitFlags(rest: string): { flags: Record<string, string>; args: string } {
  const flags: Record<string, string> = {};
  let args = rest;
  for (;;) {
    const m = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(args);
    if (!m) break;
    flags[m[1]] = m[2] ?? 'true';
    args = args.slice(m[0].length);
  }
  return { flags, args };
}

/** Parses a Dockerfile into global ARGs and stages (instructions with continuations joined). */
export function parseDockerfile(text: string): Dockerfile {
  const lines = text.split('\n');
  const logical: Array<{ text: string; line: number }> = [];
  let buf = '';
  let start = 0;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!buf && /^\s*(#.*)?$/.test(line)) return; // blank, comment, parser directive
    if (buf && /^\s*#/.test(line)) return; // comment inside a continuation
    if (!buf) start = i + 1;
    if (/\\\s*$/.test(line)) {
      buf += `${line.replace(/\\\s*$/, '')} `;
      return;
    }
    buf += line;
    logical.push({ text: buf.trim(), line: start });
    buf = '';
  });
  if (buf) throw new Error('Dockerfile ends inside a line continuation');

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const { text: t, line } of logical) {
    const m = /^(\w+)\s+([\s\S]*)$/.exec(t);
    if (!m) throw new Error(`Dockerfile line ${line}: cannot parse "${t}"`);
    const op = m[1].toUpperCase();
    if (op === 'ARG' && stages.length === 0) {
      const [name, value = ''] = m[2].split('=');
      globalArgs[name.trim()] = value.trim();
      continue;
    }
    if (op === 'FROM') {
      const f = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(m[2].trim());
      if (!f) throw new Error(`Dockerfile line ${line}: cannot parse FROM "${m[2]}"`);
      stages.push({ name: f[2] ?? String(stages.length), from: substitute(f[1], globalArgs), steps: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile line ${line}: ${op} before FROM`);
    const { flags, args } =
      op === 'HEALTHCHECK' || op === 'COPY' || op === 'ADD' || op === 'RUN'
        ? splitFlags(m[2])
        : { flags: {}, args: m[2] };
    const ins: Instruction = { op, args: args.trim(), flags, line };
    let execText = ins.args;
    if (op === 'HEALTHCHECK') {
      const c = /^CMD\s+([\s\S]*)$/.exec(execText);
      if (c) execText = c[1];
    }
    if (execText.startsWith('[')) {
      try {
        const parsed = JSON.parse(execText);
        if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) ins.exec = parsed;
      } catch {
        // shell form
      }
    }
    stage.steps.push(ins);
  }
  return { globalArgs, stages };
}

// ---------------------------------------------------------------------------------------------------------------------
// .dockerignore

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** A predicate "is this context path (relative, `/`-separated) excluded?" from .dockerignore text. */
export function dockerignore(text: string): (rel: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = path.posix.normalize((negate ? l.slice(1) : l).replace(/^\/+/, '')).replace(/\/+$/, '');
      return { negate, re: globToRegExp(pattern) };
    });
  return (rel: string) => {
    const parts = rel.split('/');
    let excluded = false;
    for (const r of rules) {
      // A pattern matching a parent directory excludes everything below it.
      for (let n = 1; n <= parts.length; n++) {
        if (r.re.test(parts.slice(0, n).join('/'))) {
          excluded = !r.negate;
          break;
        }
      }
    }
    return excluded;
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// package-lock.json

interface LockPackage {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
}
export interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockPackage>;
}

/** Top-level `node_modules/<name>` entries `npm ci --omit=dev` installs (dev-only packages left out). */
export function productionPackages(lock: Lockfile): string[] {
  return Object.entries(lock.packages)
    .filter(
      ([p, meta]) =>
        p.startsWith('node_modules/') && !p.slice('node_modules/'.length).includes('node_modules/') && !meta.dev,
    )
    .map(([p]) => p.slice('node_modules/'.length));
}

/** Where npm would look for dependency `dep` of the package at lock path `from` (nested first, then upwards). */
function resolveInLock(lock: Lockfile, from: string, dep: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${dep}`;
    if (lock.packages[candidate]) return candidate;
    if (!dir) return undefined;
    const i = dir.lastIndexOf('node_modules/');
    dir = i <= 0 ? '' : dir.slice(0, i - 1);
  }
}

/**
 * Optional dependencies with no entry in the lock. npm on these machines leaves out the platform packages its registry
 * does not serve (`@duckdb/node-bindings-darwin-arm64`, …), then `npm ci` refuses the lock as "not in sync" — here and
 * in a real `docker build`. Each gap is `<package>@<version spec> (optional dependency of <path>)`.
 */
export function lockfileGaps(lock: Lockfile): string[] {
  const gaps: string[] = [];
  for (const [p, meta] of Object.entries(lock.packages)) {
    for (const [dep, spec] of Object.entries(meta.optionalDependencies ?? {})) {
      if (!resolveInLock(lock, p, dep)) gaps.push(`${dep}@${spec} (optional dependency of ${p || 'the project'})`);
    }
  }
  return gaps.sort();
}

const OS_TOKENS = [
  'darwin',
  'linux',
  'win32',
  'freebsd',
  'openbsd',
  'netbsd',
  'android',
  'sunos',
  'aix',
  'openharmony',
];
const CPU_TOKENS: Record<string, string> = {
  x64: 'x64',
  arm64: 'arm64',
  arm: 'arm',
  'arm-eabi': 'arm',
  'arm-gnueabihf': 'arm',
  'arm-musleabihf': 'arm',
  ia32: 'ia32',
  ppc64: 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
};

/** os/cpu/libc of a platform package from its name (`…-linux-arm64-musl`), or undefined when the name does not say. */
export function platformOf(name: string): { os: string[]; cpu: string[]; libc?: string[] } | undefined {
  const base = name.split('/').pop() ?? name;
  const tokens = base.split('-');
  const osIndex = tokens.findIndex((t) => OS_TOKENS.includes(t));
  if (osIndex < 0) return undefined;
  const rest = tokens.slice(osIndex + 1);
  const cpuKey = [rest.slice(0, 2).join('-'), rest[0]].find((k) => k && CPU_TOKENS[k]);
  if (!cpuKey) return undefined;
  const after = rest.slice(cpuKey.split('-').length);
  const libcToken = [...after, ...cpuKey.split('-')].find((t) => /^(musl|musleabihf|gnu|gnueabihf)$/.test(t));
  const out: { os: string[]; cpu: string[]; libc?: string[] } = { os: [tokens[osIndex]], cpu: [CPU_TOKENS[cpuKey]] };
  if (tokens[osIndex] === 'linux' && libcToken) out.libc = [libcToken.startsWith('musl') ? 'musl' : 'glibc'];
  return out;
}

/** Adds an entry for every gap {@link lockfileGaps} finds (version = the exact spec, os/cpu/libc from the name). */
export function fixLockfile(lock: Lockfile): string[] {
  const added: string[] = [];
  for (const [p, meta] of Object.entries(lock.packages)) {
    for (const [dep, spec] of Object.entries(meta.optionalDependencies ?? {})) {
      if (resolveInLock(lock, p, dep)) continue;
      if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec))
        throw new Error(`${dep}@${spec}: not an exact version; run npm install where the registry serves it`);
      const platform = platformOf(dep);
      if (!platform)
        throw new Error(`${dep}: cannot tell its platform from the name; run npm install where the registry serves it`);
      const parentDev = meta.dev ? { dev: true } : {};
      lock.packages[`node_modules/${dep}`] = { version: spec, ...platform, ...parentDev, optional: true };
      added.push(`${dep}@${spec}`);
    }
  }
  return added;
}

// ---------------------------------------------------------------------------------------------------------------------
// Replay

export interface ReplayOptions {
  /** The build context (the repository). */
  repo: string;
  /** Empty directory to build the stage filesystems in. */
  dir: string;
  /** Real `npm ci` and `tsc` instead of the lockfile-derived trees. */
  full?: boolean;
  /** Skip the build stage's type-check (it is CI's own `tsc --noEmit` again); the default runs it. */
  skipTypecheck?: boolean;
  log?: (line: string) => void;
}

export interface ImageConfig {
  /** Host directory standing in for the last stage's root. */
  root: string;
  /** Host directory of the final WORKDIR. */
  cwd: string;
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
  user?: string;
  expose: number[];
  healthcheck?: { exec: string[]; flags: Record<string, string> };
  /** What each RUN did (`npm ci --omit=dev → lockfile tree (334 packages)`), for logs and assertions. */
  ran: string[];
}

/** Maps a container path into a stage root. */
const inRoot = (root: string, p: string) => path.join(root, p.replace(/^\/+/, ''));

function copyFromContext(repo: string, ignored: (rel: string) => boolean, src: string, dest: string): void {
  const abs = path.join(repo, src);
  if (!existsSync(abs)) throw new Error(`COPY ${src}: not in the build context`);
  const rel = path.relative(repo, abs).split(path.sep).join('/');
  if (ignored(rel)) throw new Error(`COPY ${src}: excluded by .dockerignore`);
  if (statSync(abs).isDirectory()) {
    mkdirSync(dest, { recursive: true });
    for (const e of readdirSync(abs)) {
      const childRel = `${rel}/${e}`;
      if (ignored(childRel)) continue;
      copyFromContext(repo, ignored, path.join(src, e), path.join(dest, e));
    }
  } else {
    mkdirSync(path.dirname(dest), { recursive: true });
    cpSync(abs, dest);
  }
}

function linkProductionTree(repo: string, cwd: string, lock: Lockfile): number {
  const names = productionPackages(lock);
  let linked = 0;
  for (const name of names) {
    const from = path.join(repo, 'node_modules', name);
    const meta = lock.packages[`node_modules/${name}`];
    if (!existsSync(from)) {
      if (meta.optional || meta.devOptional) continue; // another platform's binary
      throw new Error(
        `npm ci --omit=dev: ${name} is a production package but not installed in ${repo}/node_modules (run npm ci)`,
      );
    }
    const to = path.join(cwd, 'node_modules', name);
    mkdirSync(path.dirname(to), { recursive: true });
    symlinkSync(from, to, 'dir');
    linked++;
  }
  return linked;
}

async function runStep(
  rawCmd: string,
  cwd: string,
  o: ReplayOptions,
  lock: () => Lockfile,
  ran: string[],
): Promise<void> {
  const cmd = rawCmd.trim();
  const words = cmd.split(/\s+/);
  const log = o.log ?? (() => {});
  if (words[0] === 'npm' && words[1] === 'ci') {
    const flags = words.slice(2);
    const unknown = flags.filter((f) => !['--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts'].includes(f));
    if (unknown.length) throw new Error(`RUN ${cmd}: flags this replay does not know: ${unknown.join(' ')}`);
    const gaps = lockfileGaps(lock());
    if (gaps.length) {
      throw new Error(
        `RUN ${cmd}: npm ci will refuse package-lock.json: it has no entry for ${gaps.length} optional packages (${gaps.slice(0, 3).join(', ')}, …). Run \`npx tsx scripts/docker-steps.ts fix-lock\`.`,
      );
    }
    if (o.full) {
      log(`$ npm ci ${flags.join(' ')} --ignore-scripts --prefer-offline`);
      // Asynchronous: a test runner's worker must keep answering while this takes a minute.
      await execFileAsync('npm', ['ci', ...flags, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], {
        cwd,
        timeout: 600_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      ran.push(`${cmd} → real npm ci`);
    } else if (flags.includes('--omit=dev')) {
      const n = linkProductionTree(o.repo, cwd, lock());
      ran.push(`${cmd} → lockfile production tree (${n} packages)`);
    } else {
      symlinkSync(path.join(o.repo, 'node_modules'), path.join(cwd, 'node_modules'), 'dir');
      ran.push(`${cmd} → the repository's full node_modules`);
    }
    return;
  }
  if (words[0] === 'npm' && words[1] === 'cache' && words[2] === 'clean') {
    ran.push(`${cmd} → skipped (the user's npm cache is not the image's)`);
    return;
  }
  if (words[0] === 'apt-get' && words[1] === 'update') {
    ran.push(`${cmd} → skipped (no package index needed: nothing is installed into this machine)`);
    return;
  }
  if (words[0] === 'apt-get' && words[1] === 'install') {
    const pkgs = words.slice(2).filter((w) => !w.startsWith('-'));
    const present = pkgs.map((p) => {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a dpkg-query format, not a template
      const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
      return `${p} ${r.stdout === 'install ok installed' ? 'present on this machine' : 'not on this machine (system packages are not replayed)'}`;
    });
    ran.push(`${cmd} → ${present.join(', ')}`);
    return;
  }
  if (cmd === 'rm -rf /var/lib/apt/lists/*') {
    ran.push(`${cmd} → skipped (this machine's package index is not the image's)`);
    return;
  }
  if (words[0] === 'npx' && words[1] === 'tsc') {
    if (o.skipTypecheck) {
      ran.push(`${cmd} → skipped (CI type-checks the whole repository)`);
      return;
    }
    log(`$ ${cmd}`);
    await execFileAsync(path.join(cwd, 'node_modules', '.bin', 'tsc'), words.slice(2), { cwd, timeout: 300_000 }).catch(
      (err: { stdout?: string; stderr?: string }) => {
        throw new Error(`RUN ${cmd} failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
      },
    );
    ran.push(`${cmd} → ok`);
    return;
  }
  throw new Error(`RUN ${cmd}: this replay does not know the command; teach scripts/docker-steps.ts how to perform it`);
}

/** Performs the Dockerfile's stages in `o.dir` and returns the last stage's runtime configuration. */
export async function replayDockerfile(o: ReplayOptions): Promise<ImageConfig> {
  const dockerfile = parseDockerfile(readFileSync(path.join(o.repo, 'Dockerfile'), 'utf8'));
  const ignoreFile = path.join(o.repo, '.dockerignore');
  const ignored = dockerignore(existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : '');
  const roots = new Map<string, string>();
  let lockCache: Lockfile | undefined;
  let config: ImageConfig | undefined;

  for (const [i, stage] of dockerfile.stages.entries()) {
    const root = path.join(o.dir, `stage-${i}-${stage.name}`);
    mkdirSync(root, { recursive: true });
    roots.set(stage.name, root);
    const fromStage = roots.get(stage.from);
    if (fromStage && fromStage !== root) cpSync(fromStage, root, { recursive: true, verbatimSymlinks: true });
    let workdir = '/';
    const env: Record<string, string> = {};
    const vars = () => ({ ...dockerfile.globalArgs, ...env });
    const ran: string[] = [];
    config = { root, cwd: root, env, entrypoint: [], cmd: [], expose: [], ran };
    for (const step of stage.steps) {
      const args = substitute(step.args, vars());
      switch (step.op) {
        case 'WORKDIR':
          workdir = path.posix.resolve(workdir, args);
          mkdirSync(inRoot(root, workdir), { recursive: true });
          config.cwd = inRoot(root, workdir);
          break;
        case 'ENV':
          for (const m of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[m[1]] = m[2].replace(/^"|"$/g, '');
          break;
        case 'ARG':
        case 'LABEL':
          break;
        case 'USER':
          config.user = args;
          break;
        case 'EXPOSE':
          config.expose = args.split(/\s+/).map((p) => Number.parseInt(p, 10));
          break;
        case 'COPY': {
          const parts = args.split(/\s+/);
          const dest = parts.pop() as string;
          const destAbs = path.posix.resolve(workdir, dest);
          const intoDir = dest.endsWith('/') || parts.length > 1;
          for (const src of parts) {
            if (step.flags.from) {
              const other = roots.get(step.flags.from);
              if (!other)
                throw new Error(
                  `Dockerfile line ${step.line}: COPY --from=${step.flags.from}: no such stage before this one`,
                );
              const s = inRoot(other, path.posix.resolve('/', src));
              if (!existsSync(s))
                throw new Error(
                  `Dockerfile line ${step.line}: COPY --from=${step.flags.from} ${src}: not in that stage`,
                );
              const d = intoDir ? path.join(inRoot(root, destAbs), path.basename(s)) : inRoot(root, destAbs);
              mkdirSync(path.dirname(d), { recursive: true });
              cpSync(s, d, { recursive: true, verbatimSymlinks: true });
            } else {
              const d = intoDir ? path.join(inRoot(root, destAbs), path.basename(src)) : inRoot(root, destAbs);
              copyFromContext(o.repo, ignored, src, d);
            }
          }
          break;
        }
        case 'RUN': {
          if (step.exec) throw new Error(`Dockerfile line ${step.line}: RUN in exec form is not replayed`);
          for (const cmd of args.split('&&')) {
            await runStep(
              cmd,
              config.cwd,
              o,
              () => (lockCache ??= JSON.parse(readFileSync(path.join(config?.cwd ?? '', 'package-lock.json'), 'utf8'))),
              ran,
            );
          }
          break;
        }
        case 'HEALTHCHECK':
          if (!step.exec) throw new Error(`Dockerfile line ${step.line}: write HEALTHCHECK CMD in exec (JSON) form`);
          config.healthcheck = { exec: step.exec, flags: step.flags };
          break;
        case 'ENTRYPOINT':
        case 'CMD':
          if (!step.exec)
            throw new Error(`Dockerfile line ${step.line}: write ${step.op} in exec (JSON) form so signals reach node`);
          if (step.op === 'ENTRYPOINT') config.entrypoint = step.exec;
          else config.cmd = step.exec;
          break;
        default:
          throw new Error(`Dockerfile line ${step.line}: ${step.op} is not replayed by scripts/docker-steps.ts`);
      }
    }
  }
  if (!config) throw new Error('Dockerfile has no stages');
  return config;
}

/**
 * The image's environment on this machine: the image ENV with container paths under /tmp moved into `tmp` (the
 * emptyDir the pods mount there), plus PATH so `node` resolves.
 */
export function hostEnv(image: ImageConfig, tmp: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  for (const [k, v] of Object.entries(image.env))
    env[k] = v === '/tmp' || v.startsWith('/tmp/') ? path.join(tmp, v.slice(4)) : v;
  return { ...env, TMPDIR: tmp, ...extra };
}

// ---------------------------------------------------------------------------------------------------------------------
// CLI

async function cli(argv: string[]): Promise<number> {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  if (argv[0] === 'fix-lock') {
    const file = path.join(repo, 'package-lock.json');
    const lock = JSON.parse(readFileSync(file, 'utf8')) as Lockfile;
    const added = fixLockfile(lock);
    writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
    console.log(
      added.length ? `Added ${added.length} lock entries:\n  ${added.join('\n  ')}` : 'package-lock.json has no gaps.',
    );
    return 0;
  }
  const full = argv.includes('--full') || process.env.EGRESS_DOCKER_FULL === '1';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'egress-docker-'));
  try {
    const image = await replayDockerfile({ repo, dir, full, log: (l) => console.log(l) });
    for (const r of image.ran) console.log(`RUN ${r}`);
    const tmp = path.join(dir, 'tmp');
    mkdirSync(tmp);
    const [bin, ...rest] = image.entrypoint;
    const out = execFileSync(bin, [...rest, '--version'], {
      cwd: image.cwd,
      env: hostEnv(image, tmp),
      encoding: 'utf8',
    });
    console.log(`${[...image.entrypoint, '--version'].join(' ')} → ${out.trim()}`);
    console.log(
      `default command: ${[...image.entrypoint, ...image.cmd].join(' ')} (run by test/docker-recipe.test.ts)`,
    );
    return 0;
  } finally {
    if (!argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  cli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: Error) => {
      console.error(`docker-steps: ${err.message}`);
      process.exitCode = 1;
    },
  );
}
