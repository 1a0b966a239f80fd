import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { AthenaEngine } from '../src/engine/athena.js';
import { createAthenaRunner } from '../src/engine/athena-factory.js';
import { flowWindowParams, P } from '../src/engine/params.js';
import type { Param, Params } from '../src/engine/types.js';
import { BadParameterError } from '../src/errors.js';
import { type AthenaFake, startAthenaFake } from './fakes/athena-api.js';
import { createDuckDbExecutor, type DuckDbExecutor } from './fakes/athena-duckdb-executor.js';
import { steppedTiming } from './support/stepped-timing.js';

let fake: AthenaFake;
let duck: DuckDbExecutor;
let engine: AthenaEngine;

const now = Date.UTC(2026, 10, 20, 12) / 1000;
const base = (): Params => ({
  ...flowWindowParams({ from: now - 86_400, to: now }),
  ip: P.ip('142.250.80.46'),
  internal_cidrs: P.cidrs(['10.0.0.0/8']),
});

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

/** Runs `who` with one parameter replaced and expects a refusal before anything reaches Athena. */
async function refused(name: string, p: Param): Promise<void> {
  const before = fake.calls.length;
  await expect(engine.run('who', { ...base(), [name]: p })).rejects.toBeInstanceOf(BadParameterError);
  expect(fake.calls.slice(before)).toEqual([]);
}

describe('parameter validation is the injection barrier: hostile values never reach Athena', () => {
  const hostile: Array<[string, Param]> = [
    ['quote', P.ip("1.2.3.4' OR '1'='1")],
    ['comment', P.ip('1.2.3.4 --')],
    ['semicolon', P.ip('1.2.3.4;DROP TABLE x')],
    ['double quote', P.ip('1.2.3.4"')],
    ['fullwidth digits', P.ip('１.２.３.４')],
    ['cyrillic a in IPv6', P.ip('fe80::\u0430')],
    ['zero-width space', P.ip('1.2.3.4\u200b')],
    ['over-long', P.ip(`1:${'0:'.repeat(40)}1`)],
    ['CIDR list with a quote', P.cidrs(["10.0.0.0/8'"])],
    ['CIDR list with a comment', P.cidrs(['10.0.0.0/8', '--'])],
    ['over-long CIDR list', P.cidrs(Array.from({ length: 400 }, () => '10.0.0.0/8'))],
  ];
  it.each(hostile)('refuses %s', async (_label, p) => {
    await refused(p.type === 'cidrs' ? 'internal_cidrs' : 'ip', p);
  });

  it('refuses hostile days, epochs and a type that does not match the declaration', async () => {
    await refused('day_from', P.day("2026-11-13' --"));
    await refused('day_to', P.day('２０２６-11-13'));
    await refused('t_from', { type: 'epoch', value: '0; DROP TABLE x' as unknown as number });
    await refused('t_to', P.epoch(-1));
    await refused('t_to', P.epoch(1.5));
    await refused('ip', { type: 'token', value: 'abc' });
  });

  it('refuses a missing parameter', async () => {
    const before = fake.calls.length;
    const { ip: _drop, ...rest } = base();
    await expect(engine.run('who', rest)).rejects.toBeInstanceOf(BadParameterError);
    expect(fake.calls.length).toBe(before);
  });

  it('refuses any string with SQL metacharacters or non-ASCII, for every string type (property)', async () => {
    const evil = fc
      .tuple(
        fc.string({ maxLength: 20 }),
        fc.constantFrom("'", '"', ';', '--', '/*', '\\', '\u0430', '\uff11', '\u00a0', ' '),
        fc.string({ maxLength: 20 }),
      )
      .map(([a, b, c]) => `${a}${b}${c}`);
    await fc.assert(
      fc.asyncProperty(evil, fc.constantFrom('ip', 'internal_cidrs', 'day_from'), async (value, name) => {
        const type = name === 'ip' ? 'ip' : name === 'internal_cidrs' ? 'cidrs' : 'day';
        await refused(name, { type, value });
      }),
      { numRuns: 150 },
    );
  });

  it('sends validated values as plain literals', async () => {
    const before = fake.started.length;
    // This executor has no tables, so the query fails after submission; what was submitted is the point.
    await engine.run('who', base()).catch(() => undefined);
    const sent = fake.started.slice(before)[0]?.ExecutionParameters ?? [];
    expect(sent).toEqual([
      "'142.250.80.46'",
      "'142.250.80.46'",
      "'142.250.80.46'",
      "'142.250.80.46'",
      "'2026/11/19'",
      "'2026/11/20'",
      String(now - 86_400),
      String(now),
      "'142.250.80.46'",
      "'142.250.80.46'",
      "'10.0.0.0/8'",
    ]);
  });
});
