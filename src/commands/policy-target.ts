/** Who a `policy` draft is for (name, namespace, selector) and what the person must know about it. Pure. */
import type { PolicyTarget } from './policy-cilium.js';
import type { PolicyDestination, RejectedDestination } from './policy-destinations.js';
import { type Selection, type Selector, selectorText } from './selector.js';

/** The target of the drafts, whether a pod selector can express it, and the base of the names. */
export interface DraftTarget extends PolicyTarget {
  /** False when no label selects exactly these pods (no labels, several namespaces, only nodes). */
  selectable: boolean;
  /** `shop-catalog-api`: what DNS Firewall names are built from. */
  base: string;
  /** Why it is not selectable, in words. */
  why?: string;
}

const dns1123 = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 240);

/** Names the drafts and decides whether the pods can be selected by `labels`. */
export function policyTarget(s: Selector, sel: Selection, labels: Record<string, string>): DraftTarget {
  const pods = sel.addresses.filter((h) => h.pod);
  const namespaces = [...new Set(pods.map((h) => h.namespace ?? ''))].sort();
  const namespace = s.kind === 'ip' ? (namespaces[0] ?? '') : s.namespace;
  const workload = sel.workloads.length === 1 ? sel.workloads[0] : undefined;
  const podNames = [...new Set(pods.map((h) => h.pod as string))];
  const subject =
    s.kind === 'namespace'
      ? namespace
      : sel.matched === 'workload' && workload
        ? workload.name
        : podNames.length === 1
          ? (podNames[0] as string)
          : `ip-${selectorText(s).replace(/[.:]/g, '-')}`;
  const name = dns1123(`${subject}-egress`);
  const base = dns1123(s.kind === 'namespace' ? namespace : `${namespace}-${subject}`);
  const target = { name, namespace, matchLabels: labels, base };
  if (!pods.length) return { ...target, selectable: false, why: 'it names node addresses, not pods' };
  if (namespaces.length > 1) {
    return { ...target, selectable: false, why: `its pods are in several namespaces (${namespaces.join(', ')})` };
  }
  if (s.kind !== 'namespace' && Object.keys(labels).length === 0) {
    return { ...target, selectable: false, why: 'its pods carry no labels they share' };
  }
  return { ...target, selectable: true };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The caveats of a `policy` answer, most important first. */
export function policyNotes(o: {
  selector: Selector;
  selection: Selection;
  target: DraftTarget;
  destinations: readonly PolicyDestination[];
  rejected: readonly RejectedDestination[];
  kinds: readonly string[];
}): string[] {
  const what = selectorText(o.selector);
  const notes: string[] = [];
  if (!o.target.selectable && o.kinds.some((k) => k !== 'dns-firewall')) {
    const fix =
      o.target.why === 'its pods carry no labels they share'
        ? ' Give the pod template a label (e.g. app.kubernetes.io/name) and ask again.'
        : ' Ask for one workload.';
    notes.push(
      `No Cilium or Kubernetes draft: no pod selector picks out ${what}, because ${o.target.why}.${fix} The DNS Firewall draft does not depend on labels.`,
    );
  }
  if (o.selection.addresses.some((h) => h.hostNetwork)) {
    notes.push(
      `${what} includes hostNetwork pods: network policies do not apply to them (they use the node's address)`,
    );
  }
  if (!o.destinations.length) {
    const attempts = o.rejected.reduce((n, r) => n + r.attempts, 0);
    notes.push(
      o.rejected.length
        ? `Only REJECTed egress from ${what} (${plural(attempts, 'attempt')} to ${plural(o.rejected.length, 'destination')}): nothing got through, so the drafts allow DNS only.`
        : `No egress from ${what} in the window: the drafts allow DNS only; if the workload talks out less often than the window, ask over a longer one before applying.`,
    );
  } else if (o.rejected.length) {
    notes.push(
      `${plural(o.rejected.length, 'destination')} reached only by REJECTed attempts ${o.rejected.length === 1 ? 'is' : 'are'} left out`,
    );
  }
  const nameless = o.destinations.filter((d) => !d.names.length).flatMap((d) => d.addresses);
  if (nameless.length) {
    notes.push(
      `${plural(nameless.length, 'address', 'addresses')} with no DNS name seen (${nameless.slice(0, 5).join(', ')}${nameless.length > 5 ? ', …' : ''}): only the NetworkPolicy allows ${nameless.length === 1 ? 'it' : 'them'}, by ipBlock; the Cilium and DNS Firewall drafts leave ${nameless.length === 1 ? 'it' : 'them'} out`,
    );
  }
  if (o.kinds.includes('dns-firewall')) {
    notes.push(
      'DNS Firewall filters the whole VPC (it sees CoreDNS, not pods): merge the lists of every workload before turning ALERT into BLOCK',
    );
  }
  return notes;
}
