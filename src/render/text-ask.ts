/** Text of the answers that ask by name, pattern, range (`who`) and by workload (`from`). Pure. */
import type { FromAnswer } from '../commands/from.js';
import { selectorText } from '../commands/selector.js';
import type { WhoCidrAnswer } from '../commands/who-cidr.js';
import type { WhoNameAnswer } from '../commands/who-name.js';
import { protocolName } from '../flowlogs/protocol.js';
import { humanBytes, shortTime, textTable } from './format.js';
import { rowsText, span } from './text-rows.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The names part of `who <name>`: what Resolver answered, per address, and who else shares an address. */
function answersText(a: WhoNameAnswer): string[] {
  const asked = a.asked.kind === 'name' ? a.asked.name : a.asked.pattern;
  if (!a.addresses.length) return ['', `No resolver answers for ${asked} in the window (see the note).`];
  const out = ['', `Resolver answers for ${asked}:`];
  for (const d of a.addresses) {
    const via = d.cnames.length ? `  (via CNAME ${d.cnames.join(', ')})` : '';
    const internal = d.internal ? '  internal, not egress' : '';
    out.push(`  ${d.ip}  ${d.names.join(', ')}${via}  ×${d.queries}, last ${shortTime(d.lastSeen)}${internal}`);
  }
  const shared = a.rows.filter((r) => r.sharedWith.length);
  const lines = [...new Set(shared.map((r) => `  ${r.externalIp}: also ${r.sharedWith.join(', ')}`))];
  if (lines.length) out.push('', 'Shared addresses (other names resolved to them too):', ...lines);
  return out;
}

/** `who <name>`, `who *.<suffix>` and `who <cidr>`. */
export function whoAskText(a: WhoNameAnswer | WhoCidrAnswer): string[] {
  if ('cidr' in a) {
    const names = [...new Map(a.rows.map((r) => [r.externalIp, r.domains])).entries()].sort(([x], [y]) =>
      x < y ? -1 : x > y ? 1 : 0,
    );
    return [
      `who ${a.cidr}${span(a)}`,
      ...rowsText(a.rows),
      '',
      names.length ? 'Names that resolved to each address:' : 'No addresses of the range were reached.',
      ...names.map(([ip, d]) => `  ${ip}  ${d.length ? d.join(', ') : '(no resolver answer)'}`),
    ];
  }
  const asked = a.asked.kind === 'name' ? a.asked.name : a.asked.pattern;
  return [`who ${asked}${span(a)}`, ...rowsText(a.rows), ...answersText(a)];
}

/** `from <selector>`: one line per destination, then the pods and the times they held their addresses. */
export function fromText(a: FromAnswer): string[] {
  const rows = a.destinations;
  const fresh = rows.filter((r) => r.new).length;
  const out = [
    `from ${selectorText(a.selector)}${span(a)}`,
    `${plural(rows.length, 'destination')} · ${fresh} new · ${a.holders.length} pod address${a.holders.length === 1 ? '' : 'es'} · ` +
      `${humanBytes(rows.reduce((s, r) => s + r.bytesOut, 0))} out · ${humanBytes(rows.reduce((s, r) => s + r.bytesIn, 0))} in`,
    '',
  ];
  if (!rows.length) out.push('No traffic to the internet from these pods in this window.');
  else {
    out.push(
      textTable(
        [
          'DESTINATION',
          'NAMES',
          'PODS',
          'FLOWS',
          'REJECTED',
          'OUT',
          'IN',
          'FIRST SEEN (UTC)',
          'LAST SEEN (UTC)',
          'NEW',
        ],
        rows.map((r) => [
          `${r.externalIp}:${r.dstPort}/${protocolName(r.protocol)}`,
          r.names.length ? r.names.join(', ') : '—',
          r.pods.join(', '),
          String(r.flows),
          String(r.rejected),
          humanBytes(r.bytesOut),
          humanBytes(r.bytesIn),
          shortTime(r.firstSeen),
          shortTime(r.lastSeen),
          r.new ? 'new' : '',
        ]),
        [3, 4, 5, 6],
      ),
    );
  }
  out.push('', 'Pods and the times they held their addresses:');
  for (const h of a.holders) {
    const from = h.from !== undefined ? shortTime(h.from) : '?';
    const to = h.to == null ? 'still holds it' : shortTime(h.to);
    out.push(`  ${h.pod ? `${h.namespace}/${h.pod}` : `node ${h.node ?? '?'}`}  ${h.ip}  ${from} → ${to}`);
  }
  return out;
}
