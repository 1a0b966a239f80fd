/**
 * The one place long-lived clients are built: Redis connections, queues, workers, the Slack WebClient, the
 * Authorizer, AWS clients, the query engine and attribution — each from the config, on first use, once — and the one
 * place they are closed, by {@link Deps.close}. Every process (serve, worker, the CLI, digest, setup/doctor, mcp) takes
 * the parts it runs; a part it never asks for is never loaded (heavy SDKs are imported on first use).
 */

import { createRequire } from 'node:module';
import type { WebClient } from '@slack/web-api';
import type { Processor, Queue, Worker } from 'bullmq';
import type { Registry } from 'prom-client';
import type { LiveTuning } from './attribution/kube-setup.js';
import type { Attribution, OwnerLookupService } from './attribution/types.js';
import { ec2OwnersEnabled } from './aws/owners-enabled.js';
import type { CommandContext, ContextFactory } from './commands/context.js';
import type { Config } from './config.js';
import type { QueryEngine } from './engine/types.js';
import { type AddressClassifier, createClassifier } from './flowlogs/classify.js';
import type { HealthCheck } from './health.js';
import type { Logger } from './logger.js';
import type { DigestJobData } from './queue/digest-jobs.js';
import type { CommandJobData } from './queue/queue.js';
import type { CommandWorker } from './queue/worker.js';
import { type Redis, type RedisRole, redisOptions } from './redis.js';
import type { Authorizer } from './slack/authorize.js';

/** Per-process choices (CLI flags) and the seams tests use; production passes the flags only. */
export interface DepsOptions {
  dataDir?: string;
  k8sFile?: string;
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
 * When a part closes: what receives requests first, then what runs jobs (so in-flight work drains), then the clients
 * that work used, then the connections under them. Within a tier, the part built last closes first.
 */
export type CloseTier = 'entry' | 'workers' | 'clients' | 'connections';
const TIERS: readonly CloseTier[] = ['entry', 'workers', 'clients', 'connections'];

/** The process's dependencies. Built by {@link buildDeps}; tests build them the same way, over the fakes. */
export class Deps {
  private registry?: Registry;
  /** Checks `/healthz` and `doctor` run; components register theirs when they start. */
  readonly healthChecks: HealthCheck[] = [];
  readonly classifier: AddressClassifier;
  readonly clock: () => number;
  private readonly parts = new Map<string, Promise<unknown>>();
  private readonly closers: Array<{ tier: CloseTier; name: string; fn: () => Promise<void> }> = [];
  private closing?: Promise<void>;

  constructor(
    readonly config: Config,
    readonly logger: Logger,
    readonly options: DepsOptions = {},
  ) {
    this.classifier = createClassifier(config.EGRESS_VPC_CIDRS);
    this.clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
  }

  /**
   * The process's one metrics registry (`/metrics`). Made on first use — a CLI answer never loads prom-client; it is
   * CommonJS, so `require` gives it synchronously where components register their metrics.
   */
  get metrics(): Registry {
    this.registry ??= new (createRequire(import.meta.url)('prom-client') as typeof import('prom-client')).Registry();
    return this.registry;
  }

  /** Which engine answers: the flag, else `EGRESS_ENGINE`. */
  get engineKind(): 'duckdb' | 'athena' {
    return this.options.engine ?? this.config.EGRESS_ENGINE;
  }

  /** Builds a part once; concurrent callers share the build. A failed build is forgotten so a later call retries. */
  private part<T>(name: string, build: () => Promise<T>): Promise<T> {
    let p = this.parts.get(name) as Promise<T> | undefined;
    if (!p) {
      p = build();
      this.parts.set(name, p);
      p.catch(() => this.parts.delete(name));
    }
    return p;
  }

  /** Registers a cleanup; {@link close} runs it in its tier. */
  onClose(tier: CloseTier, name: string, fn: () => Promise<void>): void {
    this.closers.push({ tier, name, fn });
  }

  engine(): Promise<QueryEngine> {
    return this.part('engine', async () => {
      const { createEngine } = await import('./engine/create.js');
      const engine = await createEngine(this.config, {
        dataDir: this.options.dataDir,
        engine: this.engineKind,
        athena: () => this.athena(),
      });
      this.onClose('clients', 'engine', () => engine.close());
      return this.options.wrapEngine ? this.options.wrapEngine(engine) : engine;
    });
  }

  attribution(): Promise<Attribution> {
    return this.part('attribution', async () => {
      const { createAttribution } = await import('./attribution/create.js');
      return createAttribution(this.config, this.options.k8sFile, {
        logger: this.logger,
        metrics: this.metrics,
        healthChecks: this.healthChecks,
        onClose: (name, fn) => this.onClose('clients', name, fn),
        redis: () => this.redis('timeline'),
        clock: this.clock,
        tuning: this.options.liveTuning,
      });
    });
  }

  /** EC2 owners of non-pod sources, when `EGRESS_EC2_OWNERS` (or `auto` with Athena) asks for them. */
  owners(): Promise<OwnerLookupService | undefined> {
    return this.part('owners', async () => {
      if (!ec2OwnersEnabled(this.config, this.engineKind)) return undefined;
      const { createOwnerLookup } = await import('./aws/ec2-owners.js');
      return createOwnerLookup(this.config, await this.ec2(), this.logger);
    });
  }

  /** The command context for one run. */
  readonly context: ContextFactory = async (now, extra = {}) => {
    const [engine, attribution, owners] = await Promise.all([this.engine(), this.attribution(), this.owners()]);
    const ctx: CommandContext = {
      now,
      engine,
      attribution,
      classifier: this.classifier,
      limits: {
        maxWindowSeconds: this.config.EGRESS_MAX_WINDOW,
        dnsLookbackSeconds: this.config.EGRESS_DNS_LOOKBACK,
        natPricePerGb: this.config.EGRESS_NAT_PRICE_PER_GB,
      },
      owners,
      ...extra,
    };
    return ctx;
  };

  /** A Redis connection per role (see {@link RedisRole}), each made once. */
  redis(role: RedisRole = 'commands'): Promise<Redis> {
    return this.part(`redis:${role}`, async () => {
      const { Redis } = await import('ioredis');
      const { lazyConnect, ...opts } = redisOptions(role);
      const redis = new Redis(this.config.REDIS_URL, { ...opts, lazyConnect: true });
      // ioredis reconnects by itself; without a listener every failed attempt is an "Unhandled error event".
      redis.on('error', (err: Error) => this.logger.warn({ err, role }, 'redis connection error'));
      this.onClose('connections', `redis:${role}`, async () => {
        await redis.quit().catch(() => redis.disconnect());
      });
      if (!lazyConnect) await redis.connect().catch(() => undefined);
      return redis;
    });
  }

  /** The command queue's producer side. */
  commandQueue(name = this.config.EGRESS_QUEUE): Promise<Queue<CommandJobData>> {
    return this.part(`queue:${name}`, async () => {
      const { createCommandQueue } = await import('./queue/queue.js');
      const queue = createCommandQueue(name, await this.redis());
      queue.on('error', (err) => this.logger.warn({ err }, 'queue error'));
      this.onClose('clients', `queue:${name}`, () => queue.close().catch(() => undefined));
      return queue;
    });
  }

  /** The digest queue (`<EGRESS_QUEUE>-digest`). */
  digestQueue(name = `${this.config.EGRESS_QUEUE}-digest`): Promise<Queue<DigestJobData>> {
    return this.part(`digest-queue:${name}`, async () => {
      const { createDigestQueue } = await import('./queue/digest-jobs.js');
      const queue = createDigestQueue(name, await this.redis());
      queue.on('error', (err) => this.logger.warn({ err }, 'digest queue error'));
      this.onClose('clients', `digest-queue:${name}`, () => queue.close().catch(() => undefined));
      return queue;
    });
  }

  /** Starts the command worker; on close it drains in-flight jobs (within `EGRESS_SHUTDOWN_GRACE`) first. */
  async commandWorker(
    processor: Processor<CommandJobData>,
    o: { queueName?: string; lockDuration?: number; stalledInterval?: number } = {},
  ): Promise<CommandWorker> {
    const { startCommandWorker } = await import('./queue/worker.js');
    const worker = startCommandWorker({
      queueName: o.queueName ?? this.config.EGRESS_QUEUE,
      connection: await this.redis('worker'),
      processor,
      concurrency: this.config.EGRESS_WORKER_CONCURRENCY,
      logger: this.logger,
      lockDuration: o.lockDuration,
      stalledInterval: o.stalledInterval,
    });
    this.onClose('workers', 'command-worker', () => worker.close(this.config.EGRESS_SHUTDOWN_GRACE * 1000));
    return worker;
  }

  /** Starts the digest worker (ticks, runs, button actions). */
  async digestWorker(
    queueName: string,
    processor: Processor<DigestJobData>,
    o: { lockDuration?: number; stalledInterval?: number } = {},
  ): Promise<Worker<DigestJobData>> {
    const { Worker } = await import('bullmq');
    const worker = new Worker<DigestJobData>(queueName, processor, {
      connection: await this.redis('worker'),
      concurrency: 2,
      // BullMQ treats an explicit undefined as a value: pass the timings only when set.
      ...(o.lockDuration ? { lockDuration: o.lockDuration } : {}),
      ...(o.stalledInterval ? { stalledInterval: o.stalledInterval } : {}),
    });
    worker.on('error', (err) => this.logger.error({ err }, 'digest worker error'));
    worker.on('failed', (job, err) =>
      this.logger.warn({ jobId: job?.id, kind: job?.data.kind, err }, 'digest job attempt failed'),
    );
    this.onClose('workers', 'digest-worker', () => worker.close());
    return worker;
  }

  /** The bot-token Web API client everything posts with (answers, digests, user-group lookups). */
  slackClient(): Promise<WebClient> {
    return this.part('slack', async () => {
      if (this.options.slackClient) return this.options.slackClient;
      const { createSlackClient } = await import('./post/slack-client.js');
      return createSlackClient(this.config, this.logger);
    });
  }

  /** Allowlists and the per-user rate limit, shared by commands and digest buttons. */
  authorizer(): Promise<Authorizer> {
    return this.part('authorizer', async () => {
      const { Authorizer } = await import('./slack/authorize.js');
      return new Authorizer({
        channels: this.config.EGRESS_ALLOWED_CHANNELS,
        users: this.config.EGRESS_ALLOWED_USERS,
        perMinute: this.config.EGRESS_RATE_LIMIT_PER_MIN,
        redis: await this.redis(),
        prefix: this.config.EGRESS_QUEUE,
        client: await this.slackClient(),
        clock: this.clock,
      });
    });
  }

  /** The Athena statement runner (engine, setup, doctor share it). */
  athena() {
    return this.part('athena', async () => {
      const { createAthenaRunner } = await import('./engine/athena-factory.js');
      const runner = createAthenaRunner(this.config);
      this.onClose('connections', 'athena', async () => runner.opts.client.destroy());
      return runner;
    });
  }

  /** The EC2 client (owner lookups, setup's discovery, doctor). */
  ec2() {
    return this.part('ec2', async () => {
      const { createEc2Client } = await import('./aws/clients.js');
      const ec2 = createEc2Client();
      this.onClose('connections', 'ec2', async () => ec2.destroy());
      return ec2;
    });
  }

  /** Closes everything, tier by tier (see {@link CloseTier}). Idempotent; a failing step is logged, not fatal. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.closers.length) this.logger.info('stopping: no new requests; draining in-flight jobs');
      for (const tier of TIERS) {
        const steps = this.closers.filter((c) => c.tier === tier).reverse();
        for (const c of steps)
          await c.fn().catch((err: unknown) => this.logger.warn({ err, part: c.name }, 'close failed'));
      }
      if (this.closers.length) this.logger.info('stopped');
    })();
    return this.closing;
  }
}

/** Builds the dependencies of a process. Nothing is connected or loaded until a part is first asked for. */
export function buildDeps(config: Config, logger: Logger, options: DepsOptions = {}): Deps {
  return new Deps(config, logger, options);
}
