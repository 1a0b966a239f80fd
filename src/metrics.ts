/**
 * The bot's Prometheus metrics, registered into the process's one registry (`deps.metrics`). Creating them twice on
 * the same registry returns the same objects, so the receiver and the worker in one process share them.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Metrics the receiver and worker update. */
export interface BotMetrics {
  /** `egress_commands_total{command,outcome}`: every request's fate, from the receiver and the worker. */
  commands: Counter<'command' | 'outcome'>;
  /** `egress_ack_latency_seconds`: request received → ack sent (Slack's limit is 3 s). */
  ackLatency: Histogram<'kind'>;
  /** `egress_queue_wait_seconds`: enqueued → picked up by a worker. */
  queueWait: Histogram;
  /** `egress_job_duration_seconds{command,outcome}`: picked up → answer posted. */
  jobDuration: Histogram<'command' | 'outcome'>;
  /** `egress_engine_bytes_scanned_total{engine}`: what queries read (Athena bills per byte). */
  bytesScanned: Counter<'engine'>;
  /** `egress_queue_depth{state}`: jobs per state, read from Redis at scrape time. */
  queueDepth: Gauge<'state'>;
  /** Adds a source for {@link BotMetrics.queueDepth} (the queue's `getJobCounts`). */
  addDepthSource(fn: () => Promise<Record<string, number>>): () => void;
}

const cache = new WeakMap<Registry, BotMetrics>();

/** Creates (once per registry) and returns the bot metrics. */
export function botMetrics(registry: Registry): BotMetrics {
  const existing = cache.get(registry);
  if (existing) return existing;
  const sources = new Set<() => Promise<Record<string, number>>>();
  const registers = [registry];
  const metrics: BotMetrics = {
    commands: new Counter({
      name: 'egress_commands_total',
      help: 'Commands by name and outcome (receiver: queued, help, invalid, denied, rate_limited, queue_error, queue_unknown, not_in_channel; worker: answered, user_error, failed, timeout, retry, requeued, lock_lost, abandoned, not_in_channel)',
      labelNames: ['command', 'outcome'],
      registers,
    }),
    ackLatency: new Histogram({
      name: 'egress_ack_latency_seconds',
      help: 'Time from receiving a Slack request to acknowledging it',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
      registers,
    }),
    queueWait: new Histogram({
      name: 'egress_queue_wait_seconds',
      help: 'Time a command waited in the queue before a worker started it',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers,
    }),
    jobDuration: new Histogram({
      name: 'egress_job_duration_seconds',
      help: 'Time from a worker starting a command to its answer being posted',
      labelNames: ['command', 'outcome'],
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
      registers,
    }),
    bytesScanned: new Counter({
      name: 'egress_engine_bytes_scanned_total',
      help: 'Bytes the query engine scanned answering commands',
      labelNames: ['engine'],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'egress_queue_depth',
      help: 'Jobs in the command queue by state',
      labelNames: ['state'],
      registers,
      async collect() {
        const totals: Record<string, number> = {};
        for (const source of sources) {
          // A Redis outage must not break the whole scrape; the gauge keeps its last values.
          const counts = await source().catch(() => undefined);
          for (const [state, n] of Object.entries(counts ?? {})) totals[state] = (totals[state] ?? 0) + n;
        }
        for (const [state, n] of Object.entries(totals)) this.set({ state }, n);
      },
    }),
    addDepthSource(fn) {
      sources.add(fn);
      return () => sources.delete(fn);
    },
  };
  cache.set(registry, metrics);
  return metrics;
}
