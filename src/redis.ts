import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

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
