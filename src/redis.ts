import { Cluster, type ClusterNode, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';

export type { Cluster, Redis };

/** A standalone connection or a Redis Cluster client: what code that only sends commands (by key) accepts. */
export type RedisLike = Redis | Cluster;

/**
 * Creates an ioredis connection. BullMQ workers need `maxRetriesPerRequest: null` (blocking commands must not fail
 * after N retries); other users keep ioredis' default so a Redis outage surfaces as an error instead of a hang.
 */
export function createRedis(url: string, opts: RedisOptions & { forWorker?: boolean } = {}): Redis {
  const { forWorker, ...rest } = opts;
  return new Redis(url, {
    lazyConnect: false,
    enableReadyCheck: true,
    ...(forWorker ? { maxRetriesPerRequest: null } : {}),
    ...rest,
  });
}

/**
 * Creates a Redis Cluster client (e.g. ElastiCache in cluster mode) from one or more seed nodes; it discovers the
 * rest and routes each command to the node owning its key's slot.
 */
export function createRedisCluster(nodes: ClusterNode[], opts: ClusterOptions = {}): Cluster {
  return new Cluster(nodes, { enableReadyCheck: true, ...opts });
}
