import type { Answer } from '../commands/registry.js';
import { answerMessages } from '../render/blocks.js';
import { csvFileName, renderCsv } from '../render/csv.js';
import type { Reply } from './answer-poster.js';

/** The thread replies for an answer: rendered messages, plus the full CSV when rows were left out. */
export function replies(answer: Answer, maxRows?: number): Reply[] {
  const rendered = answerMessages(answer, { maxRows });
  const out: Reply[] = rendered.messages.map((message) => ({ kind: 'message', message }));
  const csv = rendered.truncated ? renderCsv(answer) : undefined;
  if (csv) {
    out.push({
      kind: 'file',
      filename: csvFileName(answer),
      title: `Full result: ${rendered.totalRows} rows`,
      content: csv,
      comment: `All ${rendered.totalRows} rows as CSV (the thread shows the top ${rendered.shownRows}).`,
    });
  }
  return out;
}
