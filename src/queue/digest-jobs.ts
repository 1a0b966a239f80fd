/** The digest queue's job shapes and ids (BullMQ refuses `:` in custom job ids, so ids use `-` and `_`). */
import { Queue } from 'bullmq';
import type { DigestAction } from '../digest/types.js';
import type { Redis } from '../redis.js';

/** Fired by the job scheduler at the cron time; turns into at most one `run` per channel and period. */
export interface TickJob {
  kind: 'tick';
  channel: string;
}

/** Builds and posts one digest. `ts`/`posted` record progress so a retried job continues instead of re-posting. */
export interface RunJob {
  kind: 'run';
  channel: string;
  /** `YYYY-MM-DD`: the digest's date. */
  date: string;
  /** The exactly-once key (the date, unless a test schedules faster than daily). */
  period: string;
  ts?: string;
  posted?: string[];
}

/** A button click on a digest finding. */
export interface ActionJob {
  kind: 'action';
  action: DigestAction;
  channel: string;
  /** The digest message. */
  ts: string;
  findingId: string;
  user: string;
  requestId: string;
  /** Epoch seconds of the click. */
  at: number;
  /** Progress of the thread replies (triage/widen/csv), for idempotent retries. */
  parent_ts?: string;
  repliesPosted?: number;
}

export type DigestJobData = TickJob | RunJob | ActionJob;

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

/** One run job per channel and period: a second add with the same id is a no-op while the first is retained. */
export const runJobId = (channel: string, period: string) => `digest-${safe(channel)}-${safe(period)}`;

/** The scheduler id per channel, so several replicas upsert the same one. */
export const schedulerId = (channel: string) => `digest-${safe(channel)}`;

/** Finished jobs are kept 3 days (run ids must outlive a day to deduplicate); failures a week, for inspection. */
export const DIGEST_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 3 * 86_400, count: 5_000 },
  removeOnFail: { age: 7 * 86_400, count: 5_000 },
} as const;

/** The digest queue's producer side on an existing connection. */
export function createDigestQueue(name: string, connection: Redis): Queue<DigestJobData> {
  return new Queue<DigestJobData>(name, { connection, defaultJobOptions: DIGEST_JOB_OPTIONS });
}
