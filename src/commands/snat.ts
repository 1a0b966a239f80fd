/**
 * The SNAT check: pods reach the NAT gateway with their own address only when the VPC CNI runs with
 * `AWS_VPC_K8S_CNI_EXTERNALSNAT=true`; otherwise every pod's egress leaves with its node's address, and answers name
 * nodes (or hostNetwork pods that share the node's address) instead of the workloads. When most translated egress
 * comes from node addresses, the answer says so. Pure.
 */
import type { Holder, Owner } from '../attribution/types.js';
import type { SnatWarning } from './coverage.js';

/** One source of egress as an answer saw it. */
export interface EgressSource {
  ip: string;
  flows: number;
  holder: Pick<Holder, 'workload' | 'hostNetwork'> | null;
  owner?: Pick<Owner, 'type'> | null;
}

/** Fewer flows than this say nothing either way. */
const MIN_FLOWS = 5;

/** True when the source is a node's address: a node holder, a hostNetwork pod, a known node IP or an EC2 instance. */
export function fromNode(s: EgressSource, nodeIps: ReadonlySet<string>): boolean {
  return (
    s.holder?.workload?.kind === 'Node' ||
    s.holder?.hostNetwork === true ||
    nodeIps.has(s.ip) ||
    s.owner?.type === 'instance'
  );
}

/** The warning when more than half of the flows (and at least a few) come from node addresses. */
export function snatCheck(
  sources: readonly EgressSource[],
  nodeIps: ReadonlySet<string> = new Set(),
): SnatWarning | undefined {
  const flows = sources.reduce((n, s) => n + s.flows, 0);
  const nodeFlows = sources.reduce((n, s) => n + (fromNode(s, nodeIps) ? s.flows : 0), 0);
  if (flows < MIN_FLOWS || nodeFlows * 2 <= flows) return undefined;
  return {
    nodeFlows,
    flows,
    message:
      `${nodeFlows} of ${flows} translated egress flows come from node addresses: AWS_VPC_K8S_CNI_EXTERNALSNAT is ` +
      'probably false, so pods are hidden behind their nodes — set it to true on aws-node (README section 1.1)',
  };
}
