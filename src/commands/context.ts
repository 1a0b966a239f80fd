import type { Attribution, OwnerLookupService } from '../attribution/types.js';
import type { AwsIpRanges } from '../aws/ip-ranges.js';
import type { Config } from '../config.js';
import type { NetworkLabel } from '../config-networks.js';
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
  /** Interface VPC endpoint prices (`EGRESS_INTERFACE_ENDPOINT_PRICE_PER_GB`, `…_HOURLY` per AZ, `EGRESS_AZ_COUNT`). */
  interfaceEndpoint?: { pricePerGb: number; hourlyPerAz: number; azCount: number };
}

/** Interface endpoint prices when the context was built without them (AWS's us-east-1 list prices, 3 AZs). */
export const DEFAULT_INTERFACE_ENDPOINT = { pricePerGb: 0.01, hourlyPerAz: 0.01, azCount: 3 } as const;

/** `EGRESS_NEW_LOOKBACK`'s default, for contexts built without it. */
export const DEFAULT_NEW_LOOKBACK_SECONDS = 14 * 86_400;

/** The limits from the configuration. */
export function commandLimits(
  c: Pick<
    Config,
    | 'EGRESS_MAX_WINDOW'
    | 'EGRESS_DNS_LOOKBACK'
    | 'EGRESS_NAT_PRICE_PER_GB'
    | 'EGRESS_NEW_LOOKBACK'
    | 'EGRESS_INTERFACE_ENDPOINT_PRICE_PER_GB'
    | 'EGRESS_INTERFACE_ENDPOINT_HOURLY'
    | 'EGRESS_AZ_COUNT'
  >,
): CommandLimits {
  return {
    maxWindowSeconds: c.EGRESS_MAX_WINDOW,
    dnsLookbackSeconds: c.EGRESS_DNS_LOOKBACK,
    natPricePerGb: c.EGRESS_NAT_PRICE_PER_GB,
    newLookbackSeconds: c.EGRESS_NEW_LOOKBACK,
    interfaceEndpoint: {
      pricePerGb: c.EGRESS_INTERFACE_ENDPOINT_PRICE_PER_GB,
      hourlyPerAz: c.EGRESS_INTERFACE_ENDPOINT_HOURLY,
      azCount: c.EGRESS_AZ_COUNT,
    },
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
  /** AWS's published ranges (`EGRESS_AWS_IP_RANGES`), when configured: which internet addresses are AWS services. */
  awsRanges?: AwsIpRanges;
  /** Labels of the internal networks (`EGRESS_NETWORKS`, then the clusters' VPC CIDRs), for `cost by network`. */
  networks?: readonly NetworkLabel[];
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
