/** The digest as plain text (CLI, logs) and as JSON (`--format json`). Pure. */
import type { Digest, Finding } from '../digest/types.js';
import { isoSeconds } from '../flowlogs/window.js';
import { humanBytes, shortTime, textTable, usd } from './format.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `+12.5 %`, `−3 %`, `new` (nothing the day before), `±0 %`. */
export function changeText(pct: number | null): string {
  if (pct === null) return 'new';
  if (pct === 0) return '±0 %';
  return `${pct > 0 ? '+' : '−'}${Math.abs(pct)} %`;
}

/** `8.8.8.8 (dns.google ★)`: the address with its names, new names starred. */
export function destinationLabel(f: Finding): string {
  const names = f.names.map((n) => (f.newNames.includes(n) ? `${n} ★` : n));
  return names.length ? `${f.destination} (${names.join(', ')})` : f.destination;
}

/** Why a destination is new, in words. */
export function newnessText(f: Finding): string {
  if (f.kind === 'dns-bypass') return 'DNS to an internet resolver';
  if (f.ipNew) return f.newNames.length ? 'new address, new name' : 'new address';
  return 'known address, new name';
}

function findingLines(f: Finding): string[] {
  const head = `  ${destinationLabel(f)} · ${newnessText(f)} · ${plural(f.flows, 'flow')}${f.rejected ? ` (${f.rejected} rejected)` : ''} · ${humanBytes(f.bytesOut)} out`;
  return [
    head,
    ...f.workloads.map(
      (w) =>
        `    ${w.workload} · ${w.pods.join(', ')} · ${w.ports.join(' ')} · ${plural(w.flows, 'flow')} · ` +
        `${humanBytes(w.bytesOut)} out · ${shortTime(w.firstSeen)} → ${shortTime(w.lastSeen).slice(11)}`,
    ),
  ];
}

/** The digest as text. */
export function renderDigestText(d: Digest): string {
  const out: string[] = [
    `Egress digest ${d.date} · ${shortTime(d.period.from)} → ${shortTime(d.period.to)} ${d.tz === 'UTC' ? 'UTC' : `(${d.tz}; times UTC)`}`,
    '',
    `New external destinations (${d.newDestinations.length}) — not reached in the 14 days before (★ = name first seen that day)`,
    ...(d.newDestinations.length ? d.newDestinations.flatMap(findingLines) : ['  none']),
    '',
    `DNS bypass (${d.dnsBypass.length}) — DNS (53) / DNS-over-TLS (853) to internet resolvers`,
    ...(d.dnsBypass.length ? d.dnsBypass.flatMap(findingLines) : ['  none']),
  ];
  if (d.suppressed.length)
    out.push('', `Suppressed: ${plural(d.suppressed.length, 'item')} marked expected (not shown)`);
  out.push('', `Top talkers by bytes out (${humanBytes(d.bytesOutTotal)} to the internet in total)`);
  out.push(
    indent(
      textTable(
        ['WORKLOAD', 'PODS', 'FLOWS', 'OUT', 'IN'],
        d.topTalkers.map((t) => [
          t.workload,
          String(t.pods),
          String(t.flows),
          humanBytes(t.bytesOut),
          humanBytes(t.bytesIn),
        ]),
        [1, 2, 3, 4],
      ),
    ),
  );
  out.push('', `NAT data-processing cost per namespace vs the day before ($${d.pricePerGb}/GB)`);
  const rows = d.cost.map((c) => [
    c.namespace,
    humanBytes(c.bytes),
    usd(c.usd),
    humanBytes(c.prevBytes),
    changeText(c.changePct),
  ]);
  const t = d.costTotal;
  rows.push(['total', humanBytes(t.bytes), usd(t.usd), humanBytes(t.prevBytes), changeText(t.changePct)]);
  out.push(indent(textTable(['NAMESPACE', 'NAT BYTES', 'COST', 'DAY BEFORE', 'CHANGE'], rows, [1, 2, 3, 4])));
  out.push('', `REJECTed egress by workload (${plural(d.rejectsTotal, 'attempt')})`);
  out.push(
    d.rejects.length
      ? indent(
          textTable(
            ['WORKLOAD', 'ATTEMPTS', 'DESTINATIONS'],
            d.rejects.map((r) => [r.workload, String(r.attempts), r.destinations.join(' ')]),
            [1],
          ),
        )
      : '  none',
  );
  for (const s of d.skipped) out.push(`⚠ skipped unreadable object ${s.key}: ${s.reason}`);
  for (const n of d.notes) out.push(`ℹ ${n}`);
  const s = d.stats;
  out.push(
    '',
    `engine ${s.engine} · ${s.queries} ${s.queries === 1 ? 'query' : 'queries'} · scanned ${humanBytes(s.bytesScanned)}${s.engine === 'athena' ? ` · cost ${usd(s.costUsd)}` : ''} · ${s.elapsedMs} ms`,
  );
  return out.join('\n');
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');

/** The digest as JSON: the data with ISO-8601 UTC times; integers stay integers. */
export function renderDigestJson(d: Digest): Record<string, unknown> {
  const finding = (f: Finding) => ({
    ...f,
    firstSeen: isoSeconds(f.firstSeen),
    lastSeen: isoSeconds(f.lastSeen),
    workloads: f.workloads.map((w) => ({ ...w, firstSeen: isoSeconds(w.firstSeen), lastSeen: isoSeconds(w.lastSeen) })),
  });
  const { engine, queries, bytesScanned, costUsd, queryExecutionIds } = d.stats;
  return {
    command: 'digest',
    date: d.date,
    tz: d.tz,
    period: { from: isoSeconds(d.period.from), to: isoSeconds(d.period.to) },
    baselineFrom: isoSeconds(d.baselineFrom),
    newDestinations: d.newDestinations.map(finding),
    dnsBypass: d.dnsBypass.map(finding),
    suppressed: d.suppressed,
    topTalkers: d.topTalkers,
    bytesOutTotal: d.bytesOutTotal,
    cost: d.cost,
    costTotal: d.costTotal,
    pricePerGb: d.pricePerGb,
    rejects: d.rejects,
    rejectsTotal: d.rejectsTotal,
    chart: d.chart,
    stats: { engine, queries, bytesScanned, costUsd, queryExecutionIds },
    skipped: d.skipped,
    ...(d.notes.length ? { notes: d.notes } : {}),
  };
}
