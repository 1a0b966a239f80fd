/**
 * Block Kit → plain text, as a Slack client would roughly display it: date tokens become their fallback text,
 * mentions become `@U…`/`#C…`, escapes are undone. For the demo and readable test failures; pure.
 */

/** One mrkdwn string as plain text. */
export function mrkdwnToPlain(text: string): string {
  return text
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<@([A-Z0-9]+)(\|[^>]*)?>/g, '@$1')
    .replace(/<#([A-Z0-9]+)(\|[^>]*)?>/g, '#$1')
    .replace(/```/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The blocks of a message as lines of text (falls back to the message text when there are no blocks). */
export function blocksToPlain(blocks: readonly unknown[] | undefined, fallback = ''): string {
  if (!blocks?.length) return mrkdwnToPlain(fallback);
  const out: string[] = [];
  for (const b of blocks as Array<Record<string, unknown>>) {
    const text = (b.text as { text?: string } | undefined)?.text;
    if (b.type === 'divider') out.push('────────');
    else if (b.type === 'context') {
      const elements = (b.elements as Array<{ text?: string }> | undefined) ?? [];
      out.push(elements.map((e) => mrkdwnToPlain(e.text ?? '')).join('  '));
    } else if (text !== undefined) out.push(mrkdwnToPlain(text));
  }
  return out.join('\n');
}
