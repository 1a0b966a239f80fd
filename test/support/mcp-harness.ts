/**
 * The MCP server's test rig: the sample world (generated once per test file), the real HTTP server in-process on
 * 127.0.0.1:0 over real deps (DuckDB, the snapshot), the product's logger writing to memory, and the SDK's own
 * `Client` to talk to it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { pino } from 'pino';
import { EXPECTED } from '../../dev/sample/expected.js';
import { generateWorld } from '../../dev/sample/world.js';
import { loadConfig } from '../../src/config.js';
import type { QueryEngine } from '../../src/engine/types.js';
import { loggerOptions } from '../../src/logger.js';
import { buildDeps, type Deps } from '../../src/main.js';
import { startMcpHttp } from '../../src/mcp/http.js';
import { TokenBook } from '../../src/mcp/principal.js';
import { mcpRuntime } from '../../src/mcp/server.js';
import { runCli } from './run-cli.js';

export const NOW = EXPECTED.now;
export const VPC_CIDRS = '10.40.0.0/16,100.64.0.0/16';

let world: Promise<{ dir: string; k8s: string }> | undefined;

/** The sample world, generated once per test file and removed at exit. */
export function sampleWorld(): Promise<{ dir: string; k8s: string }> {
  world ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'egress-mcp-'));
    const { k8sFile } = await generateWorld({ dir });
    process.once('exit', () => void rm(dir, { recursive: true, force: true }));
    return { dir, k8s: k8sFile };
  })();
  return world;
}

/**
 * An answer without `stats.cache`: which objects came from the columnar store depends on who asked first (the store
 * is shared), not on the answer.
 */
export function withoutCacheStats(json: unknown): unknown {
  const j = json as { stats?: Record<string, unknown> };
  if (!j?.stats) return json;
  const { cache: _cache, ...stats } = j.stats;
  return { ...j, stats };
}

/** `egress <text> --format json` on the sample world, in-process: what the tools must answer. */
export async function cliJson(text: string): Promise<Record<string, unknown>> {
  const { dir, k8s } = await sampleWorld();
  const argv = [...text.split(' '), '--data', dir, '--k8s', k8s, '--now', NOW, '--format', 'json'];
  const r = await runCli(argv, { EGRESS_VPC_CIDRS: VPC_CIDRS }, Date.parse(NOW) / 1000);
  if (r.code !== 0) throw new Error(`egress ${text}: ${r.err}`);
  return JSON.parse(r.out) as Record<string, unknown>;
}

/** An engine wrapper that counts the queries that reach it. */
export function counting(): { wrap: (real: QueryEngine) => QueryEngine; runs: string[] } {
  const runs: string[] = [];
  return {
    runs,
    wrap: (real) => ({
      name: real.name,
      close: () => real.close(),
      run(query, params, opts) {
        runs.push(query);
        return real.run(query, params, opts);
      },
    }),
  };
}

export interface McpHarness {
  url: string;
  deps: Deps;
  /** Parsed log lines so far. */
  logs(): Array<Record<string, unknown>>;
  /** An SDK client connected with `Authorization: Bearer <token>`. */
  connect(token: string): Promise<Client>;
  close(): Promise<void>;
}

/** Starts the real HTTP server in-process with these tokens (`EGRESS_MCP_TOKENS` JSON). */
export async function startMcpHarness(o: {
  tokens: Record<string, unknown>;
  engine?: (real: QueryEngine) => QueryEngine;
  maxSessions?: number;
}): Promise<McpHarness> {
  const { dir, k8s } = await sampleWorld();
  const config = loadConfig({
    EGRESS_DATA_DIR: dir,
    EGRESS_K8S_SNAPSHOT: k8s,
    EGRESS_VPC_CIDRS: VPC_CIDRS,
    EGRESS_MCP_TOKENS: JSON.stringify(o.tokens),
  });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const deps = buildDeps(config, pino(loggerOptions('debug'), sink), {
    clock: () => Date.parse(NOW) / 1000,
    wrapEngine: o.engine,
  });
  const http = await startMcpHttp(mcpRuntime(deps), {
    port: 0,
    host: '127.0.0.1',
    tokens: new TokenBook(config.EGRESS_MCP_TOKENS),
    routes: [],
    graceMs: 2_000,
    maxSessions: o.maxSessions,
  });
  deps.onClose('entry', 'mcp-http', () => http.close());
  const url = `http://127.0.0.1:${http.port}/mcp`;
  const clients: Client[] = [];
  return {
    url,
    deps,
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    async connect(token) {
      const client = new Client({ name: 'egress-test', version: '0' });
      const transport = new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      });
      await client.connect(transport);
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await deps.close();
    },
  };
}
