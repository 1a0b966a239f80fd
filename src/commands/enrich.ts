import type { FlowRow } from './answer.js';
import type { CommandContext } from './context.js';

/** Rows without a pod get an EC2 owner (instance, Lambda, endpoint…) when an owner lookup is configured. */
export async function enrichOwners(rows: FlowRow[], ctx: CommandContext): Promise<FlowRow[]> {
  if (!ctx.owners) return rows;
  const ips = [...new Set(rows.filter((r) => !r.workload).map((r) => r.podIp))];
  if (ips.length === 0) return rows;
  const owners = await ctx.owners.lookup(ips);
  return rows.map((r) => (r.workload ? r : { ...r, owner: owners.get(r.podIp) ?? null }));
}
