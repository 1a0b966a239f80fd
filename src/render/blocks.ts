/**
 * Block Kit renderers for the Slack path: the parent message (updated in place through its states), help, and
 * failure replies. Pure functions: no I/O, no clock; every output stays within {@link SLACK_LIMITS}.
 */
import type { Command } from '../commands/registry.js';
import { selectorText } from '../commands/selector.js';
import { targetText } from '../commands/who-target.js';
import { windowLabel } from '../flowlogs/window.js';
import { type BlockMessage, clip, context, esc, linesToSections, SLACK_LIMITS, section } from './blocks-kit.js';
import { humanBytes } from './format.js';

export { type AnswerMessages, answerMessages, DEFAULT_MAX_ROWS } from './blocks-answer.js';
export type { Block, BlockMessage } from './blocks-kit.js';
export { SLACK_LIMITS } from './blocks-kit.js';

/** The states a parent message goes through. */
export type ParentState = 'queued' | 'querying' | 'done' | 'failed';

/** What the parent message shows. */
export interface ParentView {
  command: Command;
  /** Slack user id of the person who asked. */
  user: string;
  state: ParentState;
  /** Bytes scanned so far (querying) or in total (done). */
  bytesScanned?: number;
  /** One short line: the outcome ("3 rows · 2 sources") or why it is queued/failed. */
  detail?: string;
}

/** `who 142.250.80.46 · last 7d`, `top · last 1d · by namespace`: what was asked, from the typed command only. */
export function commandTitle(cmd: Command): string {
  const parts: string[] = [cmd.name];
  if ('ip' in cmd) parts[0] = `${cmd.name} ${cmd.ip}`;
  if ('target' in cmd) parts[0] = `${cmd.name} ${targetText(cmd.target)}`;
  if ('selector' in cmd) parts[0] = `${cmd.name} ${selectorText(cmd.selector)}`;
  if ('window' in cmd) parts.push(windowLabel(cmd.window));
  if ('by' in cmd) parts.push(`by ${cmd.by}`);
  return parts.join(' · ');
}

const STATUS: Record<ParentState, string> = {
  queued: '⏳ Queued',
  querying: '🔄 Querying…',
  done: '✅ Done',
  failed: '❌ Failed',
};

/** The parent message: what was asked, by whom, and where it is now. */
export function parentMessage(v: ParentView): BlockMessage {
  const title = `🔎 *${esc(commandTitle(v.command))}* · asked by <@${esc(v.user)}>`;
  const status = [STATUS[v.state]];
  if (v.bytesScanned !== undefined && v.state !== 'failed') {
    status.push(
      v.state === 'querying' ? `${humanBytes(v.bytesScanned)} scanned so far` : `scanned ${humanBytes(v.bytesScanned)}`,
    );
  }
  if (v.detail) status.push(esc(clip(v.detail, 500)));
  if (v.state === 'done' || v.state === 'failed') status.push('details in the thread');
  const statusText = status.join(' · ');
  return {
    text: `🔎 ${commandTitle(v.command)} · ${STATUS[v.state]}`,
    blocks: [section(title), context(statusText)],
  };
}

/** The thread reply for a failed command: what failed and what to do about it. */
export function failureMessage(message: string, hint?: string): BlockMessage {
  const blocks = [section(`❌ ${esc(message)}`)];
  if (hint) blocks.push(context(`What to do: ${esc(hint)}`));
  return { text: clip(`❌ ${message}`, SLACK_LIMITS.sectionText), blocks };
}

/** Help as an ephemeral message: the grammar in a code block, examples below. */
export function helpMessage(lines: readonly string[]): BlockMessage {
  const blocks = linesToSections(
    lines.map((l) => esc(l)),
    (b) => `\`\`\`${b}\`\`\``,
  );
  return { text: 'egress commands', blocks: [section('*egress* — ask who talks to the internet'), ...blocks] };
}

/** A short fix-it or denial reply (ephemeral): one section. */
export function noticeMessage(text: string): BlockMessage {
  return { text: clip(text, SLACK_LIMITS.sectionText), blocks: [section(esc(text))] };
}
