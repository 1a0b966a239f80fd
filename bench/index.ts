/** `npm run bench`: every benchmark, each printing ratios against its goal. Loopback and local files only. */

import { benchAck } from './ack.js';
import { benchAthenaScan } from './athena-scan.js';
import { benchAttribution } from './attribution.js';
import { benchBot } from './bot.js';
import { benchDigest } from './digest.js';
import { benchFlows } from './flows.js';

const sections: Array<[string, () => Promise<string[]>]> = [
  ['Flow queries (embedded DuckDB, the real bin/egress from spawn to exit)', benchFlows],
  ['Slack bot on the bench world (a real egress serve)', benchBot],
  ['Athena partition pruning (fake)', benchAthenaScan],
  ['Slack ack latency and queue drain', benchAck],
  ['Kubernetes attribution (IP timeline)', benchAttribution],
  ['Daily digest (embedded DuckDB)', benchDigest],
];

for (const [title, run] of sections) {
  console.log(`\n## ${title}`);
  try {
    for (const line of await run()) console.log(`  ${line}`);
  } catch (err) {
    console.log(`  failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
