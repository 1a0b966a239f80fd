import { workloadLabel } from '../attribution/owners.js';
import type { Holder } from '../attribution/types.js';
import type { Answer, FlowRow } from '../commands/answer.js';
import { humanBytes, protocolName, shortTime, textTable, usd } from './format.js';
import { tableText } from './table.js';

/** Who sent it, as one cell: workload, else EC2 owner, else "unattributed". */
export function sourceLabel(r: FlowRow): string {
  if (r.workload) return workloadLabel(r.workload);
  if (r.owner) return `${r.owner.type} ${r.owner.id}${r.owner.name ? ` (${r.owner.name})` : ''}`;
  return 'unattributed';
}

function flowTable(rows: FlowRow[]): string {
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

/** ip-history intervals, oldest first; an end known only as an upper bound reads "before …". */
function historyTable(rows: Array<Holder & { endedBefore?: boolean }>): string {
  const multi = new Set(rows.map((h) => h.cluster)).size > 1;
  return textTable(
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
}

/** A readable answer to paste into an incident channel. Pure. */
export function renderText(a: Answer): string {
  const out: string[] = [];
  const span = a.window ? ` · ${a.label} (${shortTime(a.window.from)} → ${shortTime(a.window.to)} UTC)` : '';
  switch (a.command) {
    case 'help':
      return (a.lines ?? []).join('\n');
    case 'who':
      out.push(`who ${a.ip}${span}`);
      break;
    case 'dns-bypass':
      out.push(`dns-bypass${span} — pods sending DNS (53) / DNS-over-TLS (853) to internet resolvers`);
      break;
    case 'domain':
      out.push(`domain ${a.ip}${span}`);
      break;
    default:
      out.push(`${a.command}${a.ip ? ` ${a.ip}` : ''}${span}`);
  }
  if (a.rows) {
    const rows = a.rows;
    const workloads = new Set(rows.map(sourceLabel));
    out.push(
      `${rows.length} row${rows.length === 1 ? '' : 's'} · ${workloads.size} source${workloads.size === 1 ? '' : 's'} · ` +
        `${humanBytes(rows.reduce((s, r) => s + r.bytesOut, 0))} out · ${humanBytes(rows.reduce((s, r) => s + r.bytesIn, 0))} in`,
    );
    out.push('');
    out.push(rows.length ? flowTable(rows) : 'No matching traffic in this window.');
    const reasons = [...new Set(rows.filter((r) => !r.workload && r.reason).map((r) => `  ${r.podIp}: ${r.reason}`))];
    if (reasons.length) out.push('', 'Unattributed:', ...reasons);
    const caveats = [...new Set(rows.filter((r) => r.workload && r.reason).map((r) => `  ${r.podIp}: ${r.reason}`))];
    if (caveats.length) out.push('', 'Caveats:', ...caveats);
  }
  if (a.domains) {
    out.push(
      '',
      a.domains.length ? 'Names that resolved to it:' : 'No resolver answers name this address in the window.',
    );
    for (const d of a.domains) {
      out.push(
        `  ${d.name}${d.cnames.length ? `  (via CNAME ${d.cnames.join(' → ')})` : ''}  ×${d.queries}, last ${shortTime(d.lastSeen)}`,
      );
    }
  }
  if (a.history) out.push('', a.history.length ? historyTable(a.history) : 'No pod held this address in the window.');
  if (a.table) out.push('', tableText(a.table));
  if (a.notes.length) out.push('', ...a.notes.map((n) => `note: ${n}`));
  for (const s of a.skipped) out.push(`⚠ skipped unreadable object ${s.key}: ${s.reason}`);
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
