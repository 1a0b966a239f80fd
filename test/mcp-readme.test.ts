/**
 * The README's MCP section is tested like its CLI transcripts: the client snippet's command line parses, and the
 * JSON-RPC transcript (tools/list, tools/call) is replayed over stdio against the real `bin/egress mcp` on a freshly
 * generated sample world and must come back the same (the request id and durations aside).
 * `EGRESS_README_UPDATE=1` rewrites the shown responses instead.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram, type CliIo } from '../src/cli.js';
import { sampleWorld, VPC_CIDRS } from './support/mcp-harness.js';

const readmePath = path.resolve(import.meta.dirname, '..', 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const section = readme.slice(readme.indexOf('## MCP server'), readme.indexOf('## How it is built'));
const START = '<!-- mcp-transcript -->';
const END = '<!-- /mcp-transcript -->';
const transcript = section.slice(section.indexOf(START), section.indexOf(END));
const jsonBlocks = (text: string) => [...text.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);

/** JSON laid out for reading: indented down to `depth`, deeper values on one line each. */
function layout(v: unknown, depth: number, indent = ''): string {
  if (depth <= 0 || v === null || typeof v !== 'object') return JSON.stringify(v);
  const inner = `${indent}  `;
  const entries = Array.isArray(v)
    ? v.map((x) => layout(x, depth - 1, inner))
    : Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${layout(x, depth - 1, inner)}`);
  if (!entries.length) return Array.isArray(v) ? '[]' : '{}';
  const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${entries.map((e) => inner + e).join(',\n')}\n${indent}${close}`;
}

/** Answers of `bin/egress mcp` over stdio to these messages (after initialize), by id. */
async function replay(messages: unknown[]): Promise<Map<number, Record<string, unknown>>> {
  const { dir, k8s } = await sampleWorld();
  const child = spawn(process.execPath, ['bin/egress', 'mcp', '--data', dir, '--k8s', k8s], {
    env: { PATH: process.env.PATH ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp', EGRESS_VPC_CIDRS: VPC_CIDRS },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const init = {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'readme', version: '0' } },
  };
  const all = [init, { jsonrpc: '2.0', method: 'notifications/initialized' }, ...messages];
  const answers = new Map<number, Record<string, unknown>>();
  const want = all.filter((m) => 'id' in (m as object)).length;
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    child.once('exit', () => reject(new Error('egress mcp exited early')));
    child.stdout.on('data', (c: Buffer) => {
      buf += String(c);
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const msg = JSON.parse(buf.slice(0, i)) as Record<string, unknown>;
        buf = buf.slice(i + 1);
        answers.set(msg.id as number, msg);
        if (answers.size === want) resolve();
      }
    });
    for (const m of all) child.stdin.write(`${JSON.stringify(m)}\n`);
  });
  child.stdin.end();
  return answers;
}

/** What may differ between runs: the per-call request id and durations. */
const stable = (text: string, world: string) =>
  text
    .split(world)
    .join('.data/sample')
    .replace(/"mcp-[0-9a-f-]{36}"/g, '"mcp-…"')
    .replace(/\b\d+ ms\b/g, 'N ms');

describe('README: MCP section', () => {
  it('the stdio client snippet runs a command line egress accepts', async () => {
    const snippet = JSON.parse(jsonBlocks(section)[0] ?? '{}') as {
      mcpServers: Record<string, { command: string; args: string[] }>;
    };
    const server = Object.values(snippet.mcpServers)[0];
    expect(server?.command).toBe('egress');
    const io: CliIo = { out: () => {}, err: () => {}, env: {}, clock: () => 0 };
    const program = buildProgram(io, () => {});
    let ran = '';
    program.hook('preAction', (_p, action) => {
      ran = action.name();
      throw new Error('parsed');
    });
    await expect(program.parseAsync(server?.args ?? [], { from: 'user' })).rejects.toThrow('parsed');
    expect(ran).toBe('mcp');
  });

  it('the transcript is what the server answers on the sample world', async () => {
    const blocks = jsonBlocks(transcript);
    expect(blocks).toHaveLength(4);
    const [listReq, firstTool, callReq, callRes] = blocks as [string, string, string, string];
    const answers = await replay([JSON.parse(listReq), JSON.parse(callReq)]);
    const list = answers.get(JSON.parse(listReq).id)?.result as { tools: unknown[] } | undefined;
    const tools = list?.tools ?? [];
    const { dir } = await sampleWorld();
    const actual = [layout(tools[0], 3), layout(answers.get(JSON.parse(callReq).id), 4)];
    if (process.env.EGRESS_README_UPDATE === '1') {
      let text = readFileSync(readmePath, 'utf8');
      const shown = (s: string) => `${s.split(dir).join('.data/sample')}\n`;
      text = text.replace(firstTool, shown(actual[0] as string)).replace(callRes, shown(actual[1] as string));
      writeFileSync(readmePath, text);
      return;
    }
    const hint = 'README MCP transcript is stale; run EGRESS_README_UPDATE=1 npx vitest run test/mcp-readme.test.ts';
    expect(stable(firstTool, dir).trim(), hint).toBe(stable(actual[0] as string, dir));
    expect(stable(callRes, dir).trim(), hint).toBe(stable(actual[1] as string, dir));
  }, 60_000);
});
