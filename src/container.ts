import { createRequire } from 'node:module';
import type { WebClient } from '@slack/web-api';
import type { Registry } from 'prom-client';
import type { LiveTuning } from './attribution/kube-setup.js';
import type { AwsIpRanges } from './aws/ip-ranges.js';
import type { Config } from './config.js';
import type { QueryEngine } from './engine/types.js';
import { type AddressClassifier, createClassifier } from './flowlogs/classify.js';
import type { HealthCheck } from './health.js';
import type { Logger } from './logger.js';

/**
 * When a part closes: what receives requests first, then what runs jobs (so in-flight work drains), then the clients
 * that work used, then the connections under them. Within a tier, the part registered last closes first.
 */
export type CloseTier = 'entry' | 'workers' | 'clients' | 'connections';
const TIERS: readonly CloseTier[] = ['entry', 'workers', 'clients', 'connections'];

/** The cleanup steps of a process, run once, tier by tier. */
export class Closers {
  private readonly steps: Array<{ tier: CloseTier; name: string; fn: () => Promise<void> }> = [];
  private closing?: Promise<void>;

  add(tier: CloseTier, name: string, fn: () => Promise<void>): void {
    this.steps.push({ tier, name, fn });
  }

  /** Runs every step (a failing one is logged, not fatal); later calls return the same promise. */
  close(logger: Logger): Promise<void> {
    this.closing ??= (async () => {
      if (!this.steps.length) return;
      logger.info('stopping: no new requests; draining in-flight jobs');
      for (const tier of TIERS) {
        for (const s of this.steps.filter((c) => c.tier === tier).reverse())
          await s.fn().catch((err: unknown) => logger.warn({ err, part: s.name }, 'close failed'));
      }
      logger.info('stopped');
    })();
    return this.closing;
  }
}

/** Per-process choices (CLI flags) and the seams tests use; production passes the flags only. */
export interface DepsOptions {
  dataDir?: string;
  k8sFile?: string;
  /** AWS's ip-ranges.json (`--ip-ranges`; default EGRESS_AWS_IP_RANGES). */
  ipRangesFile?: string;
  engine?: 'duckdb' | 'athena';
  /** Epoch seconds: request times, rate-limit minutes, the timeline's clock. Default: the system clock. */
  clock?: () => number;
  /** Wraps the engine (tests gate, fail or slow queries). */
  wrapEngine?: (real: QueryEngine) => QueryEngine;
  /** The Slack client posts go through (tests may pass one; default: from config). */
  slackClient?: WebClient;
  /** Live-attribution tuning (tests shorten backoff and timers). */
  liveTuning?: LiveTuning;
}

/**
 * What the process's dependency container is made of: parts built once on first use, their cleanups, the metrics
 * registry and the health checks components register. `Deps` (src/main.ts) says what the parts are.
 */
export class Container {
  /** Checks `/healthz` and `doctor` run; components register theirs when they start. */
  readonly healthChecks: HealthCheck[] = [];
  readonly classifier: AddressClassifier;
  readonly clock: () => number;
  private readonly parts = new Map<string, Promise<unknown>>();
  private readonly closers = new Closers();
  private registry?: Registry;

  constructor(
    readonly config: Config,
    readonly logger: Logger,
    readonly options: DepsOptions = {},
  ) {
    this.classifier = createClassifier(config.EGRESS_VPC_CIDRS);
    this.clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
  }

  /** Which engine answers: the flag, else `EGRESS_ENGINE`. */
  get engineKind(): 'duckdb' | 'athena' {
    return this.options.engine ?? this.config.EGRESS_ENGINE;
  }

  /**
   * The process's one metrics registry (`/metrics`). Made on first use — a CLI answer never loads prom-client; it is
   * CommonJS, so `require` gives it synchronously where components register their metrics.
   */
  get metrics(): Registry {
    this.registry ??= new (createRequire(import.meta.url)('prom-client') as typeof import('prom-client')).Registry();
    return this.registry;
  }

  /** Builds a part once; concurrent callers share the build. A failed build is forgotten so a later call retries. */
  protected part<T>(name: string, build: () => Promise<T>): Promise<T> {
    let p = this.parts.get(name) as Promise<T> | undefined;
    if (!p) {
      p = build();
      this.parts.set(name, p);
      p.catch(() => this.parts.delete(name));
    }
    return p;
  }

  /** AWS's published ranges, when a file is configured (`--ip-ranges`, EGRESS_AWS_IP_RANGES); read once. */
  awsIpRanges(): Promise<AwsIpRanges | undefined> {
    return this.part('aws-ip-ranges', async () => {
      const file = this.options.ipRangesFile ?? this.config.EGRESS_AWS_IP_RANGES;
      if (!file) return undefined;
      return (await import('./aws/ip-ranges-file.js')).loadAwsIpRanges(file);
    });
  }

  /** Registers a cleanup; {@link close} runs it in its tier. */
  onClose(tier: CloseTier, name: string, fn: () => Promise<void>): void {
    this.closers.add(tier, name, fn);
  }

  /** Closes everything, tier by tier (see {@link CloseTier}). Idempotent; a failing step is logged, not fatal. */
  close(): Promise<void> {
    return this.closers.close(this.logger);
  }
}
