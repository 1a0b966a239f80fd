import { SnapshotAttribution } from './attribution/snapshot.js';
import { type Attribution, noAttribution } from './attribution/types.js';
import type { CommandContext } from './commands/context.js';
import type { Config } from './config.js';
import { DuckDbEngine } from './engine/duckdb.js';
import type { QueryEngine } from './engine/types.js';
import { UserError } from './errors.js';
import { type AddressClassifier, createClassifier } from './flowlogs/classify.js';
import type { HealthCheck } from './health.js';
import type { Logger } from './logger.js';
import { Registry } from 'prom-client';

/**
 * The one dependency object. Built here and only here; tests build it with fakes at the edges (a DuckDB engine over
 * a temp dir, a snapshot, the Slack/Athena/Kubernetes fakes), never with module mocks.
 */
export interface Deps {
  config: Config;
  logger: Logger;
  engine: QueryEngine;
  attribution: Attribution;
  classifier: AddressClassifier;
  /** The process's one metrics registry (`/metrics`). */
  metrics: Registry;
  /** Checks `/healthz` and `doctor` run; components register theirs when they start. */
  healthChecks: HealthCheck[];
  /** Cleanup steps run by {@link Deps.close} in reverse order; components add theirs when they start. */
  onClose: Array<() => Promise<void>>;
  /** Releases everything (engine, connections, informers). */
  close(): Promise<void>;
}

/** Per-invocation choices the CLI flags can override. */
export interface DepsOverrides {
  dataDir?: string;
  k8sFile?: string;
  engine?: 'duckdb' | 'athena';
}

/** Builds the engine selected by config/flags. */
export async function createEngine(config: Config, o: DepsOverrides = {}): Promise<QueryEngine> {
  const kind = o.engine ?? config.EGRESS_ENGINE;
  if (kind === 'athena') {
    const { createAthenaEngine } = await import('./engine/athena-factory.js');
    return createAthenaEngine(config);
  }
  const dataDir = o.dataDir ?? config.EGRESS_DATA_DIR;
  if (!dataDir) {
    throw new UserError(
      'NO_DATA_DIR',
      'No log data configured: pass --data DIR (a local mirror from `aws s3 sync s3://bucket/prefix DIR`), set EGRESS_DATA_DIR, or use --engine athena.',
    );
  }
  const { stat } = await import('node:fs/promises');
  const st = await stat(dataDir).catch(() => undefined);
  if (!st?.isDirectory()) {
    throw new UserError('NO_DATA_DIR', `Data directory ${dataDir} does not exist. Pass --data DIR pointing at a mirror of the log bucket (it contains AWSLogs/).`);
  }
  return DuckDbEngine.create({ dataDir });
}

/** Builds the attribution source: snapshot file when given, else none (the live timeline plugs in here). */
export async function createAttribution(config: Config, o: DepsOverrides = {}): Promise<Attribution> {
  const file = o.k8sFile ?? config.EGRESS_K8S_SNAPSHOT;
  if (file) return SnapshotAttribution.fromFile(file, config.EGRESS_CLUSTER_NAME);
  return noAttribution();
}

/** Builds the command dependencies for the CLI and the worker. */
export async function buildDeps(config: Config, logger: Logger, o: DepsOverrides = {}): Promise<Deps> {
  const attribution = await createAttribution(config, o);
  const engine = await createEngine(config, o);
  const onClose: Array<() => Promise<void>> = [() => engine.close()];
  return {
    config,
    logger,
    engine,
    attribution,
    classifier: createClassifier(config.EGRESS_VPC_CIDRS),
    metrics: new Registry(),
    healthChecks: [],
    onClose,
    async close() {
      for (const fn of [...onClose].reverse()) await fn().catch((err) => logger.warn({ err }, 'cleanup failed'));
    },
  };
}

/** The per-command context from the deps, a clock reading and an optional abort signal. */
export function commandContext(deps: Deps, now: number, extra: Partial<CommandContext> = {}): CommandContext {
  return {
    now,
    engine: deps.engine,
    attribution: deps.attribution,
    classifier: deps.classifier,
    limits: {
      maxWindowSeconds: deps.config.EGRESS_MAX_WINDOW,
      dnsLookbackSeconds: deps.config.EGRESS_DNS_LOOKBACK,
      natPricePerGb: deps.config.EGRESS_NAT_PRICE_PER_GB,
    },
    ...extra,
  };
}
