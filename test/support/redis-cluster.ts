import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis-server.js';

const run = promisify(execFile);

/** A private Redis Cluster of masters on free loopback ports, for one test file (never a shared one). */
export interface RedisCluster {
  /** Client ports of the nodes, in start order. */
  ports: number[];
  /** Seed nodes for an ioredis `Cluster`. */
  nodes: Array<{ host: string; port: number }>;
  stop(): Promise<void>;
}

/** Free ports, each distinct (freePort alone may hand the same one out twice before anything listens on it). */
async function distinctPorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/** Polls `CLUSTER INFO` on every node until each reports `cluster_state:ok` (slots agreed and all served). */
async function waitForClusterOk(ports: number[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const port of ports) {
    for (;;) {
      const info = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'cluster', 'info']).then(
        (r) => r.stdout,
        () => '',
      );
      if (info.includes('cluster_state:ok')) break;
      if (Date.now() > deadline) throw new Error(`Redis Cluster node ${port} did not reach cluster_state:ok`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Starts `size` cluster-enabled `redis-server`s without persistence (cluster bus ports chosen explicitly with
 * `--cluster-port`, since port + 10000 may be taken or out of range), joins them with `redis-cli --cluster create`
 * (no replicas: every node a master owning a third of the slots) and waits for `cluster_state:ok`.
 */
export async function startRedisCluster(size = 3): Promise<RedisCluster> {
  const all = await distinctPorts(2 * size);
  const ports = all.slice(0, size);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'egress-redis-cluster-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGKILL');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const [i, port] of ports.entries()) {
      const child = spawn(
        'redis-server',
        [
          ...['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes'],
          ...['--cluster-port', String(all[size + i]), '--cluster-config-file', path.join(dir, `nodes-${port}.conf`)],
          ...['--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'],
        ],
        { stdio: 'ignore' },
      );
      child.on('error', () => {}); // reported below: the node never answers and the wait times out
      children.push(child);
    }
    // Each node must listen before they can be joined; `cluster_state:fail` is the answer of a lone node.
    await Promise.all(ports.map((p) => waitForAnswer(p)));
    const hosts = ports.map((p) => `127.0.0.1:${p}`);
    await run('redis-cli', ['--cluster', 'create', ...hosts, '--cluster-replicas', '0', '--cluster-yes']);
    await waitForClusterOk(ports);
  } catch (err) {
    await stop();
    throw err;
  }
  return { ports, nodes: ports.map((port) => ({ host: '127.0.0.1', port })), stop };
}

/** Waits until `redis-cli PING` on `port` answers PONG. */
async function waitForAnswer(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping']).then(
      (r) => r.stdout,
      () => '',
    );
    if (out.trim() === 'PONG') return;
    if (Date.now() > deadline) throw new Error(`cluster node did not listen on ${port} (is redis-server installed?)`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
