/** Child process of bench/flows.ts: answers one `who` and prints its own time, rows and peak RSS as JSON. */
import { noAttribution } from '../src/attribution/types.js';
import { parseCommand } from '../src/commands/parse.js';
import { runCommand } from '../src/commands/registry.js';
import { DuckDbEngine } from '../src/engine/duckdb.js';
import { createClassifier } from '../src/flowlogs/classify.js';

const [dir, window, nowIso] = process.argv.slice(2) as [string, string, string];
const classifier = createClassifier(['10.40.0.0/16', '100.64.0.0/16']);
const started = process.hrtime.bigint();
const engine = await DuckDbEngine.create({ dataDir: dir, indexFile: `${dir}/../index-cache.json` });
const answer = await runCommand(
  parseCommand(`who 142.250.80.46 last ${window}`, { maxWindowSeconds: 90 * 86_400, classifier }),
  {
    now: Date.parse(nowIso) / 1000,
    engine,
    attribution: noAttribution(),
    classifier,
    limits: { maxWindowSeconds: 90 * 86_400, dnsLookbackSeconds: 86_400, natPricePerGb: 0.045 },
  },
);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
await engine.close();
process.stdout.write(
  JSON.stringify({
    ms,
    maxRssKb: process.resourceUsage().maxRSS,
    rows: 'rows' in answer ? answer.rows.length : 0,
    bytesScanned: answer.stats?.bytesScanned ?? 0,
  }),
);
