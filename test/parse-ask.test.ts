/**
 * The grammar of asking by name, range and workload: the typed forms it parses to, the fix-it messages it refuses
 * with, and properties over arbitrary and hostile text (fast-check): every input parses or is refused with a one-line
 * UserError, and whatever parses reaches the engine only as validated parameters — checked on what the Athena fake
 * received.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SnapshotAttribution } from '../src/attribution/snapshot.js';
import type { CommandContext } from '../src/commands/context.js';
import { parseCommand } from '../src/commands/parse.js';
import { type Command, runCommand } from '../src/commands/registry.js';
import { parseSelector } from '../src/commands/selector.js';
import { loadConfig } from '../src/config.js';
import { AthenaEngine } from '../src/engine/athena.js';
import { createAthenaRunner } from '../src/engine/athena-factory.js';
import { DNS_NAME } from '../src/engine/params.js';
import { isUserError, UserError } from '../src/errors.js';
import { createClassifier } from '../src/flowlogs/classify.js';
import { type AthenaFake, startAthenaFake } from './fakes/athena-api.js';
import { createDuckDbExecutor, type DuckDbExecutor } from './fakes/athena-duckdb-executor.js';
import { steppedTiming } from './support/stepped-timing.js';

const classifier = createClassifier(['10.40.0.0/16']);
const opts = { maxWindowSeconds: 90 * 86_400, classifier };
const parse = (t: string) => parseCommand(t, opts);
const fails = (t: string) => {
  try {
    parse(t);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as UserError).message;
  }
  throw new Error(`"${t}" parsed`);
};
const W7 = { amount: 7, unit: 'd', seconds: 604_800 };

describe('who <name|*.suffix|cidr> and from <selector>', () => {
  it('parses each target kind into its typed form', () => {
    expect(parse('who 142.250.80.46')).toEqual({ name: 'who', ip: '142.250.80.46', window: W7 });
    expect(parse('who Telemetry.VendorX.io.')).toEqual({
      name: 'who',
      target: { kind: 'name', name: 'telemetry.vendorx.io' },
      window: W7,
    });
    expect(parse('who *.vendorx.io last 1d')).toMatchObject({
      target: { kind: 'pattern', pattern: '*.vendorx.io', suffix: 'vendorx.io' },
      window: { seconds: 86_400 },
    });
    expect(parse('who xn--bcher-kva.example')).toMatchObject({
      target: { kind: 'name', name: 'xn--bcher-kva.example' },
    });
    expect(parse('who _dmarc.example.com')).toMatchObject({ target: { name: '_dmarc.example.com' } });
    expect(parse('who 142.250.80.46/16')).toMatchObject({ target: { kind: 'cidr', cidr: '142.250.0.0/16' } });
    expect(parse('who 2607:f8b0::/32')).toMatchObject({ target: { kind: 'cidr', cidr: '2607:f8b0::/32' } });
    expect(parse('who 34.0.0.0/8')).toMatchObject({ target: { cidr: '34.0.0.0/8' } });
    // Slack bold around the whole command, the wildcard kept.
    expect(parse('*who *.vendorx.io*')).toMatchObject({ target: { pattern: '*.vendorx.io' } });
    expect(parse('from payments/ledger-api')).toEqual({
      name: 'from',
      selector: { kind: 'named', namespace: 'payments', name: 'ledger-api' },
      window: W7,
    });
    expect(parse('from payments/deployment/ledger-api last 2d')).toMatchObject({
      selector: { kind: 'workload', namespace: 'payments', workloadKind: 'Deployment', name: 'ledger-api' },
    });
    expect(parse('from payments/* last 1h')).toMatchObject({ selector: { kind: 'namespace', namespace: 'payments' } });
    expect(parse('from 10.40.12.34')).toMatchObject({ selector: { kind: 'ip', ip: '10.40.12.34' } });
  });

  it('refuses with what to type instead', () => {
    expect(fails('who')).toMatch(/needs an IP address, a name, \*\.suffix or a range/);
    expect(fails('who *.com')).toMatch(/at least two labels after `\*\.`/);
    expect(fails('who a.*.com')).toMatch(/a wildcard only goes first/);
    expect(fails(`who ${'a'.repeat(64)}.com`)).toMatch(/label longer than the 63 characters/);
    expect(fails(`who ${'abcdefghi.'.repeat(26)}com`)).toMatch(/longer than the 253 characters/);
    expect(fails('who bücher.de')).toMatch(/punycode/);
    expect(fails('who 1.2.3.4.5')).toMatch(/not an IP address/);
    expect(fails('who 10.0.0.0/8')).toMatch(/entirely private\/internal/);
    expect(fails('who 10.40.1.0/24')).toMatch(/entirely private\/internal/);
    expect(fails('who 0.0.0.0/0')).toMatch(/wider than egress looks at once/);
    expect(fails('who ::/8')).toMatch(/at most \/16 for IPv6/);
    expect(fails('who 1.2.3.4/33')).toMatch(/not an address range/);
    expect(fails('who 1.2.3.4/x')).toMatch(/not an address range/);
    expect(fails('from')).toMatch(/needs a workload, a pod or a pod IP/);
    expect(fails('from Payments/api')).toMatch(/does not start with a namespace/);
    expect(fails('from a/b/c/d')).toMatch(/too many parts/);
    expect(fails('from a/Deploy-ment/x')).toMatch(/names no workload kind/);
    expect(fails('from a/')).toMatch(/no valid workload or pod name/);
    expect(fails('from 8.8.8.8')).toMatch(/internet address, not a pod IP/);
    expect(fails('from payments/api last 7x')).toMatch(/not a window/);
  });
});

/** Words of the new grammar, well-formed and hostile, for word salad. */
const PIECES = [
  'who',
  'from',
  'last',
  '7d',
  '*.',
  '*',
  '/',
  '.',
  'vendorx',
  'io',
  'xn--',
  '-',
  '_',
  '34.120.0.0',
  '2607:f8b0::',
  '/16',
  '/0',
  '10.40.12.34',
  "'",
  '"',
  ';',
  '--',
  '\\',
  'ü',
  '\u200b',
  '\u0430',
  '%',
  'Deployment',
  'payments',
];
const salad = fc.array(fc.constantFrom(...PIECES), { maxLength: 10 }).map((p) => p.join(''));
const input = fc.oneof(
  salad.map((s) => `who ${s}`),
  salad.map((s) => `from ${s}`),
  fc.tuple(fc.constantFrom('who ', 'from '), fc.string({ maxLength: 300 })).map(([a, b]) => a + b),
  fc.domain().map((d) => `who ${d}`),
  fc.domain().map((d) => `who *.${d}`),
  fc.tuple(fc.oneof(fc.ipV4(), fc.ipV6()), fc.integer({ min: 0, max: 140 })).map(([ip, n]) => `who ${ip}/${n}`),
);

/** Does a parsed command carry only what the validators admit? */
function checkParsed(cmd: Command): void {
  if (cmd.name === 'who' && 'target' in cmd) {
    const t = cmd.target;
    if (t.kind === 'name') expect(DNS_NAME.test(t.name)).toBe(true);
    if (t.kind === 'pattern') expect(DNS_NAME.test(t.suffix) && t.suffix.includes('.')).toBe(true);
    if (t.kind === 'cidr') {
      const [, bits] = t.cidr.split('/');
      expect(Number(bits)).toBeGreaterThanOrEqual(t.cidr.includes(':') ? 16 : 8);
    }
  }
  if (cmd.name === 'from') expect(parseSelector('from', textOf(cmd.selector), opts)).toEqual(cmd.selector);
}
const textOf = (s: Extract<Command, { name: 'from' }>['selector']) =>
  s.kind === 'ip'
    ? s.ip
    : s.kind === 'namespace'
      ? `${s.namespace}/*`
      : s.kind === 'workload'
        ? `${s.namespace}/${s.workloadKind}/${s.name}`
        : `${s.namespace}/${s.name}`;

describe('properties', () => {
  it('every input is parsed into a valid form or refused with a one-line UserError', () => {
    fc.assert(
      fc.property(input, (t) => {
        let cmd: Command | undefined;
        try {
          cmd = parse(t);
        } catch (err) {
          expect(isUserError(err), String(err)).toBe(true);
          expect((err as Error).message.split('\n')).toHaveLength(1);
          return;
        }
        checkParsed(cmd);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('nothing reaches Athena unvalidated', () => {
  let fake: AthenaFake;
  let duck: DuckDbExecutor;
  let engine: AthenaEngine;
  beforeAll(async () => {
    duck = await createDuckDbExecutor();
    fake = await startAthenaFake({ execute: duck.execute });
    vi.stubEnv('AWS_ENDPOINT_URL_ATHENA', fake.url);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    engine = new AthenaEngine(createAthenaRunner(loadConfig({}), { timing: steppedTiming() }), {
      flowDayLayout: 'plain',
    });
  });
  afterAll(async () => {
    await engine.close();
    await fake.close();
    duck.close();
    vi.unstubAllEnvs();
  });

  const pod = (namespace: string, name: string, ip: string) => ({
    kind: 'Pod',
    metadata: { namespace, name, uid: `${namespace}-${name}` },
    status: { podIP: ip, startTime: '2026-11-01T00:00:00Z' },
  });
  const ctx = (): CommandContext => ({
    now: Date.UTC(2026, 10, 20, 12) / 1000,
    engine,
    attribution: SnapshotAttribution.fromItems([
      pod('payments', 'api-1', '10.40.1.1'),
      pod('payments', 'api-2', '10.40.1.2'),
    ]),
    classifier,
    limits: { maxWindowSeconds: 90 * 86_400, dnsLookbackSeconds: 86_400, natPricePerGb: 0.045 },
  });
  /** A literal Athena accepts as data: a number, or a quoted string of characters no SQL can be made of. */
  const SAFE = /^(?:\d+|'[0-9A-Za-z.:/,_-]*')$/;

  it('every parameter of every query the new forms send is a plain literal', async () => {
    const forms = fc.oneof(
      fc.domain().map((d) => `who ${d} last 1d`),
      fc.domain().map((d) => `who *.${d} last 1d`),
      fc.tuple(fc.ipV4(), fc.integer({ min: 8, max: 32 })).map(([ip, n]) => `who ${ip}/${n} last 1d`),
      fc.constantFrom('from payments/* last 1d', 'from payments/api-1 last 1d', 'from 10.40.1.2 last 1d'),
    );
    await fc.assert(
      fc.asyncProperty(forms, async (t) => {
        let cmd: Command;
        try {
          cmd = parse(t);
        } catch (err) {
          expect(isUserError(err)).toBe(true);
          return;
        }
        const before = fake.started.length;
        // The executor has no tables: queries fail after submission; what was submitted is the point.
        await runCommand(cmd, ctx()).catch(() => undefined);
        const sent = fake.started.slice(before);
        expect(sent.length).toBeGreaterThan(0);
        for (const s of sent) for (const p of s.ExecutionParameters ?? []) expect(p).toMatch(SAFE);
      }),
      { numRuns: 40 },
    );
  });
});
