/**
 * The follow-up buttons of an answer thread: a `who` answer offers "what else does this workload reach" (runs `from`)
 * for its top workloads, a `from` answer "who else talks to this" (runs `who`) for its top destinations. Each
 * button's value is the command text it asks, which the listener parses like typed text. Pure.
 */
import type { Workload } from '../attribution/types.js';
import type { Answer } from '../commands/registry.js';
import { isSelectable, selectorText, workloadSelector } from '../commands/selector.js';
import { type ActionButton, type Block, clip } from './blocks-kit.js';

/** Buttons per answer; more would crowd the thread. */
export const MAX_FOLLOWUPS = 3;
/** `action_id` prefix of the follow-up buttons (`egress_followup_0` …), which the listener registers for. */
export const FOLLOWUP_ACTION_PREFIX = 'egress_followup_';
/** Slack's limit on a button's text. */
const BUTTON_TEXT = 75;

const button = (i: number, text: string, value: string): ActionButton => ({
  type: 'button',
  action_id: `${FOLLOWUP_ACTION_PREFIX}${i}`,
  text: { type: 'plain_text', text: clip(text, BUTTON_TEXT), emoji: true },
  value,
});

/** The distinct workloads of rows, in row order (rows come sorted by bytes out). */
function topWorkloads(rows: ReadonlyArray<{ workload: Workload | null }>): Workload[] {
  const out: Workload[] = [];
  for (const r of rows) {
    const w = r.workload;
    // Nodes have no namespace to select them by; a name no selector can carry gets no button.
    if (!w || w.kind === 'Node' || !isSelectable(w)) continue;
    if (!out.some((o) => o.namespace === w.namespace && o.kind === w.kind && o.name === w.name)) out.push(w);
    if (out.length === MAX_FOLLOWUPS) break;
  }
  return out;
}

/** The follow-up buttons for an answer (none for other commands, or when there is nothing to follow). */
export function followupButtons(a: Answer): ActionButton[] {
  if (a.command === 'who') {
    return topWorkloads(a.rows).map((w, i) =>
      button(
        i,
        `🔭 What else does ${w.namespace}/${w.name} reach?`,
        `from ${selectorText(workloadSelector(w))} ${a.label}`,
      ),
    );
  }
  if (a.command === 'from') {
    const ips = [...new Set(a.destinations.map((d) => d.externalIp))].slice(0, MAX_FOLLOWUPS);
    return ips.map((ip, i) => button(i, `👥 Who else talks to ${ip}?`, `who ${ip} ${a.label}`));
  }
  return [];
}

/** The buttons as one actions block, or nothing. */
export function followupBlocks(a: Answer): Block[] {
  const elements = followupButtons(a);
  return elements.length ? [{ type: 'actions', block_id: 'egress-followups', elements }] : [];
}
