/**
 * Which internet peers are AWS services, and which VPC endpoint would carry their traffic instead of the NAT
 * gateway. The service comes from the flow log's `pkt-dst-aws-service` where the format has it, else from AWS's
 * ip-ranges.json; ranges name only a few services (S3, DynamoDB, EC2, …) and file every other AWS API under
 * `AMAZON`, so the endpoint of those is read from the resolver names of the address
 * (`sqs.us-east-1.amazonaws.com` → `com.amazonaws.us-east-1.sqs`). Pure.
 */
import type { AwsIpRanges } from '../aws/ip-ranges.js';

/** The endpoint that removes a service's traffic from the NAT gateway. */
export interface Endpoint {
  /** gateway: S3 and DynamoDB, free; interface: PrivateLink, charged per GB and per hour per AZ. */
  type: 'gateway' | 'interface';
  /** `com.amazonaws.us-east-1.s3`, as `aws ec2 create-vpc-endpoint --service-name` takes it. */
  serviceName: string;
}

/** What one peer is. */
export interface AwsPeer {
  /** As AWS names it in the flow log / ip-ranges.json: `S3`, `DYNAMODB`, `AMAZON`, … */
  awsService: string;
  /** The endpoint service's short name: `s3`, `dynamodb`, `sqs`, `ecr.api`; null when no endpoint is known. */
  service: string | null;
  /** `us-east-1`; null when neither the ranges nor a regional name tell. */
  region: string | null;
  endpoint: Endpoint | null;
  /** What said it is AWS. */
  identifiedBy: 'flow-log' | 'ip-ranges';
}

const REGIONAL = /^(?:(.+)\.)?([a-z0-9-]+)\.([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)\.amazonaws\.com$/;
const GATEWAY: Record<string, string> = { S3: 's3', DYNAMODB: 'dynamodb' };
/** Services whose endpoint name has a second part taken from the label before (`api.ecr…` → `ecr.api`). */
const TWO_PART: Record<string, readonly string[]> = { ecr: ['api', 'dkr'] };

/** The endpoint service and region a regional AWS name stands for: `api.ecr.us-east-1.amazonaws.com` → ecr.api. */
export function endpointOfName(name: string): { service: string; region: string } | undefined {
  const m = REGIONAL.exec(name.toLowerCase());
  if (!m) return undefined;
  const prefix = m[1];
  const label = m[2] ?? '';
  const region = m[3] ?? '';
  const before = prefix?.split('.').pop();
  const second = before && TWO_PART[label]?.includes(before) ? `.${before}` : '';
  return { service: `${label}${second}`, region };
}

/**
 * Classifies one peer: `field` is its `pkt-dst-aws-service` (null where the format lacks it), `names` the resolver
 * names of the address. Undefined when nothing says the peer is AWS.
 */
export function classifyPeer(
  peer: string,
  field: string | null,
  names: readonly string[],
  ranges: AwsIpRanges | undefined,
): AwsPeer | undefined {
  const range = ranges?.lookup(peer);
  const awsService = field || range?.service;
  if (!awsService) return undefined;
  const identifiedBy = field ? 'flow-log' : 'ip-ranges';
  const named = names.map(endpointOfName).find((e) => e !== undefined);
  const region = range && range.region !== 'GLOBAL' ? range.region : (named?.region ?? null);
  const gateway = GATEWAY[awsService] ?? (named && ['s3', 'dynamodb'].includes(named.service) ? named.service : null);
  const where = region ?? '<region>';
  if (gateway) {
    return {
      awsService,
      service: gateway,
      region,
      endpoint: { type: 'gateway', serviceName: `com.amazonaws.${where}.${gateway}` },
      identifiedBy,
    };
  }
  if (!named) return { awsService, service: null, region, endpoint: null, identifiedBy };
  return {
    awsService,
    service: named.service,
    region,
    endpoint: { type: 'interface', serviceName: `com.amazonaws.${where}.${named.service}` },
    identifiedBy,
  };
}
