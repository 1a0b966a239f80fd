import { Registry } from 'prom-client';
import { createLiveAttribution, type LiveRuntime } from './attribution/kube-setup.js';
import { SnapshotAttribution } from './attribution/snapshot.js';
import { type Attribution, noAttribution } from './attribution/types.js';
import { createOwnerLookup } from './aws/ec2-owners.js';
import type { CommandContext, OwnerLookupService } from './commands/context.js';
import type { Config } from './config.js';
import { DuckDbEngine } from './engine/duckdb.js';
import type { QueryEngine } from './engine/types.js';
import { UserError } from './errors.js';
import { type AddressClassifier, createClassifier } from './flowlogs/classify.js';
import type { HealthCheck } from './health.js';
import type { Logger } from './logger.js';

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
  /** EC2 owners of non-pod source IPs (instances, Lambda, endpoints…), when AWS lookups are enabled. */
  owners?: OwnerLookupService;
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
    throw new UserError(
      'NO_DATA_DIR',
      `Data directory ${dataDir} does not exist. Pass --data DIR pointing at a mirror of the log bucket (it contains AWSLogs/).`,
    );
  }
  // Objects are immutable: cache their headers between CLI runs, outside the mirror (`aws s3 sync --delete` would
  // remove a file inside it).
  const { createHash } = await import('node:crypto');
  const { tmpdir } = await import('node:os');
  const { join, resolve } = await import('node:path');
  const id = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  return DuckDbEngine.create({
    dataDir,
    indexFile: join(config.EGRESS_CACHE_DIR ?? join(tmpdir(), 'egress-cache'), `${id}.json`),
  });
}

/**
 * Builds the attribution source: the snapshot file when given; else, when cluster access is configured and `rt` is
 * given to register with, the live informer + Redis IP timeline (per cluster); else none.
 */
export async function createAttribution(config: Config, o: DepsOverrides = {}, rt?: LiveRuntime): Promise<Attribution> {
  const file = o.k8sFile ?? config.EGRESS_K8S_SNAPSHOT;
  if (file) return SnapshotAttribution.fromFile(file, config.EGRESS_CLUSTER_NAME);
  const live = rt ? await createLiveAttribution(config, rt) : undefined;
  return live ?? noAttribution();
}

/** Builds the command dependencies for the CLI and the worker. */
export async function buildDeps(config: Config, logger: Logger, o: DepsOverrides = {}): Promise<Deps> {
  const metrics = new Registry();
  const healthChecks: HealthCheck[] = [];
  const onClose: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const fn of [...onClose].reverse()) await fn().catch((err) => logger.warn({ err }, 'cleanup failed'));
  };
  // The live source registers its health check, metrics and shutdown here; if the engine then fails, stop it again.
  const attribution = await createAttribution(config, o, { logger, metrics, healthChecks, onClose });
  const engine = await createEngine(config, o).catch(async (err: unknown) => {
    await close();
    throw err;
  });
  onClose.push(() => engine.close());
  const owners = createOwnerLookup(config, o.engine ?? config.EGRESS_ENGINE, logger);
  if (owners) onClose.push(async () => owners.close());
  return {
    config,
    logger,
    engine,
    attribution,
    classifier: createClassifier(config.EGRESS_VPC_CIDRS),
    owners,
    metrics,
    healthChecks,
    onClose,
    close,
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
    owners: deps.owners,
    ...extra,
  };
}
