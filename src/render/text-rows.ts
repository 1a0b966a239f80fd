/** The traffic-rows part of the text answers (who, dns-bypass) and the title span. Pure. */
import { workloadLabel } from '../attribution/owners.js';
import type { FlowRow, WindowedAnswer } from '../commands/answer.js';
import { protocolName } from '../flowlogs/protocol.js';
import { humanBytes, shortTime, textTable } from './format.js';

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
export function rowsText(rows: readonly FlowRow[]): string[] {
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

/** ` · last 7d (2026-11-13 12:00 → 2026-11-20 12:00 UTC)` */
export const span = (a: WindowedAnswer) =>
  ` · ${a.label} (${shortTime(a.window.from)} → ${shortTime(a.window.to)} UTC)`;
