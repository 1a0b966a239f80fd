import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELDS_A, FIELDS_B } from '../dev/sample/constants.js';
import { plainRecord, statusRecord } from '../dev/sample/flow-records.js';
import { SnapshotAttribution } from '../src/attribution/snapshot.js';
import type { CommandContext } from '../src/commands/context.js';
import { DuckDbEngine } from '../src/engine/duckdb.js';
import { createClassifier } from '../src/flowlogs/classify.js';
import { DEFAULT_FIELDS } from '../src/flowlogs/fields.js';
import { askRows } from './support/ask.js';
import { conn, records, tempDir, writeFlowObject } from './support/mini-world.js';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0) / 1000;
const DAY = 86_400;
const EXT = '142.250.80.46';
const classifier = createClassifier(['10.40.0.0/16']);
let dir: string;
let engine: DuckDbEngine;

const ctx = (): CommandContext => ({
  now: NOW,
  engine,
  attribution: SnapshotAttribution.fromItems([]),
  classifier,
  limits: { maxWindowSeconds: 90 * DAY, dnsLookbackSeconds: DAY, natPricePerGb: 0.045 },
});
const ask = (text: string) => askRows(text, ctx());

beforeAll(async () => {
  dir = await tempDir();
  // Day −2, order A: one connection pod .34 → EXT, 4 records: counts once (1000 out, 10000 in).
  await writeFlowObject(dir, NOW - 2 * DAY + 300, FIELDS_A, [
    ...records(conn({ start: NOW - 2 * DAY, src: '10.40.12.34', dst: EXT, bytesOut: 1000, bytesIn: 10_000 })),
    statusRecord(NOW - 2 * DAY, 'NODATA'),
    statusRecord(NOW - 2 * DAY, 'SKIPDATA'),
  ]);
  // Day −1, order B (other field order, extra fields): same pod, plus a REJECT, plus a custom-networking pod.
  await writeFlowObject(dir, NOW - DAY + 300, FIELDS_B, [
    ...records(
      conn({ start: NOW - DAY, src: '10.40.12.34', dst: EXT, bytesOut: 2000, bytesIn: 20_000 }),
      conn({ start: NOW - DAY + 60, src: '10.40.12.34', dst: EXT, bytesOut: 40, action: 'REJECT' }),
      conn({ start: NOW - DAY + 120, src: '100.64.3.9', dst: EXT, bytesOut: 5, bytesIn: 7 }),
      // Private destinations through the NAT: 172.21/16 (in 172.16/12 but not "172.16.%") and 100.64/10.
      conn({ start: NOW - DAY, src: '10.40.12.34', dst: '172.21.9.9', dport: 53, protocol: 17 }),
      conn({ start: NOW - DAY, src: '10.40.12.34', dst: '100.64.200.1', dport: 853 }),
      // DNS bypass to the internet over UDP 53 and TCP 853.
      conn({
        start: NOW - DAY,
        src: '10.40.30.10',
        dst: '8.8.8.8',
        dport: 53,
        protocol: 17,
        bytesOut: 60,
        bytesIn: 120,
      }),
      conn({ start: NOW - DAY, src: '10.40.30.10', dst: '1.1.1.1', dport: 853, bytesOut: 70, bytesIn: 140 }),
    ),
    plainRecord(conn({ start: NOW - DAY, src: '10.40.1.1', dst: '10.40.1.2' }), 'egress'),
  ]);
  // The default (v2) format has no pkt-* fields: it must not break the other objects.
  await writeFlowObject(dir, NOW - DAY + 600, DEFAULT_FIELDS, [], { suffix: 'dflt0001' });
  // Window edges of `last 7d`: start = now−7d is in, now−7d−1 and now are out.
  await writeFlowObject(dir, NOW - 7 * DAY + 300, FIELDS_A, [
    ...records(conn({ start: NOW - 7 * DAY, src: '10.40.12.35', dst: EXT, bytesOut: 1, bytesIn: 2 })),
    ...records(conn({ start: NOW - 7 * DAY - 1, src: '10.40.12.35', dst: EXT, bytesOut: 100, bytesIn: 200 })),
  ]);
  await writeFlowObject(
    dir,
    NOW + 300,
    FIELDS_A,
    records(conn({ start: NOW, src: '10.40.12.35', dst: EXT, bytesOut: 9 })),
  );
  engine = await DuckDbEngine.create({ dataDir: dir });
});
afterAll(async () => engine?.close());

describe('who on the embedded engine', () => {
  it('counts each NAT connection once, adds return bytes, reads any header order', async () => {
    const a = await ask(`who ${EXT} last 7d`);
    const pod34 = a.rows?.find((r) => r.podIp === '10.40.12.34');
    expect(pod34).toMatchObject({ flows: 3, rejected: 1, bytesOut: 3040, bytesIn: 30_000, dstPort: 443, protocol: 6 });
    expect(pod34?.firstSeen).toBe(NOW - 2 * DAY);
    expect(pod34?.lastSeen).toBe(NOW - DAY + 60);
  });

  it('keeps 100.64/10 pods as sources (custom networking) ', async () => {
    const a = await ask(`who ${EXT} last 7d`);
    expect(a.rows?.find((r) => r.podIp === '100.64.3.9')).toMatchObject({ flows: 1, bytesOut: 5, bytesIn: 7 });
  });

  it('window is [now − N, now): the boundary record is in, one second earlier and now itself are out', async () => {
    const a = await ask(`who ${EXT} last 7d`);
    expect(a.rows?.find((r) => r.podIp === '10.40.12.35')).toMatchObject({ flows: 1, bytesOut: 1, bytesIn: 2 });
    const b = await ask(`who ${EXT} last 8d`);
    expect(b.rows?.find((r) => r.podIp === '10.40.12.35')).toMatchObject({ flows: 2, bytesOut: 101, bytesIn: 202 });
  });

  it('sorts by bytes out, then pod IP; a 1h window sees nothing', async () => {
    const a = await ask(`who ${EXT} last 7d`);
    expect(a.rows?.map((r) => r.podIp)).toEqual(['10.40.12.34', '100.64.3.9', '10.40.12.35']);
    expect((await ask(`who ${EXT} last 1h`)).rows).toEqual([]);
  });

  it('reads only the objects of the window (day folders + file-name time)', async () => {
    // Delivered in [now − 1d − 15 min, now + 1 h]: the two day −1 objects and the one delivered just after now;
    // the day −2 and day −7 objects are never opened. Of those, the default-format object holds no pkt-* address at
    // all, so its address filter rules it out of a one-address question: 2 objects read, not 3.
    const a = await ask(`who ${EXT} last 1d`);
    expect(a.stats?.objectsRead).toBe(2);
    expect((await ask(`who ${EXT} last 7d`)).stats?.objectsRead).toBe(4);
    // dns-bypass asks no single address: every object of the window is read.
    expect((await ask('dns-bypass last 7d')).stats?.objectsRead).toBe(5);
  });
});

describe('dns-bypass', () => {
  it('lists internet resolvers on 53/853 and never private ones (172.21/16, 100.64/10)', async () => {
    const a = await ask('dns-bypass last 7d');
    expect(a.rows?.map((r) => `${r.podIp}>${r.externalIp}:${r.dstPort}/${r.protocol}`)).toEqual([
      '10.40.30.10>1.1.1.1:853/6',
      '10.40.30.10>8.8.8.8:53/17',
    ]);
    expect(a.rows?.[1]).toMatchObject({ bytesOut: 60, bytesIn: 120, flows: 1 });
  });
});

describe('unreadable objects', () => {
  it('names a corrupt and a truncated object as skipped and still answers from the rest', async () => {
    const d = await tempDir();
    const good = await writeFlowObject(
      d,
      NOW - DAY + 300,
      FIELDS_A,
      records(conn({ start: NOW - DAY, src: '10.40.1.9', dst: EXT })),
    );
    const trunc = await writeFlowObject(
      d,
      NOW - DAY + 600,
      FIELDS_A,
      Array.from({ length: 2000 }, (_, i) =>
        records(conn({ start: NOW - DAY + i, src: '10.40.1.8', dst: EXT })),
      ).flat(),
      { suffix: 'trunc001' },
    );
    const full = await readFile(path.join(d, trunc));
    await writeFile(path.join(d, trunc), full.subarray(0, Math.floor(full.length / 2)));
    const junk = await writeFlowObject(d, NOW - DAY + 900, FIELDS_A, [], { suffix: 'junk0001' });
    await writeFile(path.join(d, junk), 'this is not gzip at all');
    const e = await DuckDbEngine.create({ dataDir: d });
    try {
      const a = await askRows(`who ${EXT} last 2d`, { ...ctx(), engine: e });
      expect(a.skipped.map((s) => s.key).sort()).toEqual([junk, trunc].sort());
      expect(a.skipped.every((s) => s.reason.length > 0)).toBe(true);
      expect(a.rows?.map((r) => r.podIp)).toEqual(['10.40.1.9']);
      expect(good).toBeTruthy();
    } finally {
      await e.close();
    }
  });
});
