/**
 * Athena partition-pruning benchmark: bytes the Athena fake reports as scanned for `who … last 1d` ÷ `who … last 10d`
 * on a generated world (goal ≤ 0.12: the `day` predicate prunes objects, as partition projection does in AWS). The
 * fake lists objects per projected partition exactly as the DDL from `egress setup` describes them and counts their
 * compressed bytes, so the ratio is what Athena would bill, not a timing. Runs over loopback only:
 * `npx tsx bench/athena-scan.ts` (alone) or as part of `npm run bench`.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AthenaClient } from '@aws-sdk/client-athena';
import { ACCOUNT_ID, FIELDS_B, REGION, SAMPLE_NOW, VPC_ID } from '../dev/sample/constants.js';
import { generateWorld } from '../dev/sample/world.js';
import { noAttribution } from '../src/attribution/types.js';
import { parseCommand } from '../src/commands/parse.js';
import { runCommand } from '../src/commands/registry.js';
import { loadConfig } from '../src/config.js';
import { AthenaEngine } from '../src/engine/athena.js';
import { createAthenaRunner } from '../src/engine/athena-factory.js';
import { createClassifier } from '../src/flowlogs/classify.js';
import { databaseDdl, flowTableDdl, resolverTableDdl } from '../src/setup/ddl.js';
import { startAthenaFake } from '../test/fakes/athena-api.js';
import { createMirrorExecutor } from '../test/fakes/athena-mirror.js';
import { steppedTiming } from '../test/support/stepped-timing.js';

const GOAL = 0.12;
const BUCKET = 'egress-bench-logs';

/** Runs the benchmark and returns the lines to print. */
export async function benchAthenaScan(): Promise<string[]> {
  // The 'sample' world (10 days, hourly objects) keeps this quick; object sizes per day are what pruning is about.
  const dir = await mkdtemp(path.join(tmpdir(), 'egress-athena-scan-'));
  const world = await generateWorld({ dir, size: 'sample', days: 10, perHour: true });
  const mirror = await createMirrorExecutor({ buckets: { [BUCKET]: dir }, now: () => new Date(SAMPLE_NOW * 1000) });
  const fake = await startAthenaFake({ execute: mirror.execute, pollsBeforeDone: 0 });
  const client = new AthenaClient({
    endpoint: fake.url,
    region: REGION,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  try {
    const config = loadConfig({ EGRESS_ATHENA_OUTPUT: 's3://egress-bench-results/' });
    const runner = createAthenaRunner(config, { client, timing: steppedTiming() });
    // A per-hour destination: `egress setup` projects `day` per hour there, so the day predicate prunes hours.
    const destination = { bucket: BUCKET, prefix: '', fileFormat: 'plain-text' as const, hive: false, perHour: true };
    for (const ddl of [
      databaseDdl('egress'),
      flowTableDdl({
        database: 'egress',
        fields: [...FIELDS_B],
        destination,
        accountId: ACCOUNT_ID,
        region: REGION,
        firstDay: '2026-01-01',
      }),
      resolverTableDdl({
        database: 'egress',
        bucket: BUCKET,
        prefix: '',
        accountId: ACCOUNT_ID,
        vpcId: VPC_ID,
        firstDay: '2026-01-01',
      }),
    ]) {
      await runner.run(ddl, [], { reuse: false, noDatabase: ddl.startsWith('CREATE DATABASE') });
    }
    const engine = new AthenaEngine(runner, { flowDayLayout: 'plain-hourly' });
    const classifier = createClassifier();
    const scan = async (window: string) => {
      const cmd = parseCommand(`who 142.250.80.46 last ${window}`, { maxWindowSeconds: 90 * 86_400, classifier });
      const reads = mirror.reads.length;
      const answer = await runCommand(cmd, {
        now: SAMPLE_NOW,
        engine,
        attribution: noAttribution(),
        classifier,
        limits: { maxWindowSeconds: 90 * 86_400, dnsLookbackSeconds: config.EGRESS_DNS_LOOKBACK, natPricePerGb: 0.045 },
      });
      const keys = mirror.reads.slice(reads).flat();
      // who.sql's share: the flow-log objects alone, without the resolver lookback the answer adds for names.
      const flowKeys = keys.filter((k) => k.includes('vpcflowlogs'));
      const sizes = await Promise.all(flowKeys.map(async (k) => (await stat(path.join(dir, k))).size));
      return {
        bytes: answer.stats?.bytesScanned ?? 0,
        flowBytes: sizes.reduce((a, b) => a + b, 0),
        flowObjects: keys.filter((k) => k.includes('vpcflowlogs')).length,
        dnsObjects: keys.filter((k) => k.includes('vpcdnsquerylogs')).length,
      };
    };
    const day = await scan('1d');
    const tenDays = await scan('10d');
    const ratio = day.bytes / tenDays.bytes;
    const flowRatio = day.flowBytes / tenDays.flowBytes;
    const dnsRatio = (day.bytes - day.flowBytes) / (tenDays.bytes - tenDays.flowBytes);
    const line = (label: string, s: typeof day) =>
      `who 142.250.80.46 last ${label}: ${s.bytes} bytes scanned (${s.flowObjects} flow-log + ${s.dnsObjects} resolver-log objects)`;
    return [
      `world: size 'sample', 10 days to ${new Date(SAMPLE_NOW * 1000).toISOString()} (${world.flowObjects} flow-log + ${world.dnsObjects} resolver-log objects)`,
      line('1d ', day),
      line('10d', tenDays),
      `bytes scanned 1d ÷ 10d = ${ratio.toFixed(3)} (goal ≤ ${GOAL}) ${ratio <= GOAL ? 'met' : 'NOT met'}`,
      `flow-log table (who.sql and its coverage aggregate, per-hour partitions) 1d ÷ 10d = ${flowRatio.toFixed(3)} (goal ≤ ${GOAL}) ${flowRatio <= GOAL ? 'met' : 'NOT met'}`,
      `resolver-log table (daily partitions only; the names lookup adds ${config.EGRESS_DNS_LOOKBACK / 3600} h before the window) 1d ÷ 10d = ${dnsRatio.toFixed(3)}`,
    ];
  } finally {
    client.destroy();
    await fake.close();
    mirror.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const l of await benchAthenaScan()) console.log(l);
}
