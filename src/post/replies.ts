import type { Answer } from '../commands/registry.js';
import { answerMessages } from '../render/blocks.js';
import { csvFileName, renderCsv } from '../render/csv.js';
import { policyFiles } from '../render/policy-yaml.js';
import type { Reply } from './answer-poster.js';

/**
 * The thread replies for an answer: rendered messages, plus the full CSV when rows were left out; a `policy` answer
 * also gets its drafts as files (YAML per draft, the DNS Firewall domain list as text), whatever their size.
 */
export function replies(answer: Answer, maxRows?: number): Reply[] {
  const rendered = answerMessages(answer, { maxRows });
  const out: Reply[] = rendered.messages.map((message) => ({ kind: 'message', message }));
  if (answer.command === 'policy') {
    for (const f of policyFiles(answer)) {
      out.push({ kind: 'file', filename: f.filename, title: f.title, content: f.content, comment: f.title });
    }
    return out;
  }
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
