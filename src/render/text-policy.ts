/** `policy` as text: what the drafts allow, what was left out, then the drafts themselves as YAML. Pure. */
import type { PolicyAnswer } from '../commands/policy.js';
import type { PolicyPort } from '../commands/policy-destinations.js';
import { selectorText } from '../commands/selector.js';
import { protocolName } from '../flowlogs/protocol.js';
import { humanBytes, textTable } from './format.js';
import { policyYaml } from './policy-yaml.js';
import { span } from './text-rows.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `443/tcp 8883/tcp`. */
export const portsText = (ports: readonly PolicyPort[]): string =>
  ports.map((p) => `${p.port}/${protocolName(p.protocol)}`).join(' ');

/** The one-line summary shared by text and Slack. */
export function policySummary(a: PolicyAnswer): string {
  const names = new Set(a.destinations.flatMap((d) => d.names)).size;
  const nameless = a.destinations.filter((d) => !d.names.length).length;
  const drafts = [a.cilium && 'cilium', a.networkPolicy && 'kubernetes', a.dnsFirewall && 'dns-firewall'].filter(
    Boolean,
  );
  return [
    plural(a.destinations.length, 'destination'),
    plural(names, 'name'),
    ...(nameless ? [`${nameless} without a DNS name`] : []),
    ...(a.rejected.length ? [`${a.rejected.length} only rejected`] : []),
    drafts.length ? `drafts: ${drafts.join(', ')}` : 'no drafts',
  ].join(' · ');
}

/** Title, summary, the destinations table, the pods' selector, then the YAML of every draft. */
export function policyText(a: PolicyAnswer): string[] {
  const out = [`policy ${selectorText(a.selector)}${span(a)}`, policySummary(a), ''];
  const selector = a.podSelector
    ? Object.keys(a.podSelector).length
      ? Object.entries(a.podSelector)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')
      : `every pod of namespace ${a.cilium?.metadata.namespace ?? a.networkPolicy?.metadata.namespace ?? ''}`.trim()
    : 'none (see the notes)';
  out.push(`Pods: ${a.pods.join(', ') || '—'}`, `Selected by: ${selector}`, '');
  if (a.destinations.length) {
    out.push(
      textTable(
        ['NAMES', 'ADDRESSES', 'PORTS', 'FLOWS', 'OUT', 'IN'],
        a.destinations.map((d) => [
          d.names.length ? d.names.join(', ') : '(no DNS name seen)',
          d.addresses.join(', '),
          portsText(d.ports),
          String(d.flows),
          humanBytes(d.bytesOut),
          humanBytes(d.bytesIn),
        ]),
        [3, 4, 5],
      ),
    );
  } else out.push('No ACCEPTed egress to the internet from these pods in this window.');
  if (a.rejected.length) {
    out.push('', 'Left out (only REJECTed attempts):');
    for (const r of a.rejected)
      out.push(`  ${r.address}:${r.port}/${protocolName(r.protocol)}  ${plural(r.attempts, 'attempt')}`);
  }
  out.push('', policyYaml(a).trimEnd());
  return out;
}
