/**
 * Workload selectors — `payments/ledger-api`, `payments/Deployment/ledger-api`, `payments/*`,
 * `payments/ledger-api-6f9c7d8b5-x7k2p` or a pod IP — parsed into a typed {@link Selector} (pure, strict, one-line
 * fix-it messages), and resolved against attribution into the addresses the selected pods held, each with the time
 * it held it. `from` uses them; so can any command that asks about a workload.
 */
import type { Attribution, HeldAddress, Workload } from '../attribution/types.js';
import { canListHolders } from '../attribution/types.js';
import { UserError } from '../errors.js';
import { canonicalIp } from '../flowlogs/classify.js';
import { isoSeconds } from '../flowlogs/window.js';
import { compareText } from '../util/compare.js';
import { type ParseOptions, truncate } from './grammar.js';
import { closest } from './similar.js';

/** What a selector names. */
export type Selector =
  /** `ns/name`: a workload of any kind with that name, else the pod with that name. */
  | { kind: 'named'; namespace: string; name: string }
  /** `ns/Kind/name`: one workload. */
  | { kind: 'workload'; namespace: string; workloadKind: string; name: string }
  /** `ns/*`: every pod of the namespace. */
  | { kind: 'namespace'; namespace: string }
  /** A pod IP: whatever held it. */
  | { kind: 'ip'; ip: string };

/** The pods a selector resolved to, as address intervals, and what it matched. */
export interface Selection {
  selector: Selector;
  /** What the selector turned out to name. */
  matched: 'workload' | 'pod' | 'namespace' | 'ip';
  /** The selected holders' addresses with their intervals, sorted by namespace, pod, start. */
  addresses: HeldAddress[];
  /** The distinct workloads among them. */
  workloads: Workload[];
}

const NAMESPACE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/;
const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;
const KNOWN_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'ReplicaSet', 'Pod'];
const EXAMPLES =
  '`from payments/ledger-api`, `from payments/Deployment/ledger-api`, `from payments/*` or `from 10.40.12.34`';

/** `payments/ledger-api`, `payments/Deployment/ledger-api`, `payments/*`, `10.40.12.34`. */
export function selectorText(s: Selector): string {
  switch (s.kind) {
    case 'named':
      return `${s.namespace}/${s.name}`;
    case 'workload':
      return `${s.namespace}/${s.workloadKind}/${s.name}`;
    case 'namespace':
      return `${s.namespace}/*`;
    case 'ip':
      return s.ip;
  }
}

/** True when a workload can be named by a selector (Kubernetes names; anything else was not a real workload). */
export const isSelectable = (w: Workload): boolean =>
  NAMESPACE.test(w.namespace) && KIND.test(w.kind) && NAME.test(w.name);

/** `ns/Kind/name` of a workload, the form a follow-up can ask about exactly. */
export const workloadSelector = (w: Workload): Selector => ({
  kind: 'workload',
  namespace: w.namespace,
  workloadKind: w.kind,
  name: w.name,
});

/** Parses a selector; anything else is a {@link UserError} saying what to type. Pure. */
export function parseSelector(cmd: string, raw: string | undefined, opts: ParseOptions): Selector {
  if (!raw) throw new UserError('BAD_COMMAND', `\`${cmd}\` needs a workload, a pod or a pod IP, e.g. ${EXAMPLES}.`);
  const bad = (why: string) => new UserError('BAD_COMMAND', `"${truncate(raw)}" ${why}. Try ${EXAMPLES}.`);
  if (!raw.includes('/')) {
    const ip = canonicalIp(raw);
    if (!ip) throw bad('is not a workload, a pod or a pod IP');
    if (!opts.classifier.isInternal(ip)) {
      throw new UserError(
        'INTERNAL_IP',
        `${ip} is an internet address, not a pod IP. To see who talked to it, use \`who ${ip}\`.`,
      );
    }
    return { kind: 'ip', ip };
  }
  const parts = raw.split('/');
  const [namespace = '', second = '', third] = parts;
  if (parts.length > 3) throw bad('has too many parts (namespace/Kind/name at most)');
  if (!NAMESPACE.test(namespace)) throw bad(`does not start with a namespace ("${truncate(namespace)}" is not one)`);
  if (parts.length === 2 && second === '*') return { kind: 'namespace', namespace };
  if (parts.length === 3) {
    if (!KIND.test(second)) throw bad(`names no workload kind ("${truncate(second)}")`);
    if (!NAME.test(third ?? '')) throw bad(`has no valid workload name after ${namespace}/${second}/`);
    const workloadKind = KNOWN_KINDS.find((k) => k.toLowerCase() === second.toLowerCase()) ?? second;
    return { kind: 'workload', namespace, workloadKind, name: third as string };
  }
  if (!NAME.test(second)) throw bad(`has no valid workload or pod name after ${namespace}/`);
  return { kind: 'named', namespace, name: second };
}

const sameWorkload = (a: Workload, b: Workload) =>
  a.namespace === b.namespace && a.kind === b.kind && a.name === b.name;
const label = (w: Workload) => `${w.namespace}/${w.name}`;

/** The holders a selector names; empty when it names nothing known. */
function pick(s: Selector, all: readonly HeldAddress[]): { matched: Selection['matched']; list: HeldAddress[] } {
  const pods = all.filter((h) => h.pod);
  switch (s.kind) {
    case 'ip':
      return { matched: 'ip', list: all.filter((h) => h.ip === s.ip) };
    case 'namespace':
      return { matched: 'namespace', list: pods.filter((h) => h.namespace === s.namespace) };
    case 'workload': {
      const k = s.workloadKind.toLowerCase();
      const list = pods.filter(
        (h) =>
          h.workload?.namespace === s.namespace && h.workload.name === s.name && h.workload.kind.toLowerCase() === k,
      );
      return { matched: 'workload', list };
    }
    case 'named': {
      const byWorkload = pods.filter((h) => h.workload?.namespace === s.namespace && h.workload.name === s.name);
      if (byWorkload.length) return { matched: 'workload', list: byWorkload };
      return { matched: 'pod', list: pods.filter((h) => h.namespace === s.namespace && h.pod === s.name) };
    }
  }
}

/**
 * Resolves a selector against attribution over `range` (epoch seconds): the addresses the selected pods held, with
 * the time they held them. A selector naming nothing is a {@link UserError} listing the closest known workloads.
 */
export async function resolveSelector(
  s: Selector,
  attribution: Attribution,
  range: { from: number; to: number },
  command = 'from',
): Promise<Selection> {
  if (!canListHolders(attribution)) {
    throw new UserError(
      'BAD_COMMAND',
      `\`${command}\` needs to know the cluster's pods, and the attribution source (${attribution.describe()}) cannot list them: pass --k8s FILE (\`kubectl get pods,replicasets,jobs -A -o json\`) or configure cluster access.`,
    );
  }
  const all = await attribution.listHolders(range);
  const { matched, list } = pick(s, all);
  if (list.length === 0) {
    const where = `between ${isoSeconds(range.from)} and ${isoSeconds(range.to)}`;
    if (s.kind === 'ip') {
      throw new UserError('BAD_COMMAND', `No pod held ${s.ip} ${where}. \`ip-history ${s.ip}\` shows what is known.`);
    }
    const pods = all.filter((h) => h.pod);
    // A namespace is compared with namespaces, anything else with the known workloads' `namespace/name`.
    const names =
      s.kind === 'namespace'
        ? [...new Set(pods.map((h) => `${h.namespace}/*`))]
        : [...new Set(uniqueWorkloads(pods).map(label))];
    const wanted = s.kind === 'namespace' ? `${s.namespace}/*` : `${s.namespace}/${s.name}`;
    const near = closest(wanted, names, 3);
    const hint = near.length
      ? ` Closest known: ${near.map((n) => `\`${n}\``).join(', ')}; e.g. \`${command} ${near[0]}\`.`
      : ' Try `top last 1d` to see which workloads send traffic.';
    throw new UserError('BAD_COMMAND', `No workload or pod ${selectorText(s)} is known ${where}.${hint}`);
  }
  const addresses = [...list].sort(
    (a, b) =>
      compareText(a.namespace ?? '', b.namespace ?? '') ||
      compareText(a.pod ?? '', b.pod ?? '') ||
      (a.from ?? 0) - (b.from ?? 0),
  );
  return { selector: s, matched, addresses, workloads: uniqueWorkloads(addresses) };
}

function uniqueWorkloads(list: readonly HeldAddress[]): Workload[] {
  const out: Workload[] = [];
  for (const h of list)
    if (h.workload && !out.some((w) => sameWorkload(w, h.workload as Workload))) out.push(h.workload);
  return out.sort((a, b) => compareText(label(a), label(b)) || compareText(a.kind, b.kind));
}
