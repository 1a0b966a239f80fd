/**
 * `npm run demo`: creates the deterministic sample world (once) under .data/sample and answers the three headline
 * questions on it through the same CLI core users run, printing text answers. Only local files are touched.
 * `npm run demo -- --parquet` does the same on the world with its flow logs written as Parquet (`FileFormat=parquet`,
 * `….log.parquet`) under .data/sample-parquet: the same records, so the same answers.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_NOW } from '../dev/sample/constants.js';
import { generateWorld } from '../dev/sample/world.js';
import { main } from '../src/cli.js';
import { isoSeconds } from '../src/flowlogs/window.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const parquet = process.argv.includes('--parquet');
const dir = path.join(root, '.data', parquet ? 'sample-parquet' : 'sample');

/** Ensures the sample world exists; returns its directory. */
export async function ensureSampleWorld(): Promise<string> {
  if (!existsSync(path.join(dir, 'k8s-snapshot.json'))) {
    const m = await generateWorld({ dir, format: parquet ? 'parquet' : 'text' });
    console.log(
      `Generated the sample world in ${path.relative(root, dir)}: ${m.flowRecords} flow records in ${m.flowObjects} objects, ${m.dnsRecords} resolver log records.`,
    );
  }
  return dir;
}

async function demo(): Promise<number> {
  const data = await ensureSampleWorld();
  const common = ['--data', data, '--k8s', path.join(data, 'k8s-snapshot.json'), '--now', isoSeconds(SAMPLE_NOW)];
  const questions = [
    ['who', '142.250.80.46', 'last', '7d'],
    ['dns-bypass', 'last', '7d'],
    ['domain', '151.101.1.69', 'last', '7d'],
  ];
  for (const q of questions) {
    console.log(
      `\n$ egress ${q.join(' ')} --data ${path.relative(root, data)} --k8s ${path.relative(root, data)}/k8s-snapshot.json --now ${isoSeconds(SAMPLE_NOW)}\n`,
    );
    const code = await main([...q, ...common]);
    if (code !== 0) return code;
  }
  // The real bot path: private Redis, signed slash commands to the HTTP receiver, worker, Slack Web API fake.
  const { demoBot } = await import('./demo-bot.js');
  await demoBot({ dataDir: data });
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.exitCode = await demo();
}
