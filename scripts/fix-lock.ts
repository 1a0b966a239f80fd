/**
 * Fills the gaps npm leaves in package-lock.json on machines whose registry mirror does not serve other platforms'
 * optional packages (`@duckdb/node-bindings-darwin-arm64`, `@biomejs/cli-win32-x64`, …). npm then writes the lock
 * without their entries, and `npm ci` elsewhere (a Mac, an arm64 runner, `docker build`) refuses it as "not in sync".
 * test/docker-recipe.test.ts fails while the lock has such a gap.
 *
 * Usage, after any `npm install` that rewrote the lock:
 *   npx tsx scripts/fix-lock.ts
 * It adds one entry per missing optional package (version = the exact spec its parent asks for, os/cpu/libc read from
 * the package name) and rewrites package-lock.json in place; it prints what it added, or that there were no gaps.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fields of a package-lock.json entry this script reads or writes. */
export interface LockPackage {
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

/** package-lock.json (lockfileVersion 2 or 3: the `packages` map). */
export interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockPackage>;
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
 * Optional dependencies with no entry in the lock, each as `<package>@<version spec> (optional dependency of <path>)`.
 * Any gap makes `npm ci` refuse the lock on a platform that would install that package.
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

/**
 * Adds an entry for every gap {@link lockfileGaps} finds (version = the exact spec, os/cpu/libc from the name) and
 * returns them as `<package>@<version>`. Throws when a spec is a range or a name tells no platform: then only an
 * `npm install` where the registry serves the package can write a correct entry.
 */
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

function main(): void {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'package-lock.json');
  const lock = JSON.parse(readFileSync(file, 'utf8')) as Lockfile;
  const added = fixLockfile(lock);
  if (added.length) writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(
    added.length ? `Added ${added.length} lock entries:\n  ${added.join('\n  ')}` : 'package-lock.json has no gaps.',
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    main();
  } catch (err) {
    console.error(`fix-lock: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
