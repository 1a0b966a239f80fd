import { copyFile, mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ACCOUNT_ID,
  DAY,
  DELIVERY_DELAY,
  FIELDS_A,
  FIELDS_B,
  FIELDS_C,
  FORMAT_C_DAYS,
  FORMAT_CHANGE_DAYS,
  HOUR,
  REGION,
  SAMPLE_NOW,
  VPC_ID,
} from './constants.js';
import { dnsLine, type QueryEvent } from './dns-lines.js';
import { type FlowRecord, IP_RANGES_FIXTURE, lineFormatter } from './flow-records.js';
import { buildSnapshot } from './k8s.js';
import { noiseFlows, noiseQueries } from './noise.js';
import { derive, type Rng } from './prng.js';
import { bucket, scriptedFlowRecords, scriptedQueries } from './scripted.js';
import { dnsKey, flowKey, mapLimit, writeGzip, writeParquet } from './writer.js';

export { SAMPLE_NOW } from './constants.js';

/** What to generate and where. */
export interface WorldOptions {
  /** Output root (a local mirror of an S3 bucket). */
  dir: string;
  /** Epoch seconds; default {@link SAMPLE_NOW}. All data lies in the `days` before `now`. */
  now?: number;
  /** Default 10. */
  days?: number;
  /** 'sample' = the small hand-checkable world (default). 'bench' = large: >= 3,000,000 flow records in >= 200 objects over 10 days. */
  size?: 'sample' | 'bench';
  /** PRNG seed (default 42); the same seed and options give byte-identical files. */
  seed?: number;
  /** 'bench' only: multiplies the background connections per object (4 = the growth benchmark's world). */
  scale?: number;
  /**
   * How flow-log objects are written: gzip text (default) or Parquet (`FileFormat=parquet`: `….log.parquet`, columns
   * named `pkt_srcaddr`, …). The records, and so every expected answer, are the same either way.
   */
  format?: 'text' | 'parquet';
  /** Flow-log objects under per-hour folders (`PerHourPartition`), as a per-hour destination delivers them. */
  perHour?: boolean;
}

/** What was written. */
export interface WorldManifest {
  flowObjects: number;
  flowRecords: number;
  dnsObjects: number;
  dnsRecords: number;
  /** Absolute path of the Kubernetes snapshot. */
  k8sFile: string;
  /** Absolute path of the world's ip-ranges.json. */
  ipRangesFile: string;
  accountId: string;
  region: string;
  vpcId: string;
}

interface Profile {
  /** Capture window of one flow-log object, seconds. */
  slice: number;
  flows(rng: Rng, sliceStart: number): number;
  queriesPerHour(rng: Rng): number;
}

/** Busier during the US working day, as real traffic is; only the sample varies, the bench count is fixed. */
const busy = (t: number): boolean => {
  const h = Math.floor((t % DAY) / HOUR);
  return h >= 13 && h <= 22;
};

const PROFILES: Record<'sample' | 'bench', Profile> = {
  sample: {
    slice: HOUR,
    flows: (rng, t) => Math.round(rng.int(12, 24) * (busy(t) ? 1.5 : 1)),
    queriesPerHour: (rng) => rng.int(6, 14),
  },
  // 4,100 connections per hour ≈ 3.94 records each (2 % are single-record REJECTs) → ≈ 3.9 M records in 240 objects.
  bench: { slice: HOUR, flows: () => 4_100, queriesPerHour: () => 150 },
};

/** Level 6 is zlib's default; higher levels cost far more time than they save space here. */
const GZIP_LEVEL = 6;
/** Objects in flight: enough to keep the zlib thread pool busy while the main thread builds the next one. */
const CONCURRENCY = 4;

/** Slice starts covering [from, to), aligned to the slice length as AWS aligns its capture windows. */
function sliceStarts(from: number, to: number, slice: number): number[] {
  const out: number[] = [];
  for (let s = Math.floor(from / slice) * slice; s < to; s += slice) out.push(s);
  return out;
}

/**
 * Writes the sample world under `opts.dir`: hourly (bench: half-hourly) flow-log objects of the NAT gateway's ENI,
 * hourly Resolver query-log objects, and `k8s-snapshot.json`. Deterministic for a given seed and options.
 */
export async function generateWorld(opts: WorldOptions): Promise<WorldManifest> {
  const now = opts.now ?? SAMPLE_NOW;
  const days = opts.days ?? 10;
  const seed = opts.seed ?? 42;
  const base = PROFILES[opts.size ?? 'sample'];
  const scale = opts.scale ?? 1;
  const profile: Profile = { ...base, flows: (rng, t) => Math.round(base.flows(rng, t) * scale) };
  if (!Number.isInteger(now) || !Number.isInteger(days) || days <= 0) {
    throw new Error('generateWorld: now must be whole epoch seconds and days a positive whole number');
  }
  const from = now - days * DAY;
  const formatChange = now - FORMAT_CHANGE_DAYS * DAY;
  const formatC = now - FORMAT_C_DAYS * DAY;
  const scriptedFlows = bucket(scriptedFlowRecords(now, from, now), (r) => r.start, profile.slice);
  const flowCounts = await mapLimit(sliceStarts(from, now, profile.slice), CONCURRENCY, async (s) => {
    const rng = derive(seed, 'flow', s);
    const lo = Math.max(s, from);
    const hi = Math.min(s + profile.slice, now);
    const records: FlowRecord[] = [...(scriptedFlows.get(s) ?? []), ...noiseFlows(rng, lo, hi, profile.flows(rng, s))];
    // Stable sort: records of one connection stay in their 1-2-3-4 order.
    records.sort((x, y) => x.start - y.start);
    const fields = s < formatChange ? FIELDS_A : s < formatC ? FIELDS_B : FIELDS_C;
    const format = lineFormatter(fields);
    // One join instead of `+=`: concatenating millions of short strings leaves ropes that the GC then chases.
    const lines = [fields.join(' ')];
    for (const r of records) lines.push(format(r));
    const text = `${lines.join('\n')}\n`;
    const key = flowKey(s + profile.slice + DELIVERY_DELAY, derive(seed, 'flow-name', s).hex(8), opts.perHour);
    if (opts.format === 'parquet') await writeParquet(opts.dir, key.replace(/\.gz$/, '.parquet'), fields, text);
    else await writeGzip(opts.dir, key, text, GZIP_LEVEL);
    return records.length;
  });

  const scriptedDns = bucket(scriptedQueries(now, from, now), (q) => q.at, HOUR);
  const dnsCounts = await mapLimit(sliceStarts(from, now, HOUR), CONCURRENCY, async (h) => {
    const rng = derive(seed, 'dns', h);
    const lo = Math.max(h, from);
    const hi = Math.min(h + HOUR, now);
    const events: QueryEvent[] = [
      ...(scriptedDns.get(h) ?? []),
      ...noiseQueries(rng, lo, hi, profile.queriesPerHour(rng)),
    ];
    if (events.length === 0) return 0;
    events.sort((x, y) => x.at - y.at);
    const text = events.map((e) => `${dnsLine(e, rng)}\n`).join('');
    await writeGzip(opts.dir, dnsKey(h + HOUR + DELIVERY_DELAY, derive(seed, 'dns-name', h).hex(8)), text, GZIP_LEVEL);
    return events.length;
  });

  const k8sFile = join(opts.dir, 'k8s-snapshot.json');
  await mkdir(opts.dir, { recursive: true });
  await writeFile(k8sFile, `${JSON.stringify(buildSnapshot(), null, 2)}\n`);
  // Taken at the world's `now`, so answers that state the snapshot's age are the same on every machine.
  await utimes(k8sFile, now, now);
  // AWS's ranges as this world knows them (what `egress setup` would have fetched): `--ip-ranges DIR/ip-ranges.json`.
  await copyFile(IP_RANGES_FIXTURE, join(opts.dir, 'ip-ranges.json'));

  return {
    flowObjects: flowCounts.length,
    flowRecords: flowCounts.reduce((a, b) => a + b, 0),
    dnsObjects: dnsCounts.filter((n) => n > 0).length,
    dnsRecords: dnsCounts.reduce((a, b) => a + b, 0),
    k8sFile,
    ipRangesFile: join(opts.dir, 'ip-ranges.json'),
    accountId: ACCOUNT_ID,
    region: REGION,
    vpcId: VPC_ID,
  };
}
