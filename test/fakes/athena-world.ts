import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ACCOUNT_ID,
  FIELDS_C,
  FLOW_LOG_ID,
  NAT_ENI,
  NAT_IP,
  NAT_SUBNET,
  REGION,
  SAMPLE_NOW,
  VPC_ID,
} from '../../dev/sample/constants.js';
import { UNKNOWN_SRC } from '../../dev/sample/scenario.js';
import { generateWorld } from '../../dev/sample/world.js';
import { type AthenaFake, startAthenaFake } from './athena-api.js';
import { createMirrorExecutor, type MirrorExecutor } from './athena-mirror.js';
import type { Ec2State } from './ec2-api.js';
import { type Ec2Fake, startEc2Fake } from './ec2-api.js';

/** The bucket the sample world stands in for. */
export const SAMPLE_BUCKET = 'egress-sample-logs';
/** The instance that holds the sample's unattributed source address. */
export const LEGACY_INSTANCE = { id: 'i-0legacy00000000001', name: 'legacy-batch-host', ip: UNKNOWN_SRC };
export const NAT_GATEWAY_ID = 'nat-0sample000000001';

/** `${field}` list as DescribeFlowLogs returns a custom LogFormat. */
export const logFormat = (fields: readonly string[]) => fields.map((f) => `\${${f}}`).join(' ');

/**
 * EC2 as the sample world's account would describe it: one NAT gateway whose interface has an ACTIVE flow log to S3
 * in the current (order C) format, plus the EC2 instance behind the one source address no pod ever held.
 */
export function sampleEc2State(): Ec2State {
  return {
    natGateways: [
      {
        NatGatewayId: NAT_GATEWAY_ID,
        VpcId: VPC_ID,
        SubnetId: NAT_SUBNET,
        State: 'available',
        ConnectivityType: 'public',
        NatGatewayAddresses: [{ NetworkInterfaceId: NAT_ENI, PrivateIp: NAT_IP, PublicIp: '203.0.113.10' }],
      },
    ],
    networkInterfaces: [
      {
        NetworkInterfaceId: NAT_ENI,
        OwnerId: ACCOUNT_ID,
        InterfaceType: 'natGateway',
        Description: `Interface for NAT Gateway ${NAT_GATEWAY_ID}`,
        PrivateIpAddress: NAT_IP,
        PrivateIpAddresses: [{ PrivateIpAddress: NAT_IP, Primary: true }],
        VpcId: VPC_ID,
        SubnetId: NAT_SUBNET,
        TagSet: [],
      },
      {
        NetworkInterfaceId: 'eni-0legacy000000001',
        OwnerId: ACCOUNT_ID,
        InterfaceType: 'interface',
        PrivateIpAddress: LEGACY_INSTANCE.ip,
        PrivateIpAddresses: [{ PrivateIpAddress: LEGACY_INSTANCE.ip, Primary: true }],
        Attachment: { InstanceId: LEGACY_INSTANCE.id, DeviceIndex: 0, Status: 'attached' },
        VpcId: VPC_ID,
        SubnetId: 'subnet-0private0000001',
        TagSet: [],
      },
    ],
    instances: [
      {
        InstanceId: LEGACY_INSTANCE.id,
        PrivateIpAddress: LEGACY_INSTANCE.ip,
        VpcId: VPC_ID,
        Tags: [{ Key: 'Name', Value: LEGACY_INSTANCE.name }],
      },
    ],
    flowLogs: [
      {
        FlowLogId: FLOW_LOG_ID,
        ResourceId: NAT_ENI,
        LogDestinationType: 's3',
        LogDestination: `arn:aws:s3:::${SAMPLE_BUCKET}`,
        LogFormat: logFormat(FIELDS_C),
        TrafficType: 'ALL',
        FlowLogStatus: 'ACTIVE',
        DeliverLogsStatus: 'SUCCESS',
        MaxAggregationInterval: 60,
        CreationTime: new Date('2026-01-01T00:00:00Z'),
        DestinationOptions: { FileFormat: 'plain-text', HiveCompatiblePartitions: false, PerHourPartition: false },
      },
    ],
  };
}

/**
 * The default sample world, generated once per version of the generator and shared by every test file (they only read
 * it): keyed by a hash of `src/sample/*.ts`, written to a temp dir and renamed into place, so concurrent test files
 * never see half a world.
 */
export async function sharedSampleWorld(): Promise<string> {
  const sampleDir = new URL('../../dev/sample/', import.meta.url);
  const hash = createHash('sha256');
  for (const f of readdirSync(sampleDir).sort()) hash.update(f).update(readFileSync(new URL(f, sampleDir)));
  const dir = path.join(tmpdir(), `egress-sample-world-${hash.digest('hex').slice(0, 12)}`);
  if (existsSync(path.join(dir, '.complete'))) return dir;
  const tmp = await mkdtemp(`${dir}.tmp-`);
  await generateWorld({ dir: tmp });
  await writeFile(path.join(tmp, '.complete'), '');
  // Another test file may have won the race: then use its copy and drop ours.
  await rename(tmp, dir).catch(() => rm(tmp, { recursive: true, force: true }));
  return dir;
}

/** A generated sample world served by the Athena and EC2 fakes, and the environment that points the SDK at them. */
export interface AwsWorld {
  dir: string;
  athena: AthenaFake;
  mirror: MirrorExecutor;
  ec2: Ec2Fake;
  /** Variables the SDK's default chain reads (stub them into process.env). */
  awsEnv: Record<string, string>;
  /** Config for the CLI / loadConfig: Athena engine, the sample VPC, no live Kubernetes. */
  egressEnv: Record<string, string>;
  close(): Promise<void>;
}

/** Options of {@link startAwsWorld}. */
export interface AwsWorldOptions {
  /** Serve this mirror instead of the shared sample world. */
  dir?: string;
  /** Mirror dir per bucket, when the test lays out its own objects. */
  buckets?: Record<string, string>;
  pollsBeforeDone?: number;
}

/** Generates (or reuses) a world and starts both fakes over it. */
export async function startAwsWorld(o: AwsWorldOptions = {}): Promise<AwsWorld> {
  const dir = o.dir ?? (await sharedSampleWorld());
  const mirror = await createMirrorExecutor({
    buckets: o.buckets ?? { [SAMPLE_BUCKET]: dir },
    // Projection ranges end at NOW: the sample world's now, not the wall clock.
    now: () => new Date(SAMPLE_NOW * 1000),
  });
  // Default 0: the CLI polls on the real clock, and each extra QUEUED answer costs a real backoff step.
  const athena = await startAthenaFake({ execute: mirror.execute, pollsBeforeDone: o.pollsBeforeDone ?? 0 });
  const ec2 = await startEc2Fake(sampleEc2State());
  return {
    dir,
    athena,
    mirror,
    ec2,
    awsEnv: {
      AWS_ENDPOINT_URL_ATHENA: athena.url,
      AWS_ENDPOINT_URL_EC2: ec2.url,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    egressEnv: {
      EGRESS_ENGINE: 'athena',
      EGRESS_VPC_ID: VPC_ID,
      EGRESS_K8S_ENABLED: 'false',
      EGRESS_ATHENA_OUTPUT: 's3://egress-results/',
    },
    close: async () => {
      await athena.close();
      await ec2.close();
      mirror.close();
    },
  };
}
