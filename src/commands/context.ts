import type { Attribution, OwnerLookupService } from '../attribution/types.js';
import type { AwsIpRanges } from '../aws/ip-ranges.js';
import type { NetworkLabel } from '../config-networks.js';
import type { QueryEngine } from '../engine/types.js';
import type { AddressClassifier } from '../flowlogs/classify.js';
import type { CommandLimits } from './limits.js';

export {
  type CommandLimits,
  commandLimits,
  DEFAULT_INTERFACE_ENDPOINT,
  DEFAULT_NEW_LOOKBACK_SECONDS,
} from './limits.js';

/** Progress a long command reports (Slack updates the parent message in place with it). */
export interface Progress {
  state: 'querying' | 'enriching' | 'rendering';
  bytesScanned?: number;
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
