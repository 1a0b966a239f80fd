import { AthenaClient } from '@aws-sdk/client-athena';
import { EC2Client } from '@aws-sdk/client-ec2';
import { VERSION } from '../version.js';

/**
 * SDK clients built with the SDK's default configuration chain only: region from AWS_REGION/profile, credentials from
 * the usual sources (env, profile, SSO, IRSA web identity, instance/container role), endpoints from
 * AWS_ENDPOINT_URL_ATHENA / AWS_ENDPOINT_URL_EC2 (which is how the tests reach the local fakes). Nothing here reads
 * `process.env` itself.
 */
const common = { customUserAgent: `egress/${VERSION}` };

/** A default-chain Athena client. */
export function createAthenaClient(): AthenaClient {
  return new AthenaClient({ ...common });
}

/** A default-chain EC2 client. */
export function createEc2Client(): EC2Client {
  return new EC2Client({ ...common });
}
