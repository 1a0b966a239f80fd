/** The `--format json` part of a `policy` answer: the destinations, the pods, and each draft as its object. Pure. */
import type { PolicyAnswer } from '../commands/policy.js';
import { selectorText } from '../commands/selector.js';
import { isoSeconds } from '../flowlogs/window.js';

/** `{selector, window, destinations: [{names, addresses, ports}], cilium, networkPolicy, dnsFirewall, …}`. */
export function policyJson(a: PolicyAnswer): Record<string, unknown> {
  return {
    selector: selectorText(a.selector),
    window: { from: isoSeconds(a.window.from), to: isoSeconds(a.window.to) },
    matched: a.matched,
    workloads: a.workloads,
    pods: a.pods,
    podSelector: a.podSelector,
    drafts: a.kinds,
    collapse: a.collapse,
    destinations: a.destinations.map((d) => ({
      names: d.names,
      addresses: d.addresses,
      ports: d.ports,
      flows: d.flows,
      bytesOut: d.bytesOut,
      bytesIn: d.bytesIn,
    })),
    rejected: a.rejected,
    cilium: a.cilium,
    networkPolicy: a.networkPolicy,
    dnsFirewall: a.dnsFirewall ? { domains: a.dnsFirewall.domains, ruleGroup: a.dnsFirewall.ruleGroup } : null,
  };
}
