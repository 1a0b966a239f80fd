/**
 * Answers of `policy` and of `cost`'s savings and networks on the sample world (scenario-aws.ts), worked out BY HAND.
 * MiB = 1,048,576 bytes; a billed GB is 2^30 bytes = 1,024 MiB; NAT $0.045/GB; interface endpoint $0.01/GB plus
 * $0.01/h × 3 AZs × 720 h = $21.60 a month; money rounded to micro-dollars (half up), as `cost` does.
 *
 * The connections (all 443/TCP unless said; bytes out / in):
 *   s3-x       11-17 10:00 catalog a1b2c → 52.216.8.40  16 / 512 MiB   order B (no service field)
 *   s3-y       11-17 14:00 catalog d3e4f → 52.216.8.41  16 / 512 MiB   order C (S3)
 *   s3-staging 11-14 08:00 10.50.8.21    → 52.216.8.40   4 /  60 MiB   order A
 *   ddb-x-a    11-14 09:00 catalog a1b2c → 3.218.182.10  8 / 120 MiB   order A
 *   ddb-x-c    11-17 16:00 catalog a1b2c → 3.218.182.10  8 / 120 MiB   order C (DYNAMODB)
 *   sqs-y-b    11-17 11:00 catalog d3e4f → 52.46.140.7  96 /  32 MiB   order B
 *   sqs-y-c    11-17 18:00 catalog d3e4f → 52.46.140.7  96 /  32 MiB   order C (AMAZON: the ranges name no SQS)
 *   carrier-eu 11-14 09:30 a1b2c → 185.199.40.10 40,000 / 120,000;  carrier-us 11-17 09:00 d3e4f → 185.199.41.10
 *   30,000 / 90,000;  carrier-acct 11-14 20:00 10.60.3.7 → 185.199.41.10 1 / 3 MiB;  mqtt 11-17 20:00 a1b2c →
 *   198.51.100.23:8883 5,000 / 2,000 (no resolver answer);  smtp 11-11 and 11-12 10:00 legacy-mailer →
 *   203.0.113.50:25 REJECT, 60 bytes each.
 * Resolver answers (each 2 s before the catalog flow): catalog-images / catalog-feeds.s3.us-east-1.amazonaws.com
 * (CNAME s3-r-w.us-east-1.amazonaws.com) → .40 / .41, dynamodb.us-east-1.amazonaws.com → 3.218.182.10,
 * sqs.us-east-1.amazonaws.com → 52.46.140.7, eu.api.carrierhub.io → .40.10, us.api.carrierhub.io → .41.10.
 */

const MiB = 1_048_576;
const TCP = 6;
const https = [{ port: 443, protocol: TCP }];

/** A policy destination: names, addresses, ports, then [flows, bytes out, bytes in]. */
const dest = (
  names: string[],
  address: string,
  [flows, bytesOut, bytesIn]: [number, number, number],
  ports = https,
) => ({
  names,
  addresses: [address],
  ports,
  flows,
  bytesOut,
  bytesIn,
});

/** What `policy shop/catalog-api` (30 days: the whole world) allows, sorted by first name, nameless last. */
const CATALOG_DESTINATIONS = [
  dest(['catalog-feeds.s3.us-east-1.amazonaws.com'], '52.216.8.41', [1, 16 * MiB, 512 * MiB]),
  // s3-x only: s3-staging came from 10.50.8.21, not a catalog pod.
  dest(['catalog-images.s3.us-east-1.amazonaws.com'], '52.216.8.40', [1, 16 * MiB, 512 * MiB]),
  // ddb-x-a + ddb-x-c: 2 flows, 16 MiB out, 240 MiB in.
  dest(['dynamodb.us-east-1.amazonaws.com'], '3.218.182.10', [2, 16 * MiB, 240 * MiB]),
  dest(['eu.api.carrierhub.io'], '185.199.40.10', [1, 40_000, 120_000]),
  // sqs-y-b + sqs-y-c: 192 MiB out, 64 MiB in.
  dest(['sqs.us-east-1.amazonaws.com'], '52.46.140.7', [2, 192 * MiB, 64 * MiB]),
  // carrier-us only (carrier-acct came from 10.60.3.7).
  dest(['us.api.carrierhub.io'], '185.199.41.10', [1, 30_000, 90_000]),
  dest([], '198.51.100.23', [1, 5_000, 2_000], [{ port: 8883, protocol: TCP }]),
];

const NAMES = CATALOG_DESTINATIONS.flatMap((d) => d.names);

export const EXPECTED_AWS = {
  policy_catalog: {
    window: { from: '2026-10-21T12:00:00Z', to: '2026-11-20T12:00:00Z' },
    pods: ['catalog-api-7c9d8f6b5-a1b2c', 'catalog-api-7c9d8f6b5-d3e4f'],
    // pod-template-hash differs with every rollout: left out of the selector.
    podSelector: { 'app.kubernetes.io/name': 'catalog-api', 'app.kubernetes.io/part-of': 'shop' },
    destinations: CATALOG_DESTINATIONS,
    /** Every name is reached on 443/TCP only: one FQDN rule after the DNS rule. */
    ciliumNames: NAMES,
    /**
     * --collapse: the two S3 bucket names share s3.us-east-1.amazonaws.com and the two partner names
     * api.carrierhub.io; dynamodb and sqs share us-east-1.amazonaws.com, a shared AWS zone, so they stay names.
     */
    collapsed: [
      '*.api.carrierhub.io',
      '*.s3.us-east-1.amazonaws.com',
      'dynamodb.us-east-1.amazonaws.com',
      'sqs.us-east-1.amazonaws.com',
    ],
    /** NetworkPolicy: DNS, then one rule per destination in order; the comment names its domains. */
    ipBlocks: CATALOG_DESTINATIONS.map((d) => `${d.addresses[0]}/32`),
    comments: [...NAMES, 'no DNS name seen'],
    domains: NAMES,
  },

  /** legacy-mailer: two REJECTed attempts and nothing else. */
  policy_mailer: { destinations: [], rejected: [{ address: '203.0.113.50', port: 25, protocol: TCP, attempts: 2 }] },

  /**
   * `cost last 7d` ([11-13 12:00, 11-20 12:00), 7 days; a month is ×30/7) with ip-ranges.json. Sorted by saving.
   * - s3: s3-x 528 MiB + s3-y 528 MiB + s3-staging 64 MiB = 1,120 MiB = 1.09375 GB → $0.04921875 → $0.049219;
   *   a month: 1.09375 × 30/7 = 4.6875 GB × $0.045 = $0.2109375 → $0.210938 (gateway: no charge, all saved);
   *   top sources: catalog-api 1,056 MiB (s3-x + s3-y), (unattributed) 10.50.8.21 64 MiB.
   * - dynamodb: 2 × 128 MiB = 256 MiB = 0.25 GB → $0.01125; a month 0.25 × 30/7 × 0.045 = $0.0482142857 → $0.048214.
   * - sqs (interface: AMAZON in the ranges, named by sqs.us-east-1.amazonaws.com): 2 × 128 MiB = 0.25 GB → $0.01125;
   *   a month NAT $0.048214; endpoint 0.25 × 30/7 × $0.01 = $0.0107142857 + $21.60 = $21.6107142857 → $21.610714;
   *   saving 0.25 × 30/7 × (0.045 − 0.01) − 21.60 = 0.0375 − 21.60 = −$21.5625: not worth it at this volume.
   */
  avoidable_last7d: [
    {
      service: 's3',
      region: 'us-east-1',
      bytes: 1_120 * MiB,
      usd: 0.049219,
      endpoint: { type: 'gateway', serviceName: 'com.amazonaws.us-east-1.s3' },
      monthlySavingUsd: 0.210938,
      topWorkloads: [
        { workload: 'shop/Deployment/catalog-api', bytes: 1_056 * MiB },
        { workload: '(unattributed) 10.50.8.21', bytes: 64 * MiB },
      ],
    },
    {
      service: 'dynamodb',
      region: 'us-east-1',
      bytes: 256 * MiB,
      usd: 0.01125,
      endpoint: { type: 'gateway', serviceName: 'com.amazonaws.us-east-1.dynamodb' },
      monthlySavingUsd: 0.048214,
      topWorkloads: [{ workload: 'shop/Deployment/catalog-api', bytes: 256 * MiB }],
    },
    {
      service: 'sqs',
      region: 'us-east-1',
      bytes: 256 * MiB,
      usd: 0.01125,
      endpoint: { type: 'interface', serviceName: 'com.amazonaws.us-east-1.sqs' },
      monthlySavingUsd: -21.5625,
      topWorkloads: [{ workload: 'shop/Deployment/catalog-api', bytes: 256 * MiB }],
    },
  ],
  /** The same interface endpoint's monthly cost: $21.610714. */
  sqsMonthlyEndpointUsd: 21.610714,

  /**
   * Without ip-ranges.json only the field tells, on order-C days: a peer named once is AWS for the whole window.
   * 52.216.8.41 (S3, s3-y) = 528 MiB = 0.515625 GB → $0.023203125 → $0.023203, a month × 30/7 × 0.045 =
   * $0.0994419643 → $0.099442; 52.216.8.40 is never named (its flows predate order C): not counted. DynamoDB and
   * SQS as above (their order-C flow names the address, so the order-A/B flow counts too).
   */
  avoidable_last7d_fieldOnly: {
    s3Bytes: 528 * MiB,
    s3Usd: 0.023203,
    s3MonthlySavingUsd: 0.099442,
    services: ['s3', 'dynamodb', 'sqs'],
  },

  /** `cost last 7d by network` with EGRESS_NETWORKS 10.40.0.0/16 prod-eks, 10.50.0.0/16 acct-2222 staging. */
  networks: { '10.40.0.0/16': 'prod-eks', '10.50.0.0/16': 'acct-2222 staging' },
  network_last7d: {
    // s3-staging: 4 MiB out, 60 MiB in → 64 MiB = 0.0625 GB × 0.045 = $0.0028125 → $0.002813.
    staging: {
      network: 'acct-2222 staging',
      sources: 1,
      bytes_out: 4 * MiB,
      bytes_in: 60 * MiB,
      bytes: 64 * MiB,
      usd: 0.002813,
    },
    // carrier-acct: 1 + 3 MiB = 4 MiB = 0.00390625 GB × 0.045 = $0.00017578125 → $0.000176.
    unlabelled: {
      network: '10.60.0.0/16',
      sources: 1,
      bytes_out: MiB,
      bytes_in: 3 * MiB,
      bytes: 4 * MiB,
      usd: 0.000176,
    },
    /** Internal sources no label names, by /16: the other account, and the pods of the secondary VPC CIDR. */
    unlabelledList: [
      { network: '10.60.0.0/16', addresses: ['10.60.3.7'] },
      { network: '100.64.0.0/16', addresses: ['100.64.3.9', '100.64.5.17', '100.64.7.3'] },
    ],
  },
} as const;
