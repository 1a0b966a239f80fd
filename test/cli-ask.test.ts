/**
 * The CLI contract of asking by name, by range and by workload (`who <name>`, `who *.<suffix>`, `who <cidr>`,
 * `from <selector>`) on the sample world, against the answers worked out by hand in dev/sample/expected-ask.ts — on
 * both engines: DuckDB over the mirror and Athena (the fake runs the same SQL on DuckDB behind the real SDK).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXPECTED } from '../dev/sample/expected.js';
import { EXPECTED_ASK } from '../dev/sample/expected-ask.js';
import { main } from '../src/cli.js';
import { type AwsWorld, startAwsWorld } from './fakes/athena-world.js';
import { contract } from './support/row-contract.js';
import { runCli } from './support/run-cli.js';

let w: AwsWorld;
const ENGINES = ['duckdb', 'athena'] as const;
type Engine = (typeof ENGINES)[number];

const pick = contract;

async function run(text: string, engine: Engine) {
  const where = engine === 'duckdb' ? ['--engine', 'duckdb', '--data', w.dir] : ['--engine', 'athena'];
  const args = [
    ...text.split(' '),
    '--now',
    EXPECTED.now,
    '--format',
    'json',
    '--k8s',
    path.join(w.dir, 'k8s-snapshot.json'),
    ...where,
  ];
  return runCli(args, w.egressEnv);
}

async function json(text: string, engine: Engine) {
  const r = await run(text, engine);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
}

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
}, 120_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  await w?.close();
});

describe.each(ENGINES)('asking by name, range and workload (%s)', (engine) => {
  it('who <name>: through the CNAME chain, counting only flows an answer justifies', async () => {
    const a = await json('who telemetry.vendorx.io last 10d', engine);
    const e = EXPECTED_ASK.who_telemetry_last10d;
    expect(a).toMatchObject({ command: 'who', name: 'telemetry.vendorx.io' });
    expect(a).not.toHaveProperty('ip');
    expect(pick(a.rows, ['names', 'sharedWith'])).toEqual(e.rows);
    expect(a.addresses).toEqual(e.addresses);
    expect(a.notes.join('\n')).toMatch(/at or before the flow's start and at most 1 day before it/);
    expect(a.notes.join('\n')).toMatch(/1 flow to these addresses had no answer/);
  });

  it('who *.<suffix>: every name below it, the shared CDN address named, early flows not counted', async () => {
    const a = await json('who *.vendorx.io last 10d', engine);
    const e = EXPECTED_ASK.who_any_vendorx_last10d;
    expect(a.pattern).toBe('*.vendorx.io');
    expect(pick(a.rows, ['names', 'sharedWith'])).toEqual(e.rows);
    expect(a.addresses.map((d: { ip: string }) => d.ip)).toEqual(e.addresses);
    // assets.vendorx.io's one answer lists 34.120.44.1 twice: one query.
    expect(a.addresses.find((d: { ip: string }) => d.ip === '34.120.44.1').queries).toBe(1);
    expect(a.notes.join('\n')).toMatch(new RegExp(`${e.uncountedFlows} flows to these addresses had no answer`));
  });

  it('who <name> without resolver answers says so', async () => {
    const a = await json('who metrics.vendorx.io last 10d', engine);
    expect([a.rows, a.addresses]).toEqual([EXPECTED_ASK.who_unresolved_last10d.rows, []]);
    expect(a.notes.join('\n')).toMatch(
      /no resolver answer for metrics\.vendorx\.io was logged from 2026-11-09T12:00:00Z .*cached.*resolved elsewhere/,
    );
  });

  it('who <cidr>: every internet address of the range, one row per holder of a reused pod IP, names per address', async () => {
    const a = await json('who 34.120.0.0/16 last 10d', engine);
    expect(a.cidr).toBe('34.120.0.0/16');
    expect(pick(a.rows, ['domains'])).toEqual(EXPECTED_ASK.who_34_120_0_0_16_last10d.rows);
    // A range written from a host address means its network.
    expect((await json('who 34.120.5.77/16 last 10d', engine)).cidr).toBe('34.120.0.0/16');
  });

  it('domain: a query counts once however often its answer lists the address', async () => {
    const a = await json('domain 34.120.44.1 last 10d', engine);
    const e = EXPECTED_ASK.domain_34_120_44_1_last10d;
    expect(a.domains).toEqual(e.domains);
    expect(
      a.domainDetails.map((d: Record<string, unknown>) => ({ name: d.name, cnames: d.cnames, queries: d.queries })),
    ).toEqual(e.details);
  });

  it.each(Object.entries(EXPECTED_ASK.from_last9d))('from %s last 9d', async (selector, e) => {
    const a = await json(`from ${selector} last 9d`, engine);
    expect(a).toMatchObject({ command: 'from', selector, matched: e.matched });
    expect(a.window).toEqual({ from: '2026-11-11T12:00:00Z', to: '2026-11-20T12:00:00Z' });
    expect(a.newSince).toBe('2026-10-28T12:00:00Z');
    expect(a.rows).toEqual(e.rows);
    const excluded = a.notes.find((n: string) => /while other pods held them/.test(n));
    if (e.excludedFlows) expect(excluded).toMatch(new RegExp(`^${e.excludedFlows} flows? from these addresses`));
    else expect(excluded).toBeUndefined();
  });
});

describe('refusals (exit 2, one line, what to type instead)', () => {
  const refused = async (text: string, pattern: RegExp) => {
    const r = await run(text, 'duckdb');
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(pattern);
  };

  it('an unknown selector gets the closest known workloads', async () => {
    await refused('from billing/ledger last 9d', /No workload or pod billing\/ledger is known.*`billing\/ledger-api`/);
    await refused('from billing/Job/ledger-api last 9d', /Closest known: `billing\/ledger-api`/);
    await refused('from biling/* last 9d', /Closest known: `billing\//);
    await refused('from 10.40.99.99 last 9d', /No pod held 10\.40\.99\.99/);
  });

  it('too wide or internal ranges, short wildcards, non-names', async () => {
    await refused('who 34.0.0.0/7', /wider than egress looks at once \(at most \/8 for IPv4\)/);
    await refused('who 2600::/12', /at most \/16 for IPv6/);
    await refused('who 10.40.0.0/16', /entirely private\/internal/);
    await refused('who *.io', /at least two labels after `\*\.`/);
    await refused('who telemetry.vendorx.io extra', /Unexpected "extra" after `who telemetry.vendorx.io`/);
    await refused("who telemetry.vendorx.io'--", /is not an IP address, a DNS name/);
    await refused('who bücher.example', /punycode/);
    await refused('from 142.250.80.46', /internet address, not a pod IP.*who 142\.250\.80\.46/);
  });
});
