import { randomUUID } from 'node:crypto';
/**
 * Runs one `run` job: build the digest, post it, then put the chart (and, when findings overflowed, the CSV) in its
 * thread. Every step is recorded in the job (message ts, parts posted), so a retry after a crash updates the message
 * it already posted and uploads only what is missing; the period is marked sent only when all of it is in Slack.
 */
import type { WebClient } from '@slack/web-api';
import type { Job, Queue } from 'bullmq';
import type { DigestState } from '../digest/state.js';
import type { Digest } from '../digest/types.js';
import type { Logger } from '../logger.js';
import { digestMessage } from '../render/digest-blocks.js';
import { digestCsvName, renderDigestCsv } from '../render/digest-csv.js';
import { type DigestJobData, type RunJob, runJobId } from './digest-jobs.js';

/** What posting needs. */
export interface RunDeps {
  client: WebClient;
  state: DigestState;
  logger: Logger;
  /** Builds the digest of a date (the engine work). */
  build(date: string): Promise<Digest>;
  /** Renders the chart PNG (default: vega-lite → SVG → resvg). */
  chart?: (d: Digest) => Promise<Buffer>;
}

/**
 * Queues the run for a channel and period unless it was posted already. The job id makes concurrent callers
 * (several replicas' ticks, a catch-up racing a tick) add one job; a run that failed for good is retried instead.
 */
export async function enqueueRun(
  queue: Queue<DigestJobData>,
  state: DigestState,
  run: Omit<RunJob, 'kind'>,
): Promise<string> {
  if (await state.sentTs(run.channel, run.period)) return 'already-sent';
  const jobId = runJobId(run.channel, run.period);
  const existing = await queue.getJob(jobId);
  if (existing) {
    if (await existing.isFailed()) {
      // Another replica may retry it first; then this one finds it no longer failed, which is fine.
      await existing.retry().catch(() => undefined);
      return 'retried';
    }
    return 'exists';
  }
  await queue.add('run', { kind: 'run', ...run }, { jobId });
  return 'queued';
}

/** Builds and posts one digest (the `run` job processor). */
export async function processRun(job: Job<DigestJobData>, d: RunDeps): Promise<{ ts: string; skipped?: boolean }> {
  const data = job.data as RunJob;
  const log = d.logger.child({ component: 'digest', channel: data.channel, date: data.date, jobId: job.id });
  const sent = await d.state.sentTs(data.channel, data.period);
  if (sent) {
    log.info({ ts: sent }, 'digest already posted for this period');
    return { ts: sent, skipped: true };
  }
  const save = (patch: Partial<RunJob>) => job.updateData({ ...(job.data as RunJob), ...patch });
  const digest = await d.build(data.date);
  const msg = digestMessage(digest);
  let ts = data.ts;
  if (!ts) {
    const claim = await d.state.claimPost(data.channel, data.period, `${job.id}:${randomUUID()}`);
    if (!claim) throw new Error('another worker is posting this digest right now; retrying later');
    ts = claim.ts;
  }
  if (ts) {
    await d.client.chat.update({ channel: data.channel, ts, text: msg.text, blocks: msg.blocks });
  } else {
    const res = await d.client.chat.postMessage({ channel: data.channel, text: msg.text, blocks: msg.blocks });
    ts = res.ts as string;
    await d.state.postedParent(data.channel, data.period, ts);
    await save({ ts });
  }
  await d.state.saveDigest(data.channel, ts, digest);
  const posted = new Set((job.data as RunJob).posted ?? []);
  const step = async (name: string, upload: () => Promise<unknown>) => {
    if (posted.has(name)) return;
    await upload();
    posted.add(name);
    await save({ posted: [...posted] });
  };
  await step('chart', async () =>
    d.client.files.uploadV2({
      channel_id: data.channel,
      thread_ts: ts,
      // vega and resvg load only when a chart is drawn.
      file: await (d.chart ?? (await import('../render/digest-chart.js')).renderChartPng)(digest),
      filename: `egress-digest-${digest.date}.png`,
      title: `Bytes out per namespace per day, 14 days to ${digest.chart.days.at(-1)}`,
      initial_comment: '📊 Bytes out to the internet per namespace per day over 14 days',
    }),
  );
  if (msg.truncated) {
    await step('csv', () =>
      d.client.files.uploadV2({
        channel_id: data.channel,
        thread_ts: ts,
        file: Buffer.from(renderDigestCsv(digest), 'utf8'),
        filename: digestCsvName(digest),
        title: `All ${msg.totalFindings} findings`,
        initial_comment: `All ${msg.totalFindings} findings as CSV (the message shows ${msg.shownFindings}).`,
      }),
    );
  }
  await d.state.markSent(data.channel, data.period, ts);
  log.info({ ts, findings: msg.totalFindings, queries: digest.stats.queries }, 'digest posted');
  return { ts };
}
