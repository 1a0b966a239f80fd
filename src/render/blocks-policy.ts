/** Block Kit part of a `policy` answer: the selector and the top destinations; the drafts go up as files. Pure. */
import type { PolicyAnswer } from '../commands/policy.js';
import { protocolName } from '../flowlogs/protocol.js';
import { type Block, esc, linesToSections, section } from './blocks-kit.js';
import { humanBytes, plural } from './format.js';
import { portsText } from './text-policy.js';

const MAX_NAMES = 3;
const MAX_ADDRESSES = 2;

const some = (items: readonly string[], max: number) =>
  `${items
    .slice(0, max)
    .map((x) => `\`${esc(x)}\``)
    .join(', ')}${items.length > max ? `, +${items.length - max}` : ''}`;

/** The first `maxRows` destinations by bytes out (the files hold all of them), the selector and what was left out. */
export function policyBlocks(a: PolicyAnswer, maxRows: number): { blocks: Block[]; shown: number } {
  const selector = a.podSelector
    ? Object.keys(a.podSelector).length
      ? `Selected by ${Object.entries(a.podSelector)
          .map(([k, v]) => `\`${esc(k)}=${esc(v)}\``)
          .join(', ')}`
      : 'Selects every pod of the namespace'
    : '⚠️ No pod selector: no Cilium or Kubernetes draft (see the notes)';
  const blocks: Block[] = [section(`${selector} · ${plural(a.pods.length, 'pod')}`)];
  const rows = [...a.destinations].sort(
    (x, y) =>
      y.bytesOut - x.bytesOut || (x.names[0] ?? x.addresses[0] ?? '').localeCompare(y.names[0] ?? y.addresses[0] ?? ''),
  );
  if (!rows.length) blocks.push(section('No ACCEPTed egress to the internet from these pods in this window.'));
  const shown = rows.slice(0, maxRows);
  if (shown.length) {
    blocks.push(
      section(
        shown.length < rows.length
          ? `*Top ${shown.length} of ${rows.length} destinations* by bytes out · all of them are in the draft files below`
          : `*Destinations the drafts allow* (${rows.length})`,
      ),
    );
    const lines = shown.map((d) => {
      const names = d.names.length ? some(d.names, MAX_NAMES) : '_no DNS name seen_';
      return `• ${names} → ${some(d.addresses, MAX_ADDRESSES)} · ${esc(portsText(d.ports))} · ${plural(d.flows, 'flow')} · ↑ ${humanBytes(d.bytesOut)} ↓ ${humanBytes(d.bytesIn)}`;
    });
    blocks.push(...linesToSections(lines));
  }
  if (a.rejected.length) {
    const list = a.rejected
      .slice(0, 10)
      .map((r) => `\`${esc(r.address)}:${r.port}/${protocolName(r.protocol)}\` ×${r.attempts}`)
      .join(', ');
    const more = a.rejected.length > 10 ? ` and ${a.rejected.length - 10} more` : '';
    blocks.push(section(`⛔ Left out, only REJECTed attempts: ${list}${more}`));
  }
  return { blocks, shown: shown.length };
}
