/**
 * The compiled program loads only what a subcommand uses: a `who` on a local mirror — the real `bin/egress`, as a
 * user runs it — never loads Bolt, BullMQ, the Kubernetes or EC2 clients, the MCP SDK, prom-client or vega. Every
 * package the process loads is logged by an ESM resolve hook and a CommonJS `Module._load` hook given to node.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../dev/sample/world.js';
import { tempDir } from './support/mini-world.js';
import { mirrorJsonArgv } from './support/mirror-argv.js';

const NEVER = [
  '@slack/bolt',
  'bullmq',
  '@kubernetes/client-node',
  '@aws-sdk/client-ec2',
  '@modelcontextprotocol/sdk',
  'prom-client',
  'vega',
  'vega-lite',
];

let dir: string;
let hooks: { cjs: string; esm: string };

beforeAll(async () => {
  dir = await tempDir('egress-lazy-');
  await generateWorld({ dir });
  const cjs = path.join(dir, 'hook.cjs');
  const esm = path.join(dir, 'hook.mjs');
  const register = path.join(dir, 'register.mjs');
  await writeFile(
    cjs,
    "const M = require('module'); const load = M._load;\n" +
      "M._load = function (req) { process.stderr.write('LOADS ' + req + '\\n'); return load.apply(this, arguments); };\n",
  );
  await writeFile(
    esm,
    "export async function resolve(spec, ctx, next) { process.stderr.write('LOADS ' + spec + '\\n'); return next(spec, ctx); }\n",
  );
  await writeFile(register, `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${esm}`)});\n`);
  hooks = { cjs, esm: register };
});

/** The packages (bare specifiers, by package name) a `bin/egress` run loads. */
async function packagesLoaded(args: string[]): Promise<Set<string>> {
  const { stderr } = await promisify(execFile)(
    process.execPath,
    ['--require', hooks.cjs, '--import', hooks.esm, path.resolve('bin/egress'), ...args],
    {
      env: {
        PATH: process.env.PATH ?? '',
        EGRESS_VPC_CIDRS: '10.40.0.0/16',
        EGRESS_CACHE_DIR: path.join(dir, 'cache'),
      },
    },
  );
  const specs = [...stderr.matchAll(/^LOADS (\S+)$/gm)].map((m) => m[1] as string);
  const pkg = (s: string) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : (s.split('/')[0] as string));
  return new Set(specs.filter((s) => !/^(\.|\/|file:|node:)/.test(s)).map(pkg));
}

describe('lazy loading', () => {
  it('a who on a local mirror loads DuckDB, and none of the bot, cluster, AWS EC2, MCP or chart packages', async () => {
    const loaded = await packagesLoaded(mirrorJsonArgv('who 142.250.80.46 last 7d', dir, '2026-11-20T12:00:00Z'));
    // The hooks see what is loaded: DuckDB's native binding is (the answer needs it).
    expect(loaded).toContain('@duckdb/node-bindings');
    expect(NEVER.filter((p) => loaded.has(p))).toEqual([]);
  });

  it('egress --version loads no engine either', async () => {
    const loaded = await packagesLoaded(['--version']);
    expect([...NEVER, '@duckdb/node-bindings', '@duckdb/node-api'].filter((p) => loaded.has(p))).toEqual([]);
  });
});
