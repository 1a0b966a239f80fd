/**
 * Per-request id and arrival time, attached by the receiver as Bolt custom properties so every log line of a request
 * (receiver and worker) carries the same id, and the ack latency is measured from arrival.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/** What the receiver attaches to each request's context. */
export interface RequestMeta {
  requestId: string;
  /** `performance.now()` at arrival (after the body was read and verified). */
  receivedAt: number;
}

/** The extractor given to the receivers (`customPropertiesExtractor`). */
export function extractRequestMeta(): RequestMeta {
  return { requestId: randomUUID(), receivedAt: performance.now() };
}

/** Reads the meta back from a listener's context, with fresh values when absent. */
export function requestMeta(context: Record<string, unknown>): RequestMeta {
  return {
    requestId: typeof context.requestId === 'string' ? context.requestId : randomUUID(),
    receivedAt: typeof context.receivedAt === 'number' ? context.receivedAt : performance.now(),
  };
}
