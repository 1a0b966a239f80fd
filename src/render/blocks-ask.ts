/** Block Kit parts of the answers that ask by name, pattern, range (`who`) and by workload (`from`). Pure. */
import type { FromAnswer } from '../commands/from.js';
import type { WhoCidrAnswer } from '../commands/who-cidr.js';
import type { WhoNameAnswer } from '../commands/who-name.js';
import { protocolName } from '../flowlogs/protocol.js';
import { rowsSummary } from './blocks-flow.js';
import { type Block, esc, linesToSections, section, slackDate } from './blocks-kit.js';
import { humanBytes, plural } from './format.js';

const MAX_LINES = 40;
const asked = (a: WhoNameAnswer) => (a.asked.kind === 'name' ? a.asked.name : a.asked.pattern);

/** Summary line of `who <name>` / `who <cidr>` / `from`. */
export function askSummary(a: WhoNameAnswer | WhoCidrAnswer | FromAnswer): string {
  if (a.command === 'from') {
    const d = a.destinations;
    return [
      `*${plural(d.length, 'destination')}*`,
      `${d.filter((r) => r.new).length} new`,
      `↑ ${humanBytes(d.reduce((s, r) => s + r.bytesOut, 0))} out`,
      `↓ ${humanBytes(d.reduce((s, r) => s + r.bytesIn, 0))} in`,
    ].join(' · ');
  }
  const addresses = 'cidr' in a ? new Set(a.rows.map((r) => r.externalIp)).size : a.addresses.length;
  return [...rowsSummary(a.rows), plural(addresses, 'address', 'addresses')].join(' · ');
}

const list = (lines: string[], more: number) => (more > 0 ? [...lines, `…and ${more} more`] : lines);

/** What Resolver answered for the asked name(s), and which rows share an address with other names. */
export function nameBlocks(a: WhoNameAnswer): Block[] {
  if (!a.addresses.length) {
    return [
      section(`No resolver answers for \`${esc(asked(a))}\` in the window: it may be cached or resolved elsewhere.`),
    ];
  }
  const lines = a.addresses.slice(0, MAX_LINES).map((d) => {
    const via = d.cnames.length ? ` (via CNAME ${d.cnames.map((c) => `\`${esc(c)}\``).join(', ')})` : '';
    return `• \`${esc(d.ip)}\` ← ${d.names.map((n) => `\`${esc(n)}\``).join(', ')}${via} · ×${d.queries} · last ${slackDate(d.lastSeen)}${d.internal ? ' · internal' : ''}`;
  });
  const shared = [...new Set(a.rows.filter((r) => r.sharedWith.length).map((r) => r.externalIp))].map((ip) => {
    const r = a.rows.find((x) => x.externalIp === ip);
    return `• ⚠️ \`${esc(ip)}\` also answers for ${(r?.sharedWith ?? []).map((n) => `\`${esc(n)}\``).join(', ')} (a shared address)`;
  });
  return [
    section(`*Resolver answers for ${esc(asked(a))}*`),
    ...linesToSections(list(lines, a.addresses.length - MAX_LINES)),
    ...(shared.length ? linesToSections(shared) : []),
  ];
}

/** The names of each address of a `who <cidr>` answer. */
export function cidrNameBlocks(a: WhoCidrAnswer): Block[] {
  const byIp = [...new Map(a.rows.map((r) => [r.externalIp, r.domains])).entries()];
  if (!byIp.length) return [];
  const lines = byIp
    .slice(0, MAX_LINES)
    .map(
      ([ip, d]) => `• \`${esc(ip)}\` · ${d.length ? d.map((n) => `\`${esc(n)}\``).join(', ') : '_no resolver answer_'}`,
    );
  return [section('*Names per address*'), ...linesToSections(list(lines, byIp.length - MAX_LINES))];
}

/** The first `maxRows` destinations of a `from` answer. */
export function fromBlocks(a: FromAnswer, maxRows: number): { blocks: Block[]; shown: number } {
  const rows = a.destinations;
  if (!rows.length)
    return { blocks: [section('No traffic to the internet from these pods in this window.')], shown: 0 };
  const shown = rows.slice(0, maxRows);
  const head =
    shown.length < rows.length
      ? `*Top ${shown.length} of ${rows.length} destinations* by bytes out · the full result is in the CSV below`
      : `*Destinations* (${plural(rows.length, 'row')})`;
  const lines = shown.map((r) => {
    const names = r.names.length
      ? ` (${r.names.slice(0, 3).map(esc).join(', ')}${r.names.length > 3 ? ', …' : ''})`
      : '';
    const rejected = r.rejected ? ` · ⛔ ${r.rejected} rejected` : '';
    return (
      `• ${r.new ? '🆕 ' : ''}*${esc(r.externalIp)}:${r.dstPort}/${protocolName(r.protocol)}*${names} · ${plural(r.flows, 'flow')}${rejected} · ` +
      `↑ ${humanBytes(r.bytesOut)} ↓ ${humanBytes(r.bytesIn)} · ${slackDate(r.firstSeen)} → ${slackDate(r.lastSeen)} · ${r.pods.map((p) => `\`${esc(p)}\``).join(', ')}`
    );
  });
  return { blocks: [section(head), ...linesToSections(lines)], shown: shown.length };
}
