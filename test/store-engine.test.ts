import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELDS_B } from '../dev/sample/constants.js';
import { EXPECTED } from '../dev/sample/expected.js';
import { lineFormatter, statusRecord } from '../dev/sample/flow-records.js';
import { generateWorld } from '../dev/sample/world.js';
import { flowKey } from '../dev/sample/writer.js';
import { SnapshotAttribution } from '../src/attribution/snapshot.js';
import type { CommandContext } from '../src/commands/context.js';
import { DuckDbEngine } from '../src/engine/duckdb.js';
import { flowWindowParams, P } from '../src/engine/params.js';
import { createClassifier } from '../src/flowlogs/classify.js';
import { askRows } from './support/ask.js';
import { conn, records, tempDir, writeFlowObject } from './support/mini-world.js';
import { mirrorJsonArgv } from './support/mirror-argv.js';
import { runCli } from './support/run-cli.js';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0) / 1000;
const HOUR = 3600;
const DAY = 86_400;
const EXT = '142.250.80.46';
const classifier = createClassifier(['10.40.0.0/16']);
const ctx = (engine: DuckDbEngine): CommandContext => ({
  now: NOW,
  engine,
  attribution: SnapshotAttribution.fromItems([]),
  classifier,
  limits: { maxWindowSeconds: 90 * DAY, dnsLookbackSeconds: DAY, natPricePerGb: 0.045 },
});
const engineFor = async (dir: string, store: boolean) =>
  DuckDbEngine.create({
    dataDir: dir,
    store: store ? { dir: await tempDir('egress-store-'), maxBytes: 1e9 } : undefined,
  });
const whoParams = (from: number, to: number) => ({
  ...flowWindowParams({ from, to }),
  ip: P.ip(EXT),
  internal_cidrs: P.cidrs(['10.40.0.0/16']),
});

/** A text object written by hand, so one of its lines can be broken. */
async function writeLines(dir: string, delivery: number, header: readonly string[], lines: string[], suffix: string) {
  const key = flowKey(delivery, suffix);
  await writeFlowObject(dir, delivery, header, [], { key });
  await writeFile(path.join(dir, key), gzipSync(`${header.join(' ')}\n${lines.join('\n')}\n`));
  return key;
}

describe.each([false, true])('coverage facts and unreadable lines (store %s)', (store) => {
  it('skips a malformed line only, names it, counts SKIPDATA/NODATA, lists hours with records, missing fields', async () => {
    const dir = await tempDir();
    const fmt = lineFormatter(FIELDS_B);
    const h1 = NOW - 3 * HOUR;
    const good = [
      ...records(conn({ start: h1 + 60, src: '10.40.1.1', dst: EXT, bytesOut: 100, bytesIn: 1000 })),
      ...records(conn({ start: h1 + 120, src: '10.40.1.2', dst: EXT, bytesOut: 200, bytesIn: 2000 })),
    ].map(fmt);
    // Line 6 of the object (header = 1): pod .2's out leg, with two spaces between two fields, so it does not split
    // into the header's fields.
    const broken = (good[4] as string).replace(' ', '  ');
    const lines = [
      ...good.slice(0, 4),
      broken,
      ...good.slice(5),
      fmt(statusRecord(h1 + 300, 'SKIPDATA')),
      fmt(statusRecord(h1 + 400, 'NODATA')),
    ];
    const a = await writeLines(dir, h1 + HOUR + 300, FIELDS_B, lines as string[], 'brok0001');
    // The hour after has no object at all; two hours later an object whose format lacks pkt-srcaddr.
    const noPkt = FIELDS_B.filter((f) => f !== 'pkt-srcaddr');
    const b = await writeFlowObject(
      dir,
      h1 + 3 * HOUR + 300,
      noPkt,
      records(conn({ start: h1 + 2 * HOUR + 10, src: '10.40.1.3', dst: EXT })),
      { suffix: 'nopk0001' },
    );
    const e = await engineFor(dir, store);
    try {
      const r = await e.run('who', whoParams(NOW - 6 * HOUR, NOW));
      const flow = r.coverage?.find((c) => c.kind === 'flow');
      expect(flow?.hours).toEqual([h1, h1 + 2 * HOUR]);
      expect(flow?.skipData).toBe(1);
      expect(flow?.noData).toBe(1);
      expect(flow?.unreadableLines).toEqual({ count: 1, samples: [{ key: a, line: 6 }] });
      expect(flow?.missingFields).toEqual([{ key: b, fields: ['pkt-srcaddr'] }]);
      expect(flow?.newestRecord).toBe(h1 + 2 * HOUR + 10 + 60);
      expect(flow?.window).toEqual({ from: NOW - 6 * HOUR, to: NOW });
      expect(r.skipped).toEqual([]);
      // Every other record of the object with the broken line answers: pod .2's out leg is lost (its line), the
      // in leg (bytes back) and pod .1 are all there.
      const legs = r.rows.map((x) => `${x.leg} ${x.pod_ip} ${x.bytes}`).sort();
      expect(legs).toEqual(['in 10.40.1.1 1000', 'in 10.40.1.2 2000', 'out 10.40.1.1 100']);
    } finally {
      await e.close();
    }
  });
});

describe('unreadable objects are reported the same way by every command, raw and from the store', () => {
  it.each([false, true])('store %s', async (store) => {
    const dir = await tempDir();
    await writeFlowObject(
      dir,
      NOW - DAY + 300,
      FIELDS_B,
      records(conn({ start: NOW - DAY, src: '10.40.1.9', dst: EXT })),
    );
    const big = Array.from({ length: 3000 }, (_, i) =>
      records(conn({ start: NOW - DAY + i, src: '10.40.1.8', dst: '8.8.8.8', dport: 53, protocol: 17 })),
    ).flat();
    const bad = await writeFlowObject(dir, NOW - DAY + 600, FIELDS_B, big, { suffix: 'corr0001' });
    // Corrupt the middle of the deflate stream: the header and the trailer still look fine.
    const bytes = await readFile(path.join(dir, bad));
    for (let i = Math.floor(bytes.length / 2); i < Math.floor(bytes.length / 2) + 64; i++) bytes[i] = 0x55;
    await writeFile(path.join(dir, bad), bytes);
    const e = await engineFor(dir, store);
    try {
      const who = await askRows(`who ${EXT} last 2d`, ctx(e));
      const bypass = await askRows('dns-bypass last 2d', ctx(e));
      expect(who.skipped.map((s) => s.key)).toEqual([bad]);
      expect(bypass.skipped).toEqual(who.skipped);
      expect(who.rows.map((r) => r.podIp)).toEqual(['10.40.1.9']);
      expect(bypass.rows).toEqual([]);
    } finally {
      await e.close();
    }
  });
});

describe('the columnar store', () => {
  it('re-reads an object replaced in the mirror (new size and mtime)', async () => {
    const dir = await tempDir();
    const key = await writeFlowObject(
      dir,
      NOW - HOUR,
      FIELDS_B,
      records(conn({ start: NOW - 2 * HOUR, src: '10.40.1.1', dst: EXT, bytesOut: 5 })),
    );
    const e = await engineFor(dir, true);
    try {
      const first = await e.run('who', whoParams(NOW - DAY, NOW));
      expect(first.stats.cache).toEqual({ fromStore: 0, convertedNow: 1, readRaw: 0 });
      expect((await e.run('who', whoParams(NOW - DAY, NOW))).stats.cache).toEqual({
        fromStore: 1,
        convertedNow: 0,
        readRaw: 0,
      });
      await writeFlowObject(
        dir,
        NOW - HOUR,
        FIELDS_B,
        records(
          conn({ start: NOW - 2 * HOUR, src: '10.40.1.1', dst: EXT, bytesOut: 5 }),
          conn({ start: NOW - 2 * HOUR, src: '10.40.7.7', dst: EXT, bytesOut: 777 }),
        ),
        { key },
      );
      const again = await e.run('who', whoParams(NOW - DAY, NOW));
      expect(again.stats.cache).toEqual({ fromStore: 0, convertedNow: 1, readRaw: 0 });
      expect(again.rows.some((r) => r.pod_ip === '10.40.7.7' && r.bytes === 777)).toBe(true);
    } finally {
      await e.close();
    }
  });

  it('two processes warming at once leave one complete store that answers as raw reading does', async () => {
    const dir = await tempDir();
    await generateWorld({ dir });
    const cache = await tempDir();
    const env = { ...process.env, EGRESS_CACHE_DIR: cache, EGRESS_VPC_CIDRS: '10.40.0.0/16,100.64.0.0/16' };
    const bin = path.resolve('bin/egress');
    const warm = () =>
      promisify(execFile)(bin, ['cache', 'warm', 'last', '10d', '--data', dir, '--now', EXPECTED.now], { env });
    const [x, y] = await Promise.all([warm(), warm()]);
    expect(x.stdout).toMatch(/^warmed: \d+ objects/);
    expect(y.stdout).toMatch(/^warmed: \d+ objects/);
    const left = (await readdir(path.join(cache, 'store'), { recursive: true })).map(String);
    expect(left.filter((f) => f.includes('.tmp'))).toEqual([]);
    const r = await runCli(mirrorJsonArgv('who 142.250.80.46 last 7d', dir, EXPECTED.now), {
      EGRESS_CACHE_DIR: cache,
      EGRESS_VPC_CIDRS: '10.40.0.0/16,100.64.0.0/16',
    });
    const a = JSON.parse(r.out);
    expect(a.stats.cache).toMatchObject({ convertedNow: 0, readRaw: 0 });
    expect(a.rows.map((row: { podIp: string; bytesOut: number }) => [row.podIp, row.bytesOut])).toEqual(
      EXPECTED.who_142_250_80_46_last7d.rows.map((row) => [row.podIp, row.bytesOut]),
    );
  }, 120_000);

  it('answers exactly as raw reading on random worlds (property)', async () => {
    const pods = ['10.40.1.1', '10.40.1.2', '10.40.2.9'];
    const dests = [EXT, '8.8.8.8', '52.94.0.10'];
    const connArb = fc.record({
      start: fc.integer({ min: NOW - 2 * DAY, max: NOW - 60 }),
      src: fc.constantFrom(...pods),
      dst: fc.constantFrom(...dests),
      dport: fc.constantFrom(443, 53, 853),
      protocol: fc.constantFrom(6, 17),
      bytesOut: fc.integer({ min: 0, max: 1_000_000 }),
      bytesIn: fc.integer({ min: 0, max: 1_000_000 }),
      action: fc.constantFrom('ACCEPT' as const, 'REJECT' as const),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(connArb, { minLength: 1, maxLength: 40 }), async (cs) => {
        const dir = await tempDir();
        const byHour = new Map<number, typeof cs>();
        for (const c of cs)
          byHour.set(c.start - (c.start % HOUR), [...(byHour.get(c.start - (c.start % HOUR)) ?? []), c]);
        for (const [h, list] of byHour)
          await writeFlowObject(dir, h + HOUR + 300, FIELDS_B, records(...list.map((c) => conn(c))), {
            suffix: `h${h}`,
          });
        const raw = await engineFor(dir, false);
        const st = await engineFor(dir, true);
        try {
          for (const q of [`who ${EXT} last 3d`, 'dns-bypass last 3d']) {
            const a = await askRows(q, ctx(raw));
            const b = await askRows(q, ctx(st));
            const c = await askRows(q, ctx(st));
            expect(b.rows).toEqual(a.rows);
            expect(c.rows).toEqual(a.rows);
          }
        } finally {
          await raw.close();
          await st.close();
        }
      }),
      { numRuns: 8 },
    );
  }, 180_000);
});
