/** Fixed identities of the sample AWS account, VPC and NAT gateway. */

/** 2026-11-20T12:00:00Z in epoch seconds: the default "now" every scripted time is relative to. */
export const SAMPLE_NOW = Date.UTC(2026, 10, 20, 12, 0, 0) / 1000;

export const ACCOUNT_ID = '111122223333';
export const REGION = 'us-east-1';
export const VPC_ID = 'vpc-0123456789abcdef0';
export const VPC_CIDRS = ['10.40.0.0/16', '100.64.0.0/16'] as const;
export const FLOW_LOG_ID = 'fl-0a1b2c3d4e5f60718';
export const NAT_ENI = 'eni-0a1b2c3d4e5f60718';
export const NAT_SUBNET = 'subnet-0aa11bb22cc33dd44';
export const NAT_AZ = 'use1-az1';
/** The NAT gateway's private address: every translated record has it on the VPC side. */
export const NAT_IP = '10.40.0.5';
/** CoreDNS's ClusterIP: Resolver sees it as the source of every pod's query, which is why DNS alone cannot attribute. */
export const COREDNS_CLUSTER_IP = '172.20.0.10';

export const DAY = 86_400;
export const HOUR = 3_600;
/** AWS delivers an object a few minutes after its capture window closes. */
export const DELIVERY_DELAY = 300;

/**
 * Order A: alphabetical, used for objects whose capture window starts before `now − 5d`. Deliberately not the
 * default order, so a reader that assumes positions breaks.
 */
export const FIELDS_A = [
  'account-id',
  'action',
  'bytes',
  'dstaddr',
  'dstport',
  'end',
  'flow-direction',
  'interface-id',
  'log-status',
  'packets',
  'pkt-dstaddr',
  'pkt-srcaddr',
  'protocol',
  'srcaddr',
  'srcport',
  'start',
  'subnet-id',
  'traffic-path',
  'version',
  'vpc-id',
] as const;

/** Order B: the flow log was recreated with a new LogFormat (adds az-id and tcp-flags) five days before `now`. */
export const FIELDS_B = [
  'version',
  'vpc-id',
  'subnet-id',
  'az-id',
  'interface-id',
  'account-id',
  'flow-direction',
  'traffic-path',
  'pkt-srcaddr',
  'srcaddr',
  'srcport',
  'pkt-dstaddr',
  'dstaddr',
  'dstport',
  'protocol',
  'tcp-flags',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
] as const;

/** Days before `now` at which the LogFormat changed from order A to order B. */
export const FORMAT_CHANGE_DAYS = 5;

/**
 * Order C: three days before `now` the flow log was recreated once more to name AWS services (pkt-src-aws-service
 * after pkt-srcaddr, pkt-dst-aws-service after pkt-dstaddr), so `cost` can tell S3 or DynamoDB traffic without
 * ip-ranges.json for those days only. Readers go by each object's header, never by position.
 */
export const FIELDS_C = [
  'version',
  'vpc-id',
  'subnet-id',
  'az-id',
  'interface-id',
  'account-id',
  'flow-direction',
  'traffic-path',
  'pkt-srcaddr',
  'pkt-src-aws-service',
  'srcaddr',
  'srcport',
  'pkt-dstaddr',
  'pkt-dst-aws-service',
  'dstaddr',
  'dstport',
  'protocol',
  'tcp-flags',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
] as const;

/** Days before `now` at which the LogFormat changed from order B to order C. */
export const FORMAT_C_DAYS = 3;

export const TCP = 6;
export const UDP = 17;
