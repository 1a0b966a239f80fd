import { z } from 'zod';
import { bytes, cidrs, clusters, duration, int, list, num, optionalMatching } from './config-fields.js';
import { type NetworkLabel, networks } from './config-networks.js';
import { ConfigError } from './errors.js';
import { mcpTokens } from './mcp-tokens.js';

const schema = z.object({
  // Data and engines
  EGRESS_DATA_DIR: z.string().optional(),
  EGRESS_CACHE_DIR: z.string().optional(),
  // The embedded engine's columnar store (Parquet files converted once per log object): on by default.
  EGRESS_CACHE: z.enum(['on', 'off']).default('on'),
  EGRESS_CACHE_MAX_BYTES: bytes('4G'),
  EGRESS_ENGINE: z.enum(['duckdb', 'athena']).default('duckdb'),
  EGRESS_VPC_CIDRS: cidrs,
  EGRESS_MAX_WINDOW: duration('90d'),
  EGRESS_DNS_LOOKBACK: duration('24h'),
  EGRESS_NEW_LOOKBACK: duration('14d'),
  EGRESS_ATHENA_WORKGROUP: z.string().default('primary'),
  EGRESS_ATHENA_CATALOG: z.string().default('AwsDataCatalog'),
  EGRESS_ATHENA_DATABASE: z
    .string()
    .regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and _ only')
    .default('egress'),
  EGRESS_ATHENA_OUTPUT: z
    .string()
    .regex(/^s3:\/\//, 'must be an s3:// URI')
    .optional(),
  EGRESS_ATHENA_TIMEOUT: duration('5m'),
  EGRESS_ATHENA_REUSE_MAX_AGE: duration('60m'),
  EGRESS_ATHENA_PRICE_PER_TB: num(5),
  // How the flow-log `day` partition is written in S3 (`egress setup` says which): 2026/11/20 or year=2026/month=11/day=20,
  // and with per-hour folders 2026/11/20/05 or …/day=20/hour=05.
  EGRESS_ATHENA_DAY_FORMAT: z.enum(['plain', 'hive', 'plain-hourly', 'hive-hourly']).default('plain'),
  EGRESS_VPC_ID: optionalMatching(/^vpc-[0-9a-f]{8,17}$/, 'a VPC id like vpc-0123456789abcdef0'),
  // Where Route 53 Resolver query logs land (s3://bucket/prefix/); default: the flow logs' bucket and prefix.
  EGRESS_RESOLVER_LOG_LOCATION: optionalMatching(
    /^s3:\/\/[a-z0-9.-]+(\/[A-Za-z0-9._=/-]*)?$/,
    'must be an s3://bucket/prefix/ URI',
  ),
  // EC2 lookups for non-pod source IPs: auto = with the Athena engine (AWS credentials are there anyway).
  EGRESS_EC2_OWNERS: z.enum(['auto', 'on', 'off']).default('auto'),
  EGRESS_NAT_PRICE_PER_GB: num(0.045),
  // VPC-endpoint savings in `cost`: AWS's published ranges (a file `egress setup` fetches from the URL) and prices.
  EGRESS_AWS_IP_RANGES: z.string().optional(),
  EGRESS_AWS_IP_RANGES_URL: z.string().url().default('https://ip-ranges.amazonaws.com/ip-ranges.json'),
  EGRESS_INTERFACE_ENDPOINT_PRICE_PER_GB: num(0.01),
  EGRESS_INTERFACE_ENDPOINT_HOURLY: num(0.01),
  EGRESS_AZ_COUNT: int(3, 1),
  // `cost by network`: labels of the internal networks behind the NAT (JSON or a file path).
  EGRESS_NETWORKS: networks,
  // Slack
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_APP_TOKEN: z.string().optional(),
  SLACK_API_URL: z.string().url().optional(),
  EGRESS_ALLOWED_CHANNELS: list,
  EGRESS_ALLOWED_USERS: list,
  EGRESS_RATE_LIMIT_PER_MIN: int(10, 1),
  // Process, queue, worker
  PORT: int(3000, 0),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  EGRESS_QUEUE: z.string().default('egress-commands'),
  EGRESS_WORKER_CONCURRENCY: int(2, 1),
  EGRESS_JOB_TIMEOUT: duration('10m'),
  EGRESS_SHUTDOWN_GRACE: duration('30s'),
  // A crashed worker's jobs are re-run once their lock expires (no renewal for LOCK_DURATION) and a stalled-job check
  // (every STALLED_INTERVAL) sees it: worst case about LOCK_DURATION + STALLED_INTERVAL.
  EGRESS_LOCK_DURATION: duration('8s'),
  EGRESS_STALLED_INTERVAL: duration('4s'),
  // Request bodies over this get HTTP 413 before they are buffered (Slack's are a few KiB).
  EGRESS_MAX_BODY_BYTES: int(65_536, 1_024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Kubernetes attribution
  EGRESS_K8S_SNAPSHOT: z.string().optional(),
  EGRESS_K8S_NAMESPACES: list,
  EGRESS_K8S_CONTEXT: z.string().optional(),
  EGRESS_CLUSTER_NAME: z.string().optional(),
  EGRESS_CLUSTERS: clusters,
  // Read to decide whether cluster access is configured (client-node reads them itself when loading).
  KUBECONFIG: z.string().optional(),
  KUBERNETES_SERVICE_HOST: z.string().optional(),
  EGRESS_TIMELINE_RETENTION: duration('90d'),
  EGRESS_K8S_ENABLED: z.enum(['true', 'false', 'auto']).default('auto'),
  // Digest
  EGRESS_DIGEST_CHANNEL: z.string().optional(),
  EGRESS_DIGEST_CRON: z.string().default('0 8 * * *'),
  EGRESS_TZ: z.string().default('UTC'),
  // MCP server (`egress mcp --http`); the tokens are secrets: only their sha256 is kept.
  EGRESS_MCP_PORT: int(3001, 0),
  EGRESS_MCP_HOST: z.string().min(1).default('127.0.0.1'),
  EGRESS_MCP_TOKENS: mcpTokens,
});

/** The validated configuration. The only place that reads `process.env` is {@link loadConfig}. */
export type Config = z.output<typeof schema>;

/**
 * Validates the environment. Every problem is listed in one {@link ConfigError}, one line per variable, so an operator
 * fixes them all in one go. Values of secret variables never appear in the message.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

/**
 * The labels `cost by network` gives internal source addresses: `EGRESS_NETWORKS` first, then each configured
 * cluster's VPC CIDRs under the cluster's name (a CIDR labelled in both keeps the EGRESS_NETWORKS label).
 */
export function networkLabels(config: Pick<Config, 'EGRESS_NETWORKS' | 'EGRESS_CLUSTERS'>): NetworkLabel[] {
  const own = config.EGRESS_NETWORKS;
  const fromClusters = config.EGRESS_CLUSTERS.flatMap((c) =>
    c.vpcCidrs.filter((cidr) => !own.some((n) => n.cidr === cidr)).map((cidr) => ({ cidr, label: c.name })),
  );
  return [...own, ...fromClusters];
}

/** Checks that the Slack settings needed to run the bot are present; lists all missing ones. */
export function requireSlack(config: Config): asserts config is Config & {
  SLACK_SIGNING_SECRET: string;
  SLACK_BOT_TOKEN: string;
} {
  const missing: string[] = [];
  if (!config.SLACK_BOT_TOKEN)
    missing.push('  SLACK_BOT_TOKEN: required to run the bot (xoxb-…, from the Slack app page)');
  if (!config.SLACK_SIGNING_SECRET && !config.SLACK_APP_TOKEN)
    missing.push('  SLACK_SIGNING_SECRET: required for the HTTP receiver (or set SLACK_APP_TOKEN for Socket Mode)');
  if (missing.length) throw new ConfigError(`Invalid configuration:\n${missing.join('\n')}`);
}
