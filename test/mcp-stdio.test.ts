/**
 * `egress mcp` over stdio, as a local agent runs it: the real `bin/egress` (compiled dist/, so `npm run build` first)
 * spawned by the SDK's StdioClientTransport with the data settings as flags and the VPC CIDRs in the environment.
 * stdout carries nothing but protocol; logs (the audit lines) go to stderr; closing stdin ends the process.
 */
import type { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliJson, NOW, sampleWorld, VPC_CIDRS, withoutCacheStats } from './support/mcp-harness.js';

let client: Client;
let transport: StdioClientTransport;
const stderr: string[] = [];
const protocolErrors: Error[] = [];

beforeAll(async () => {
  const { dir, k8s } = await sampleWorld();
  transport = new StdioClientTransport({
    command: process.execPath,
    args: ['bin/egress', 'mcp', '--data', dir, '--k8s', k8s],
    env: { PATH: process.env.PATH ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp', EGRESS_VPC_CIDRS: VPC_CIDRS },
    stderr: 'pipe',
  });
  (transport.stderr as PassThrough | null)?.on('data', (c: Buffer) => stderr.push(String(c)));
  client = new Client({ name: 'egress-stdio-test', version: '0' });
  // Any stdout line that is not a JSON-RPC message ends up here.
  client.onerror = (err) => protocolErrors.push(err);
  await client.connect(transport);
}, 120_000);
afterAll(() => client?.close());

const text = (r: unknown) => ((r as { content?: Array<{ text: string }> }).content ?? [])[0]?.text ?? '';

describe('egress mcp (stdio)', () => {
  it('lists the tools with their schemas and the help resource', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'who',
      'from',
      'dns-bypass',
      'domain',
      'ip-history',
      'top',
      'cost',
      'rejects',
      'policy',
    ]);
    for (const t of tools) {
      expect(t.inputSchema.type, t.name).toBe('object');
      expect(t.inputSchema.properties, t.name).toHaveProperty('now');
      expect(t.outputSchema?.required, t.name).toEqual(['command', 'skipped']);
      expect(t.annotations?.readOnlyHint, t.name).toBe(true);
    }
    const help = await client.readResource({ uri: 'egress://help' });
    expect((help.contents[0] as { text: string }).text).toMatch(/^who <ip> \[last N\(h\|d\)\] +which pods/);
  });

  it('who gives exactly the JSON of `egress who … --format json` (same --data, --k8s, --now)', async () => {
    const r = await client.callTool({ name: 'who', arguments: { ip: '142.250.80.46', window: '7d', now: NOW } });
    expect(r.isError).toBeFalsy();
    expect(withoutCacheStats(r.structuredContent)).toEqual(
      withoutCacheStats(await cliJson('who 142.250.80.46 last 7d')),
    );
    const ten = await client.callTool({ name: 'who', arguments: { ip: '142.250.80.46', window: '10d', now: NOW } });
    expect(withoutCacheStats(ten.structuredContent)).toEqual(
      withoutCacheStats(await cliJson('who 142.250.80.46 last 10d')),
    );
  });

  it('policy gives the JSON of `egress policy … --format json`, `for` picking the draft', async () => {
    const r = await client.callTool({
      name: 'policy',
      arguments: { selector: 'shop/catalog-api', for: 'kubernetes', now: NOW },
    });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toEqual(await cliJson('policy shop/catalog-api for kubernetes'));
    expect(r.structuredContent).toMatchObject({ cilium: null, networkPolicy: { kind: 'NetworkPolicy' } });
  });

  it('a bad IP, or an internal one, is a tool error with the fix-it text', async () => {
    const bad = await client.callTool({ name: 'who', arguments: { ip: '142.250.80', now: NOW } });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toBe(
      '"142.250.80" is not an IP address. Give one IPv4 or IPv6 address, e.g. `who 142.250.80.46 last 7d`.',
    );
    const internal = await client.callTool({ name: 'who', arguments: { ip: '10.40.12.34', now: NOW } });
    expect(text(internal)).toMatch(/^10\.40\.12\.34 is a private\/internal address.*`ip-history 10\.40\.12\.34`/);
    const now = await client.callTool({ name: 'top', arguments: { now: 'yesterday' } });
    expect(text(now)).toMatch(/^now "yesterday" is not an ISO-8601 time/);
  });

  it('progress notifications arrive for a call with a progress token', async () => {
    const seen: string[] = [];
    await client.callTool({ name: 'cost', arguments: { now: NOW } }, undefined, {
      onprogress: (p) => seen.push(p.message ?? ''),
    });
    expect(seen[0]).toBe('Working out NAT gateway data-processing cost per workload over the last 7 days');
    expect(seen).toContain('querying');
  });

  it('stdout held protocol only; the audit lines went to stderr, as the local user', async () => {
    // The SDK client may handle a progress notification read together with its response after the response and
    // report it (typescript-sdk#2580, a client-side race); anything else here is a line that was not protocol.
    const knownRace = /^Received a progress notification for an unknown token/;
    expect(protocolErrors.filter((e) => !knownRace.test(e.message))).toEqual([]);
    const audits = stderr
      .join('')
      .split('\n')
      .filter((l) => l.includes('"audit":"mcp"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(audits.length).toBeGreaterThanOrEqual(5);
    for (const a of audits) expect(a.client).toBe('stdio');
    expect(audits.find((a) => a.outcome === 'invalid')).toMatchObject({ tool: 'who', code: 'BAD_IP' });
  });

  it('closing stdin stops the server by itself (no signal needed)', async () => {
    const pid = transport.pid as number;
    const started = Date.now();
    // The SDK ends stdin, waits up to 2 s for the process to go, and only then sends SIGTERM.
    await client.close();
    expect(Date.now() - started).toBeLessThan(1_900);
    expect(() => process.kill(pid, 0)).toThrow();
    const log = stderr.join('');
    expect(log).toContain('"msg":"stopped"');
    expect(log).not.toContain('shutdown requested');
  });
});
