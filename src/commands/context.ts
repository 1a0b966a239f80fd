import type { Attribution, OwnerLookupService } from '../attribution/types.js';
import type { Config } from '../config.js';
import type { QueryEngine } from '../engine/types.js';
import type { AddressClassifier } from '../flowlogs/classify.js';

/** Progress a long command reports (Slack updates the parent message in place with it). */
export interface Progress {
  state: 'querying' | 'enriching' | 'rendering';
  bytesScanned?: number;
}

/** Limits and prices from the configuration that answers depend on. */
export interface CommandLimits {
  maxWindowSeconds: number;
  dnsLookbackSeconds: number;
  natPricePerGb: number;
  /** How far before the window `from` looks for a destination to call it not new (`EGRESS_NEW_LOOKBACK`, 14d). */
  newLookbackSeconds?: number;
}

/** `EGRESS_NEW_LOOKBACK`'s default, for contexts built without it. */
export const DEFAULT_NEW_LOOKBACK_SECONDS = 14 * 86_400;

/** The limits from the configuration. */
export function commandLimits(
  c: Pick<Config, 'EGRESS_MAX_WINDOW' | 'EGRESS_DNS_LOOKBACK' | 'EGRESS_NAT_PRICE_PER_GB' | 'EGRESS_NEW_LOOKBACK'>,
): CommandLimits {
  return {
    maxWindowSeconds: c.EGRESS_MAX_WINDOW,
    dnsLookbackSeconds: c.EGRESS_DNS_LOOKBACK,
    natPricePerGb: c.EGRESS_NAT_PRICE_PER_GB,
    newLookbackSeconds: c.EGRESS_NEW_LOOKBACK,
  };
}

/**
 * Everything a command needs, handed to it like probot's context: the command never knows whether it runs in Slack,
 * the CLI or MCP, and never reads the clock or the environment itself.
 */
export interface CommandContext {
  /** Epoch seconds; windows are `[now − N, now)`. */
  now: number;
  engine: QueryEngine;
  attribution: Attribution;
  classifier: AddressClassifier;
  limits: CommandLimits;
  owners?: OwnerLookupService;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

/**
 * Builds the context for one run from the process's long-lived parts (engine, attribution…), which are created on
 * first use: what the worker, the CLI and the MCP server are handed instead of the whole dependency container.
 */
export type ContextFactory = (
  now: number,
  extra?: Pick<CommandContext, 'signal' | 'onProgress'>,
) => Promise<CommandContext>;
