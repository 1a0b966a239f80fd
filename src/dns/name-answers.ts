import { dnsWindowParams, P } from '../engine/params.js';
import type { QueryEngine, QueryResult, RunOptions } from '../engine/types.js';
import { canonicalIp } from '../flowlogs/classify.js';
import type { Window } from '../flowlogs/window.js';

/** What was asked: one name, or every name below a suffix (`*.vendorx.io` → suffix `vendorx.io`). */
export type NameQuestion = { name: string } | { suffix: string };

/** One logged Resolver query for an asked name, reduced to what answers need. */
export interface NameAnswer {
  /** The asked name (lowercase, no trailing dot). */
  name: string;
  /** Epoch seconds the query was logged (fractions kept). */
  at: number;
  /** The CNAMEs the response listed (sorted: Resolver logs give no owner names to order them by). */
  cnames: string[];
  /** The A/AAAA addresses at the end of the chain, canonical, each once. */
  addresses: string[];
}

/**
 * The Resolver answers for a name (or a suffix) logged in the window extended back by the lookback: one entry per
 * logged query that returned at least one address. Queries are told apart by name, type and timestamp, so two
 * identical queries within the same second count once. Sorted by time, then name.
 */
export async function nameAnswers(
  engine: QueryEngine,
  question: NameQuestion,
  window: Window,
  lookbackSeconds: number,
  options?: RunOptions,
): Promise<{ answers: NameAnswer[]; result: QueryResult }> {
  const wildcard = 'suffix' in question;
  const result = await engine.run(
    'name-answers',
    {
      ...dnsWindowParams(window, lookbackSeconds),
      wildcard: P.int(wildcard ? 1 : 0),
      dns_name: P.dnsName(wildcard ? question.suffix : question.name),
    },
    options,
  );
  const byQuery = new Map<string, NameAnswer>();
  for (const r of result.rows) {
    const name = String(r.name);
    const at = Number(r.ts);
    const key = `${name}|${String(r.query_type)}|${at}`;
    const entry = byQuery.get(key) ?? { name, at, cnames: [], addresses: [] };
    byQuery.set(key, entry);
    const answer = String(r.answer);
    if (r.answer_type === 'CNAME') {
      if (!entry.cnames.includes(answer)) entry.cnames.push(answer);
      continue;
    }
    const ip = canonicalIp(answer);
    if (ip && !entry.addresses.includes(ip)) entry.addresses.push(ip);
  }
  const answers = [...byQuery.values()]
    .filter((a) => a.addresses.length > 0)
    .sort((a, b) => a.at - b.at || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const a of answers) {
    a.addresses.sort();
    a.cnames.sort();
  }
  return { answers, result };
}
