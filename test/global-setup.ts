import type { TestProject } from 'vitest/node';
import { startRedisServer } from './support/redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/**
 * One private redis-server for the whole run (tests name their queues/keys per test so they do not collide).
 * EGRESS_TEST_REDIS_URL points the suite at another server instead.
 */
export default async function setup(project: TestProject) {
  if (process.env.EGRESS_TEST_REDIS_URL) {
    project.provide('redisUrl', process.env.EGRESS_TEST_REDIS_URL);
    return;
  }
  const redis = await startRedisServer();
  project.provide('redisUrl', redis.url);
  return async () => {
    await redis.stop();
  };
}
