import { TCP } from './constants.js';
import { SHOP_IP } from './k8s-shop.js';
import type { ScriptedConnection } from './scenario.js';
import { cnameAnswer, ipAnswer, type ScriptedQuery } from './scenario-dns.js';

/**
 * The scripted cases of `policy` and of `cost`'s VPC-endpoint savings and networks (expected-aws.ts works them out):
 * shop/catalog-api reaches S3 and DynamoDB (gateway endpoints) and SQS (interface endpoint) through the NAT, two
 * partner APIs under one suffix and an MQTT broker known by address only; shop/legacy-mailer is only refused; a
 * staging VPC (10.50.0.0/16) and an unlabelled account (10.60.0.0/16) share the NAT over the Transit Gateway.
 *
 * Every flow lies on 11-11, 11-12, 11-14 or 11-17 — none on the days the digests of 11-17 and 11-20 report or compare
 * (11-15, 11-16, 11-18, 11-19), none in `top last 1d` — from pods and addresses nothing else uses; AWS traffic both
 * before the format change of 11-17T12:00 (orders A and B, no pkt-dst-aws-service: only ip-ranges.json tells) and
 * after it (order C: the field tells). The addresses lie in the ranges of
 * test/fixtures/aws-ip-ranges.json; the noise's AWS-named addresses do not, so every saving is hand-checkable.
 */
export const AWS_DEST = {
  s3Images: '52.216.8.40',
  s3Feeds: '52.216.8.41',
  dynamodb: '3.218.182.10',
  sqs: '52.46.140.7',
  carrierEu: '185.199.40.10',
  carrierUs: '185.199.41.10',
  mqtt: '198.51.100.23',
  smtp: '203.0.113.50',
} as const;

/** Sources behind the same NAT that are not pods of the cluster. */
export const OTHER_NETWORKS = { staging: '10.50.8.21', unlabelled: '10.60.3.7' } as const;

const MiB = 1_048_576;
const { catalogA: X, catalogB: Y, mailer: M } = SHOP_IP;
const D = AWS_DEST;

const c = (
  flow: string,
  at: string,
  src: string,
  dst: string,
  out: number,
  inBytes: number,
  extra: Partial<ScriptedConnection> = {},
): ScriptedConnection => ({ flow, at, src, dst, dport: 443, protocol: TCP, out, in: inBytes, ...extra });

/** Every connection of these cases. */
export const AWS_SCRIPTED: readonly ScriptedConnection[] = [
  c('s3-x', '2026-11-17T10:00:00Z', X, D.s3Images, 16 * MiB, 512 * MiB), // order B: no service field
  c('s3-y', '2026-11-17T14:00:00Z', Y, D.s3Feeds, 16 * MiB, 512 * MiB), // order C: S3
  c('s3-staging', '2026-11-14T08:00:00Z', OTHER_NETWORKS.staging, D.s3Images, 4 * MiB, 60 * MiB), // order A
  c('ddb-x-a', '2026-11-14T09:00:00Z', X, D.dynamodb, 8 * MiB, 120 * MiB), // order A
  c('ddb-x-c', '2026-11-17T16:00:00Z', X, D.dynamodb, 8 * MiB, 120 * MiB), // order C: DYNAMODB
  c('sqs-y-b', '2026-11-17T11:00:00Z', Y, D.sqs, 96 * MiB, 32 * MiB), // order B
  c('sqs-y-c', '2026-11-17T18:00:00Z', Y, D.sqs, 96 * MiB, 32 * MiB), // order C: AMAZON (ranges name no SQS)
  c('carrier-eu', '2026-11-14T09:30:00Z', X, D.carrierEu, 40_000, 120_000),
  c('carrier-us', '2026-11-17T09:00:00Z', Y, D.carrierUs, 30_000, 90_000),
  c('carrier-acct', '2026-11-14T20:00:00Z', OTHER_NETWORKS.unlabelled, D.carrierUs, 1 * MiB, 3 * MiB),
  { ...c('mqtt', '2026-11-17T20:00:00Z', X, D.mqtt, 5_000, 2_000), dport: 8883 }, // no resolver answer ever
  // Before `last 7d`, so `rejects last 7d` and its README transcript stay as they were.
  { ...c('smtp-1', '2026-11-11T10:00:00Z', M, D.smtp, 60, 0, { action: 'REJECT' }), dport: 25 },
  { ...c('smtp-2', '2026-11-12T10:00:00Z', M, D.smtp, 60, 0, { action: 'REJECT' }), dport: 25 },
];

const q = (at: string, name: string, answers: ScriptedQuery['answers']): ScriptedQuery => ({
  at,
  name,
  type: 'A',
  answers,
});
const S3_CNAME = cnameAnswer('s3-r-w.us-east-1.amazonaws.com.');

/** The Resolver queries (2 s before each catalog-api flow; staging resolves in its own VPC, unseen here). */
export const AWS_QUERIES: readonly ScriptedQuery[] = [
  q('2026-11-17T09:59:58Z', 'catalog-images.s3.us-east-1.amazonaws.com.', [S3_CNAME, ipAnswer(D.s3Images)]),
  q('2026-11-17T13:59:58Z', 'catalog-feeds.s3.us-east-1.amazonaws.com.', [S3_CNAME, ipAnswer(D.s3Feeds)]),
  q('2026-11-14T08:59:58Z', 'dynamodb.us-east-1.amazonaws.com.', [ipAnswer(D.dynamodb)]),
  q('2026-11-17T15:59:58Z', 'dynamodb.us-east-1.amazonaws.com.', [ipAnswer(D.dynamodb)]),
  q('2026-11-17T10:59:58Z', 'sqs.us-east-1.amazonaws.com.', [ipAnswer(D.sqs)]),
  q('2026-11-17T17:59:58Z', 'sqs.us-east-1.amazonaws.com.', [ipAnswer(D.sqs)]),
  q('2026-11-14T09:29:58Z', 'eu.api.carrierhub.io.', [ipAnswer(D.carrierEu)]),
  q('2026-11-17T08:59:58Z', 'us.api.carrierhub.io.', [ipAnswer(D.carrierUs)]),
];
