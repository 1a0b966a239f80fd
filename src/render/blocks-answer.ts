/**
 * An {@link Answer} as thread replies: a summary, then the command's own part (rows, names, holders, table). Pure; the
 * caller attaches the CSV when {@link AnswerMessages.truncated} says rows were left out.
 */
import { workloadLabel } from '../attribution/owners.js';
import type { TableData } from '../commands/answer.js';
import type { Answer } from '../commands/registry.js';
import { askSummary, cidrNameBlocks, fromBlocks, nameBlocks } from './blocks-ask.js';
import { domainBlocks, rowBlocks, rowsSummary } from './blocks-flow.js';
import { followupBlocks } from './blocks-followup.js';
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
import { policyBlocks } from './blocks-policy.js';
import { coverageSummary, coverageWarnings } from './coverage.js';
import { humanBytes, plural, usd } from './format.js';
import { tableText } from './table.js';
import { costExtraLines } from './text-cost.js';
import { policySummary } from './text-policy.js';

/** Rows shown inline before the rest goes to the CSV; about what a person reads in a thread. */
export const DEFAULT_MAX_ROWS = 25;

/** The replies for one answer. */
export interface AnswerMessages {
  messages: BlockMessage[];
  /** True when rows were left out; the full result should be attached as CSV. */
  truncated: boolean;
  shownRows: number;
  totalRows: number;
}

/** The summary line: rows, bytes, distinct sources, domains. */
export function summaryText(a: Answer): string {
  switch (a.command) {
    case 'who':
      if (!('ip' in a)) return askSummary(a);
      return [...rowsSummary(a.rows), plural(a.domains.length, 'domain')].join(' · ');
    case 'from':
      return askSummary(a);
    case 'policy':
      return `*${policySummary(a)}*`;
    case 'dns-bypass':
      return rowsSummary(a.rows).join(' · ');
    case 'domain':
      return plural(a.domains.length, 'domain');
    case 'ip-history':
      return `*${plural(a.history.length, 'holder')}*`;
    case 'top':
    case 'cost':
    case 'rejects':
      return `*${plural(a.table.rows.length, 'row')}*`;
    case 'help':
      return '*Answer*';
  }
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
  if ('window' in a) ctx.push(`${esc(a.label)} · ${slackDate(a.window.from)} → ${slackDate(a.window.to)}`);
  const stats = statsText(a);
  if (stats) ctx.push(stats);
  if (a.coverage) ctx.push(esc(coverageSummary(a.coverage)));
  const blocks: Block[] = [section(summaryText(a))];
  if (ctx.length) blocks.push(context(...ctx));
  const caveats = [
    ...a.skipped.map((s) => `⚠️ skipped unreadable object \`${esc(s.key)}\`: ${esc(s.reason)}`),
    ...a.notes.map((n) => `ℹ️ ${esc(n)}`),
    ...(a.coverage ? coverageWarnings(a.coverage).map((w) => `⚠️ ${esc(w)}`) : []),
  ];
  // Caveats can be many (one per skipped object): keep them within a few sections.
  blocks.push(...linesToSections(caveats).slice(0, 5));
  return blocks;
}

const tableBlocks = (t: TableData, maxRows: number): Block[] =>
  linesToSections(tableText(t, maxRows).split('\n').map(esc), (b) => `\`\`\`${b}\`\`\``);

interface Part {
  label: string;
  blocks: Block[];
}

const rowsPart = (shown: number, total: number, ...parts: Part[]) => ({ parts, shown, total });

/** The follow-up buttons, as a part of their own (the thread's last message), when there are any. */
const followups = (a: Answer): Part[] => {
  const blocks = followupBlocks(a);
  return blocks.length ? [{ label: 'follow-ups', blocks }] : [];
};

/** The command's own parts (each packed into messages of its own), with how many of its rows are shown. */
function answerParts(a: Answer, maxRows: number): { parts: Part[]; shown: number; total: number } {
  switch (a.command) {
    case 'who':
    case 'dns-bypass': {
      const byIp = a.command === 'who' && 'ip' in a;
      const r = rowBlocks(a.rows, maxRows, byIp);
      const rows = { label: 'rows', blocks: r.blocks };
      if (a.command === 'dns-bypass') return rowsPart(r.shown, a.rows.length, rows);
      const names = 'ip' in a ? domainBlocks(a.domains, a.ip) : 'cidr' in a ? cidrNameBlocks(a) : nameBlocks(a);
      const parts = [rows, { label: 'domains', blocks: names }, ...followups(a)];
      return rowsPart(r.shown, a.rows.length, ...parts);
    }
    case 'from': {
      const f = fromBlocks(a, maxRows);
      return rowsPart(f.shown, a.destinations.length, { label: 'destinations', blocks: f.blocks }, ...followups(a));
    }
    case 'policy': {
      const p = policyBlocks(a, maxRows);
      return rowsPart(p.shown, a.destinations.length, { label: 'destinations', blocks: p.blocks });
    }
    case 'domain':
      return rowsPart(0, 0, { label: 'domains', blocks: domainBlocks(a.domains, a.ip) });
    case 'ip-history': {
      const lines = a.history.map(
        (h) =>
          `• \`${esc(h.pod ?? '—')}\` · ${esc(workloadLabel(h.workload))} · ${h.from ? slackDate(h.from) : '?'} → ${h.to ? slackDate(h.to) : 'now'}`,
      );
      return rowsPart(0, 0, { label: 'holders', blocks: linesToSections(lines.length ? lines : ['No holder known.']) });
    }
    case 'top':
    case 'cost':
    case 'rejects': {
      const shown = Math.min(a.table.rows.length, maxRows);
      const table = { label: 'table', blocks: tableBlocks(a.table, maxRows) };
      const extra = a.command === 'cost' ? costExtraLines(a).slice(1).map(esc) : [];
      const savings = extra.length
        ? [{ label: 'savings', blocks: linesToSections(extra, (b) => `\`\`\`${b}\`\`\``) }]
        : [];
      return rowsPart(shown, a.table.rows.length, table, ...savings);
    }
    case 'help':
      return rowsPart(0, 0, { label: '', blocks: linesToSections(a.lines.map(esc), (b) => `\`\`\`${b}\`\`\``) });
  }
}

/**
 * Renders an answer as thread replies: summary first, then rows (at most `maxRows`), domains, tables. Each message
 * has ≤ 50 blocks and every section ≤ 3000 characters.
 */
export function answerMessages(a: Answer, opts: { maxRows?: number } = {}): AnswerMessages {
  const maxRows = Math.max(1, opts.maxRows ?? DEFAULT_MAX_ROWS);
  const summary = summaryText(a).replace(/\*/g, '');
  const messages: BlockMessage[] = [{ text: summary, blocks: summaryBlocks(a).slice(0, SLACK_LIMITS.blocks) }];
  const { parts, shown, total } = answerParts(a, maxRows);
  for (const p of parts) messages.push(...packMessages(p.label ? `${summary} — ${p.label}` : 'egress', p.blocks));
  return { messages, truncated: shown < total, shownRows: shown, totalRows: total };
}
