import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A private redis-server on a free loopback port, for one test run (never the machine's shared one). */
export interface RedisServer {
  url: string;
  port: number;
  /** Kills the server (SIGKILL) — to test a Redis restart in the middle of a job. */
  kill(): Promise<void>;
  /** Starts it again on the same port (with the same data directory: an AOF server replays its log). */
  restart(): Promise<void>;
  /** Sends a signal to the running server (`SIGSTOP`/`SIGCONT`: a Redis that stops answering, then resumes). */
  signal(sig: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/** How the server persists: nothing (the default, for tests), or an append-only file as production should. */
export interface RedisServerOptions {
  appendonly?: boolean;
}

/** Finds a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tryOnce = () => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.end();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`redis-server did not listen on ${port}`));
        else setTimeout(tryOnce, 50);
      });
    };
    tryOnce();
  });
}

/** Starts `redis-server` (installed on these machines) on a free port; no persistence unless asked for. */
export async function startRedisServer(o: RedisServerOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'egress-redis-'));
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        o.appendonly ? 'yes' : 'no',
        '--appendfsync',
        'everysec',
        '--dir',
        dir,
        '--loglevel',
        'warning',
      ],
      { stdio: 'ignore' },
    );
    child.on('error', (err) => {
      throw new Error(`cannot start redis-server (is it installed? apt-get install redis-server): ${err.message}`);
    });
    await waitForPort(port);
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    restart: launch,
    signal(sig) {
      child?.kill(sig);
    },
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
