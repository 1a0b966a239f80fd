import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIELDS_B } from '../dev/sample/constants.js';
import { noAttribution } from '../src/attribution/types.js';
import { DuckDbEngine } from '../src/engine/duckdb.js';
import { fileTimestamp } from '../src/engine/layout.js';
import { createClassifier } from '../src/flowlogs/classify.js';
import { askAs } from './support/ask.js';
import { conn, records, tempDir, writeFlowObject } from './support/mini-world.js';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0) / 1000;
const EXT = '142.250.80.46';
const classifier = createClassifier();
const engines: DuckDbEngine[] = [];
afterAll(async () => Promise.all(engines.map((e) => e.close())));

async function whoRows(dataDir: string) {
  const engine = await DuckDbEngine.create({ dataDir });
  engines.push(engine);
  const a = await askAs('who', `who ${EXT} last 1d`, {
    now: NOW,
    engine,
    attribution: noAttribution(),
    classifier,
    limits: { maxWindowSeconds: 90 * 86_400, dnsLookbackSeconds: 86_400, natPricePerGb: 0.045 },
  });
  return a.rows?.map((r) => [r.podIp, r.flows, r.bytesOut, r.bytesIn]);
}

describe('S3 key layouts of the local mirror', () => {
  const name = '111122223333_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20261120T1105Z_abcd1234.log.gz';
  const recs = records(conn({ start: NOW - 3600, src: '10.1.2.3', dst: EXT, bytesOut: 11, bytesIn: 22 }));

  it('reads the Hive-compatible prefix with per-hour partitions', async () => {
    const d = await tempDir();
    const key = `AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=11/day=20/hour=11/${name}`;
    await writeFlowObject(d, 0, FIELDS_B, recs, { key });
    expect(await whoRows(d)).toEqual([['10.1.2.3', 1, 11, 22]]);
  });

  it('reads the plain layout with an hour folder, under a synced prefix', async () => {
    const d = await tempDir();
    await writeFlowObject(d, 0, FIELDS_B, recs, {
      key: `nat-flow-logs/AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20/11/${name}`,
    });
    expect(await whoRows(d)).toEqual([['10.1.2.3', 1, 11, 22]]);
  });

  it('parses the delivery time in object names', () => {
    expect(fileTimestamp(name)).toBe(Date.UTC(2026, 10, 20, 11, 5) / 1000);
    expect(fileTimestamp('no-timestamp.log.gz')).toBeUndefined();
  });
});

describe('flow-log fields newer than this version', () => {
  it('reads objects whose header has an unknown field, ignoring that column', async () => {
    const d = await tempDir();
    const key =
      'AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20/111122223333_vpcflowlogs_us-east-1_fl-1_20261120T1105Z_abcd1234.log.gz';
    const recs = records(conn({ start: NOW - 3600, src: '10.1.2.3', dst: EXT, bytesOut: 11, bytesIn: 22 }));
    const { lineFormatter } = await import('../dev/sample/flow-records.js');
    const { gzipSync } = await import('node:zlib');
    const { mkdir, writeFile } = await import('node:fs/promises');
    const fmt = lineFormatter(FIELDS_B);
    const text = `${[...FIELDS_B, 'future-field'].join(' ')}\n${recs.map((r) => `${fmt(r)} whatever`).join('\n')}\n`;
    await mkdir(path.dirname(path.join(d, key)), { recursive: true });
    await writeFile(path.join(d, key), gzipSync(text));
    expect(await whoRows(d)).toEqual([['10.1.2.3', 1, 11, 22]]);
  });
});

describe('a mirror without data for the window', () => {
  it('answers with no rows and says that no objects cover the window', async () => {
    const d = await tempDir();
    const engine = await DuckDbEngine.create({ dataDir: d });
    engines.push(engine);
    const a = await askAs('who', `who ${EXT} last 1d`, {
      now: NOW,
      engine,
      attribution: noAttribution(),
      classifier,
      limits: { maxWindowSeconds: 90 * 86_400, dnsLookbackSeconds: 86_400, natPricePerGb: 0.045 },
    });
    expect(a.rows).toEqual([]);
    expect(a.notes[0]).toBe(
      `no flow-log objects in ${d} cover 2026-11-19T12:00:00Z → 2026-11-20T12:00:00Z (looked under AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/); sync the bucket or pick another window`,
    );
    expect(a.notes[1]).toMatch(/^no resolver query-log objects/);
  });
});
