/**
 * Builds the digest for one date from four engine queries run side by side (talkers over the 14 chart days, new
 * destinations over baseline + period, DNS bypass and REJECTs over the period), attributing every row at its own
 * time. The same function serves the CLI (`egress digest`) and the scheduled Slack post.
 */
import { type AttributedRow, attributeRows, groupOf, sum } from '../commands/buckets.js';
import type { CommandContext } from '../commands/context.js';
import { costLines, natUsd } from '../commands/cost.js';
import { aggregateLegs } from '../commands/legs.js';
import { queryRejects, rejectLines } from '../commands/rejects.js';
import { rankTalkers, TOP_N } from '../commands/top.js';
import { dnsWindowParams, flowWindowParams, P } from '../engine/params.js';
import { addStats, emptyStats, type Param, type QueryEngine } from '../engine/types.js';
import { applySuppressions, groupFindings, legsFromFlowRows, legsFromNewRows, namesByIp } from './findings.js';
import { type DigestPeriod, dayAlignedBucket, digestPeriod } from './period.js';
import type { Suppression } from './suppressions.js';
import type { CostChange, Digest } from './types.js';

/** What to build. */
export interface DigestOptions {
  /** `YYYY-MM-DD`: the digest posted on this date reports the day before, in `tz`. */
  date: string;
  tz: string;
  suppressions: readonly Suppression[];
}

/** Counts the queries an engine runs (the bench prints it; Athena bills per query and byte). */
export function countingEngine(engine: QueryEngine): QueryEngine & { count: () => number } {
  let n = 0;
  return {
    name: engine.name,
    run: (q, p, o) => {
      n++;
      return engine.run(q, p, o);
    },
    close: () => engine.close(),
    count: () => n,
  };
}

/** Builds the digest. */
export async function buildDigest(ctx: CommandContext, o: DigestOptions): Promise<Digest> {
  const started = Date.now();
  const p = digestPeriod(o.date, o.tz);
  const engine = countingEngine(ctx.engine);
  const c: CommandContext = { ...ctx, engine };
  const internal = P.cidrs(ctx.classifier.internalCidrs);
  const day = { from: p.from, to: p.to };
  const chartFrom = (p.chartDays[0] as { from: number }).from;
  const baseline = { from: p.baselineFrom, to: p.to };
  const opts = { signal: ctx.signal };
  const dayParams = flowWindowParams(day);
  const [talkers, fresh, bypass, refused] = await Promise.all([
    engine.run(
      'talkers',
      {
        ...flowWindowParams({ from: chartFrom, to: p.to }),
        granularity: P.int(dayAlignedBucket(p)),
        internal_cidrs: internal,
      },
      opts,
    ),
    engine.run(
      'digest-new',
      {
        ...flowWindowParams(baseline),
        ...dnsWindowParams(baseline, 0),
        period_from: P.epoch(p.from),
        period_day_from: dayParams.day_from as Param,
        period_day_to: dayParams.day_to as Param,
        internal_cidrs: internal,
      },
      opts,
    ),
    engine.run('dns-bypass', { ...dayParams, internal_cidrs: internal }, opts),
    queryRejects(c, day),
  ]);
  const results = [talkers, fresh, bypass, refused];

  const legRows = fresh.rows.filter((r) => r.kind === 'leg');
  const [talked, newLegs, refusedRows, bypassRows] = await Promise.all([
    attributeRows(talkers.rows, ctx.attribution),
    attributeRows(legRows, ctx.attribution),
    rejectLines(refused.rows, c),
    aggregateLegs(bypass.rows, ctx.attribution),
  ]);
  const newIps = new Set(legRows.filter((r) => r.ip_new === true).map((r) => String(r.external_ip)));
  const names = namesByIp(
    fresh.rows.filter((r) => r.kind === 'name'),
    p.from,
  );
  const news = applySuppressions(
    groupFindings('new-destination', legsFromNewRows(newLegs), names, newIps),
    o.suppressions,
  );
  const dns = applySuppressions(groupFindings('dns-bypass', legsFromFlowRows(bypassRows), names), o.suppressions);

  const inDay = (from: number, to: number) =>
    talked.filter((a) => Number(a.row.bucket) >= from && Number(a.row.bucket) < to);
  const today = inDay(p.from, p.to);
  const ranked = rankTalkers(today, 'workload');
  const price = ctx.limits.natPricePerGb;
  const { cost, costTotal } = costChanges(today, inDay(p.prevFrom, p.from), price);
  const rejects = groupRejects(refusedRows);
  const stats = results.map((r) => r.stats).reduce(addStats, emptyStats(ctx.engine.name));
  return {
    date: p.date,
    tz: p.tz,
    period: day,
    baselineFrom: p.baselineFrom,
    newDestinations: news.kept,
    dnsBypass: dns.kept,
    suppressed: [...news.hidden, ...dns.hidden],
    topTalkers: ranked
      .slice(0, TOP_N)
      .map((t) => ({ workload: t.group, pods: t.members, flows: t.flows, bytesOut: t.bytesOut, bytesIn: t.bytesIn })),
    bytesOutTotal: sum(ranked, (t) => t.bytesOut),
    cost,
    costTotal,
    pricePerGb: price,
    rejects,
    rejectsTotal: sum(rejects, (r) => r.attempts),
    chart: chartData(talked, p),
    stats: { ...stats, elapsedMs: Date.now() - started, queries: engine.count() },
    skipped: dedupeSkipped(results.flatMap((r) => r.skipped)),
    notes: [],
  };
}

/** NAT cost per namespace on the day vs the day before; namespaces present on either day. */
function costChanges(today: AttributedRow[], before: AttributedRow[], price: number) {
  const now = new Map(costLines(today, 'namespace', price).map((l) => [l.group, l]));
  const prev = new Map(costLines(before, 'namespace', price).map((l) => [l.group, l]));
  const change = (bytes: number, prevBytes: number) =>
    prevBytes === 0 ? null : Math.round(((bytes - prevBytes) / prevBytes) * 1000) / 10;
  const cost: CostChange[] = [...new Set([...now.keys(), ...prev.keys()])].map((namespace) => {
    const bytes = now.get(namespace)?.bytes ?? 0;
    const prevBytes = prev.get(namespace)?.bytes ?? 0;
    return {
      namespace,
      bytes,
      usd: natUsd(bytes, price),
      prevBytes,
      prevUsd: natUsd(prevBytes, price),
      changePct: change(bytes, prevBytes),
    };
  });
  cost.sort((a, b) => b.bytes - a.bytes || b.prevBytes - a.prevBytes || (a.namespace < b.namespace ? -1 : 1));
  const bytes = sum(cost, (x) => x.bytes);
  const prevBytes = sum(cost, (x) => x.prevBytes);
  const costTotal = {
    bytes,
    usd: natUsd(bytes, price),
    prevBytes,
    prevUsd: natUsd(prevBytes, price),
    changePct: change(bytes, prevBytes),
  };
  return { cost, costTotal };
}

/** REJECT attempts per workload with its most refused destinations. */
function groupRejects(lines: Awaited<ReturnType<typeof rejectLines>>): Digest['rejects'] {
  const by = new Map<string, { workload: string; attempts: number; destinations: string[] }>();
  for (const l of lines) {
    const g = by.get(l.workload) ?? { workload: l.workload, attempts: 0, destinations: [] };
    g.attempts += l.attempts;
    g.destinations.push(l.destination);
    by.set(l.workload, g);
  }
  return [...by.values()].sort((a, b) => b.attempts - a.attempts || (a.workload < b.workload ? -1 : 1));
}

/** Bytes out to the internet per namespace per chart day (zeros where a namespace sent nothing). */
function chartData(rows: readonly AttributedRow[], p: DigestPeriod): Digest['chart'] {
  const series = new Map<string, number[]>();
  for (const a of rows) {
    const bytes = Number(a.row.egress_out);
    if (!bytes) continue;
    const t = Number(a.row.bucket);
    const i = p.chartDays.findIndex((d) => t >= d.from && t < d.to);
    if (i < 0) continue;
    const ns = groupOf(a, 'namespace');
    const s = series.get(ns) ?? new Array<number>(p.chartDays.length).fill(0);
    s[i] = (s[i] as number) + bytes;
    series.set(ns, s);
  }
  const list = [...series.entries()].map(([namespace, bytes]) => ({ namespace, bytes }));
  list.sort((a, b) => sum(b.bytes, (x) => x) - sum(a.bytes, (x) => x) || (a.namespace < b.namespace ? -1 : 1));
  return { days: p.chartDays.map((d) => d.day), series: list };
}

function dedupeSkipped(list: Digest['skipped']): Digest['skipped'] {
  return [...new Map(list.map((s) => [s.key, s])).values()];
}
