import type { NetworkInterface, Tag } from '@aws-sdk/client-ec2';
import type { Owner } from '../attribution/types.js';

const nameTag = (tags: Tag[] | undefined) => tags?.find((t) => t.Key === 'Name')?.Value ?? null;

/** `AWS Lambda VPC ENI-my-fn-6c1f0e2a…` → `my-fn`: the description ends in a random suffix (hex or UUID). */
export function lambdaFunctionName(description: string): string | null {
  const m = /^AWS Lambda VPC ENI-(.+)$/.exec(description);
  if (!m) return null;
  return (m[1] as string).replace(/-[0-9a-f]{8}(?:-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$/i, '') || null;
}

/**
 * What an ENI belongs to, as people name it: an instance (id + Name tag), a Lambda function, a VPC endpoint, a load
 * balancer, a NAT gateway, an EFS mount target…, read from the attachment, InterfaceType and the Description AWS
 * writes on managed interfaces. `id` is the most specific resource id known (the ENI id when nothing better), `name`
 * the human name when there is one. Pure.
 */
export function eniOwner(ni: NetworkInterface, instanceNames: ReadonlyMap<string, string | null>): Owner {
  const eni = ni.NetworkInterfaceId ?? 'eni-?';
  const desc = ni.Description ?? '';
  // A plain string: AWS adds interface types over time, and older ones (nat_gateway, efs) are still reported.
  const type: string = ni.InterfaceType ?? 'interface';
  const tagName = nameTag(ni.TagSet);
  const instanceId = ni.Attachment?.InstanceId;
  if (instanceId) return { type: 'instance', id: instanceId, name: instanceNames.get(instanceId) ?? tagName };
  if (type === 'lambda' || desc.startsWith('AWS Lambda VPC ENI-')) {
    return { type: 'lambda', id: eni, name: lambdaFunctionName(desc) ?? tagName };
  }
  const vpce = /\b(vpce-[0-9a-f]+)\b/.exec(desc)?.[1];
  if (type === 'vpc_endpoint' || (vpce && /^VPC Endpoint/i.test(desc))) {
    return { type: 'vpc-endpoint', id: vpce ?? eni, name: tagName };
  }
  const elb = /^ELB (?:(app|net|gwy)\/([^/]+)\/([0-9a-f]+)|([A-Za-z0-9-]+))$/.exec(desc);
  if (elb || /load_balancer$/.test(type)) {
    if (elb?.[1]) return { type: 'load-balancer', id: `${elb[1]}/${elb[2]}/${elb[3]}`, name: elb[2] as string };
    return { type: 'load-balancer', id: elb?.[4] ?? eni, name: elb?.[4] ?? tagName };
  }
  const nat = /Interface for NAT Gateway (nat-[0-9a-f]+)/.exec(desc)?.[1];
  if (nat || type === 'natGateway' || type === 'nat_gateway')
    return { type: 'nat-gateway', id: nat ?? eni, name: tagName };
  const efs = /EFS mount target for (fs-[0-9a-f]+)/.exec(desc)?.[1];
  if (efs || type === 'efs') return { type: 'efs', id: efs ?? eni, name: tagName };
  const tgw = /(tgw-attach-[0-9a-f]+)/.exec(desc)?.[1];
  if (tgw || type === 'transit_gateway') return { type: 'transit-gateway', id: tgw ?? eni, name: tagName };
  // EKS "security groups for pods" branch ENIs: a pod behind it should have been attributed by the pod source.
  if (type === 'branch') return { type: 'pod-eni', id: eni, name: tagName ?? (desc || null) };
  return {
    type: type === 'interface' ? 'network-interface' : type.replace(/_/g, '-'),
    id: eni,
    name: tagName ?? (desc || null),
  };
}
