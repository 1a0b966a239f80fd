import { AthenaClient } from '@aws-sdk/client-athena';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SAMPLE_NOW } from '../dev/sample/constants.js';
import { createEc2Client } from '../src/aws/clients.js';
import { type Config, loadConfig } from '../src/config.js';
import { AthenaEngine } from '../src/engine/athena.js';
import { athenaCostUsd, MIN_BILLED_BYTES } from '../src/engine/athena-cost.js';
import { coverageFromRows } from '../src/engine/athena-coverage.js';
import { createAthenaRunner } from '../src/engine/athena-factory.js';
import { dnsWindowParams, flowWindowParams, P } from '../src/engine/params.js';
import { ConfigError, type EgressError, PermanentError, TransientError } from '../src/errors.js';
import { createClassifier } from '../src/flowlogs/classify.js';
import { runSetup } from '../src/setup/setup.js';
import { type AwsWorld, startAwsWorld } from './fakes/athena-world.js';
import { steppedTiming } from './support/stepped-timing.js';

let w: AwsWorld;
let config: Config;

/** A runner on the factory's default-chain client, with a fake clock so polling and backoff take no real time. */
const runner = (over: Partial<Record<string, string>> = {}, client?: AthenaClient) =>
  createAthenaRunner(loadConfig({ ...w.egressEnv, ...over }), { timing: steppedTiming(1_000_000), client });
const engine = (over: Partial<Record<string, string>> = {}) =>
  new AthenaEngine(runner(over), { flowDayLayout: 'plain' });
const ops = (from: number) => w.athena.calls.slice(from).map((c) => c.op);
const code = async (p: Promise<unknown>) =>
  (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as EgressError | undefined;

const whoParams = () => ({
  ...flowWindowParams({ from: SAMPLE_NOW - 7 * 86_400, to: SAMPLE_NOW }),
  ip: P.ip('142.250.80.46'),
  internal_cidrs: P.cidrs(createClassifier().internalCidrs),
});

beforeAll(async () => {
  // Every query answers QUEUED once before its real state, so the poll loop really loops.
  w = await startAwsWorld({ pollsBeforeDone: 1 });
  for (const [k, v] of Object.entries(w.awsEnv)) vi.stubEnv(k, v);
  config = loadConfig(w.egressEnv);
  const ec2 = createEc2Client();
  await runSetup({
    config,
    ec2,
    runner: async () => runner(),
    vpcId: config.EGRESS_VPC_ID as string,
    dryRun: false,
    out: () => {},
  });
  ec2.destroy();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await w?.close();
});

describe('Athena engine against the fake', () => {
  it('runs who.sql with typed execution parameters and reports stats and cost', async () => {
    const before = w.athena.started.length;
    const r = await engine().run('who', whoParams());
    // who.sql, and beside it the coverage aggregate of the flow table (same window, same partitions).
    const all = w.athena.started.slice(before);
    expect(all).toHaveLength(2);
    expect(all.map((q) => String(q.QueryString).split(':')[0]).sort()).toEqual(['-- coverage-flow', '-- who']);
    const started = all.filter((q) => String(q.QueryString).startsWith('-- who:'));
    expect(started[0]).toMatchObject({
      WorkGroup: 'primary',
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'egress' },
      ResultConfiguration: { OutputLocation: 's3://egress-results/' },
      ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: 60 } },
    });
    expect(started[0]!.ExecutionParameters).toContain("'2026/11/13'");
    expect(started[0]!.ExecutionParameters).toContain("'142.250.80.46'");
    expect(r.rows.length).toBeGreaterThan(0);
    expect(typeof r.rows[0]!.bytes).toBe('number');
    expect(r.stats).toMatchObject({ engine: 'athena', reused: false });
    expect(r.stats.queryExecutionIds).toEqual([expect.any(String), expect.any(String)]);
    expect(r.stats.bytesScanned).toBeGreaterThan(0);
    expect(r.stats.bytesScanned).toBeLessThan(2 * MIN_BILLED_BYTES);
    // Each of the two statements is billed at least 10 MB.
    expect(r.stats.costUsd).toBeCloseTo((2 * MIN_BILLED_BYTES * 5) / 2 ** 40, 12);
    expect(r.coverage?.map((c) => c.kind)).toEqual(['flow']);
    expect(r.coverage?.[0]?.hours.length).toBeGreaterThan(0);
    expect(r.stats.engineMs).toEqual(expect.any(Number));
    expect(r.stats.queueMs).toEqual(expect.any(Number));
  });

  it("lets ip-domains.sql return the resolver table's coverage from its own scan (@coverage): one statement, the same coverage as coverage-dns.sql", async () => {
    const window = { from: SAMPLE_NOW - 2 * 86_400, to: SAMPLE_NOW };
    const dns = { ...dnsWindowParams(window, 86_400), ip: P.ip('142.250.80.46') };
    const before = w.athena.started.length;
    const r = await engine().run('ip-domains', dns);
    expect(w.athena.started.slice(before).map((q) => String(q.QueryString).split(':')[0])).toEqual(['-- ip-domains']);
    // The answer rows alone, without the coverage rows' column; the sample world's names of this Google address.
    expect(r.rows.length).toBeGreaterThan(0);
    for (const row of r.rows) expect(Object.keys(row)).not.toContain('coverage_hour');
    expect(r.rows.some((row) => row.answer === '142.250.80.46' && Number(row.queries) > 0)).toBe(true);
    // coverage-dns.sql over the same window and partitions says the same, hour by hour.
    const alone = await engine().run('coverage-dns', dns);
    const expected = coverageFromRows('dns', { from: window.from - 86_400, to: window.to }, alone.rows);
    expect(expected.hours.length).toBeGreaterThan(24);
    expect(r.coverage).toEqual([expected]);
    // ips-domains.sql (who <cidr>) the same way, its answer rows those of the targets only.
    const many = { ...dnsWindowParams(window, 86_400), ips: P.ips(['142.250.80.46', '198.51.100.9']) };
    const mark = w.athena.started.length;
    const m = await engine().run('ips-domains', many);
    expect(w.athena.started.slice(mark)).toHaveLength(1);
    expect(m.rows.length).toBeGreaterThan(0);
    expect(new Set(m.rows.map((row) => row.address))).toEqual(new Set(['142.250.80.46']));
    expect(m.coverage).toEqual([expected]);
  });

  it('surfaces result reuse: the repeated question scans nothing and costs nothing', async () => {
    const first = await engine().run('who', whoParams());
    const second = await engine().run('who', whoParams());
    expect(second.stats).toMatchObject({ reused: true, bytesScanned: 0, costUsd: 0 });
    expect(second.rows).toEqual(first.rows);
    expect(second.stats.queryExecutionIds).not.toEqual(first.stats.queryExecutionIds);
  });

  it('reads more than 1000 rows over NextToken pages and converts every column type', async () => {
    const before = w.athena.calls.length;
    const r = await runner().run('SELECT range AS n FROM range(2500)', [], { reuse: false });
    expect(r.rows).toHaveLength(2500);
    expect(r.rows[2499]).toEqual({ n: 2499 });
    expect(ops(before).filter((o) => o === 'GetQueryResults')).toHaveLength(3);
    const typed = await runner().run(
      "SELECT 9007199254740991::BIGINT AS b, 7::INTEGER AS i, 1.5::DOUBLE AS d, 'x' AS v, TIMESTAMP '2026-11-20 12:00:01.5' AS t, ['a', 'b'] AS arr, [1, 2] AS nums, true AS ok, NULL::VARCHAR AS z",
      [],
    );
    expect(typed.rows).toEqual([
      {
        b: 9007199254740991,
        i: 7,
        d: 1.5,
        v: 'x',
        t: SAMPLE_NOW + 1.5,
        arr: ['a', 'b'],
        nums: [1, 2],
        ok: true,
        z: null,
      },
    ]);
  });

  it('retries throttling (SDK retries, then its own bounded backoff) and starts exactly one query', async () => {
    w.athena.throttleNext(3, 'StartQueryExecution');
    const before = w.athena.calls.length;
    const startedBefore = w.athena.started.length;
    const r = await runner().run('SELECT 42 AS answer', [], { reuse: false });
    expect(r.rows).toEqual([{ answer: 42 }]);
    const starts = w.athena.calls.slice(before).filter((c) => c.op === 'StartQueryExecution');
    expect(starts).toHaveLength(4);
    expect(new Set(starts.map((c) => c.input.ClientRequestToken)).size).toBe(1);
    expect(w.athena.started.length - startedBefore).toBe(1);
  });

  it('gives up on endless throttling with a THROTTLED error and stops the query it started', async () => {
    const once = new AthenaClient({ maxAttempts: 1 });
    const before = w.athena.stopped.length;
    w.athena.throttleNext(5, 'GetQueryExecution', 'ThrottlingException');
    const err = await code(runner({}, once).run('SELECT 1', [], { reuse: false }));
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code: 'THROTTLED', message: expect.stringContaining('GetQueryExecution') });
    expect(w.athena.stopped.length - before).toBe(1);
    once.destroy();
  });

  it('turns FAILED into errors a person can act on', async () => {
    w.athena.failNextQuery(
      "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.egress.vpc_flow_logs_nat' does not exist",
    );
    const missing = await code(engine().run('who', { ...whoParams(), ip: P.ip('198.51.100.1') }));
    expect(missing).toBeInstanceOf(PermanentError);
    expect(missing).toMatchObject({ code: 'TABLE_MISSING', message: expect.stringContaining('egress setup') });
    w.athena.failNextQuery('HIVE_BAD_DATA: Error parsing field value for field 3');
    const bad = await code(runner().run('SELECT 2', [], { reuse: false }));
    expect(bad).toMatchObject({ code: 'QUERY_FAILED', message: expect.stringMatching(/HIVE_BAD_DATA.*egress setup/) });
    w.athena.failNextQuery('GENERIC_INTERNAL_ERROR: boom');
    const other = await code(runner().run('SELECT 3', [], { reuse: false }));
    expect(other).toMatchObject({
      code: 'QUERY_FAILED',
      message: expect.stringMatching(/Athena query [0-9a-f-]+ failed: GENERIC_INTERNAL_ERROR: boom/),
    });
  });

  it('maps AccessDenied to the IAM action and an unknown workgroup to the variable to set', async () => {
    w.athena.denyNext('StartQueryExecution');
    const denied = await code(runner().run('SELECT 4', []));
    expect(denied).toMatchObject({
      code: 'ACCESS_DENIED',
      message: expect.stringContaining('athena:StartQueryExecution'),
    });
    const wg = await code(runner({ EGRESS_ATHENA_WORKGROUP: 'nope' }).run('SELECT 5', []));
    expect(wg).toBeInstanceOf(ConfigError);
    expect((wg as Error).message).toContain('EGRESS_ATHENA_WORKGROUP');
  });
});

describe('never leaves a query running', () => {
  it('stops the query on timeout (EGRESS_ATHENA_TIMEOUT) without real waiting', async () => {
    w.athena.holdQueries(true);
    try {
      const timing = steppedTiming(0);
      const r = createAthenaRunner(loadConfig({ ...w.egressEnv, EGRESS_ATHENA_TIMEOUT: '30s' }), { timing });
      const before = w.athena.stopped.length;
      const err = await code(r.run('SELECT 6', [], { reuse: false }));
      expect(err).toMatchObject({ code: 'QUERY_TIMEOUT', message: expect.stringContaining('30 s') });
      expect(w.athena.stopped.length - before).toBe(1);
      // Capped exponential backoff: never more than the 2 s cap, never past the deadline.
      expect(Math.max(...timing.slept)).toBeLessThanOrEqual(2_000);
      expect(timing.slept.reduce((a, b) => a + b, 0)).toBe(30_000);
    } finally {
      w.athena.holdQueries(false);
    }
  });

  it('stops the query when the caller aborts', async () => {
    w.athena.holdQueries(true);
    try {
      const ac = new AbortController();
      const before = w.athena.stopped.length;
      const err = await code(
        engine().run(
          'who',
          { ...whoParams(), ip: P.ip('198.51.100.2') },
          {
            signal: ac.signal,
            onProgress: (p) => p.state === 'RUNNING' && ac.abort(),
          },
        ),
      );
      expect(err).toMatchObject({ code: 'QUERY_CANCELLED' });
      expect(w.athena.stopped.length - before).toBe(1);
    } finally {
      w.athena.holdQueries(false);
    }
  });
});

describe('cost', () => {
  it('bills max(bytes, 10 MB) rounded up to whole MB at the price per TB; reuse and DDL are free', () => {
    expect(athenaCostUsd(0, 5)).toBeCloseTo((10 * 2 ** 20 * 5) / 2 ** 40, 15);
    expect(athenaCostUsd(2 ** 40, 5)).toBe(5);
    expect(athenaCostUsd(2 ** 40 + 1, 5)).toBeCloseTo(5 + (2 ** 20 * 5) / 2 ** 40, 12);
    expect(athenaCostUsd(2 ** 40, 7.5)).toBe(7.5);
    expect(athenaCostUsd(2 ** 40, 5, false)).toBe(0);
  });
});
