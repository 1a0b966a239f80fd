/** Who held an IP at a moment: the seam between answers and the sources of Kubernetes knowledge. */

/** A workload: the top of a pod's controller owner chain. */
export interface Workload {
  namespace: string;
  /** Deployment | StatefulSet | DaemonSet | CronJob | Job | ReplicaSet | Pod | Node | … */
  kind: string;
  name: string;
}

/** The pod (or node) that held an IP. */
export interface Holder {
  pod: string | null;
  namespace: string | null;
  uid?: string;
  node?: string;
  workload: Workload | null;
  cluster?: string;
  /** When this holder got the IP / lost it (epoch seconds), when known. */
  from?: number;
  to?: number | null;
  hostNetwork?: boolean;
}

/** What a non-pod source IP is, from EC2 (instance, Lambda, endpoint, load balancer…). */
export interface Owner {
  type: string;
  id: string;
  name: string | null;
}

/** Looks up what non-pod source IPs are (EC2 ENIs); optional. */
export interface OwnerLookupService {
  lookup(ips: readonly string[]): Promise<Map<string, Owner>>;
}

/** The answer for one (ip, at) question. */
export interface Resolution {
  holder: Holder | null;
  /** Why there is no holder (or a caveat about the one given), in words for the user. */
  reason?: string;
}

export interface IpAt {
  ip: string;
  /** Epoch seconds. */
  at: number;
}

/**
 * Resolves pod IPs to holders at the time of the flow. Implementations: a `kubectl get -o json` snapshot file, and
 * the live informer-fed IP timeline in Redis.
 */
export interface Attribution {
  /** Resolves many pairs at once (one round trip for remote sources); results in input order. */
  resolveMany(pairs: readonly IpAt[]): Promise<Resolution[]>;
  /** One line for `doctor`/health: what the source is and how fresh. */
  describe(): string;
  /** Which source this is and how fresh, for every answer's coverage. */
  source?(): Promise<AttributionSource>;
  /** Node addresses the source knows (for the SNAT check); a live source reports nodes as holders instead. */
  nodeIps?(): ReadonlySet<string>;
}

/** Which Kubernetes source attributed pod IPs, as an answer's coverage states it. */
export type AttributionSource =
  | { source: 'snapshot'; file: string; podIps: number /** when the file was written (epoch s) */; takenAt?: number }
  | {
      source: 'live';
      clusters: Array<{ name: string; synced: boolean /** the timeline's first record */; since?: number }>;
    }
  | { source: 'none'; reason: string };

/** A holder of one address over `[from, to)`: what a workload selector resolves to. */
export interface HeldAddress extends Holder {
  ip: string;
  /** When it got the address (epoch seconds); undefined when the source does not know. */
  from?: number;
  /** When it lost it (exclusive); null or undefined while it still holds it. */
  to?: number | null;
  /** The pod's labels, when the source knows them (snapshot items; the live timeline records them at pod start). */
  labels?: Record<string, string>;
}

/**
 * A source that can list who held which address over a time range (the snapshot from its items, the live timeline
 * from its intervals): what `from <selector>` needs to find a workload's pods and their IPs.
 */
export interface HolderListing {
  /** Every pod (and node) address held at some moment of `[from, to)`, with its interval. */
  listHolders(range: { from: number; to: number }): Promise<HeldAddress[]>;
}

/** Narrows an attribution source to one that can list holders. */
export function canListHolders(a: Attribution): a is Attribution & HolderListing {
  return typeof (a as Partial<HolderListing>).listHolders === 'function';
}

/** Convenience: resolve one pair. */
export async function resolveOne(a: Attribution, ip: string, at: number): Promise<Resolution> {
  const [r] = await a.resolveMany([{ ip, at }]);
  return r as Resolution;
}

/** An attribution source that knows nothing (no snapshot, no cluster access configured). */
export function noAttribution(
  reason = 'no Kubernetes source configured (pass --k8s FILE or configure cluster access)',
): Attribution {
  return {
    async resolveMany(pairs) {
      return pairs.map(() => ({ holder: null, reason }));
    },
    describe: () => 'none',
    source: async () => ({ source: 'none', reason }),
  };
}
