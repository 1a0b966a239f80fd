/**
 * `egress setup` fetches AWS's ip-ranges.json from EGRESS_AWS_IP_RANGES_URL (here a loopback server serving the
 * test fixture) and caches it at EGRESS_AWS_IP_RANGES, which `cost` then reads; a bad download changes nothing.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXPECTED } from '../dev/sample/expected.js';
import { type AwsWorld, startAwsWorld } from './fakes/athena-world.js';
import { type Listening, listen } from './fakes/listen.js';
import { runCli } from './support/run-cli.js';

const FIXTURE = readFileSync(new URL('./fixtures/aws-ip-ranges.json', import.meta.url), 'utf8');
let w: AwsWorld;
let server: Listening;
let file: string;
const served: { status: number; body: string; requests: number } = { status: 200, body: FIXTURE, requests: 0 };

beforeAll(async () => {
  w = await startAwsWorld();
  for (const [k, v] of Object.entries(w.awsEnv)) vi.stubEnv(k, v);
  server = await listen((req, res) => {
    served.requests++;
    res.writeHead(req.url === '/ip-ranges.json' ? served.status : 404, { 'content-type': 'application/json' });
    res.end(served.body);
  });
  file = path.join(await mkdtemp(path.join(tmpdir(), 'egress-ranges-')), 'cache', 'ip-ranges.json');
}, 120_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  await server?.close();
  await w?.close();
});

const env = () => ({
  ...w.egressEnv,
  EGRESS_AWS_IP_RANGES: file,
  EGRESS_AWS_IP_RANGES_URL: `${server.url}/ip-ranges.json`,
});

describe('egress setup caches ip-ranges.json', () => {
  it('--dry-run says where it would fetch it and fetches nothing', async () => {
    const r = await runCli(['setup', '--dry-run'], env());
    expect(r.code).toBe(0);
    expect(r.out).toContain(`-- would fetch ${server.url}/ip-ranges.json to ${file}\n`);
    expect(served.requests).toBe(0);
  });

  it('fetches, checks and writes it; cost then reads it from EGRESS_AWS_IP_RANGES', async () => {
    const r = await runCli(['setup'], env());
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`✅ AWS ip-ranges.json of 2026-11-18-21-13-04 (18 prefixes) → ${file}\n`);
    expect(await readFile(file, 'utf8')).toBe(FIXTURE);
    const cost = await runCli(
      ['cost', 'last', '7d', '--data', w.dir, '--engine', 'duckdb', '--now', EXPECTED.now, '--format', 'json'],
      env(),
    );
    expect(cost.code).toBe(0);
    // 52.216.8.40 is S3 only by the ranges (its flows predate the service field): the cached file was used.
    expect(JSON.parse(cost.out).avoidable[0]).toMatchObject({ service: 's3', bytes: 1_120 * 1_048_576 });
  });

  it('refuses an answer that is not an ip-ranges.json and keeps the cached file', async () => {
    await writeFile(file, FIXTURE);
    for (const [status, body, why] of [
      [200, '<html>captive portal</html>', /did not return an ip-ranges\.json \(not JSON/],
      [503, 'busy', /Could not fetch AWS's ip-ranges\.json .*\(HTTP 503\)/],
    ] as const) {
      Object.assign(served, { status, body });
      const r = await runCli(['setup'], env());
      expect(r.code).toBe(2);
      expect(r.err).toMatch(why);
      expect(await readFile(file, 'utf8')).toBe(FIXTURE);
    }
  });

  it('without EGRESS_AWS_IP_RANGES says how to turn it on', async () => {
    const r = await runCli(['setup'], w.egressEnv);
    expect(r.code).toBe(0);
    expect(r.out).toContain('-- note: set EGRESS_AWS_IP_RANGES to a file path');
  });
});
