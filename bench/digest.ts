/**
 * Digest benchmark: builds the daily digest (2026-11-20, reporting 11-19 against a 14-day baseline) on the large
 * bench world (≥ 3 M flow records over 10 days) with the embedded engine, and prints how long it took, how many engine
 * queries it ran and what they read. The first build warms the page cache; the second is the one reported.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_NOW, VPC_CIDRS } from '../dev/sample/constants.js';
import { SnapshotAttribution } from '../src/attribution/snapshot.js';
import type { CommandContext } from '../src/commands/context.js';
import { buildDigest } from '../src/digest/build.js';
import { DuckDbEngine } from '../src/engine/duckdb.js';
import { createClassifier } from '../src/flowlogs/classify.js';
import { digestMessage } from '../src/render/digest-blocks.js';
import { renderChartPng } from '../src/render/digest-chart.js';
import { humanBytes } from '../src/render/format.js';
import { BENCH_DIR, ensureBenchWorld } from './flows.js';

/** Returns printable lines. */
export async function benchDigest(): Promise<string[]> {
  const m = await ensureBenchWorld();
  const engine = await DuckDbEngine.create({ dataDir: BENCH_DIR });
  try {
    const ctx: CommandContext = {
      now: SAMPLE_NOW,
      engine,
      attribution: await SnapshotAttribution.fromFile(path.join(BENCH_DIR, 'k8s-snapshot.json')),
      classifier: createClassifier([...VPC_CIDRS]),
      limits: { maxWindowSeconds: 90 * 86_400, dnsLookbackSeconds: 86_400, natPricePerGb: 0.045 },
    };
    const build = () => buildDigest(ctx, { date: '2026-11-20', tz: 'UTC', suppressions: [] });
    await build();
    const t = process.hrtime.bigint();
    const d = await build();
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const c = process.hrtime.bigint();
    const png = await renderChartPng(d);
    const chartMs = Number(process.hrtime.bigint() - c) / 1e6;
    const msg = digestMessage(d);
    return [
      `world: ${m.flowRecords.toLocaleString('en-US')} flow records in ${m.flowObjects} objects over 10 days`,
      `digest build (2026-11-20, 14-day baseline): ${ms.toFixed(0)} ms with ${d.stats.queries} engine queries, ` +
        `scanning ${humanBytes(d.stats.bytesScanned)} in ${d.stats.objectsRead ?? '?'} object reads`,
      `findings: ${d.newDestinations.length} new destinations, ${d.dnsBypass.length} DNS bypass; ` +
        `message ${msg.blocks.length} blocks; ${d.topTalkers.length} top talkers; ${d.cost.length} namespaces costed`,
      `chart PNG: ${(png.length / 1024).toFixed(0)} KiB in ${chartMs.toFixed(0)} ms`,
    ];
  } finally {
    await engine.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  for (const line of await benchDigest()) console.log(line);
}
