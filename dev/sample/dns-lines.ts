import { ACCOUNT_ID, COREDNS_CLUSTER_IP, REGION, VPC_ID } from './constants.js';
import type { Rng } from './prng.js';
import type { Answer } from './scenario-dns.js';

/** A query about to be written, whether scripted or noise. */
export interface QueryEvent {
  at: number;
  name: string;
  type: string;
  rcode: string;
  answers: Answer[];
}

/** Instance IDs of the three nodes; Resolver names the instance the query came from when it can. */
const INSTANCES = ['i-0a1b2c3d4e5f00001', 'i-0a1b2c3d4e5f00002', 'i-0a1b2c3d4e5f00003'];

/** ISO-8601 without milliseconds, as Resolver writes `query_timestamp`. */
export function isoSeconds(epoch: number): string {
  return `${new Date(epoch * 1000).toISOString().slice(0, 19)}Z`;
}

/**
 * One NDJSON line in AWS's key order. The source is always CoreDNS's ClusterIP: every pod's lookup reaches Resolver
 * through CoreDNS, which is why these logs name the domain but never the pod.
 */
export function dnsLine(q: QueryEvent, rng: Rng): string {
  return JSON.stringify({
    version: '1.100000',
    account_id: ACCOUNT_ID,
    region: REGION,
    vpc_id: VPC_ID,
    query_timestamp: isoSeconds(q.at),
    query_name: q.name,
    query_type: q.type,
    query_class: 'IN',
    rcode: q.rcode,
    answers: q.answers,
    srcaddr: COREDNS_CLUSTER_IP,
    srcport: String(rng.int(1024, 65535)),
    transport: rng.chance(0.05) ? 'TCP' : 'UDP',
    srcids: rng.chance(0.7) ? { instance: rng.pick(INSTANCES) } : {},
  });
}
