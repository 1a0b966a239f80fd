/**
 * `bin/egress mcp --http` as deployed: the real process (compiled dist/, so `npm run build` first) with its tokens in
 * a file, on 127.0.0.1 and a free port, probes beside /mcp, a `who` answered as the CLI answers it, and SIGTERM ending
 * it cleanly with exit 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliJson, NOW, sampleWorld, VPC_CIDRS, withoutCacheStats } from './support/mcp-harness.js';
import { tempDir } from './support/mini-world.js';

const TOKEN = 'process-test-token-0123456789';
let child: ChildProcess;
let port: number;
const stdout: string[] = [];
let exited: Promise<number | null>;

beforeAll(async () => {
  const { dir, k8s } = await sampleWorld();
  const tokens = path.join(await tempDir('egress-mcp-proc-'), 'tokens.json');
  writeFileSync(tokens, JSON.stringify({ [TOKEN]: { tools: ['who'], name: 'ide' } }));
  child = spawn(process.execPath, ['bin/egress', 'mcp', '--http', '--port', '0', '--data', dir, '--k8s', k8s], {
    env: {
      PATH: process.env.PATH ?? '',
      TMPDIR: process.env.TMPDIR ?? '/tmp',
      EGRESS_VPC_CIDRS: VPC_CIDRS,
      EGRESS_MCP_TOKENS: tokens,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`egress mcp --http exited with ${code}`)));
    child.stdout?.on('data', (c: Buffer) => {
      stdout.push(String(c));
      const m = /"port":(\d+)[^\n]*egress mcp listening/.exec(stdout.join(''));
      if (m) resolve(Number(m[1]));
    });
  });
}, 120_000);
afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

it('serves /mcp with its tokens, the probes beside it, and stops on SIGTERM with exit 0', async () => {
  const base = `http://127.0.0.1:${port}`;
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  expect((await fetch(`${base}/mcp`, { method: 'POST' })).status).toBe(401);

  const client = new Client({ name: 'egress-process-test', version: '0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
    }),
  );
  const r = await client.callTool({ name: 'who', arguments: { ip: '142.250.80.46', window: '7d', now: NOW } });
  expect(withoutCacheStats(r.structuredContent)).toEqual(withoutCacheStats(await cliJson('who 142.250.80.46 last 7d')));
  await client.close();

  child.kill('SIGTERM');
  await expect(exited).resolves.toBe(0);
  const audit = stdout
    .join('')
    .split('\n')
    .filter((l) => l.includes('"audit":"mcp"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(audit).toEqual([
    expect.objectContaining({ client: 'unauthenticated', decision: 'deny' }),
    expect.objectContaining({ client: 'ide', tool: 'who', decision: 'allow', outcome: 'answered', rows: 6 }),
  ]);
  expect(stdout.join('')).not.toContain(TOKEN);
});
