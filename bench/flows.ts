/**
 * Flow-query benchmark (foundation): on a large generated world (≥ 3 M records, ≥ 200 objects, 10 days) prints
 * records/s of `who` over 10 days, that rate ÷ the rate of 2 parallel `zcat` over the same objects, the time of
 * `who … last 1d` ÷ `who … last 10d`, and the peak RSS of the process answering. Ratios, not timed assertions.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SAMPLE_NOW } from '../dev/sample/constants.js';
import { generateWorld, type WorldManifest } from '../dev/sample/world.js';
import { listObjects } from '../src/engine/layout.js';
import { isoSeconds } from '../src/flowlogs/window.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BENCH_DIR = path.join(root, '.bench', 'world');

/** Generates the bench world once (deterministic), reusing it on later runs. */
export async function ensureBenchWorld(): Promise<WorldManifest> {
  const manifestFile = path.join(BENCH_DIR, 'manifest.json');
  if (existsSync(manifestFile)) return JSON.parse(readFileSync(manifestFile, 'utf8'));
  const t = Date.now();
  const m = await generateWorld({ dir: BENCH_DIR, size: 'bench' });
  writeFileSync(manifestFile, JSON.stringify(m));
  console.log(`  generated bench world: ${m.flowRecords} records in ${m.flowObjects} objects (${Date.now() - t} ms)`);
  return m;
}

interface ChildResult {
  ms: number;
  maxRssKb: number;
  rows: number;
  bytesScanned: number;
}

/** Runs one `who` in a fresh process (so RSS is the answering process alone) and reads its own measurements. */
function whoInChild(window: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'bench', 'who-child.ts'), BENCH_DIR, window, isoSeconds(SAMPLE_NOW)],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`who-child exited ${code}`))));
  });
}

/** Time for 2 parallel `zcat` processes to decompress `files` (the I/O + gunzip floor). */
async function zcatMs(files: string[]): Promise<number> {
  const halves = [files.filter((_, i) => i % 2 === 0), files.filter((_, i) => i % 2 === 1)];
  const t = process.hrtime.bigint();
  await Promise.all(
    halves.map((h) => promisify(execFile)('sh', ['-c', 'zcat "$@" > /dev/null', 'zcat', ...h], { maxBuffer: 1 << 20 })),
  );
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Returns printable lines. */
export async function benchFlows(): Promise<string[]> {
  const m = await ensureBenchWorld();
  const objects = await listObjects(BENCH_DIR, 'flow', { from: SAMPLE_NOW - 11 * 86_400, to: SAMPLE_NOW + 86_400 });
  await whoInChild('10d'); // warm the page cache (and the object index) for both sides alike
  // Medians of three runs each, interleaved, so a burst of other load on the machine skews no single figure.
  const ten: ChildResult[] = [];
  const one: ChildResult[] = [];
  const z: number[] = [];
  for (let i = 0; i < 3; i++) {
    ten.push(await whoInChild('10d'));
    one.push(await whoInChild('1d'));
    z.push(await zcatMs(objects.map((o) => o.path)));
  }
  const byMs = (a: ChildResult, b: ChildResult) => a.ms - b.ms;
  const tenDays = ten.sort(byMs)[1] as ChildResult;
  const oneDay = one.sort(byMs)[1] as ChildResult;
  const zcat = z.sort((a, b) => a - b)[1] as number;
  const whoRate = m.flowRecords / (tenDays.ms / 1000);
  const zcatRate = m.flowRecords / (zcat / 1000);
  return [
    `world: ${m.flowRecords.toLocaleString('en-US')} flow records in ${m.flowObjects} objects over 10 days`,
    `who last 10d: ${tenDays.ms.toFixed(0)} ms → ${Math.round(whoRate).toLocaleString('en-US')} records/s (${tenDays.rows} rows)`,
    `2 × zcat of the same objects: ${zcat.toFixed(0)} ms → ${Math.round(zcatRate).toLocaleString('en-US')} records/s`,
    `who rate ÷ zcat rate: ${(whoRate / zcatRate).toFixed(2)} (goal ≥ 0.9)`,
    `who last 1d ÷ who last 10d (time): ${(oneDay.ms / tenDays.ms).toFixed(3)} (goal ≤ 0.15)`,
    `peak RSS of the answering process: ${(Math.max(...ten.map((r) => r.maxRssKb), ...one.map((r) => r.maxRssKb)) / 1024).toFixed(0)} MiB (goal < 1024 MiB)`,
    '(medians of 3 fresh processes each; who includes engine start and the resolver-log query for domains)',
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  for (const line of await benchFlows()) console.log(line);
}
