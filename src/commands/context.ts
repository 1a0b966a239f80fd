import type { Attribution } from '../attribution/types.js';
import type { QueryEngine } from '../engine/types.js';
import type { AddressClassifier } from '../flowlogs/classify.js';
import type { Owner } from './answer.js';

/** Progress a long command reports (Slack updates the parent message in place with it). */
export interface Progress {
  state: 'querying' | 'enriching' | 'rendering';
  bytesScanned?: number;
}

/** Looks up what non-pod source IPs are (EC2 ENIs); optional. */
export interface OwnerLookupService {
  lookup(ips: readonly string[]): Promise<Map<string, Owner>>;
}

/**
 * Everything a command needs, handed to it like probot's context: the command never knows whether it runs in Slack
 * or the CLI, and never reads the clock or the environment itself.
 */
export interface CommandContext {
  /** Epoch seconds; windows are `[now − N, now)`. */
  now: number;
  engine: QueryEngine;
  attribution: Attribution;
  classifier: AddressClassifier;
  limits: {
    maxWindowSeconds: number;
    dnsLookbackSeconds: number;
    natPricePerGb: number;
  };
  owners?: OwnerLookupService;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}
