/**
 * An {@link Answer} as thread replies: a summary, the rows (first N), the domains, and any generic table. Pure; the
 * caller attaches the CSV when {@link AnswerMessages.truncated} says rows were left out.
 */
import { workloadLabel } from '../attribution/owners.js';
import type { Answer, DomainHit, FlowRow } from '../commands/answer.js';
import {
  type Block,
  type BlockMessage,
  context,
  esc,
  linesToSections,
  packMessages,
  SLACK_LIMITS,
  section,
  slackDate,
} from './blocks-kit.js';
import { humanBytes, protocolName, usd } from './format.js';
import { tableText } from './table.js';
import { sourceLabel } from './text.js';

/** Rows shown inline before the rest goes to the CSV; about what a person reads in a thread. */
export const DEFAULT_MAX_ROWS = 25;
/** Domain names listed inline. */
const MAX_DOMAINS = 40;

/** The replies for one answer. */
export interface AnswerMessages {
  messages: BlockMessage[];
  /** True when rows were left out; the full result should be attached as CSV. */
  truncated: boolean;
  shownRows: number;
  totalRows: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

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

function domainLine(d: DomainHit): string {
  const via = d.cnames.length ? ` (via CNAME ${d.cnames.map((c) => `\`${esc(c)}\``).join(' → ')})` : '';
  return `• \`${esc(d.name)}\`${via} · ×${d.queries} · last ${slackDate(d.lastSeen)}`;
}

/** The summary line: rows, bytes, distinct sources, domains, what the engine scanned and cost. */
export function summaryText(a: Answer): string {
  const parts: string[] = [];
  if (a.rows) {
    const rows = a.rows;
    parts.push(`*${plural(rows.length, 'row')}*`);
    const attributed = rows.filter((r) => r.workload || r.owner);
    parts.push(plural(new Set(attributed.map(sourceLabel)).size, 'workload'));
    if (attributed.length < rows.length) parts.push(`${rows.length - attributed.length} unattributed`);
    parts.push(`↑ ${humanBytes(rows.reduce((s, r) => s + r.bytesOut, 0))} out`);
    parts.push(`↓ ${humanBytes(rows.reduce((s, r) => s + r.bytesIn, 0))} in`);
  }
  if (a.table) parts.push(`*${plural(a.table.rows.length, 'row')}*`);
  if (a.history) parts.push(`*${plural(a.history.length, 'holder')}*`);
  if (a.domains) parts.push(plural(a.domains.length, 'domain'));
  return parts.join(' · ') || '*Answer*';
}

function statsText(a: Answer): string | undefined {
  const s = a.stats;
  if (!s) return undefined;
  const objects = s.objectsRead !== undefined ? ` in ${plural(s.objectsRead, 'object')}` : '';
  const cost = s.engine === 'athena' ? ` · cost ${usd(s.costUsd)}${s.reused ? ' (reused result)' : ''}` : '';
  return `engine ${s.engine} · scanned ${humanBytes(s.bytesScanned)}${objects}${cost} · ${s.elapsedMs} ms`;
}

function summaryBlocks(a: Answer): Block[] {
  const ctx: string[] = [];
  if (a.window) ctx.push(`${esc(a.label ?? '')} · ${slackDate(a.window.from)} → ${slackDate(a.window.to)}`);
  const stats = statsText(a);
  if (stats) ctx.push(stats);
  const blocks: Block[] = [section(summaryText(a))];
  if (ctx.length) blocks.push(context(...ctx));
  const caveats = [
    ...a.skipped.map((s) => `⚠️ skipped unreadable object \`${esc(s.key)}\`: ${esc(s.reason)}`),
    ...a.notes.map((n) => `ℹ️ ${esc(n)}`),
  ];
  // Caveats can be many (one per skipped object): keep them within a few sections.
  blocks.push(...linesToSections(caveats).slice(0, 5));
  return blocks;
}

function rowBlocks(a: Answer, maxRows: number): { blocks: Block[]; shown: number } {
  const rows = a.rows ?? [];
  if (!rows.length) return { blocks: [section('No matching traffic in this window.')], shown: 0 };
  const shown = rows.slice(0, maxRows);
  const head =
    shown.length < rows.length
      ? `*Top ${shown.length} of ${rows.length} rows* by bytes out · the full result is in the CSV below`
      : `*Traffic by pod and destination* (${plural(rows.length, 'row')})`;
  return {
    blocks: [section(head), ...linesToSections(shown.map((r) => rowLine(r, a.ip !== undefined)))],
    shown: shown.length,
  };
}

function domainBlocks(a: Answer): Block[] {
  const hits = a.domains ?? [];
  if (!hits.length) return [section(`No resolver answers name ${esc(a.ip ?? 'this address')} in the window.`)];
  const lines = hits.slice(0, MAX_DOMAINS).map(domainLine);
  if (hits.length > MAX_DOMAINS) lines.push(`…and ${hits.length - MAX_DOMAINS} more`);
  return [section(`*Names that resolved to ${esc(a.ip ?? 'it')}*`), ...linesToSections(lines)];
}

function tableBlocks(t: NonNullable<Answer['table']>, maxRows: number): Block[] {
  const text = tableText(t, maxRows).split('\n').map(esc);
  return linesToSections(text, (b) => `\`\`\`${b}\`\`\``);
}

/**
 * Renders an answer as thread replies: summary first, then rows (at most `maxRows`), domains, tables. Each message
 * has ≤ 50 blocks and every section ≤ 3000 characters.
 */
export function answerMessages(a: Answer, opts: { maxRows?: number } = {}): AnswerMessages {
  const maxRows = Math.max(1, opts.maxRows ?? DEFAULT_MAX_ROWS);
  const summary = summaryText(a).replace(/\*/g, '');
  const messages: BlockMessage[] = [{ text: summary, blocks: summaryBlocks(a).slice(0, SLACK_LIMITS.blocks) }];
  let shownRows = 0;
  let totalRows = 0;
  if (a.rows) {
    const r = rowBlocks(a, maxRows);
    shownRows = r.shown;
    totalRows = a.rows.length;
    messages.push(...packMessages(`${summary} — rows`, r.blocks));
  }
  if (a.table) {
    shownRows = Math.min(a.table.rows.length, maxRows);
    totalRows = a.table.rows.length;
    messages.push(...packMessages(`${summary} — table`, tableBlocks(a.table, maxRows)));
  }
  if (a.history) {
    const lines = a.history.map(
      (h) =>
        `• \`${esc(h.pod ?? '—')}\` · ${esc(workloadLabel(h.workload))} · ${h.from ? slackDate(h.from) : '?'} → ${h.to ? slackDate(h.to) : 'now'}`,
    );
    messages.push(
      ...packMessages(`${summary} — holders`, linesToSections(lines.length ? lines : ['No holder known.'])),
    );
  }
  if (a.domains) messages.push(...packMessages(`${summary} — domains`, domainBlocks(a)));
  if (a.lines)
    messages.push(
      ...packMessages(
        'egress',
        linesToSections(a.lines.map(esc), (b) => `\`\`\`${b}\`\`\``),
      ),
    );
  return { messages, truncated: shownRows < totalRows, shownRows, totalRows };
}
