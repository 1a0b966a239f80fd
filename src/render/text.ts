import { workloadLabel } from '../attribution/owners.js';
import type { DomainHit, HistoryEntry } from '../commands/answer.js';
import type { Answer } from '../commands/registry.js';
import { coverageSummary, coverageWarnings } from './coverage.js';
import { humanBytes, plural, shortTime, textTable, usd } from './format.js';
import { tableText } from './table.js';
import { fromText, whoAskText } from './text-ask.js';
import { costExtraLines } from './text-cost.js';
import { policyText } from './text-policy.js';
import { rowsText, span } from './text-rows.js';

export { sourceLabel } from './text-rows.js';

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

/** The title line and the command's own part. */
function body(a: Answer): string[] {
  switch (a.command) {
    case 'who':
      if (!('ip' in a)) return whoAskText(a);
      return [`who ${a.ip}${span(a)}`, ...rowsText(a.rows), ...domainsText(a.domains)];
    case 'from':
      return fromText(a);
    case 'policy':
      return policyText(a);
    case 'dns-bypass':
      return [
        `dns-bypass${span(a)} — pods sending DNS (53) / DNS-over-TLS (853) to internet resolvers`,
        ...rowsText(a.rows),
      ];
    case 'domain':
      return [`domain ${a.ip}${span(a)}`, ...domainsText(a.domains)];
    case 'ip-history':
      return [`ip-history ${a.ip}${span(a)}`, ...historyText(a.history)];
    case 'cost':
      return [`${a.command}${span(a)}`, '', tableText(a.table), ...costExtraLines(a)];
    case 'top':
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
      `engine ${s.engine} · scanned ${humanBytes(s.bytesScanned)}${s.objectsRead !== undefined ? ` in ${plural(s.objectsRead, 'object')}` : ''}` +
        `${s.engine === 'athena' ? ` · cost ${usd(s.costUsd)}${s.reused ? ' (reused result)' : ''}` : ''} · ${s.elapsedMs} ms`,
    );
  }
  return out.join('\n');
}
