import { workloadLabel } from '../attribution/owners.js';
import type { DomainHit, FlowRow, HistoryEntry, WindowedAnswer } from '../commands/answer.js';
import type { Answer } from '../commands/registry.js';
import { protocolName } from '../flowlogs/protocol.js';
import { coverageSummary, coverageWarnings } from './coverage.js';
import { humanBytes, shortTime, textTable, usd } from './format.js';
import { tableText } from './table.js';

/** Who sent it, as one cell: workload, else EC2 owner, else "unattributed". */
export function sourceLabel(r: FlowRow): string {
  if (r.workload) return workloadLabel(r.workload);
  if (r.owner) return `${r.owner.type} ${r.owner.id}${r.owner.name ? ` (${r.owner.name})` : ''}`;
  return 'unattributed';
}

function flowTable(rows: readonly FlowRow[]): string {
  return textTable(
    [
      'WORKLOAD',
      'POD',
      'POD IP',
      'DESTINATION',
      'FLOWS',
      'REJECTED',
      'OUT',
      'IN',
      'FIRST SEEN (UTC)',
      'LAST SEEN (UTC)',
    ],
    rows.map((r) => [
      sourceLabel(r),
      r.pod ?? '—',
      r.podIp,
      `${r.externalIp}:${r.dstPort}/${protocolName(r.protocol)}`,
      String(r.flows),
      String(r.rejected),
      humanBytes(r.bytesOut),
      humanBytes(r.bytesIn),
      shortTime(r.firstSeen),
      shortTime(r.lastSeen),
    ]),
    [4, 5, 6, 7],
  );
}

/** The rows part: a count line, the table, then why rows are unattributed and caveats about attributed ones. */
function rowsText(rows: readonly FlowRow[]): string[] {
  const workloads = new Set(rows.map(sourceLabel));
  const out = [
    `${rows.length} row${rows.length === 1 ? '' : 's'} · ${workloads.size} source${workloads.size === 1 ? '' : 's'} · ` +
      `${humanBytes(rows.reduce((s, r) => s + r.bytesOut, 0))} out · ${humanBytes(rows.reduce((s, r) => s + r.bytesIn, 0))} in`,
    '',
    rows.length ? flowTable(rows) : 'No matching traffic in this window.',
  ];
  const reasons = [...new Set(rows.filter((r) => !r.workload && r.reason).map((r) => `  ${r.podIp}: ${r.reason}`))];
  if (reasons.length) out.push('', 'Unattributed:', ...reasons);
  const caveats = [...new Set(rows.filter((r) => r.workload && r.reason).map((r) => `  ${r.podIp}: ${r.reason}`))];
  if (caveats.length) out.push('', 'Caveats:', ...caveats);
  return out;
}

function domainsText(hits: readonly DomainHit[]): string[] {
  return [
    '',
    hits.length ? 'Names that resolved to it:' : 'No resolver answers name this address in the window.',
    ...hits.map(
      (d) =>
        `  ${d.name}${d.cnames.length ? `  (via CNAME ${d.cnames.join(' → ')})` : ''}  ×${d.queries}, last ${shortTime(d.lastSeen)}`,
    ),
  ];
}

/** ip-history intervals, oldest first; an end known only as an upper bound reads "before …". */
function historyText(rows: readonly HistoryEntry[]): string[] {
  if (!rows.length) return ['', 'No pod held this address in the window.'];
  const multi = new Set(rows.map((h) => h.cluster)).size > 1;
  const table = textTable(
    [...(multi ? ['CLUSTER'] : []), 'POD', 'WORKLOAD', 'NODE', 'FROM (UTC)', 'TO (UTC)'],
    rows.map((h) => [
      ...(multi ? [h.cluster ?? '—'] : []),
      h.pod ? `${h.namespace}/${h.pod}` : '(node)',
      workloadLabel(h.workload),
      h.node ?? '—',
      h.from !== undefined ? shortTime(h.from) : '—',
      h.to == null ? 'still holds it' : `${h.endedBefore ? 'before ' : ''}${shortTime(h.to)}`,
    ]),
  );
  return ['', table];
}

const span = (a: WindowedAnswer) => ` · ${a.label} (${shortTime(a.window.from)} → ${shortTime(a.window.to)} UTC)`;

/** The title line and the command's own part. */
function body(a: Answer): string[] {
  switch (a.command) {
    case 'who':
      return [`who ${a.ip}${span(a)}`, ...rowsText(a.rows), ...domainsText(a.domains)];
    case 'dns-bypass':
      return [
        `dns-bypass${span(a)} — pods sending DNS (53) / DNS-over-TLS (853) to internet resolvers`,
        ...rowsText(a.rows),
      ];
    case 'domain':
      return [`domain ${a.ip}${span(a)}`, ...domainsText(a.domains)];
    case 'ip-history':
      return [`ip-history ${a.ip}${span(a)}`, ...historyText(a.history)];
    case 'top':
    case 'cost':
    case 'rejects':
      return [`${a.command}${span(a)}`, '', tableText(a.table)];
    case 'help':
      return a.lines;
  }
}

/** A readable answer to paste into an incident channel. Pure. */
export function renderText(a: Answer): string {
  if (a.command === 'help') return a.lines.join('\n');
  const out = body(a);
  if (a.notes.length) out.push('', ...a.notes.map((n) => `note: ${n}`));
  for (const s of a.skipped) out.push(`⚠ skipped unreadable object ${s.key}: ${s.reason}`);
  if (a.coverage) out.push('', coverageSummary(a.coverage), ...coverageWarnings(a.coverage).map((w) => `⚠ ${w}`));
  if (a.stats) {
    const s = a.stats;
    out.push(
      '',
      `engine ${s.engine} · scanned ${humanBytes(s.bytesScanned)}${s.objectsRead !== undefined ? ` in ${s.objectsRead} objects` : ''}` +
        `${s.engine === 'athena' ? ` · cost ${usd(s.costUsd)}${s.reused ? ' (reused result)' : ''}` : ''} · ${s.elapsedMs} ms`,
    );
  }
  return out.join('\n');
}
