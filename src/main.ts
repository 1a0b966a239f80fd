/**
 * The one place long-lived clients are built: Redis connections, queues, workers, the Slack WebClient, the
 * Authorizer, AWS clients, the query engine and attribution — each from the config, on first use, once — and the one
 * place they are closed, by {@link Deps.close}. Every process (serve, worker, the CLI, digest, setup/doctor, mcp) takes
 * the parts it runs; a part it never asks for is never loaded (heavy SDKs are imported on first use).
 */

import type { WebClient } from '@slack/web-api';
import type { Processor, Queue, Worker } from 'bullmq';
import type { Attribution, OwnerLookupService } from './attribution/types.js';
import { ec2OwnersEnabled } from './aws/owners-enabled.js';
import { type ContextFactory, commandLimits } from './commands/context.js';
import { type Config, networkLabels } from './config.js';
import { Container, type DepsOptions } from './container.js';
import type { QueryEngine } from './engine/types.js';
import type { Logger } from './logger.js';
import type { DigestJobData } from './queue/digest-jobs.js';
import type { CommandJobData } from './queue/queue.js';
import type { CommandWorker } from './queue/worker.js';
import { type Redis, type RedisRole, redisOptions } from './redis.js';
import type { Authorizer } from './slack/authorize.js';

export type { DepsOptions };

/** The process's dependencies. Built by {@link buildDeps}; tests build them the same way, over the fakes. */
export class Deps extends Container {
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
        metrics: () => this.metrics,
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
    const parts = [this.engine(), this.attribution(), this.owners(), this.awsIpRanges()] as const;
    const [engine, attribution, owners, awsRanges] = await Promise.all(parts);
    const { classifier, config } = this;
    const common = { classifier, networks: networkLabels(config), limits: commandLimits(config) };
    return { now, engine, attribution, owners, awsRanges, ...common, ...extra };
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
    return this.queue(name, async () =>
      (await import('./queue/queue.js')).createCommandQueue(name, await this.redis()),
    );
  }

  /** The digest queue (`<EGRESS_QUEUE>-digest`). */
  digestQueue(name = `${this.config.EGRESS_QUEUE}-digest`): Promise<Queue<DigestJobData>> {
    return this.queue(name, async () =>
      (await import('./queue/digest-jobs.js')).createDigestQueue(name, await this.redis()),
    );
  }

  private queue<Q extends Queue<CommandJobData> | Queue<DigestJobData>>(
    name: string,
    make: () => Promise<Q>,
  ): Promise<Q> {
    return this.part(`queue:${name}`, async () => {
      const queue = await make();
      queue.on('error', (err: Error) => this.logger.warn({ err, queue: name }, 'queue error'));
      this.onClose('clients', `queue:${name}`, () => queue.close().catch(() => undefined));
      return queue;
    });
  }

  /** Starts the command worker; on close it drains in-flight jobs (within `EGRESS_SHUTDOWN_GRACE`) first. */
  async commandWorker(
    processor: Processor<CommandJobData>,
    o: { queueName?: string; lockDuration?: number; stalledInterval?: number } = {},
  ): Promise<CommandWorker> {
    const { startCommandWorker, stallTimings } = await import('./queue/worker.js');
    const { EGRESS_QUEUE, EGRESS_WORKER_CONCURRENCY: concurrency, EGRESS_SHUTDOWN_GRACE } = this.config;
    const connection = await this.redis('worker');
    const w = startCommandWorker({
      queueName: o.queueName ?? EGRESS_QUEUE,
      concurrency,
      connection,
      processor,
      logger: this.logger,
      ...stallTimings(this.config, o),
    });
    this.onClose('workers', 'command-worker', () => w.close(EGRESS_SHUTDOWN_GRACE * 1000));
    return w;
  }

  /** Starts the digest worker (ticks, runs, button actions). */
  async digestWorker(
    queueName: string,
    processor: Processor<DigestJobData>,
    o: { lockDuration?: number; stalledInterval?: number } = {},
  ): Promise<Worker<DigestJobData>> {
    const { startDigestWorker, stallTimings } = await import('./queue/worker.js');
    const connection = await this.redis('worker');
    const timings = stallTimings(this.config, o);
    const worker = startDigestWorker({ queueName, connection, processor, logger: this.logger, ...timings });
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
      const { authorizerFor } = await import('./slack/authorize.js');
      return authorizerFor(this.config, await this.redis(), await this.slackClient(), this.clock);
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
}

/** Builds the dependencies of a process. Nothing is connected or loaded until a part is first asked for. */
export function buildDeps(config: Config, logger: Logger, options: DepsOptions = {}): Deps {
  return new Deps(config, logger, options);
}
