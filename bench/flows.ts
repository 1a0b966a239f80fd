/**
 * Flow-query benchmark, timed as a user runs it: every figure is the real `bin/egress` process from spawn to exit
 * (start-up included), on a generated world of ≥ 3.5 M flow records in 240 hourly objects over 10 days, and on the
 * same world with 4× the records for the growth figure. Prints issue 11's ratios, each with its goal and met/NOT met.
 *
 *   npx tsx bench/flows.ts          (or as part of `npm run bench`; generates .bench/world* once)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_NOW } from '../dev/sample/constants.js';
import { generateWorld, type WorldManifest } from '../dev/sample/world.js';
import { listObjects } from '../src/engine/layout.js';
import { isoSeconds } from '../src/flowlogs/window.js';
import { egress, median, ROOT, type Run, timed, verdict } from './spawn.js';

export const BENCH_DIR = path.join(ROOT, '.bench', 'world');
const BENCH_4X = path.join(ROOT, '.bench', 'world-4x');
const CACHE = path.join(ROOT, '.bench', 'cache');
const IP = '142.250.80.46';

/** Generates a bench world once (deterministic), reusing it while it still fits the profile. */
export async function ensureBenchWorld(dir = BENCH_DIR, scale = 1): Promise<WorldManifest> {
  const file = path.join(dir, 'manifest.json');
  if (existsSync(file)) {
    const m = JSON.parse(readFileSync(file, 'utf8')) as WorldManifest;
    if (m.flowObjects >= 240 && m.flowRecords >= 3_500_000 * scale) return m;
  }
  await rm(dir, { recursive: true, force: true });
  const t = Date.now();
  const m = await generateWorld({ dir, size: 'bench', scale });
  writeFileSync(file, JSON.stringify(m));
  console.log(`  generated ${dir}: ${m.flowRecords} records in ${m.flowObjects} objects (${Date.now() - t} ms)`);
  return m;
}

/** Time for 2 parallel `zcat` processes over `files` (the decompression floor of reading them). */
function zcat(files: string[]): Promise<Run> {
  const halves = [files.filter((_, i) => i % 2 === 0), files.filter((_, i) => i % 2 === 1)];
  const script = `zcat ${halves[0]?.map((f) => `'${f}'`).join(' ')} > /dev/null & zcat ${halves[1]?.map((f) => `'${f}'`).join(' ')} > /dev/null; wait`;
  return timed('sh', ['-c', script]);
}

const MiB = (kb: number) => kb / 1024;
const f2 = (n: number) => n.toFixed(2);
const s = (r: Run) => `${(r.ms / 1000).toFixed(2)} s`;

/** Returns printable lines. */
export async function benchFlows(): Promise<string[]> {
  const m = await ensureBenchWorld();
  const m4 = await ensureBenchWorld(BENCH_4X, 4);
  const objects = await listObjects(BENCH_DIR, 'flow', { from: SAMPLE_NOW - 11 * 86_400, to: SAMPLE_NOW + 86_400 });
  const env = (cache: string, extra: Record<string, string> = {}) => ({
    EGRESS_VPC_CIDRS: '10.40.0.0/16,100.64.0.0/16',
    EGRESS_CACHE_DIR: path.join(CACHE, cache),
    ...extra,
  });
  const now = ['--now', isoSeconds(SAMPLE_NOW)];
  const who = (dir: string, window: string) => [
    'who',
    IP,
    'last',
    window,
    '--data',
    dir,
    '--k8s',
    path.join(dir, 'k8s-snapshot.json'),
    ...now,
    '--format',
    'json',
  ];
  await rm(CACHE, { recursive: true, force: true });
  const rss: number[] = [];
  const keep = (r: Run & { all?: Run[] }) => {
    for (const x of r.all ?? [r]) rss.push(x.maxRssKb);
    return r;
  };

  // Start-up: a bare node process, and `egress --version` (the compiled program, lazily loaded).
  const node = await median(5, () => timed(process.execPath, ['-e', '0']));
  const version = await median(5, () => egress(['--version'], {}));
  // The decompression floor, page cache warmed by the first pass.
  await zcat(objects.map((o) => o.path));
  const z = await median(3, () => zcat(objects.map((o) => o.path)));
  const rate = (r: Run) => m.flowRecords / (r.ms / 1000);

  // Raw reading (EGRESS_CACHE=off): the first question summarises each object once (cached in the object index).
  const raw = env('raw', { EGRESS_CACHE: 'off' });
  const rawFirst = keep(await egress(who(BENCH_DIR, '10d'), raw));
  const raw10 = keep(await median(3, () => egress(who(BENCH_DIR, '10d'), raw)));
  const raw1 = keep(await median(3, () => egress(who(BENCH_DIR, '1d'), raw)));

  // The store: the first `who` on an empty store converts what it reads; `cache warm` fills a store on its own.
  const first = keep(
    await median(3, async () => {
      await rm(path.join(CACHE, 'first'), { recursive: true, force: true });
      return egress(who(BENCH_DIR, '10d'), env('first'));
    }),
  );
  const fill = keep(await egress(['cache', 'warm', 'last', '10d', '--data', BENCH_DIR, ...now], env('warm')));
  const warm10 = keep(await median(3, () => egress(who(BENCH_DIR, '10d'), env('warm'))));
  const stats = JSON.parse(warm10.stdout).stats as { cache?: Record<string, number> };
  const fill4 = keep(await egress(['cache', 'warm', 'last', '10d', '--data', BENCH_4X, ...now], env('warm4x')));
  const warm4 = keep(await median(3, () => egress(who(BENCH_4X, '10d'), env('warm4x'))));
  const same = JSON.stringify(JSON.parse(raw10.stdout).rows) === JSON.stringify(JSON.parse(warm10.stdout).rows);

  const peak = Math.max(...rss);
  const r = {
    version: version.ms / node.ms,
    raw: rate(raw10) / rate(z),
    first: rate(first) / rate(z),
    oneTen: raw1.ms / raw10.ms,
    warm: warm10.ms / z.ms,
    growth: warm4.ms / warm10.ms,
    fill: rate(fill) / rate(z),
  };
  return [
    `world: ${m.flowRecords.toLocaleString('en-US')} flow records in ${m.flowObjects} objects over 10 days; 4× world: ${m4.flowRecords.toLocaleString('en-US')} records`,
    `node -e 0 ${s(node)} · egress --version ${s(version)} (${MiB(version.maxRssKb).toFixed(0)} MiB) · 2 × zcat of the 10 days ${s(z)}`,
    `raw who last 10d ${s(raw10)} (first, summarising each object once: ${s(rawFirst)}) · raw who last 1d ${s(raw1)}`,
    `first who on an empty store ${s(first)} · egress cache warm ${s(fill)} · warm who last 10d ${s(warm10)} (stats.cache ${JSON.stringify(stats.cache)}) · on the 4× world ${s(warm4)} (its warm ${s(fill4)})`,
    `egress --version ÷ node -e 0 = ${f2(r.version)} (goal ≤ 4) ${verdict(r.version <= 4)}; its peak RSS ${MiB(version.maxRssKb).toFixed(0)} MiB (goal ≤ 120 MiB) ${verdict(MiB(version.maxRssKb) <= 120)}`,
    `raw who last 10d ÷ 2 × zcat, records/s = ${f2(r.raw)} (goal ≥ 0.9) ${verdict(r.raw >= 0.9)}`,
    `first who on an empty store ÷ 2 × zcat, records/s = ${f2(r.first)} (goal ≥ 0.5) ${verdict(r.first >= 0.5)}`,
    `raw who last 1d ÷ raw who last 10d = ${f2(r.oneTen)} (goal ≤ 0.25) ${verdict(r.oneTen <= 0.25)}`,
    `warm who last 10d ÷ 2 × zcat time = ${f2(r.warm)} (goal ≤ 0.3) ${verdict(r.warm <= 0.3)}`,
    `growth: warm who on the 4× world ÷ on the 1× world = ${f2(r.growth)} (goal ≤ 1.5) ${verdict(r.growth <= 1.5)}`,
    `egress cache warm ÷ 2 × zcat, records/s = ${f2(r.fill)} (goal ≥ 0.5) ${verdict(r.fill >= 0.5)}`,
    `peak RSS of these processes ${MiB(peak).toFixed(0)} MiB (goal ≤ 400 MiB) ${verdict(MiB(peak) <= 400)}; raw and store answers identical: ${same}`,
    '(each figure: the real bin/egress from spawn to exit, median of 3 (5 for start-up); records/s = the world’s records ÷ time)',
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  for (const line of await benchFlows()) console.log(line);
}
