/** Block Kit pieces for traffic rows and resolver names (who, dns-bypass, domain). Pure. */
import { workloadLabel } from '../attribution/owners.js';
import type { DomainHit, FlowRow } from '../commands/answer.js';
import { protocolName } from '../flowlogs/protocol.js';
import { type Block, esc, linesToSections, section, slackDate } from './blocks-kit.js';
import { humanBytes, plural } from './format.js';
import { sourceLabel } from './text.js';

/** Domain names listed inline. */
const MAX_DOMAINS = 40;

/** One row as one mrkdwn line: who, which pod, where to, how much, when. */
function rowLine(r: FlowRow, fixedIp: boolean): string {
  const who = r.workload
    ? `*${esc(workloadLabel(r.workload))}*`
    : r.owner
      ? `*${esc(sourceLabel(r))}*`
      : '_unattributed_';
  const pod = r.pod ? `\`${esc(r.pod)}\`` : `\`${esc(r.podIp)}\``;
  const dst = `${fixedIp ? '' : `${esc(r.externalIp)}:`}${r.dstPort}/${protocolName(r.protocol)}`;
  const rejected = r.rejected ? ` · ⛔ ${r.rejected} rejected` : '';
  // Without a workload the reason says why; with one it is a caveat about the attribution (e.g. a reused IP).
  const reason = r.reason ? ` · ${r.workload ? '⚠️ ' : ''}_${esc(r.reason)}_` : '';
  return (
    `• ${who} · ${pod} · ${dst} · ${plural(r.flows, 'flow')}${rejected} · ` +
    `↑ ${humanBytes(r.bytesOut)} ↓ ${humanBytes(r.bytesIn)} · ${slackDate(r.firstSeen)} → ${slackDate(r.lastSeen)}${reason}`
  );
}

/** The first `maxRows` rows; `fixedIp` leaves the address out of each line (the question named it). */
export function rowBlocks(
  rows: readonly FlowRow[],
  maxRows: number,
  fixedIp: boolean,
): { blocks: Block[]; shown: number } {
  if (!rows.length) return { blocks: [section('No matching traffic in this window.')], shown: 0 };
  const shown = rows.slice(0, maxRows);
  const head =
    shown.length < rows.length
      ? `*Top ${shown.length} of ${rows.length} rows* by bytes out · the full result is in the CSV below`
      : `*Traffic by pod and destination* (${plural(rows.length, 'row')})`;
  return {
    blocks: [section(head), ...linesToSections(shown.map((r) => rowLine(r, fixedIp)))],
    shown: shown.length,
  };
}

function domainLine(d: DomainHit): string {
  const via = d.cnames.length ? ` (via CNAME ${d.cnames.map((c) => `\`${esc(c)}\``).join(' → ')})` : '';
  return `• \`${esc(d.name)}\`${via} · ×${d.queries} · last ${slackDate(d.lastSeen)}`;
}

/** The names that resolved to `ip`, or a line saying there were none. */
export function domainBlocks(hits: readonly DomainHit[], ip: string): Block[] {
  if (!hits.length) return [section(`No resolver answers name ${esc(ip)} in the window.`)];
  const lines = hits.slice(0, MAX_DOMAINS).map(domainLine);
  if (hits.length > MAX_DOMAINS) lines.push(`…and ${hits.length - MAX_DOMAINS} more`);
  return [section(`*Names that resolved to ${esc(ip)}*`), ...linesToSections(lines)];
}

/** `*3 rows* · 2 workloads · 1 unattributed · ↑ 1.2 MiB out · ↓ 3 MiB in` */
export function rowsSummary(rows: readonly FlowRow[]): string[] {
  const attributed = rows.filter((r) => r.workload || r.owner);
  const parts = [`*${plural(rows.length, 'row')}*`, plural(new Set(attributed.map(sourceLabel)).size, 'workload')];
  if (attributed.length < rows.length) parts.push(`${rows.length - attributed.length} unattributed`);
  parts.push(`↑ ${humanBytes(rows.reduce((s, r) => s + r.bytesOut, 0))} out`);
  parts.push(`↓ ${humanBytes(rows.reduce((s, r) => s + r.bytesIn, 0))} in`);
  return parts;
}
