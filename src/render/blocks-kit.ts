/**
 * The subset of Block Kit the bot sends, as `@slack/types` declares it (what `chat.postMessage` accepts), and the
 * helpers that keep every block within Slack's limits. Pure.
 */
import type {
  ActionsBlock,
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
} from '@slack/types';

/** A text object the renderers write: mrkdwn (plain text only where Slack requires it). */
export type TextObject = MrkdwnElement;

/** A button of an answer (a follow-up question): its `value` is the command text it asks. */
export type ActionButton = Button & { text: PlainTextElement; action_id: string; value: string };

/**
 * The block types used by the renderers: `@slack/types`' own, with the fields the renderers always set made required
 * (so tests and callers read them without guessing).
 */
export type Block =
  | (SectionBlock & { text: TextObject })
  | (ContextBlock & { elements: TextObject[] })
  | (HeaderBlock & { text: PlainTextElement })
  | DividerBlock
  | (Omit<ActionsBlock, 'block_id' | 'elements'> & { block_id: string; elements: ActionButton[] });

/** One Slack message: notification/fallback text plus blocks. */
export interface BlockMessage {
  text: string;
  blocks: Block[];
}

/** Slack's published limits that the renderers stay within. */
export const SLACK_LIMITS = {
  /** Blocks per message. */
  blocks: 50,
  /** Characters in a section's text. */
  sectionText: 3000,
  /** Characters in a header's plain text. */
  headerText: 150,
  /** Elements in one context block. */
  contextElements: 10,
} as const;

/** Escapes the three characters mrkdwn treats as control characters; everything from data goes through this. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Slack date token: each reader sees the time in their own time zone; the fallback is UTC. */
export function slackDate(epoch: number): string {
  const iso = new Date(epoch * 1000).toISOString();
  return `<!date^${Math.floor(epoch)}^{date_short_pretty} {time}|${iso.slice(0, 16).replace('T', ' ')} UTC>`;
}

/** Cuts text to `max` characters with an ellipsis, so a limit is never exceeded by a long value. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A mrkdwn section, clipped to the section limit. */
export function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, SLACK_LIMITS.sectionText) } };
}

/** A context block of mrkdwn elements (at most 10, each clipped). */
export function context(...texts: string[]): Block {
  return {
    type: 'context',
    elements: texts
      .slice(0, SLACK_LIMITS.contextElements)
      .map((t) => ({ type: 'mrkdwn', text: clip(t, SLACK_LIMITS.sectionText) })),
  };
}

/**
 * Packs lines into as few sections as possible, each ≤ the section limit. A line longer than the limit on its own is
 * clipped rather than split, so one row never spreads over two sections.
 */
export function linesToSections(lines: readonly string[], wrap: (body: string) => string = (b) => b): Block[] {
  const budget = SLACK_LIMITS.sectionText - wrap('').length;
  const out: Block[] = [];
  let current: string[] = [];
  let size = 0;
  for (const raw of lines) {
    const line = clip(raw, budget);
    if (current.length && size + 1 + line.length > budget) {
      out.push(section(wrap(current.join('\n'))));
      current = [];
      size = 0;
    }
    current.push(line);
    size += (current.length > 1 ? 1 : 0) + line.length;
  }
  if (current.length) out.push(section(wrap(current.join('\n'))));
  return out;
}

/** Splits blocks into messages of at most 50 blocks each; the first message keeps `text`, later ones say "(cont.)". */
export function packMessages(text: string, blocks: readonly Block[]): BlockMessage[] {
  const out: BlockMessage[] = [];
  for (let i = 0; i < blocks.length; i += SLACK_LIMITS.blocks) {
    out.push({ text: i === 0 ? text : `${text} (cont.)`, blocks: blocks.slice(i, i + SLACK_LIMITS.blocks) });
  }
  return out;
}
