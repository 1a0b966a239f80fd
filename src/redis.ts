import type { Cluster, Redis, RedisOptions } from 'ioredis';

export type { Cluster, Redis };

/** A standalone connection or a Redis Cluster client: what code that only sends commands (by key) accepts. */
export type RedisLike = Redis | Cluster;

/**
 * What a connection is for, which decides how it behaves when Redis is away:
 * - `commands`: queue producers, rate limits, digest state — ioredis' defaults (a command waits through a few retries);
 * - `worker`: BullMQ workers' blocking connection — never gives up on a command (`maxRetriesPerRequest: null`);
 * - `timeline`: the IP timeline — fails fast, so an answer says "attribution unavailable" rather than hang;
 * - `probe`: one-off reads from the CLI (digest suppressions) — one try, no reconnect.
 */
export type RedisRole = 'commands' | 'worker' | 'timeline' | 'probe';

/** The connection options of a role; `lazyConnect` means the user connects (and handles the failure) itself. */
export function redisOptions(role: RedisRole): RedisOptions {
  switch (role) {
    case 'commands':
      return { enableReadyCheck: true, lazyConnect: false };
    case 'worker':
      return { enableReadyCheck: true, lazyConnect: false, maxRetriesPerRequest: null };
    case 'timeline':
      return { connectTimeout: 3_000, maxRetriesPerRequest: 3, lazyConnect: true };
    case 'probe':
      return { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: () => null };
  }
}
