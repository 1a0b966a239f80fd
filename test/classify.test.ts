import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_INTERNAL_CIDRS, canonicalIp, createClassifier, parseCidrList } from '../src/flowlogs/classify.js';

const c = createClassifier(['10.40.0.0/16', '203.0.113.0/24']);
const v4 = (n: number) => ipaddr.fromByteArray([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]).toString();
const toInt = (ip: string) =>
  ipaddr
    .parse(ip)
    .toByteArray()
    .reduce((a, b) => a * 256 + b, 0);

describe('address classification', () => {
  it('knows the edges of every internal range', () => {
    const cases: Array<[string, boolean]> = [
      ['9.255.255.255', false],
      ['10.0.0.0', true],
      ['10.255.255.255', true],
      ['11.0.0.0', false],
      ['172.15.255.255', false],
      ['172.16.0.0', true],
      ['172.21.9.9', true],
      ['172.31.255.255', true],
      ['172.32.0.0', false],
      ['192.167.255.255', false],
      ['192.168.0.1', true],
      ['192.169.0.0', false],
      ['100.63.255.255', false],
      ['100.64.0.0', true],
      ['100.127.255.255', true],
      ['100.128.0.0', false],
      ['169.254.169.254', true],
      ['127.0.0.1', true],
      ['203.0.113.7', true],
      ['203.0.114.1', false],
      ['142.250.80.46', false],
      ['fd12:3456::1', true],
      ['fc00::', true],
      ['fe80::1', true],
      ['febf::1', true],
      ['fec0::1', false],
      ['::1', true],
      ['2607:f8b0::1', false],
      ['::ffff:10.1.1.1', true],
      ['not-an-ip', false],
    ];
    for (const [ip, internal] of cases) expect([ip, c.isInternal(ip)]).toEqual([ip, internal]);
  });

  it('matches ipaddr.js range membership for any IPv4 address (property)', () => {
    const ranges = BUILTIN_INTERNAL_CIDRS.filter((r) => !r.includes(':')).map((r) => ipaddr.parseCIDR(r));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => {
        const ip = v4(n);
        const expected =
          ranges.some(([net, len]) => {
            const size = 2 ** (32 - len);
            return Math.floor(n / size) === Math.floor(toInt(net.toString()) / size);
          }) ||
          ip.startsWith('10.40.') ||
          ip.startsWith('203.0.113.');
        expect(c.isInternal(ip)).toBe(expected);
      }),
      { numRuns: 5000, seed: 7 },
    );
  });

  it('parses CIDR lists and refuses junk with the entry named', () => {
    expect(parseCidrList(' 10.40.0.0/16, 2600:1f18::/56 ,')).toEqual(['10.40.0.0/16', '2600:1f18::/56']);
    expect(() => parseCidrList('10.40.0.0')).toThrow(/"10\.40\.0\.0" is not a CIDR/);
    expect(() => parseCidrList('10.40.0.0/33')).toThrow(/not a CIDR/);
  });

  it('canonicalises what people type and refuses legacy forms', () => {
    expect(canonicalIp(' 142.250.80.46 ')).toBe('142.250.80.46');
    expect(canonicalIp('2607:F8B0::0001')).toBe('2607:f8b0::1');
    expect(canonicalIp('10')).toBeUndefined();
    expect(canonicalIp('0x7f.0.0.1')).toBeUndefined();
  });
});

describe('the SQL contains() macro agrees with the JS classifier (DuckDB)', () => {
  let db: DuckDBInstance;
  beforeAll(async () => {
    db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(readFileSync(new URL('../src/engine/trino-compat.sql', import.meta.url), 'utf8'));
    conn.closeSync();
  });
  afterAll(() => db.closeSync());

  it('for random IPv4 and IPv6 addresses against every internal CIDR', async () => {
    const conn = await db.connect();
    const ips = fc
      .sample(
        fc.oneof(
          fc.integer({ min: 0, max: 2 ** 32 - 1 }).map(v4),
          fc.constantFrom(
            '10.0.0.0',
            '172.15.255.255',
            '172.31.255.255',
            '100.64.0.0',
            '100.127.255.255',
            '169.254.0.1',
          ),
          fc.ipV6().map((s) => ipaddr.parse(s).toString()),
          fc.constantFrom(
            'fc00::1',
            'fdff:ffff::1',
            'fe80::',
            'febf:ffff::1',
            'fec0::',
            '::1',
            '::2',
            '2600:1f18:0:ff::1',
          ),
        ),
        { numRuns: 600, seed: 3 },
      )
      .filter((ip) => !ip.includes('.') || !ip.includes(':'));
    const cidrs = c.internalCidrs.join(',');
    const values = ips.map((ip) => `('${ip}')`).join(',');
    const reader = await conn.runAndReadAll(
      `SELECT ip, EXISTS (SELECT 1 FROM UNNEST(split('${cidrs}', ',')) AS n(cidr) WHERE contains(n.cidr, TRY_CAST(ip AS IPADDRESS))) AS internal FROM (VALUES ${values}) v(ip)`,
    );
    const rows = reader.getRowObjectsJS() as Array<{ ip: string; internal: boolean }>;
    expect(rows.length).toBe(ips.length);
    for (const r of rows) expect([r.ip, r.internal]).toEqual([r.ip, c.isInternal(r.ip)]);
    conn.closeSync();
  });
});
