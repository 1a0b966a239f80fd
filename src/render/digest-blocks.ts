/**
 * The digest as one Slack message: findings with buttons (Triage, Mark expected, Widen to 30d, CSV), then top talkers,
 * NAT cost vs the day before and REJECTs. Pure; stays within Slack's limits (≤ 50 blocks, ≤ 3000 characters per
 * section): findings beyond what fits are counted and left to the CSV the poster attaches to the thread.
 */
import type { ActionsBlock, Button } from '@slack/types';
import type { Acted, Digest, DigestAction, Finding } from '../digest/types.js';
import { type Block, clip, context, esc, SLACK_LIMITS, section, slackDate } from './blocks-kit.js';
import { changeText, newnessText } from './digest-text.js';
import { humanBytes, textTable, usd } from './format.js';

/** A finding's buttons and the actions block holding them (`@slack/types`). */
export type FindingButton = Button & { action_id: string; value: string };
export type DigestBlock =
  | Block
  | (Omit<ActionsBlock, 'block_id' | 'elements'> & { block_id: string; elements: FindingButton[] });

/** `action_id`s of the finding buttons; the value of each is the finding id. */
export const DIGEST_ACTIONS: Record<DigestAction, string> = {
  triage: 'digest_triage',
  mark: 'digest_mark',
  widen: 'digest_widen',
  csv: 'digest_csv',
};
export type { Acted, DigestAction };

/** The rendered message and what it left out. */
export interface DigestMessage {
  text: string;
  blocks: DigestBlock[];
  shownFindings: number;
  totalFindings: number;
  /** Findings were left out: attach the CSV. */
  truncated: boolean;
}

/** Blocks that are not findings: header, context, 2 titles, overflow note, top (2), cost (2), rejects, footer. */
const FIXED_BLOCKS = 11;
/** Workloads listed under one finding; the rest are counted. */
const MAX_WORKLOADS = 5;
const ACTED_TEXT: Record<DigestAction, string> = {
  mark: '✅ marked expected by',
  triage: '🔎 triage requested by',
  widen: '↔️ widened to 30 days by',
  csv: '📄 CSV requested by',
};

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
const button = (text: string, action: DigestAction, value: string, primary = false): FindingButton => ({
  type: 'button',
  text: { type: 'plain_text', text, emoji: true },
  action_id: DIGEST_ACTIONS[action],
  value,
  ...(primary ? { style: 'primary' as const } : {}),
});

function findingText(f: Finding, acted: readonly Acted[]): string {
  const names = f.names.map((n) => `\`${esc(n)}\`${f.newNames.includes(n) ? ' ★' : ''}`).join(', ');
  const rejected = f.rejected ? ` (⛔ ${f.rejected} rejected)` : '';
  const lines = [
    `*${esc(f.destination)}*${names ? ` ${names}` : ''} · ${newnessText(f)} · ${plural(f.flows, 'flow')}${rejected} · ↑ ${humanBytes(f.bytesOut)}`,
  ];
  for (const w of f.workloads.slice(0, MAX_WORKLOADS)) {
    const pods =
      w.pods
        .slice(0, 3)
        .map((p) => `\`${esc(p)}\``)
        .join(', ') + (w.pods.length > 3 ? ` +${w.pods.length - 3}` : '');
    lines.push(
      `• *${esc(w.workload)}* · ${pods} · ${esc(w.ports.join(' '))} · ↑ ${humanBytes(w.bytesOut)} · ${slackDate(w.firstSeen)} → ${slackDate(w.lastSeen)}`,
    );
  }
  if (f.workloads.length > MAX_WORKLOADS)
    lines.push(`…and ${plural(f.workloads.length - MAX_WORKLOADS, 'more workload')}`);
  for (const a of acted) lines.push(`${ACTED_TEXT[a.action]} <@${esc(a.user)}>`);
  return clip(lines.join('\n'), SLACK_LIMITS.sectionText);
}

function findingBlocks(f: Finding, acted: readonly Acted[]): DigestBlock[] {
  const marked = acted.some((a) => a.action === 'mark');
  const elements = [
    button('🔎 Triage', 'triage', f.id, true),
    ...(marked ? [] : [button('✅ Mark expected', 'mark', f.id)]),
    button('↔️ Widen to 30d', 'widen', f.id),
    button('📄 CSV', 'csv', f.id),
  ];
  return [section(findingText(f, acted)), { type: 'actions', block_id: `finding-${f.id}`, elements }];
}

const code = (text: string) => section(`\`\`\`${clip(text, SLACK_LIMITS.sectionText - 6)}\`\`\``);

/** Renders the digest message; `acted` (finding id → acts) comes from Redis after button clicks. */
export function digestMessage(d: Digest, acted: Readonly<Record<string, readonly Acted[]>> = {}): DigestMessage {
  const all = [...d.newDestinations, ...d.dnsBypass];
  const budget = Math.floor((SLACK_LIMITS.blocks - FIXED_BLOCKS) / 2);
  const shown = new Set(all.slice(0, budget));
  const part = (list: Finding[]) =>
    list.filter((f) => shown.has(f)).flatMap((f) => findingBlocks(f, acted[f.id] ?? []));
  const suppressed = d.suppressed.length ? ` · ${plural(d.suppressed.length, 'item')} marked expected, not shown` : '';
  const blocks: DigestBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: clip(`🛡️ Egress digest · ${d.date}`, SLACK_LIMITS.headerText) },
    },
    context(
      `${slackDate(d.period.from)} → ${slackDate(d.period.to)} (${esc(d.tz)}) · new = not reached in the 14 days before${suppressed}`,
    ),
    section(`*🆕 New external destinations* (${d.newDestinations.length})${d.newDestinations.length ? '' : ' — none'}`),
    ...part(d.newDestinations),
    section(
      `*🧭 DNS bypass* (${d.dnsBypass.length})${d.dnsBypass.length ? ' — DNS/DoT to internet resolvers' : ' — none'}`,
    ),
    ...part(d.dnsBypass),
  ];
  if (shown.size < all.length) {
    blocks.push(
      section(`…and ${plural(all.length - shown.size, 'more finding')}: every finding is in the CSV in the thread.`),
    );
  }
  blocks.push(...summaryBlocks(d));
  return {
    text: `Egress digest ${d.date}: ${plural(d.newDestinations.length, 'new destination')}, ${plural(d.dnsBypass.length, 'DNS-bypass finding')}, NAT ${usd(d.costTotal.usd)} (${changeText(d.costTotal.changePct)})`,
    blocks,
    shownFindings: shown.size,
    totalFindings: all.length,
    truncated: shown.size < all.length,
  };
}

function summaryBlocks(d: Digest): DigestBlock[] {
  const top = textTable(
    ['WORKLOAD', 'OUT', 'FLOWS'],
    d.topTalkers.map((t) => [clip(t.workload, 48), humanBytes(t.bytesOut), String(t.flows)]),
    [1, 2],
  );
  const cost = d.cost
    .slice(0, 15)
    .map((c) => [clip(c.namespace, 30), humanBytes(c.bytes), usd(c.usd), changeText(c.changePct)]);
  if (d.cost.length > 15) cost.push([`…${d.cost.length - 15} more`, '', '', '']);
  const t = d.costTotal;
  cost.push(['total', humanBytes(t.bytes), usd(t.usd), changeText(t.changePct)]);
  const rejects = d.rejects
    .slice(0, 10)
    .map(
      (r) =>
        `• *${esc(r.workload)}* · ${r.attempts} · ${esc(r.destinations.slice(0, 3).join(' '))}${r.destinations.length > 3 ? ' …' : ''}`,
    );
  const s = d.stats;
  return [
    section(`*📈 Top talkers* by bytes out · ${humanBytes(d.bytesOutTotal)} to the internet in total`),
    code(esc(top)),
    section(`*💸 NAT data-processing cost* per namespace vs the day before · $${d.pricePerGb}/GB`),
    code(esc(textTable(['NAMESPACE', 'NAT BYTES', 'COST', 'CHANGE'], cost, [1, 2, 3]))),
    section(
      `*⛔ REJECTed egress* · ${plural(d.rejectsTotal, 'attempt')}${rejects.length ? `\n${rejects.join('\n')}` : ' — none'}`,
    ),
    context(
      `📊 chart of bytes out per namespace over 14 days in the thread · engine ${s.engine} · ${s.queries} queries · scanned ${humanBytes(s.bytesScanned)}`,
    ),
  ];
}
