import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAwsIpRanges } from '../src/aws/ip-ranges.js';

const FIXTURE = readFileSync(new URL('./fixtures/aws-ip-ranges.json', import.meta.url), 'utf8');

describe('AWS ip-ranges index', () => {
  const ranges = parseAwsIpRanges(FIXTURE);

  it('indexes every entry of both lists and keeps the file date', () => {
    expect(ranges.size).toBe(18);
    expect(ranges.createDate).toBe('2026-11-18-21-13-04');
  });

  it('names the service of a prefix listed as AMAZON and as its own service (the named one wins)', () => {
    expect(ranges.lookup('52.216.8.40')).toEqual({ service: 'S3', region: 'us-east-1', prefix: '52.216.0.0/15' });
    expect(ranges.lookup('3.218.182.10')).toEqual({
      service: 'DYNAMODB',
      region: 'us-east-1',
      prefix: '3.218.180.0/22',
    });
    expect(ranges.lookup('13.33.1.1')?.service).toBe('CLOUDFRONT');
    // Listed as AMAZON only: any other AWS service (SQS, STS, ECR… are not named in the file).
    expect(ranges.lookup('52.46.140.7')).toEqual({ service: 'AMAZON', region: 'us-east-1', prefix: '52.46.128.0/19' });
  });

  it('prefers the most specific prefix whatever the order of the file', () => {
    expect(ranges.lookup('18.206.107.25')).toEqual({
      service: 'EC2_INSTANCE_CONNECT',
      region: 'us-east-1',
      prefix: '18.206.107.24/29',
    });
    expect(ranges.lookup('18.206.107.32')?.service).toBe('EC2');
    const reversed = JSON.parse(FIXTURE);
    reversed.prefixes.reverse();
    reversed.ipv6_prefixes.reverse();
    const r = parseAwsIpRanges(JSON.stringify(reversed));
    for (const ip of ['18.206.107.25', '52.216.8.40', '2600:1ffd:8001::5', '13.32.0.1'])
      expect(r.lookup(ip)).toEqual(ranges.lookup(ip));
  });

  it('answers IPv6 addresses, and IPv4-mapped IPv6 as IPv4', () => {
    expect(ranges.lookup('2600:1ffd:8001::5')).toEqual({
      service: 'S3',
      region: 'us-east-1',
      prefix: '2600:1ffd:8000::/39',
    });
    expect(ranges.lookup('2600:1f14:0:1::9')?.region).toBe('us-west-2');
    expect(ranges.lookup('::ffff:52.216.8.40')?.service).toBe('S3');
  });

  it('knows nothing of other addresses, private ones and garbage', () => {
    for (const ip of ['52.94.0.10', '3.5.0.12', '10.40.12.34', '2600:1f18::1', 'not-an-ip', ''])
      expect(ranges.lookup(ip)).toBeUndefined();
  });

  it('normalises a prefix written with host bits set', () => {
    const r = parseAwsIpRanges(
      JSON.stringify({
        createDate: 'x',
        prefixes: [{ ip_prefix: '52.216.1.7/15', region: 'us-east-1', service: 'S3' }],
        ipv6_prefixes: [],
      }),
    );
    expect(r.lookup('52.217.0.1')?.prefix).toBe('52.216.0.0/15');
  });

  it('refuses what is not an ip-ranges.json, saying why', () => {
    expect(() => parseAwsIpRanges('{"prefixes": [')).toThrow(/not JSON/);
    expect(() => parseAwsIpRanges('{"prefixes": []}')).toThrow(/ipv6_prefixes/);
    expect(() =>
      parseAwsIpRanges(JSON.stringify({ prefixes: [{ ip_prefix: '1.2.3.0/24' }], ipv6_prefixes: [] })),
    ).toThrow(/lacks/);
    expect(() =>
      parseAwsIpRanges(
        JSON.stringify({ prefixes: [{ ip_prefix: '1.2.3/24', service: 'S3', region: 'x' }], ipv6_prefixes: [] }),
      ),
    ).toThrow(/not a CIDR/);
  });
});
