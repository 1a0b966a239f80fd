/**
 * What a tool's description tells an agent: what the command answers, its grammar and an example (from the command's
 * spec), and the caveats that decide how far an answer can be trusted.
 */
import { describeDuration } from '../duration.js';

/** The caveats a tool's answers carry. */
export type Caveat = 'flows' | 'attribution' | 'names' | 'history' | 'cost';

const CAVEATS: Record<Caveat, string> = {
  flows:
    'VPC Flow Logs arrive 5–10+ minutes late: the last minutes of a window are incomplete, so "nothing" about the ' +
    'last quarter hour is not proof of nothing.',
  attribution:
    'Sources are attributed to the pod that held the IP when the traffic happened (the live IP timeline, or a ' +
    'Kubernetes snapshot, which only knows current pods); rows without a workload say why.',
  names:
    'Names come from Route 53 Resolver query logs, which record only uncached queries and see CoreDNS, not pods: a ' +
    'name shows an address was resolved in the VPC, not which pod asked; a missing name may have been cached.',
  history: 'Reads the attribution timeline only (no flow logs); a snapshot source knows just the current holder.',
  cost: 'NAT gateway data processing only; hourly NAT charges and internet data transfer are not included.',
};

/** The parts of a command spec a description uses. */
export interface DocSource {
  summary: string;
  usage: string;
  examples: readonly string[];
}

/** The tool's description. */
export function toolDescription(spec: DocSource, caveats: readonly Caveat[], maxWindowSeconds: number): string {
  return [
    `${spec.summary[0]?.toUpperCase() ?? ''}${spec.summary.slice(1)}.`,
    `Chat grammar: \`${spec.usage}\`${spec.examples[0] ? `, e.g. \`${spec.examples[0]}\`` : ''}; windows up to ${describeDuration(maxWindowSeconds)}.`,
    ...caveats.map((c) => CAVEATS[c]),
    'Result: the text answer, and the JSON answer (as `egress … --format json`) in structuredContent; times ISO-8601 UTC, bytes as integers.',
  ].join(' ');
}

/** What the server tells every agent once, at initialize. */
export const INSTRUCTIONS =
  'egress answers who in an EKS cluster talked to the internet, from VPC Flow Logs on the NAT gateway and Route 53 ' +
  'Resolver query logs. Start with `who` for an address, then `ip-history` for the evidence behind an attribution. ' +
  'Windows are "<N>h" or "<N>d" and end at `now` (ISO-8601, default the current time). The resource egress://help ' +
  'lists every command.';
