import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED } from '../dev/sample/expected.js';
import { generateWorld } from '../dev/sample/world.js';
import { tempDir } from './support/mini-world.js';
import { mirrorJsonArgv } from './support/mirror-argv.js';
import { contract } from './support/row-contract.js';
import { runCli } from './support/run-cli.js';

/**
 * The same hand-computed answers (dev/sample/expected.ts) from the three ways the embedded engine can read a mirror:
 * raw gzip text (EGRESS_CACHE=off), Parquet flow-log objects (`FileFormat=parquet`), and the columnar store — first
 * while converting, then from the store alone.
 */

let text: string;
let parquet: string;

beforeAll(async () => {
  text = await tempDir('egress-store-text-');
  parquet = await tempDir('egress-store-parquet-');
  await generateWorld({ dir: text });
  await generateWorld({ dir: parquet, format: 'parquet' });
}, 120_000);

async function answers(dir: string, env: Record<string, string>) {
  const json = async (q: string) => {
    const r = await runCli(
      mirrorJsonArgv(q, dir, EXPECTED.now),
      { EGRESS_VPC_CIDRS: '10.40.0.0/16,100.64.0.0/16', ...env },
      Date.parse(EXPECTED.now) / 1000,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.out);
  };
  const who7 = await json('who 142.250.80.46 last 7d');
  const who10 = await json('who 142.250.80.46 last 10d');
  const bypass = await json('dns-bypass last 7d');
  const domain = await json('domain 151.101.1.69 last 7d');
  return { who7, who10, bypass, domain };
}

function expectSample(a: Awaited<ReturnType<typeof answers>>) {
  expect(contract(a.who7.rows)).toEqual(EXPECTED.who_142_250_80_46_last7d.rows);
  expect(a.who7.domains).toEqual(EXPECTED.who_142_250_80_46_last7d.domains);
  expect(contract(a.who10.rows)).toEqual(EXPECTED.who_142_250_80_46_last10d.rows);
  expect(contract(a.bypass.rows)).toEqual(EXPECTED.dnsBypass_last7d.rows);
  expect(a.domain.domains).toEqual(EXPECTED.domain_151_101_1_69_last7d.domains);
}

describe('the sample world answers the same from raw text, Parquet objects and the columnar store', () => {
  it('raw gzip text (EGRESS_CACHE=off)', async () => {
    const a = await answers(text, { EGRESS_CACHE: 'off', EGRESS_CACHE_DIR: await tempDir() });
    expectSample(a);
    expect(a.who7.stats.cache.fromStore + a.who7.stats.cache.convertedNow).toBe(0);
  });

  it('the store: converted on first use, then read from the store only', async () => {
    const cache = await tempDir();
    const first = await answers(text, { EGRESS_CACHE_DIR: cache });
    expectSample(first);
    expect(first.who7.stats.cache.convertedNow).toBeGreaterThan(0);
    const again = await answers(text, { EGRESS_CACHE_DIR: cache });
    expectSample(again);
    expect(again.who10.stats.cache).toMatchObject({ convertedNow: 0, readRaw: 0 });
    expect(again.who10.stats.cache.fromStore).toBeGreaterThan(0);
    expect(again.bypass).toEqual(first.bypass);
  });

  it('Parquet flow-log objects, raw and through the store', async () => {
    const names = await readdir(path.join(parquet, 'AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20'));
    expect(names.every((n) => n.endsWith('.log.parquet'))).toBe(true);
    expectSample(await answers(parquet, { EGRESS_CACHE: 'off', EGRESS_CACHE_DIR: await tempDir() }));
    const cache = await tempDir();
    expectSample(await answers(parquet, { EGRESS_CACHE_DIR: cache }));
    expectSample(await answers(parquet, { EGRESS_CACHE_DIR: cache }));
  });

  it('an unwritable cache directory degrades to raw reading with a note, never a failure', async () => {
    const file = path.join(await tempDir(), 'not-a-dir');
    await writeFile(file, 'x');
    const a = await answers(text, { EGRESS_CACHE_DIR: path.join(file, 'cache') });
    expectSample(a);
    expect(a.who7.stats.cache).toMatchObject({ fromStore: 0, convertedNow: 0 });
    expect(a.who7.notes.some((n: string) => /columnar store .* cannot be written .*read the logs raw/.test(n))).toBe(
      true,
    );
  });
});
