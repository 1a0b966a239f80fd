/**
 * The pure parts behind `cost`'s new sections: which peers are AWS services and their endpoint, the avoidable rows
 * and their prices, network labels, and the configuration that feeds them (readable errors for EGRESS_NETWORKS).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAwsIpRanges } from '../src/aws/ip-ranges.js';
import { classifyPeer, endpointOfName } from '../src/commands/aws-services.js';
import type { AttributedRow } from '../src/commands/buckets.js';
import { avoidableRows, projection30d } from '../src/commands/cost-avoidable.js';
import { networkLookup } from '../src/commands/cost-network.js';
import { loadConfig, networkLabels } from '../src/config.js';
import { createClassifier } from '../src/flowlogs/classify.js';

const ranges = parseAwsIpRanges(readFileSync(new URL('./fixtures/aws-ip-ranges.json', import.meta.url), 'utf8'));
const GiB = 2 ** 30;

describe('AWS peers and their endpoints', () => {
  it('reads the endpoint service from regional names', () => {
    expect(endpointOfName('sqs.us-east-1.amazonaws.com')).toEqual({ service: 'sqs', region: 'us-east-1' });
    expect(endpointOfName('api.ecr.eu-west-1.amazonaws.com')).toEqual({ service: 'ecr.api', region: 'eu-west-1' });
    expect(endpointOfName('1234.dkr.ecr.us-west-2.amazonaws.com')).toEqual({ service: 'ecr.dkr', region: 'us-west-2' });
    expect(endpointOfName('abc123.execute-api.us-gov-west-1.amazonaws.com')?.service).toBe('execute-api');
    for (const n of ['s3.amazonaws.com', 'api.stripe.com', 'd111.cloudfront.net'])
      expect(endpointOfName(n)).toBeUndefined();
  });

  it('classifies by the flow-log field first, else the ranges; names pick the interface endpoint', () => {
    expect(classifyPeer('52.216.8.40', null, [], ranges)).toEqual({
      awsService: 'S3',
      service: 's3',
      region: 'us-east-1',
      endpoint: { type: 'gateway', serviceName: 'com.amazonaws.us-east-1.s3' },
      identifiedBy: 'ip-ranges',
    });
    // The field alone: the region comes from the name.
    expect(classifyPeer('9.9.9.9', 'DYNAMODB', ['dynamodb.eu-west-1.amazonaws.com'], undefined)).toMatchObject({
      service: 'dynamodb',
      region: 'eu-west-1',
      identifiedBy: 'flow-log',
    });
    expect(classifyPeer('52.46.140.7', null, ['sqs.us-east-1.amazonaws.com'], ranges)?.endpoint).toEqual({
      type: 'interface',
      serviceName: 'com.amazonaws.us-east-1.sqs',
    });
    // AWS without a regional name (or a CloudFront edge): no endpoint to name.
    expect(classifyPeer('52.46.140.8', null, [], ranges)).toMatchObject({ awsService: 'AMAZON', endpoint: null });
    expect(classifyPeer('13.32.0.1', null, ['d111.cloudfront.net'], ranges)).toMatchObject({
      region: null,
      endpoint: null,
    });
    expect(classifyPeer('140.82.112.6', null, ['api.github.com'], ranges)).toBeUndefined();
  });
});

describe('avoidable rows', () => {
  const prices = { natPricePerGb: 0.045, pricePerGb: 0.01, hourlyPerAz: 0.01, azCount: 3 };
  const s3 = classifyPeer('52.216.8.40', null, [], ranges);
  const sqs = classifyPeer('52.46.140.7', null, ['sqs.us-east-1.amazonaws.com'], ranges);
  const talker = (peer: string, ip: string, out: number, inb: number): AttributedRow => ({
    row: { peer, pod_ip: ip, nat_out: out, nat_in: inb },
    podIp: ip,
    resolution: {
      holder: { pod: 'p', namespace: 'shop', workload: { namespace: 'shop', kind: 'Deployment', name: 'api' } },
    },
  });

  it('prices a 30-day window: gateway saves all its NAT processing; an interface endpoint pays $21.60 a month', () => {
    const rows = avoidableRows(
      [
        { peer: '52.216.8.40', bytes: 10 * GiB, aws: s3! },
        { peer: '52.46.140.7', bytes: 1000 * GiB, aws: sqs! },
      ],
      [talker('52.46.140.7', '10.0.0.1', 600 * GiB, 400 * GiB), talker('52.216.8.40', '10.0.0.1', GiB, 9 * GiB)],
      30 * 86_400,
      prices,
    );
    // sqs: NAT 1000 × 0.045 = $45; endpoint 1000 × 0.01 + 0.01 × 3 × 720 = $31.60; saving $13.40. s3: 10 × 0.045 = $0.45.
    expect(rows.map((r) => [r.service, r.usd, r.monthlyNatUsd, r.monthlyEndpointUsd, r.monthlySavingUsd])).toEqual([
      ['sqs', 45, 45, 31.6, 13.4],
      ['s3', 0.45, 0.45, 0, 0.45],
    ]);
    expect(rows[0]?.topWorkloads).toEqual([{ workload: 'shop/Deployment/api', bytes: 1000 * GiB }]);
  });

  it('scales the window to 30 days (a day × 30), and projects the window likewise', () => {
    const [r] = avoidableRows([{ peer: '52.216.8.40', bytes: GiB, aws: s3! }], [], 86_400, prices);
    expect([r?.usd, r?.monthlyNatUsd]).toEqual([0.045, 1.35]);
    expect(projection30d(GiB, 86_400, 0.045)).toBe(1.35);
    expect(projection30d(GiB, 7 * 86_400, 0.045)).toBe(0.192857); // 0.045 × 30/7 = 0.19285714…
  });
});

describe('networks', () => {
  const classifier = createClassifier(['100.64.0.0/16']);
  const of = networkLookup(
    [
      { cidr: '10.40.0.0/16', label: 'prod-eks' },
      { cidr: '10.40.60.0/24', label: 'shop subnet' },
      { cidr: 'fd00:1::/48', label: 'v6 lab' },
    ],
    classifier,
  );

  it('the most specific label wins; unlabelled internal sources go by /16 (IPv6 /48)', () => {
    expect(of('10.40.60.11')).toEqual({ network: 'shop subnet', labelled: true });
    expect(of('10.40.12.34')).toEqual({ network: 'prod-eks', labelled: true });
    expect(of('fd00:1::9')).toEqual({ network: 'v6 lab', labelled: true });
    expect(of('10.60.3.7')).toEqual({ network: '10.60.0.0/16', labelled: false });
    expect(of('100.64.5.17')).toEqual({ network: '100.64.0.0/16', labelled: false });
    expect(of('fd00:2:3:4::1')).toEqual({ network: 'fd00:2:3::/48', labelled: false });
    expect(of('8.8.8.8')).toEqual({ network: '(internet)', labelled: false });
  });

  it('EGRESS_NETWORKS: inline JSON or a file; then the clusters’ VPC CIDRs; readable errors', () => {
    const c = loadConfig({
      EGRESS_NETWORKS: '{"10.50.0.0/16": "acct-1111 staging", "10.40.0.0/16": "prod-eks"}',
      EGRESS_CLUSTERS: '[{"name":"prod","context":"prod","vpcCidrs":["10.40.0.0/16","100.64.0.0/16"]}]',
    });
    expect(networkLabels(c)).toEqual([
      { cidr: '10.40.0.0/16', label: 'prod-eks' },
      { cidr: '10.50.0.0/16', label: 'acct-1111 staging' },
      { cidr: '100.64.0.0/16', label: 'prod' },
    ]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'egress-nets-')), 'networks.json');
    writeFileSync(file, '{"10.50.0.0/16": "staging"}');
    expect(loadConfig({ EGRESS_NETWORKS: file }).EGRESS_NETWORKS).toEqual([{ cidr: '10.50.0.0/16', label: 'staging' }]);
    expect(() => loadConfig({ EGRESS_NETWORKS: '{"10.40.0.0/33": "x", "10.50.0.0/16": ""}' })).toThrow(
      /EGRESS_NETWORKS: "10\.40\.0\.0\/33" is not a CIDR block[\s\S]*EGRESS_NETWORKS: the label of "10\.50\.0\.0\/16" must be text/,
    );
    expect(() => loadConfig({ EGRESS_NETWORKS: '/nope/networks.json' })).toThrow(
      /neither JSON nor a readable file \(ENOENT/,
    );
    expect(() => loadConfig({ EGRESS_NETWORKS: '["10.40.0.0/16"]' })).toThrow(/expected an object of CIDR → label/);
    expect(() => loadConfig({ EGRESS_AZ_COUNT: '0' })).toThrow(/EGRESS_AZ_COUNT: expected a whole number ≥ 1/);
  });
});
