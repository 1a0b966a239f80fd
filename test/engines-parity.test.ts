import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.js';
import { type AwsWorld, LEGACY_INSTANCE, startAwsWorld } from './fakes/athena-world.js';
import { runCli } from './support/run-cli.js';

let w: AwsWorld;

async function cli(args: string[], env: Record<string, string> = {}) {
  const { code, out, err } = await runCli(args, { ...w.egressEnv, EGRESS_EC2_OWNERS: 'on', ...env });
  if (code !== 0) throw new Error(`egress ${args.join(' ')} exited ${code}: ${err}`);
  return JSON.parse(out) as Record<string, unknown> & {
    stats: Record<string, unknown>;
    rows?: Array<Record<string, unknown>>;
  };
}

const common = () => [
  '--now',
  '2026-11-20T12:00:00Z',
  '--format',
  'json',
  '--k8s',
  path.join(w.dir, 'k8s-snapshot.json'),
];

beforeAll(async () => {
  w = await startAwsWorld();
  for (const [k, v] of Object.entries(w.awsEnv)) vi.stubEnv(k, v);
  let out = '';
  const code = await main(['setup'], {
    out: (s) => (out += s),
    err: (s) => (out += s),
    env: w.egressEnv,
    clock: () => 0,
  });
  if (code !== 0) throw new Error(out);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await w?.close();
});

describe('DuckDB and Athena answer identically on the sample world', () => {
  it.each([
    ['who 142.250.80.46, 7 days (spans the LogFormat change)', ['who', '142.250.80.46', 'last', '7d']],
    ['dns-bypass, 10 days', ['dns-bypass', 'last', '10d']],
    ['domain 151.101.1.69, 7 days', ['domain', '151.101.1.69', 'last', '7d']],
  ])('%s', async (_label, words) => {
    const duck = await cli([...words, ...common(), '--engine', 'duckdb', '--data', w.dir]);
    const athena = await cli([...words, ...common(), '--engine', 'athena']);
    const { stats: ds, ...duckRest } = duck;
    const { stats: as, ...athenaRest } = athena;
    expect(athenaRest).toEqual(duckRest);
    expect(ds).toMatchObject({ engine: 'duckdb', costUsd: 0 });
    expect(as).toMatchObject({ engine: 'athena' });
    expect((duck.rows?.length ?? 0) + ((duck as { domains?: unknown[] }).domains?.length ?? 0)).toBeGreaterThan(0);
  });
});

describe('Athena through the CLI', () => {
  it('EGRESS_ENGINE=athena answers with stats {engine, bytesScanned, costUsd, reused, queryExecutionIds}, then reuses', async () => {
    const words = ['who', '142.250.80.46', 'last', '3d', ...common()];
    const first = await cli(words, { EGRESS_ENGINE: 'athena' });
    expect(Object.keys(first.stats).sort()).toEqual([
      'bytesScanned',
      'costUsd',
      'engine',
      'queryExecutionIds',
      'reused',
    ]);
    expect(first.stats).toMatchObject({ engine: 'athena', reused: false });
    expect(first.stats.bytesScanned).toBeGreaterThan(0);
    expect(first.stats.costUsd).toBeGreaterThan(0);
    // who.sql with the flow table's coverage aggregate beside it, and ip-domains.sql, which returns the resolver
    // table's coverage from its own scan (@coverage): three statements, the resolver table scanned once.
    expect(first.stats.queryExecutionIds).toHaveLength(3);
    const again = await cli(words, { EGRESS_ENGINE: 'athena' });
    expect(again.stats).toMatchObject({ engine: 'athena', reused: true, bytesScanned: 0, costUsd: 0 });
    expect(again.rows).toEqual(first.rows);
  });

  it('shows the EC2 owner in place of the missing workload', async () => {
    const who = await cli(['who', '142.250.80.46', 'last', '7d', ...common(), '--engine', 'athena']);
    const row = who.rows?.find((r) => r.podIp === LEGACY_INSTANCE.ip);
    expect(row).toMatchObject({
      workload: null,
      owner: { type: 'instance', id: LEGACY_INSTANCE.id, name: LEGACY_INSTANCE.name },
    });
    expect(who.rows?.filter((r) => r.workload).every((r) => r.owner === undefined)).toBe(true);
  });
});
