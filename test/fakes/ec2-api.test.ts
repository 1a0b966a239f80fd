import {
  DescribeFlowLogsCommand,
  DescribeInstancesCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  EC2Client,
  EC2ServiceException,
  type FlowLog,
  type Instance,
  type NatGateway,
  type NetworkInterface,
  paginateDescribeNetworkInterfaces,
} from '@aws-sdk/client-ec2';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Ec2Fake, startEc2Fake } from './ec2-api.js';

const VPC = 'vpc-0abc';
const nat: NatGateway = {
  NatGatewayId: 'nat-0123',
  VpcId: VPC,
  SubnetId: 'subnet-pub-a',
  State: 'available',
  ConnectivityType: 'public',
  CreateTime: new Date('2024-03-01T10:00:00.000Z'),
  NatGatewayAddresses: [
    { NetworkInterfaceId: 'eni-nat', PrivateIp: '10.0.0.10', PublicIp: '203.0.113.10', AllocationId: 'eipalloc-1' },
  ],
  Tags: [{ Key: 'Name', Value: 'egress-a' }],
};
const flowLog: FlowLog = {
  FlowLogId: 'fl-0aa',
  ResourceId: 'eni-nat',
  LogDestinationType: 's3',
  LogDestination: 'arn:aws:s3:::flow-bucket/nat/',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: VPC Flow Logs field syntax, not a JS template.
  LogFormat: '${version} ${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${bytes}',
  MaxAggregationInterval: 60,
  TrafficType: 'ALL',
  FlowLogStatus: 'ACTIVE',
  CreationTime: new Date('2024-03-02T00:00:00.000Z'),
  DestinationOptions: { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true },
};
const eni = (n: number, extra: Partial<NetworkInterface>): NetworkInterface => ({
  NetworkInterfaceId: `eni-${n}`,
  PrivateIpAddress: `10.0.1.${n}`,
  PrivateIpAddresses: [{ PrivateIpAddress: `10.0.1.${n}`, Primary: true }],
  InterfaceType: 'interface',
  VpcId: VPC,
  SubnetId: 'subnet-priv-a',
  Status: 'in-use',
  TagSet: [],
  ...extra,
});
const enis: NetworkInterface[] = [
  eni(1, {
    Description: 'AWS Lambda VPC ENI-my-fn-6c1f0e2a',
    InterfaceType: 'lambda',
    RequesterId: 'AROAEXAMPLE:my-fn',
    PrivateIpAddresses: [
      { PrivateIpAddress: '10.0.1.1', Primary: true },
      { PrivateIpAddress: '10.0.1.101', Primary: false },
    ],
  }),
  eni(2, { Description: 'ELB app/my-alb/50dc6c495c0c9188', RequesterId: 'amazon-elb' }),
  eni(3, { Description: 'VPC Endpoint Interface vpce-0f00', InterfaceType: 'vpc_endpoint' }),
  eni(4, {
    Attachment: { InstanceId: 'i-0node', InstanceOwnerId: '123456789012', DeviceIndex: 0, Status: 'attached' },
    TagSet: [{ Key: 'cluster.k8s.amazonaws.com/name', Value: 'prod' }],
  }),
];
const instance: Instance = {
  InstanceId: 'i-0node',
  PrivateIpAddress: '10.0.1.4',
  VpcId: VPC,
  Tags: [{ Key: 'Name', Value: 'prod-node-a' }],
};

let fake: Ec2Fake;
let ec2: EC2Client;

beforeAll(async () => {
  fake = await startEc2Fake({
    natGateways: [nat],
    flowLogs: [flowLog],
    networkInterfaces: enis,
    instances: [instance],
  });
  ec2 = new EC2Client({
    endpoint: fake.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  ec2.destroy();
  await fake.close();
});

describe('EC2 fake via the real EC2Client', () => {
  it('round-trips NAT gateways filtered by vpc-id, with the query-protocol parameters recorded', async () => {
    const out = await ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc-id', Values: [VPC] }] }));
    expect(out.NatGateways).toEqual([nat]);
    expect(fake.calls.at(-1)).toEqual({
      action: 'DescribeNatGateways',
      params: { 'Filter.1.Name': 'vpc-id', 'Filter.1.Value.1': VPC },
    });
    const none = await ec2.send(
      new DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc-id', Values: ['vpc-other'] }] }),
    );
    expect(none.NatGateways).toEqual([]);
  });

  it('round-trips flow logs filtered by resource-id, including destination options', async () => {
    const out = await ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: ['eni-nat'] }] }));
    expect(out.FlowLogs).toEqual([flowLog]);
    const byId = await ec2.send(new DescribeFlowLogsCommand({ FlowLogIds: ['fl-0aa'] }));
    expect(byId.FlowLogs).toEqual([flowLog]);
    expect(fake.calls.at(-1)!.params).toEqual({ 'FlowLogId.1': 'fl-0aa' });
  });

  it('finds network interfaces by any private address and round-trips their attribution fields', async () => {
    const out = await ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [{ Name: 'addresses.private-ip-address', Values: ['10.0.1.101', '10.0.1.2', '10.0.1.4'] }],
      }),
    );
    expect(out.NetworkInterfaces).toEqual([enis[0], enis[1], enis[3]]);
    const byIp = await ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'private-ip-address', Values: ['10.0.1.3'] }] }),
    );
    expect(byIp.NetworkInterfaces).toEqual([enis[2]]);
    const byTag = await ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [{ Name: 'tag:cluster.k8s.amazonaws.com/name', Values: ['p*'] }],
      }),
    );
    expect(byTag.NetworkInterfaces!.map((n) => n.NetworkInterfaceId)).toEqual(['eni-4']);
  });

  it('rejects more than 200 filter values, unknown filters and unknown ids like EC2', async () => {
    const values = Array.from({ length: 201 }, (_, i) => `10.1.${i >> 8}.${i & 255}`);
    const tooMany = new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'private-ip-address', Values: values }] });
    await expect(ec2.send(tooMany)).rejects.toMatchObject({ name: 'FilterLimitExceeded' });
    const typo = new DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc', Values: [VPC] }] });
    await expect(ec2.send(typo)).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    const missing = new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-nope'] });
    await expect(ec2.send(missing)).rejects.toMatchObject({ name: 'InvalidNetworkInterfaceID.NotFound' });
  });

  it('pages through the SDK paginator with MaxResults/NextToken', async () => {
    const ids: string[][] = [];
    for await (const page of paginateDescribeNetworkInterfaces({ client: ec2, pageSize: 3 }, {})) {
      ids.push(page.NetworkInterfaces!.map((n) => n.NetworkInterfaceId!));
    }
    expect(ids).toEqual([['eni-1', 'eni-2', 'eni-3'], ['eni-4']]);
  });

  it('describes instances with their Name tag', async () => {
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0node'] }));
    const found = out.Reservations!.flatMap((r) => r.Instances ?? []);
    expect(found).toEqual([instance]);
    expect(found[0]!.Tags!.find((t) => t.Key === 'Name')!.Value).toBe('prod-node-a');
  });

  it('surfaces UnauthorizedOperation as an SDK error of that name', async () => {
    fake.denyNext('DescribeFlowLogs');
    const err = await ec2.send(new DescribeFlowLogsCommand({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EC2ServiceException);
    expect(err).toMatchObject({
      name: 'UnauthorizedOperation',
      message: expect.stringContaining('not authorized'),
      $fault: 'client',
      $metadata: { httpStatusCode: 403, attempts: 1 },
    });
    expect((await ec2.send(new DescribeFlowLogsCommand({}))).FlowLogs).toHaveLength(1);
  });
});

describe('EC2 endpoint from the environment', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('honours AWS_ENDPOINT_URL_EC2 with a default-config client', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_EC2', fake.url);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    const client = new EC2Client({});
    const out = await client.send(new DescribeNatGatewaysCommand({}));
    expect(out.NatGateways).toEqual([nat]);
    client.destroy();
  });
});
