import { EC2Client, type NetworkInterface } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ec2OwnerLookup, MAX_FILTER_VALUES } from '../src/aws/ec2-owners.js';
import { eniOwner, lambdaFunctionName } from '../src/aws/eni-owner.js';
import { errSerializer } from '../src/logger.js';
import { type Ec2Fake, startEc2Fake } from './fakes/ec2-api.js';

const VPC = 'vpc-0abc0abc0abc0abc0';
const creds = { accessKeyId: 'test', secretAccessKey: 'test' };
let fake: Ec2Fake;
let ec2: EC2Client;

const ni = (n: number, extra: Partial<NetworkInterface> = {}): NetworkInterface => ({
  NetworkInterfaceId: `eni-${String(n).padStart(17, '0')}`,
  PrivateIpAddress: `10.1.${Math.floor(n / 250)}.${(n % 250) + 1}`,
  PrivateIpAddresses: [{ PrivateIpAddress: `10.1.${Math.floor(n / 250)}.${(n % 250) + 1}`, Primary: true }],
  InterfaceType: 'interface',
  VpcId: VPC,
  TagSet: [],
  ...extra,
});

beforeAll(async () => {
  // 300 plain interfaces, so a 260-address question must be split into calls of at most 200 filter values.
  const many = Array.from({ length: 300 }, (_, i) => ni(i + 100));
  fake = await startEc2Fake({
    networkInterfaces: [
      ni(1, { Attachment: { InstanceId: 'i-0node', DeviceIndex: 0, Status: 'attached' } }),
      ni(2, {
        InterfaceType: 'lambda',
        Description: 'AWS Lambda VPC ENI-billing-export-6c1f0e2a-1b2c-4d5e-8f90-123456789abc',
        PrivateIpAddresses: [
          { PrivateIpAddress: '10.1.0.3', Primary: true },
          { PrivateIpAddress: '10.1.7.77', Primary: false },
        ],
      }),
      ni(3, { InterfaceType: 'vpc_endpoint', Description: 'VPC Endpoint Interface vpce-0f00ba11' }),
      ni(4, { Description: 'ELB app/public-alb/50dc6c495c0c9188', RequesterId: 'amazon-elb' }),
      ni(5, { InterfaceType: 'natGateway', Description: 'Interface for NAT Gateway nat-0123abcd' }),
      // Same address in another VPC: must never be confused with ours.
      ni(6, {
        PrivateIpAddress: '10.1.0.2',
        PrivateIpAddresses: [{ PrivateIpAddress: '10.1.0.2', Primary: true }],
        VpcId: 'vpc-0other00000000000',
        Description: 'elsewhere',
      }),
      ...many,
    ],
    instances: [{ InstanceId: 'i-0node', PrivateIpAddress: '10.1.0.2', Tags: [{ Key: 'Name', Value: 'eks-node-a' }] }],
  });
  ec2 = new EC2Client({ endpoint: fake.url, region: 'us-east-1', credentials: creds });
});
afterAll(async () => {
  ec2.destroy();
  await fake.close();
});

describe('EC2 owner lookup', () => {
  it('names instances, Lambda functions, endpoints, load balancers and NAT gateways (secondary IPs too)', async () => {
    const lookup = new Ec2OwnerLookup({ ec2, vpcId: VPC });
    const owners = await lookup.lookup(['10.1.0.2', '10.1.7.77', '10.1.0.4', '10.1.0.5', '10.1.0.6', '10.9.9.9']);
    expect(Object.fromEntries(owners)).toEqual({
      '10.1.0.2': { type: 'instance', id: 'i-0node', name: 'eks-node-a' },
      '10.1.7.77': { type: 'lambda', id: 'eni-00000000000000002', name: 'billing-export' },
      '10.1.0.4': { type: 'vpc-endpoint', id: 'vpce-0f00ba11', name: null },
      '10.1.0.5': { type: 'load-balancer', id: 'app/public-alb/50dc6c495c0c9188', name: 'public-alb' },
      '10.1.0.6': { type: 'nat-gateway', id: 'nat-0123abcd', name: null },
    });
  });

  it('batches ≤ 200 filter values per call, restricted to the VPC', async () => {
    const lookup = new Ec2OwnerLookup({ ec2, vpcId: VPC });
    const ips = Array.from({ length: 260 }, (_, i) => ni(i + 100).PrivateIpAddress as string);
    const before = fake.calls.length;
    const owners = await lookup.lookup(ips);
    expect(owners.size).toBe(260);
    const calls = fake.calls.slice(before).filter((c) => c.action === 'DescribeNetworkInterfaces');
    expect(calls).toHaveLength(2);
    for (const c of calls) {
      const values = Object.keys(c.params).filter((k) => /^Filter\.\d+\.Value\.\d+$/.test(k)).length;
      expect(values).toBeLessThanOrEqual(MAX_FILTER_VALUES);
      expect(Object.entries(c.params)).toContainEqual(['Filter.2.Value.1', VPC]);
    }
  });

  it('caches answers, including "nothing there", until the TTL expires', async () => {
    let now = 0;
    const lookup = new Ec2OwnerLookup({ ec2, vpcId: VPC, ttlMs: 60_000, now: () => now });
    const count = () => fake.calls.filter((c) => c.action === 'DescribeNetworkInterfaces').length;
    const start = count();
    await lookup.lookup(['10.1.0.4', '10.9.9.9']);
    await lookup.lookup(['10.9.9.9', '10.1.0.4', '10.1.0.4']);
    expect(count() - start).toBe(1);
    now += 60_001;
    expect((await lookup.lookup(['10.1.0.4'])).get('10.1.0.4')?.type).toBe('vpc-endpoint');
    expect(count() - start).toBe(2);
  });

  it('a denied lookup is logged and leaves rows without owners instead of failing the answer', async () => {
    const warnings: string[] = [];
    // As the product's logger writes it: `err` through its serializer.
    const warn = (o: object, m: string) =>
      warnings.push(`${m} ${JSON.stringify({ ...o, err: errSerializer((o as { err?: unknown }).err) })}`);
    const lookup = new Ec2OwnerLookup({ ec2, logger: { warn } });
    fake.denyNext('DescribeNetworkInterfaces');
    expect((await lookup.lookup(['10.1.0.4'])).size).toBe(0);
    expect(warnings.join()).toContain('ec2:DescribeNetworkInterfaces');
    // Not cached: the next question asks again and gets the answer.
    expect((await lookup.lookup(['10.1.0.4'])).size).toBe(1);
  });
});

describe('ENI → owner mapping', () => {
  it('reads the managed-interface descriptions AWS writes', () => {
    const none = new Map<string, string | null>();
    expect(lambdaFunctionName('AWS Lambda VPC ENI-my-fn-6c1f0e2a')).toBe('my-fn');
    expect(eniOwner({ NetworkInterfaceId: 'eni-1', Description: 'ELB my-classic-elb' }, none)).toEqual({
      type: 'load-balancer',
      id: 'my-classic-elb',
      name: 'my-classic-elb',
    });
    expect(
      eniOwner(
        { NetworkInterfaceId: 'eni-2', InterfaceType: 'network_load_balancer', Description: 'ELB net/nlb-a/0123abcd' },
        none,
      ),
    ).toEqual({ type: 'load-balancer', id: 'net/nlb-a/0123abcd', name: 'nlb-a' });
    expect(
      eniOwner({ NetworkInterfaceId: 'eni-3', Description: 'EFS mount target for fs-0abc (fsmt-1)' }, none),
    ).toMatchObject({ type: 'efs', id: 'fs-0abc' });
    expect(
      eniOwner({ NetworkInterfaceId: 'eni-4', InterfaceType: 'branch', Description: 'aws-k8s-branch-eni' }, none),
    ).toMatchObject({ type: 'pod-eni', id: 'eni-4' });
    expect(
      eniOwner(
        { NetworkInterfaceId: 'eni-5', InterfaceType: 'api_gateway_managed', TagSet: [{ Key: 'Name', Value: 'gw' }] },
        none,
      ),
    ).toEqual({ type: 'api-gateway-managed', id: 'eni-5', name: 'gw' });
    expect(eniOwner({ NetworkInterfaceId: 'eni-6' }, none)).toEqual({
      type: 'network-interface',
      id: 'eni-6',
      name: null,
    });
  });
});
