/**
 * The real bot as a process: `bin/egress <args>` (compiled dist/: run `npm run build` first), its JSON log lines
 * collected, resolved once it logs "egress bot started". Used by the process tests and by `npm run chaos`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const BIN = path.join(import.meta.dirname, '..', '..', 'bin', 'egress');

/** A running `bin/egress`. */
export interface EgressProcess {
  child: ChildProcess;
  /** The HTTP port it listens on (receiver or ops server). */
  port: number;
  /** Parsed JSON log lines so far. */
  lines: Array<Record<string, unknown>>;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What it wrote to stderr. */
  stderr(): string;
}

/** Starts `bin/egress <args>` with exactly `env` (plus PATH) and waits until it is ready. */
export async function startEgress(
  args: string[],
  env: Record<string, string>,
  o: {
    onLine?: (line: Record<string, unknown>) => void;
    onSpawn?: (child: ChildProcess) => void;
    timeoutMs?: number;
  } = {},
): Promise<EgressProcess> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  o.onSpawn?.(child);
  const lines: Array<Record<string, unknown>> = [];
  let err = '';
  child.stderr?.on('data', (d) => {
    err += String(d);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(
      () => reject(new Error(`egress ${args.join(' ')} not ready: ${err}`)),
      o.timeoutMs ?? 30_000,
    );
    child.stdout?.on('data', (d) => {
      buf += String(d);
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const text = buf.slice(0, i);
        buf = buf.slice(i + 1);
        let line: Record<string, unknown>;
        try {
          line = JSON.parse(text) as Record<string, unknown>;
        } catch {
          line = { msg: text };
        }
        lines.push(line);
        o.onLine?.(line);
        if (line.msg === 'egress bot started') {
          clearTimeout(timer);
          resolve(line.port as number);
        }
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`egress ${args.join(' ')} exited early (${code ?? signal}): ${err}`));
    });
  });
  return { child, port, lines, exited, stderr: () => err };
}
