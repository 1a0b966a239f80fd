/**
 * `egress mcp --http`, driven with the SDK's own Client over Streamable HTTP against the real server on 127.0.0.1:0
 * over the sample world: tools and their schemas, `who` answering exactly what `egress who … --format json` answers,
 * tool errors with the fix-it text, bearer tokens checked before anything runs, tool and namespace limits, the audit
 * line, progress notifications and cancellation reaching the engine.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenSha256 } from '../src/mcp-tokens.js';
import { cliJson, counting, type McpHarness, NOW, startMcpHarness, withoutCacheStats } from './support/mcp-harness.js';

const FULL = 'full-access-token-0123456789';
const WHO_ONLY = 'who-only-token-0123456789ab';
const PAYMENTS = 'payments-only-token-01234567';
const TOKENS = {
  [FULL]: { tools: '*', name: 'oncall-agent' },
  [WHO_ONLY]: { tools: ['who'] },
  [PAYMENTS]: { tools: '*', namespaces: ['payments'], name: 'payments-team' },
};

const text = (r: unknown) => ((r as { content?: Array<{ text: string }> }).content ?? [])[0]?.text ?? '';

let h: McpHarness;
const engine = counting();
let full: Client;

beforeAll(async () => {
  h = await startMcpHarness({ tokens: TOKENS, engine: engine.wrap });
  full = await h.connect(FULL);
}, 120_000);
afterAll(() => h?.close());

describe('tools over HTTP', () => {
  it('lists one tool per data command, each with input and output schemas, and help as a resource', async () => {
    const { tools } = await full.listTools();
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
    const who = tools.find((t) => t.name === 'who');
    expect(who?.inputSchema).toMatchObject({
      type: 'object',
      // who takes one of an address, a name (or *.suffix) or a range: none of them alone is required.
      properties: {
        ip: { type: 'string' },
        name: { type: 'string' },
        cidr: { type: 'string' },
        window: { type: 'string' },
        now: { type: 'string' },
      },
      additionalProperties: false,
    });
    expect(who?.outputSchema?.properties).toMatchObject({ command: { const: 'who' }, skipped: { type: 'array' } });
    expect(who?.description).toMatch(/5–10\+ minutes late/);
    expect(who?.description).toMatch(/only uncached queries and see CoreDNS, not pods/);
    const top = tools.find((t) => t.name === 'top');
    expect(top?.inputSchema.properties?.by).toMatchObject({ enum: ['workload', 'namespace', 'destination'] });
    const { resources } = await full.listResources();
    expect(resources.map((r) => r.uri)).toEqual(['egress://help', 'egress://coverage']);
    const read = await full.readResource({ uri: 'egress://coverage' });
    const coverage = JSON.parse(String((read.contents[0] as { text: string }).text));
    // The sample world's last day at its `now`: both tables delivered, no hour without data, the snapshot attributes.
    expect(coverage).toMatchObject({
      from: '2026-11-19T12:00:00.000Z',
      gaps: [],
      attribution: { source: 'snapshot' },
    });
    expect(coverage.delivery.map((d: { kind: string }) => d.kind)).toEqual(['flow', 'dns']);
    // The scripted SKIPDATA records (11-15 04:00, 11-19 03:10) lie before the last day.
    expect(coverage.skipData).toBe(0);
  });

  it('who answers exactly the CLI’s JSON, and its text rendering', async () => {
    const r = await full.callTool({ name: 'who', arguments: { ip: '142.250.80.46', window: '7d', now: NOW } });
    expect(r.isError).toBeFalsy();
    expect(withoutCacheStats(r.structuredContent)).toEqual(
      withoutCacheStats(await cliJson('who 142.250.80.46 last 7d')),
    );
    expect(text(r)).toMatch(/^who 142\.250\.80\.46 · last 7d \(2026-11-13 12:00 → 2026-11-20 12:00 UTC\)\n6 rows/);
  });

  it('a bad IP is a tool error with the parser’s fix-it text', async () => {
    const r = await full.callTool({ name: 'who', arguments: { ip: 'not-an-ip', now: NOW } });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe(
      '"not-an-ip" is not an IP address, a DNS name, *.suffix or a range. Try `who 142.250.80.46`, `who telemetry.vendorx.io`, `who *.vendorx.io` or `who 142.250.0.0/16`.',
    );
    const missing = await full.callTool({ name: 'who', arguments: {} });
    expect(text(missing)).toMatch(/^`who` needs an IP address, a name, \*\./);
    const long = await full.callTool({ name: 'cost', arguments: { window: '400d' } });
    expect(text(long)).toMatch(/longer than the maximum of 90 days/);
    const smuggled = await full.callTool({ name: 'top', arguments: { window: '7d by destination' } });
    expect(text(smuggled)).toMatch(/"window" takes one value without spaces/);
  });

  it('audits every call: client label, tool, decision, size, request id — never the token', async () => {
    const r = await full.callTool({ name: 'cost', arguments: { window: '30d', by: 'namespace', now: NOW } });
    const requestId = (r._meta as { requestId: string }).requestId;
    const line = h.logs().find((l) => l.requestId === requestId);
    expect(line).toMatchObject({
      audit: 'mcp',
      client: 'oncall-agent',
      tool: 'cost',
      decision: 'allow',
      outcome: 'answered',
      command: 'cost last 30d by namespace',
    });
    expect(line?.rows).toBe((r.structuredContent as { table: { rows: unknown[] } }).table.rows.length);
    expect(line?.bytes).toBe(Buffer.byteLength(JSON.stringify(r.structuredContent)));
    const all = JSON.stringify(h.logs());
    for (const t of [FULL, WHO_ONLY, PAYMENTS]) expect(all).not.toContain(t);
  });
});

describe('authorization', () => {
  const call = (headers: Record<string, string>) =>
    fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'who', arguments: { ip: '142.250.80.46' } },
      }),
    });

  it('a missing or wrong token gets 401 with WWW-Authenticate: Bearer, and nothing runs', async () => {
    const before = engine.runs.length;
    const none = await call({});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="egress"');
    const wrong = await call({ authorization: 'Bearer not-a-configured-token-at-all' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="egress", error="invalid_token"');
    const basic = await call({ authorization: `Basic ${Buffer.from(`x:${FULL}`).toString('base64')}` });
    expect(basic.status).toBe(401);
    await expect(h.connect('not-a-configured-token-at-all')).rejects.toMatchObject({ code: 401 });
    expect(engine.runs.length).toBe(before);
    const refused = h.logs().filter((l) => l.client === 'unauthenticated');
    expect(refused.map((l) => l.reason)).toEqual(
      expect.arrayContaining(['missing bearer token', 'invalid bearer token']),
    );
  });

  it('a token limited to who cannot call cost: a tool error, audited as deny, nothing run', async () => {
    const client = await h.connect(WHO_ONLY);
    const before = engine.runs.length;
    const r = await client.callTool({ name: 'cost', arguments: { now: NOW } });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe('This token may not call `cost`; it may call who.');
    expect(engine.runs.length).toBe(before);
    const label = `sha256:${tokenSha256(WHO_ONLY).slice(0, 8)}`;
    expect(h.logs().filter((l) => l.audit === 'mcp' && l.tool === 'cost' && l.client === label)).toEqual([
      expect.objectContaining({ decision: 'deny', outcome: 'denied' }),
    ]);
    const who = await client.callTool({ name: 'who', arguments: { ip: '142.250.80.46', now: NOW } });
    expect(who.isError).toBeFalsy();
  });

  it('a session is served only to the token that opened it', async () => {
    const init = await fetch(h.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${FULL}`,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
      }),
    });
    expect(init.status).toBe(200);
    const session = init.headers.get('mcp-session-id') as string;
    await init.body?.cancel();
    const other = await fetch(h.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${WHO_ONLY}`,
        'mcp-session-id': session,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(other.status).toBe(404);
  });

  it('a body over 64 KiB is refused with 413 before it is read', async () => {
    const big = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${FULL}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { pad: 'x'.repeat(70_000) } }),
    });
    expect(big.status).toBe(413);
    // Without a Content-Length (chunked), reading stops as soon as the limit is passed.
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        sent += chunk.length;
        if (sent > 1024 * 1024) c.close();
        else c.enqueue(chunk);
      },
    });
    const chunked = await fetch(h.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${FULL}`,
      },
      body: endless,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('a namespace-limited token sees only its namespaces’ rows, and the note says what was withheld', async () => {
    const client = await h.connect(PAYMENTS);
    const r = await client.callTool({ name: 'who', arguments: { ip: '142.250.80.46', window: '7d', now: NOW } });
    const answer = r.structuredContent as { rows: Array<{ workload: { namespace: string } | null }>; notes: string[] };
    const cli = (await cliJson('who 142.250.80.46 last 7d')) as typeof answer;
    // 6 rows: 4 of payments/payments-api, 1 of batch/nightly-export, 1 unattributed (sample world, expected.ts).
    expect(cli.rows).toHaveLength(6);
    expect(answer.rows).toEqual(cli.rows.filter((row) => row.workload?.namespace === 'payments'));
    expect(answer.rows).toHaveLength(4);
    expect(answer.notes.at(-1)).toBe(
      'restricted to namespaces payments: withheld 2 rows of other or unknown namespaces',
    );
    expect(text(r)).toContain('restricted to namespaces payments');
    expect(text(r)).not.toContain('nightly-export');

    const top = await client.callTool({ name: 'top', arguments: { window: '7d', by: 'namespace', now: NOW } });
    const table = (top.structuredContent as { table: { rows: Array<{ namespace: string }>; total?: unknown } }).table;
    expect(table.rows.map((row) => row.namespace)).toEqual(['payments']);
    expect(table.total).toBeUndefined();

    const domain = await client.callTool({ name: 'domain', arguments: { ip: '151.101.1.69', now: NOW } });
    expect(domain.isError).toBe(true);
    expect(text(domain)).toMatch(/cannot be limited to namespaces/);
  });
});

describe('long questions', () => {
  it('progress notifications arrive, counting up, when the client asks for them', async () => {
    const seen: Array<{ progress: number; message?: string }> = [];
    await full.callTool({ name: 'dns-bypass', arguments: { window: '7d', now: NOW } }, undefined, {
      onprogress: (p) => seen.push(p),
    });
    expect(seen.map((p) => p.message)).toEqual([
      'Looking for workloads talking DNS to the internet over the last 7 days',
      'querying',
      expect.stringMatching(/^enriching \(.+ scanned\)$/),
    ]);
    expect(seen.map((p) => p.progress)).toEqual([1, 2, 3]);
  });
});
