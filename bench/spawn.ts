/**
 * Runs what a user runs: the real `bin/egress` (or any program) as a fresh process, timed from spawn to exit, with
 * its peak RSS (through `/usr/bin/time -f %M` when the machine has it). Loopback and local files only.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The installed program users run (compiled `dist/`, built by `npm ci`). */
export const BIN = path.join(ROOT, 'bin', 'egress');
const TIME = '/usr/bin/time';

/** One finished process. */
export interface Run {
  ms: number;
  /** Peak resident set size, KiB (0 when unknown). */
  maxRssKb: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns `cmd args` with `env` added to a minimal environment; resolves when it exits (bounded by `timeoutMs`). */
export function timed(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 300_000,
): Promise<Run> {
  const wrap = existsSync(TIME);
  const argv = wrap ? ['-f', '%M', cmd, ...args] : args;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(wrap ? TIME : cmd, argv, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let maxRssKb = 0;
      if (wrap) {
        const lines = stderr.trimEnd().split('\n');
        maxRssKb = Number(lines.pop()) || 0;
        stderr = lines.join('\n');
      }
      resolve({ ms, maxRssKb, code: code ?? 1, stdout, stderr });
    });
  });
}

/** Runs `bin/egress args` and fails loudly when it does not exit 0. */
export async function egress(args: string[], env: Record<string, string>): Promise<Run> {
  const r = await timed(BIN, args, env);
  if (r.code !== 0) throw new Error(`bin/egress ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(0, 400)}`);
  return r;
}

/** Median of `n` runs of `f` by time (the machine may be shared: one burst of other load skews no figure). */
export async function median(n: number, f: () => Promise<Run>): Promise<Run & { all: Run[] }> {
  const all: Run[] = [];
  for (let i = 0; i < n; i++) all.push(await f());
  const sorted = [...all].sort((a, b) => a.ms - b.ms);
  return { ...(sorted[Math.floor(n / 2)] as Run), all };
}

/** `value goal met|NOT met` line part. */
export function verdict(ok: boolean): string {
  return ok ? 'met' : 'NOT met';
}
