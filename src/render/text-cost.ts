/** The parts of `cost` after its table: the 30-day projection, the avoidable AWS-service traffic, unlabelled ranges. Pure. */
import type { CostAnswer } from '../commands/cost.js';
import { humanBytes, textTable, usd } from './format.js';

/** `−$21.55` for a loss, `$0.20` for a saving. */
const signed = (n: number) => (n < 0 ? `−${usd(-n)}` : usd(n));

/** The lines (text; Slack puts them in a code block). */
export function costExtraLines(a: CostAnswer): string[] {
  const out: string[] = [];
  if (a.projection30dUsd !== null) {
    const days = (a.window.to - a.window.from) / 86_400;
    out.push(
      '',
      `30-day projection: ${usd(a.projection30dUsd)} (this window's ${usd(a.table.total?.usd ?? 0)} × 30/${Number(days.toFixed(2))})`,
    );
  }
  if (a.avoidable.length) {
    out.push(
      '',
      'Avoidable: AWS services reached through the NAT gateway (savings a month, from this window)',
      textTable(
        [
          'SERVICE',
          'REGION',
          'BYTES',
          'NAT COST',
          'ENDPOINT',
          'NAT/MONTH',
          'ENDPOINT/MONTH',
          'SAVING/MONTH',
          'TOP SOURCES',
        ],
        a.avoidable.map((r) => [
          r.service,
          r.region ?? '?',
          humanBytes(r.bytes),
          usd(r.usd),
          `${r.endpoint.type} ${r.endpoint.serviceName}`,
          usd(r.monthlyNatUsd),
          usd(r.monthlyEndpointUsd),
          signed(r.monthlySavingUsd),
          r.topWorkloads.map((w) => `${w.workload} (${humanBytes(w.bytes)})`).join(', '),
        ]),
        [2, 3, 5, 6, 7],
      ),
    );
  }
  if (a.unlabelled?.length) {
    out.push('', 'Unlabelled internal sources (name them in EGRESS_NETWORKS):');
    const width = Math.max(...a.unlabelled.map((u) => u.network.length));
    for (const u of a.unlabelled) {
      const shown = u.addresses.slice(0, 8).join(', ');
      out.push(`  ${u.network.padEnd(width)}  ${shown}${u.addresses.length > 8 ? `, … (${u.addresses.length})` : ''}`);
    }
  }
  return out;
}
