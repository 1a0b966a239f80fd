import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED } from '../dev/sample/expected.js';
import { generateWorld } from '../dev/sample/world.js';
import { tempDir } from './support/mini-world.js';
import { contract } from './support/row-contract.js';
import { runCli } from './support/run-cli.js';

let dir: string;
let snapshot: string;

/** Runs the CLI in-process; env carries the sample VPC CIDRs. */
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli(args, { EGRESS_VPC_CIDRS: '10.40.0.0/16,100.64.0.0/16', ...env }, Date.parse(EXPECTED.now) / 1000);

const common = () => ['--data', dir, '--k8s', snapshot, '--now', EXPECTED.now, '--format', 'json'];
const json = async (text: string) => {
  const r = await cli([...text.split(' '), ...common()]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
};

beforeAll(async () => {
  dir = await tempDir('egress-cli-');
  snapshot = (await generateWorld({ dir })).k8sFile;
});

describe('egress CLI on the sample world (hand-computed answers)', () => {
  it('who 142.250.80.46 last 7d', async () => {
    const a = await json('who 142.250.80.46 last 7d');
    expect(a.command).toBe('who');
    expect(a.window).toEqual({ from: '2026-11-13T12:00:00Z', to: '2026-11-20T12:00:00Z' });
    expect(contract(a.rows)).toEqual(EXPECTED.who_142_250_80_46_last7d.rows);
    expect(a.domains).toEqual(EXPECTED.who_142_250_80_46_last7d.domains);
  });

  it('who over 10 days and over 1 hour', async () => {
    const ten = await json('who 142.250.80.46 last 10d');
    expect(contract(ten.rows)).toEqual(EXPECTED.who_142_250_80_46_last10d.rows);
    expect(ten.domains).toEqual(EXPECTED.who_142_250_80_46_last10d.domains);
    const hour = await json('who 142.250.80.46 last 1h');
    expect(contract(hour.rows)).toEqual(EXPECTED.who_142_250_80_46_last1h.rows);
    expect(hour.domains).toEqual(EXPECTED.who_142_250_80_46_last1h.domains);
  });

  it('who on a shared CDN address, with CNAME chains', async () => {
    const a = await json('who 151.101.1.69 last 7d');
    expect(contract(a.rows)).toEqual(EXPECTED.who_151_101_1_69_last7d.rows);
    expect(a.domainDetails.find((d: { name: string }) => d.name === 'files.pythonhosted.org').cnames).toEqual([
      'dualstack.python.map.fastly.net',
    ]);
  });

  it('dns-bypass over 7 and 10 days, never private resolvers', async () => {
    const a = await json('dns-bypass last 7d');
    expect(a.command).toBe('dns-bypass');
    expect(contract(a.rows)).toEqual(EXPECTED.dnsBypass_last7d.rows);
    expect(a.domains).toBeUndefined();
    expect(contract((await json('dns-bypass last 10d')).rows)).toEqual(EXPECTED.dnsBypass_last10d.rows);
    for (const ip of EXPECTED.neverEgress)
      expect(a.rows.some((r: { externalIp: string }) => r.externalIp === ip)).toBe(false);
  });

  it('domain <ip>: the names asked for, rows absent', async () => {
    const a = await json('domain 151.101.1.69 last 7d');
    expect(a).not.toHaveProperty('rows');
    expect(a.domains).toEqual(EXPECTED.domain_151_101_1_69_last7d.domains);
    expect((await json('domain 8.8.8.8 last 7d')).domains).toEqual(EXPECTED.domain_8_8_8_8_last7d.domains);
  });

  it('text output is a readable table with humanised bytes, workloads and domains', async () => {
    const r = await cli([
      'who',
      '142.250.80.46',
      'last',
      '7d',
      '--data',
      dir,
      '--k8s',
      snapshot,
      '--now',
      EXPECTED.now,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/batch\/CronJob\/nightly-export/);
    expect(r.out).toMatch(/342 KiB/); // 350,000 bytes
    expect(r.out).toMatch(/unattributed/);
    expect(r.out).toMatch(/www\.googleapis\.com/);
  });

  it('exit codes: 2 with a one-line fix-it for bad input, 1 for other failures', async () => {
    const bad = async (args: string[], pattern: RegExp) => {
      const r = await cli([...args, '--data', dir, '--now', EXPECTED.now]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(pattern);
    };
    await bad(['who', '10.40.12.34'], /internal address, not internet egress/);
    await bad(['who', '300.1.1.1'], /not an IP address/);
    await bad(['who', '1.2.3.4', 'last', '120d'], /longer than the maximum/);
    await bad(['blah'], /Unknown command/);
    const badNow = await cli(['who', '1.2.3.4', '--data', dir, '--now', 'yesterday']);
    expect([badNow.code, badNow.err]).toEqual([
      2,
      'egress: --now "yesterday" is not an ISO-8601 time; write e.g. --now 2026-11-20T12:00:00Z\n',
    ]);
    const noData = await cli(['who', '1.2.3.4', '--data', path.join(dir, 'missing')]);
    expect(noData.code).toBe(2);
    expect(noData.err).toMatch(/does not exist/);
    const badEnv = await cli(['who', '1.2.3.4', '--data', dir], {
      EGRESS_MAX_WINDOW: 'forever',
      EGRESS_VPC_CIDRS: 'x',
    });
    expect(badEnv.code).toBe(2);
    expect(badEnv.err).toMatch(/EGRESS_MAX_WINDOW/);
    expect(badEnv.err).toMatch(/EGRESS_VPC_CIDRS/);
  });

  it('bin/egress works as installed (help, exit 0)', async () => {
    const { stdout } = await promisify(execFile)(path.resolve('bin/egress'), ['help']);
    expect(stdout).toMatch(/who <ip> \[last N\(h\|d\)\]/);
  });
});
