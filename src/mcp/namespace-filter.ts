/**
 * Answers for a token limited to some namespaces: only rows (lines, holder intervals) whose workload namespace is in
 * its list are kept, and a note says what was withheld. What cannot be tied to a namespace — unattributed sources,
 * destinations, resolver names alone, totals over everything — is withheld too. A command with no case here is not
 * offered to such tokens at all (fail closed: a command added later stays closed until someone decides its rule).
 */
import type { Cell, TableData } from '../commands/answer.js';
import type { Answer } from '../commands/registry.js';

/** Commands whose answers can be restricted (the cases of {@link restrictAnswer}). */
export const RESTRICTABLE: ReadonlySet<string> = new Set([
  'who',
  'dns-bypass',
  'ip-history',
  'top',
  'cost',
  'rejects',
  'policy',
]);

/** A restricted answer and how many of its rows were withheld. */
export interface Restricted {
  answer: Answer;
  withheld: number;
  /** Other parts withheld, in words ("the total"). */
  parts?: string[];
}

type Keep = (namespace: string | null | undefined) => boolean;

/** The namespace of a `top`/`cost`/`rejects` row: its namespace cell, or the one in a `ns/Kind/name` workload label. */
function rowNamespace(table: TableData, row: Record<string, Cell>): string | undefined {
  if (table.columns.includes('namespace')) return typeof row.namespace === 'string' ? row.namespace : undefined;
  if (!table.columns.includes('workload') || typeof row.workload !== 'string') return undefined;
  const parts = row.workload.split('/');
  return parts.length === 3 ? parts[0] : undefined;
}

function restrictTable(table: TableData, keep: Keep): { table: TableData; withheld: number; parts: string[] } {
  const rows = table.rows.filter((r) => keep(rowNamespace(table, r)));
  // A total covers every namespace: keeping it would tell what the others add up to.
  const { total, ...rest } = table;
  return { table: { ...rest, rows }, withheld: table.rows.length - rows.length, parts: total ? ['the total'] : [] };
}

/** The answer cut down to the namespaces `keep` accepts; `undefined` for a command without a rule. */
function restrictAnswer(a: Answer, keep: Keep): Restricted | undefined {
  switch (a.command) {
    case 'who': {
      if ('ip' in a) {
        const rows = a.rows.filter((r) => keep(r.workload?.namespace));
        // The names behind the address are shown only along with traffic the token may see.
        const domains = rows.length ? a.domains : [];
        const parts = domains.length < a.domains.length ? ['the names that resolved to it'] : [];
        return { answer: { ...a, rows, domains }, withheld: a.rows.length - rows.length, parts };
      }
      if ('cidr' in a) {
        const rows = a.rows.filter((r) => keep(r.workload?.namespace));
        return { answer: { ...a, rows }, withheld: a.rows.length - rows.length };
      }
      const rows = a.rows.filter((r) => keep(r.workload?.namespace));
      // Which addresses the name resolved to is resolver evidence, not traffic: it stays.
      return { answer: { ...a, rows }, withheld: a.rows.length - rows.length };
    }
    case 'dns-bypass': {
      const rows = a.rows.filter((r) => keep(r.workload?.namespace));
      return { answer: { ...a, rows }, withheld: a.rows.length - rows.length };
    }
    case 'ip-history': {
      const history = a.history.filter((h) => keep(h.workload?.namespace ?? h.namespace));
      return { answer: { ...a, history }, withheld: a.history.length - history.length };
    }
    case 'cost': {
      // Rows of other namespaces go; what sums over every namespace (total, projection, AWS savings, unlabelled
      // ranges) goes with them. `by network` rows name no namespace, so all of them are withheld.
      const { table, withheld, parts } = restrictTable(a.table, keep);
      const more = [
        ...(a.avoidable.length ? ['the AWS-service savings'] : []),
        ...(a.unlabelled?.length ? ['the unlabelled ranges'] : []),
      ];
      const { unlabelled: _u, ...rest } = a;
      const answer = { ...rest, table, projection30dUsd: null, avoidable: [] };
      return { answer, withheld, parts: [...parts, 'the 30-day projection', ...more] };
    }
    case 'policy': {
      // A draft is the selection's whole egress: given only when every selected pod is in an allowed namespace.
      const spaces = a.workloads.map((w) => w.namespace);
      const own = a.selector.kind === 'ip' ? spaces : [a.selector.namespace, ...spaces];
      if (own.length && own.every((ns) => keep(ns))) return { answer: a, withheld: 0 };
      const answer = {
        ...a,
        pods: [],
        destinations: [],
        rejected: [],
        cilium: null,
        networkPolicy: null,
        dnsFirewall: null,
      };
      return { answer, withheld: a.destinations.length, parts: ['the drafts'] };
    }
    case 'top':
    case 'rejects': {
      const { table, withheld, parts } = restrictTable(a.table, keep);
      return { answer: { ...a, table }, withheld, parts };
    }
    default:
      return undefined;
  }
}

/**
 * Restricts an answer to `namespaces` and notes what was withheld. Throws for a command without a rule (the caller
 * refuses those before running them; this is the backstop).
 */
export function restrictToNamespaces(a: Answer, namespaces: ReadonlySet<string>): Restricted {
  const r = restrictAnswer(a, (ns) => ns !== null && ns !== undefined && namespaces.has(ns));
  if (!r) throw new Error(`no namespace rule for ${a.command}`);
  const withheld = [
    ...(r.withheld ? [`${r.withheld === 1 ? '1 row' : `${r.withheld} rows`} of other or unknown namespaces`] : []),
    ...(r.parts ?? []),
  ];
  const list = [...namespaces].sort().join(', ');
  const note = `restricted to namespaces ${list}${withheld.length ? `: withheld ${withheld.join(' and ')}` : ''}`;
  return { ...r, answer: { ...r.answer, notes: [...r.answer.notes, note] } };
}
