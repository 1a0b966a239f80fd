import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startRedisServer } from './support/redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/**
 * One private redis-server for the whole run (tests name their queues/keys per test so they do not collide), and one
 * temp directory that every test's `os.tmpdir()` points into, removed at the end so runs leave nothing behind.
 * EGRESS_TEST_REDIS_URL points the suite at another Redis instead.
 */
export default async function setup(project: TestProject) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'egress-test-run-'));
  // Set before the test workers are forked, so they inherit it.
  process.env.TMPDIR = tmp;
  const redis = process.env.EGRESS_TEST_REDIS_URL ? undefined : await startRedisServer();
  project.provide('redisUrl', process.env.EGRESS_TEST_REDIS_URL ?? (redis?.url as string));
  return async () => {
    await redis?.stop();
    rmSync(tmp, { recursive: true, force: true });
  };
}
