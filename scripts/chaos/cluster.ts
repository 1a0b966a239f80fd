/**
 * The bot's processes under test: `serve --no-worker` receivers, `worker`s and `serve`s, all real `bin/egress`
 * processes on 127.0.0.1 with one environment. Any exit we did not cause — or a non-zero exit after our SIGTERM —
 * counts as a crash.
 */
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { type EgressProcess, startEgress } from '../../test/support/egress-process.js';

export type Role = 'receiver' | 'worker' | 'serve';

const ARGS: Record<Role, string[]> = { receiver: ['serve', '--no-worker'], worker: ['worker'], serve: ['serve'] };

/** One started process. */
export interface Member {
  role: Role;
  name: string;
  proc: EgressProcess;
  url: string;
  /** Set when we send a signal, so its exit is not a crash. */
  expected?: NodeJS.Signals;
}

/** Starts, signals and accounts for the bot processes. */
export class Cluster {
  readonly members: Member[] = [];
  /** Exits nobody asked for, and non-zero exits after a SIGTERM: `name: reason`. */
  readonly crashes: string[] = [];
  private n = 0;
  private readonly logs: WriteStream[] = [];
  /** Every child spawned, ready or not (one still starting when the suite is stopped must not be left behind). */
  private readonly spawned = new Set<ChildProcess>();

  constructor(
    private readonly env: Record<string, string>,
    private readonly logDir: string,
  ) {}

  /** Starts one process of `role` and waits until it is ready. */
  async start(role: Role): Promise<Member> {
    const name = `${role}-${++this.n}`;
    const log = createWriteStream(join(this.logDir, `${name}.log`));
    this.logs.push(log);
    const proc = await startEgress(ARGS[role], this.env, {
      onLine: (l) => log.write(`${JSON.stringify(l)}\n`),
      onSpawn: (child) => this.spawned.add(child),
    });
    const m: Member = { role, name, proc, url: `http://127.0.0.1:${proc.port}` };
    this.members.push(m);
    void proc.exited.then(({ code, signal }) => {
      if (!m.expected) this.crashes.push(`${name}: exited unasked (${code ?? signal})`);
      else if (m.expected === 'SIGTERM' && code !== 0)
        this.crashes.push(`${name}: exit ${code ?? signal} after SIGTERM`);
    });
    return m;
  }

  /** Sends `sig`; the exit that follows is expected. */
  signal(m: Member, sig: NodeJS.Signals): void {
    m.expected = sig;
    m.proc.child.kill(sig);
  }

  /** Signals and waits for the exit (SIGKILL after `ms`). Returns how long it took to exit. */
  async stop(m: Member, sig: NodeJS.Signals = 'SIGTERM', ms = 40_000): Promise<number> {
    const started = Date.now();
    if (m.proc.child.exitCode !== null || m.proc.child.signalCode !== null) return 0;
    this.signal(m, sig);
    const timer = setTimeout(() => m.proc.child.kill('SIGKILL'), ms);
    await m.proc.exited;
    clearTimeout(timer);
    return Date.now() - started;
  }

  /** Live members of a role. */
  alive(role: Role): Member[] {
    return this.members.filter((m) => m.role === role && m.proc.child.exitCode === null && !m.proc.child.signalCode);
  }

  /** Log lines of every process with a given message (e.g. fatal errors), by process name. */
  lines(pred: (l: Record<string, unknown>) => boolean): Array<{ name: string; line: Record<string, unknown> }> {
    return this.members.flatMap((m) => m.proc.lines.filter(pred).map((line) => ({ name: m.name, line })));
  }

  /** Stops every live process. */
  async stopAll(): Promise<void> {
    await Promise.all(this.members.map((m) => this.stop(m, 'SIGTERM', 10_000)));
    for (const child of this.spawned) if (child.exitCode === null && !child.signalCode) child.kill('SIGKILL');
    for (const l of this.logs) l.end();
  }
}
