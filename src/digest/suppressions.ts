/**
 * "Mark expected": suppressions kept in Redis, one hash field per destination + workload, so several replicas share
 * them and a later click on the same pair just refreshes who marked it.
 */
import type { Redis } from '../redis.js';
import type { Finding } from './types.js';

/** One suppression: this workload reaching this destination is expected. */
export interface Suppression {
  /** The address the finding was about. */
  destination: string;
  /** Names it had; a future digest matches on any of them too, so a CDN address change keeps it suppressed. */
  names: string[];
  workload: string;
  /** Slack user id of who marked it. */
  by: string;
  /** Epoch seconds. */
  at: number;
  reason?: string;
}

/** Where suppressions live. */
export interface SuppressionStore {
  list(): Promise<Suppression[]>;
  add(items: readonly Suppression[]): Promise<void>;
}

const field = (s: Pick<Suppression, 'destination' | 'workload'>) => `${s.destination}|${s.workload}`;

/** Suppressions in one Redis hash (`<prefix>:suppressions`). */
export function redisSuppressions(redis: Redis, prefix: string): SuppressionStore {
  const key = `${prefix}:suppressions`;
  return {
    async list() {
      const all = await redis.hgetall(key);
      return Object.keys(all)
        .sort()
        .map((k) => JSON.parse(all[k] as string) as Suppression);
    },
    async add(items) {
      if (items.length === 0) return;
      await redis.hset(key, Object.fromEntries(items.map((s) => [field(s), JSON.stringify(s)])));
    },
  };
}

/** True when `s` covers `workload` reaching the finding's destination (by address or by any shared name). */
export function suppresses(s: Suppression, f: Pick<Finding, 'destination' | 'names'>, workload: string): boolean {
  if (s.workload !== workload) return false;
  if (s.destination === f.destination) return true;
  return s.names.some((n) => f.names.includes(n));
}
