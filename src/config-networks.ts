/**
 * `EGRESS_NETWORKS`: labels for the internal networks behind a shared NAT gateway (a central egress VPC reached over
 * a Transit Gateway), JSON `{"10.40.0.0/16": "prod-eks", "10.50.0.0/16": "acct-1111 staging"}` inline or in a file
 * whose path the variable holds. `cost by network` groups NAT cost by these labels.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseCidrList } from './flowlogs/classify.js';

/** One labelled network. */
export interface NetworkLabel {
  /** Canonical `addr/len`. */
  cidr: string;
  label: string;
}

const EXAMPLE = '{"10.40.0.0/16": "prod-eks", "10.50.0.0/16": "acct-1111 staging"}';
const LABEL = /^[^\s\u0000-\u001f](?:[^\u0000-\u001f]{0,61}[^\s\u0000-\u001f])?$/;

/** The JSON text: inline when it looks like JSON, else the file it names. */
function sourceText(value: string): { text?: string; problem?: string } {
  if (/^\s*[{[]/.test(value)) return { text: value };
  try {
    return { text: readFileSync(value.trim(), 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    return {
      problem: `neither JSON nor a readable file (${code}: ${value.trim()}); expected a file path or ${EXAMPLE}`,
    };
  }
}

/** Parses the value; returns the labels sorted by CIDR, or every problem in words. Pure but for reading the file. */
export function parseNetworks(value: string): { networks: NetworkLabel[]; problems: string[] } {
  const src = sourceText(value);
  if (src.problem) return { networks: [], problems: [src.problem] };
  let raw: unknown;
  try {
    raw = JSON.parse(src.text ?? '');
  } catch (err) {
    return { networks: [], problems: [`not JSON (${(err as Error).message}); expected ${EXAMPLE}`] };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { networks: [], problems: [`expected an object of CIDR → label, e.g. ${EXAMPLE}`] };
  }
  const problems: string[] = [];
  const networks: NetworkLabel[] = [];
  for (const [key, label] of Object.entries(raw)) {
    let cidr: string | undefined;
    try {
      [cidr] = parseCidrList(key);
    } catch {
      problems.push(`"${key}" is not a CIDR block; write e.g. "10.40.0.0/16"`);
    }
    if (key.includes(',')) problems.push(`"${key}": one CIDR per key`);
    if (typeof label !== 'string' || !LABEL.test(label)) {
      problems.push(`the label of "${key}" must be text of 1–63 characters, e.g. "prod-eks"`);
      continue;
    }
    if (cidr && !key.includes(',')) networks.push({ cidr, label });
  }
  const dup = networks.find((n, i) => networks.findIndex((m) => m.cidr === n.cidr) !== i);
  if (dup) problems.push(`${dup.cidr} is labelled twice`);
  networks.sort((a, b) => (a.cidr < b.cidr ? -1 : a.cidr > b.cidr ? 1 : 0));
  return { networks, problems };
}

/** The zod field: unset or empty is no labels. */
export const networks = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (!s?.trim()) return [] as NetworkLabel[];
    const r = parseNetworks(s);
    for (const message of r.problems) ctx.addIssue({ code: 'custom', message });
    return r.problems.length ? z.NEVER : r.networks;
  });
