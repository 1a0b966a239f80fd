import { flowWindowParams, P } from '../engine/params.js';
import type { ResultRow } from '../engine/types.js';
import { protocolName } from '../flowlogs/protocol.js';
import { isoSeconds, resolveWindow, type Window, type WindowSpec, windowLabel } from '../flowlogs/window.js';
import { compareText } from '../util/compare.js';
import type { TableAnswer } from './answer.js';
import { answerCoverage } from './answer-coverage.js';
import { attributeRows, bucketSeconds, sum, workloadOfRow } from './buckets.js';
import type { CommandContext } from './context.js';
import { over, parseTail } from './grammar.js';
import { defineCommand } from './spec.js';

export interface RejectsCommand {
  name: 'rejects';
  window: WindowSpec;
}

export interface RejectsAnswer extends TableAnswer {
  command: 'rejects';
}

const USAGE = 'rejects [last N(h|d)]';

/** REJECTed attempts of one workload to one destination and port. */
export interface RejectLine {
  workload: string;
  destination: string;
  attempts: number;
  firstSeen: number;
  lastSeen: number;
}

/** Groups `rejects.sql` rows by workload (attributed per bucket) and destination; most attempts first. */
export async function rejectLines(rows: readonly ResultRow[], ctx: CommandContext): Promise<RejectLine[]> {
  const lines = new Map<string, RejectLine>();
  for (const a of await attributeRows(rows, ctx.attribution)) {
    const r = a.row;
    const workload = workloadOfRow(a);
    const destination = `${r.external_ip}:${r.port}/${protocolName(Number(r.protocol))}`;
    const key = `${workload}|${destination}`;
    const [first, last] = [Number(r.ts), Number(r.last_ts)];
    const l = lines.get(key) ?? { workload, destination, attempts: 0, firstSeen: first, lastSeen: last };
    l.attempts += Number(r.flows);
    l.firstSeen = Math.min(l.firstSeen, first);
    l.lastSeen = Math.max(l.lastSeen, last);
    lines.set(key, l);
  }
  return [...lines.values()].sort(
    (a, b) =>
      b.attempts - a.attempts || compareText(a.workload, b.workload) || compareText(a.destination, b.destination),
  );
}

/** Runs `rejects.sql` over a window with per-time buckets sized to it. */
export function queryRejects(ctx: CommandContext, window: Window) {
  return ctx.engine.run(
    'rejects',
    {
      ...flowWindowParams(window),
      granularity: P.int(bucketSeconds(window.to - window.from)),
      internal_cidrs: P.cidrs(ctx.classifier.internalCidrs),
    },
    { signal: ctx.signal },
  );
}

/** `rejects [last N]`: REJECTed egress by workload and destination/port. */
export async function runRejects(cmd: RejectsCommand, ctx: CommandContext): Promise<RejectsAnswer> {
  const window = resolveWindow(cmd.window, ctx.now);
  ctx.onProgress?.({ state: 'querying' });
  const res = await queryRejects(ctx, window);
  ctx.onProgress?.({ state: 'enriching', bytesScanned: res.stats.bytesScanned });
  const lines = await rejectLines(res.rows, ctx);
  return {
    command: 'rejects',
    label: windowLabel(cmd.window),
    window,
    table: {
      columns: ['workload', 'destination', 'attempts', 'first_seen', 'last_seen'],
      rows: lines.map((l) => ({
        workload: l.workload,
        destination: l.destination,
        attempts: l.attempts,
        first_seen: isoSeconds(l.firstSeen),
        last_seen: isoSeconds(l.lastSeen),
      })),
      total: { attempts: sum(lines, (l) => l.attempts) },
    },
    coverage: await answerCoverage(ctx, [res]),
    stats: res.stats,
    skipped: res.skipped,
    notes: lines.length ? [] : ['No REJECTed egress in this window.'],
  };
}

export const rejects = defineCommand<RejectsCommand, RejectsAnswer>({
  name: 'rejects',
  usage: USAGE,
  summary: 'REJECTed egress by workload and destination',
  examples: ['rejects last 7d'],
  parse: (words, opts) => ({ name: 'rejects', window: parseTail('rejects', USAGE, words, opts).window }),
  describe: (c) => `Looking for REJECTed egress by workload and destination${over(c.window)}`,
  run: runRejects,
});
