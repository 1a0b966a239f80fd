import {
  DescribeInstancesCommand,
  type EC2Client,
  type Filter,
  type NetworkInterface,
  paginateDescribeNetworkInterfaces,
} from '@aws-sdk/client-ec2';
import type { Owner, OwnerLookupService } from '../attribution/types.js';
import type { Config } from '../config.js';
import { eniOwner } from './eni-owner.js';
import { ec2Call } from './errors.js';

/** EC2 accepts at most 200 filter values per call, across all filters. */
export const MAX_FILTER_VALUES = 200;

/** Options of {@link Ec2OwnerLookup}. */
export interface Ec2OwnerLookupOptions {
  ec2: EC2Client;
  /** Restricts lookups to the VPC: private addresses repeat across VPCs of an account. */
  vpcId?: string;
  /** How long an answer (including "no such interface") is reused; default 10 minutes. */
  ttlMs?: number;
  now?: () => number;
  logger?: { warn(obj: object, msg: string): void };
}

/**
 * The EC2 attribution fallback: for source IPs no pod held (node IPs, hostNetwork pods, non-Kubernetes workloads),
 * DescribeNetworkInterfaces by private address says what they are. Lookups are batched (one call per ≤ 200 filter
 * values), instance Name tags come from one DescribeInstances per batch, and answers are cached with a TTL. A failed
 * lookup is logged and leaves rows without an owner rather than failing the answer.
 */
export class Ec2OwnerLookup implements OwnerLookupService {
  private readonly cache = new Map<string, { owner: Owner | null; at: number }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: Ec2OwnerLookupOptions) {
    this.ttlMs = opts.ttlMs ?? 10 * 60_000;
    this.now = opts.now ?? Date.now;
  }

  async lookup(ips: readonly string[]): Promise<Map<string, Owner>> {
    const out = new Map<string, Owner>();
    const misses: string[] = [];
    for (const ip of new Set(ips)) {
      const hit = this.cache.get(ip);
      if (hit && this.now() - hit.at < this.ttlMs) {
        if (hit.owner) out.set(ip, hit.owner);
      } else misses.push(ip);
    }
    const perCall = MAX_FILTER_VALUES - (this.opts.vpcId ? 1 : 0);
    for (let i = 0; i < misses.length; i += perCall) {
      const batch = misses.slice(i, i + perCall);
      try {
        const found = await this.describe(batch);
        const at = this.now();
        for (const ip of batch) {
          const owner = found.get(ip) ?? null;
          this.cache.set(ip, { owner, at });
          if (owner) out.set(ip, owner);
        }
      } catch (err) {
        // Not cached: the next question retries. The answer still goes out, just without EC2 owners.
        this.opts.logger?.warn({ err, ips: batch.length }, 'EC2 owner lookup failed');
      }
    }
    return out;
  }

  /** One batch: interfaces holding any of `ips` (primary or secondary), then the Name tags of their instances. */
  private async describe(ips: string[]): Promise<Map<string, Owner>> {
    const wanted = new Set(ips);
    const filters: Filter[] = [{ Name: 'addresses.private-ip-address', Values: ips }];
    if (this.opts.vpcId) filters.push({ Name: 'vpc-id', Values: [this.opts.vpcId] });
    const enis: NetworkInterface[] = [];
    await ec2Call('DescribeNetworkInterfaces', async () => {
      for await (const page of paginateDescribeNetworkInterfaces({ client: this.opts.ec2 }, { Filters: filters })) {
        enis.push(...(page.NetworkInterfaces ?? []));
      }
    });
    const names = await this.instanceNames([
      ...new Set(enis.map((n) => n.Attachment?.InstanceId).filter((id): id is string => !!id)),
    ]);
    const out = new Map<string, Owner>();
    for (const ni of enis) {
      const owner = eniOwner(ni, names);
      const addrs = [ni.PrivateIpAddress, ...(ni.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress)];
      for (const a of addrs) if (a && wanted.has(a)) out.set(a, owner);
    }
    return out;
  }

  private async instanceNames(ids: string[]): Promise<Map<string, string | null>> {
    const names = new Map<string, string | null>();
    for (let i = 0; i < ids.length; i += MAX_FILTER_VALUES) {
      const res = await ec2Call('DescribeInstances', () =>
        this.opts.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids.slice(i, i + MAX_FILTER_VALUES) })),
      );
      for (const r of res.Reservations ?? []) {
        for (const inst of r.Instances ?? []) {
          if (inst.InstanceId) names.set(inst.InstanceId, inst.Tags?.find((t) => t.Key === 'Name')?.Value ?? null);
        }
      }
    }
    return names;
  }
}

/** The owner lookup over the process's EC2 client. */
export function createOwnerLookup(
  config: Pick<Config, 'EGRESS_VPC_ID'>,
  ec2: EC2Client,
  logger?: Ec2OwnerLookupOptions['logger'],
): Ec2OwnerLookup {
  return new Ec2OwnerLookup({ ec2, vpcId: config.EGRESS_VPC_ID, logger });
}
