import type { FlowRow } from './answer.js';
import type { CommandContext } from './context.js';

/** Rows without a pod (or held by a node) get an EC2 owner (instance, Lambda, endpoint…) when a lookup is configured. */
export async function enrichOwners(rows: FlowRow[], ctx: CommandContext): Promise<FlowRow[]> {
  if (!ctx.owners) return rows;
  const needs = (r: FlowRow) => !r.workload || r.workload.kind === 'Node';
  const ips = [...new Set(rows.filter(needs).map((r) => r.podIp))];
  if (ips.length === 0) return rows;
  const owners = await ctx.owners.lookup(ips);
  return rows.map((r) => (needs(r) ? { ...r, owner: owners.get(r.podIp) ?? null } : r));
}
