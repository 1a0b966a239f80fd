/**
 * Runs one button click (the `action` job): Mark expected stores suppressions; every act is recorded and the digest
 * message re-rendered in place (`chat.update`) to show who did what; Triage / Widen to 30d / CSV answer in the
 * digest's thread with the full `who` answer, through the same poster the command worker uses (idempotent retries).
 */
import type { WebClient } from '@slack/web-api';
import type { Job } from 'bullmq';
import type { ContextFactory } from '../commands/context.js';
import { type Answer, runCommand } from '../commands/registry.js';
import type { WhoCommand } from '../commands/who.js';
import type { DigestState } from '../digest/state.js';
import type { SuppressionStore } from '../digest/suppressions.js';
import type { Digest, Finding } from '../digest/types.js';
import { isUserError, publicMessage } from '../errors.js';
import type { WindowSpec } from '../flowlogs/window.js';
import type { Logger } from '../logger.js';
import { AnswerPoster, type PostingJob, type Reply } from '../post/answer-poster.js';
import { replies } from '../post/replies.js';
import { failureMessage, parentMessage } from '../render/blocks.js';
import { csvFileName, renderCsv } from '../render/csv.js';
import { digestMessage } from '../render/digest-blocks.js';
import type { ActionJob, DigestJobData } from './digest-jobs.js';

/** What a click needs. */
export interface ActionDeps {
  context: ContextFactory;
  client: WebClient;
  state: DigestState;
  suppressions: SuppressionStore;
  logger: Logger;
}

/** A window spec covering exactly `seconds` (a reported day is 23 or 25 hours on DST days). */
function spanSpec(seconds: number): WindowSpec {
  return seconds % 86_400 === 0
    ? { amount: seconds / 86_400, unit: 'd', seconds }
    : { amount: Math.round(seconds / 3_600), unit: 'h', seconds };
}

/** Processes one click. */
export async function processAction(job: Job<DigestJobData>, d: ActionDeps): Promise<{ done: string }> {
  const a = job.data as ActionJob;
  const log = d.logger.child({ component: 'digest-action', requestId: a.requestId, jobId: job.id });
  const digest = await d.state.digest(a.channel, a.ts);
  const finding = digest && [...digest.newDestinations, ...digest.dnsBypass].find((f) => f.id === a.findingId);
  if (!digest || !finding) {
    await d.client.chat.postEphemeral({
      channel: a.channel,
      user: a.user,
      text: 'This digest is too old to act on (digests are kept 40 days). Ask `/egress who <ip>` instead.',
    });
    return { done: 'expired' };
  }
  if (a.action === 'mark') {
    await d.suppressions.add(
      finding.workloads.map((w) => ({
        destination: finding.destination,
        names: finding.names,
        workload: w.workload,
        by: a.user,
        at: a.at,
      })),
    );
    log.info(
      {
        audit: 'suppression',
        user: a.user,
        channel: a.channel,
        destination: finding.destination,
        workloads: finding.workloads.map((w) => w.workload),
      },
      'marked expected',
    );
  }
  // Record and show the act first: the person sees the click took effect before a slow query finishes.
  await d.state.addAct(a.channel, a.ts, { findingId: a.findingId, action: a.action, user: a.user, at: a.at });
  const msg = digestMessage(digest, await d.state.acts(a.channel, a.ts));
  await d.client.chat.update({ channel: a.channel, ts: a.ts, text: msg.text, blocks: msg.blocks });
  if (a.action !== 'mark') await answerInThread(job, d, digest, finding, log);
  return { done: a.action };
}

/** Triage (the digest's day), Widen (30 days up to the click) and CSV (the day, as a file) in the digest thread. */
async function answerInThread(job: Job<DigestJobData>, d: ActionDeps, digest: Digest, f: Finding, log: Logger) {
  const a = job.data as ActionJob;
  const widen = a.action === 'widen';
  const window = widen ? spanSpec(30 * 86_400) : spanSpec(digest.period.to - digest.period.from);
  const command: WhoCommand = { name: 'who', ip: f.destination, window };
  const now = widen ? a.at : digest.period.to;
  const posting: PostingJob = {
    // A getter: updateData replaces job.data, and the poster must see what it saved.
    get data() {
      const cur = job.data as ActionJob;
      return {
        channel: cur.channel,
        user: cur.user,
        thread_ts: cur.ts,
        parent_ts: cur.parent_ts,
        repliesPosted: cur.repliesPosted,
      };
    },
    save: (patch) => job.updateData({ ...(job.data as ActionJob), ...pick(patch) }),
  };
  const poster = new AnswerPoster(d.client, posting, log);
  const view = (state: 'querying' | 'done' | 'failed', detail?: string) =>
    parentMessage({ command, user: a.user, state, detail });
  try {
    await poster.showParent(view('querying'));
    const answer = await runCommand(command, await d.context(now));
    const out: Reply[] =
      a.action === 'csv'
        ? [
            {
              kind: 'file',
              filename: csvFileName(answer),
              title: `who ${f.destination}`,
              content: renderCsv(answer) ?? '',
              comment: `All ${rowCount(answer)} rows as CSV.`,
            },
          ]
        : replies(answer);
    await poster.postReplies(out);
    await poster.showParent(view('done', `${rowCount(answer)} rows`), true);
  } catch (err) {
    const last = isUserError(err) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    log.warn({ err, last }, 'digest action answer failed');
    if (!last) throw err;
    await poster.showParent(view('failed', publicMessage(err)), true).catch(() => undefined);
    await poster
      .postFailure(failureMessage(publicMessage(err), 'press the button again in a few minutes.'))
      .catch(() => undefined);
  }
}

const pick = (p: { parent_ts?: string; repliesPosted?: number }): Partial<ActionJob> => ({
  ...(p.parent_ts !== undefined ? { parent_ts: p.parent_ts } : {}),
  ...(p.repliesPosted !== undefined ? { repliesPosted: p.repliesPosted } : {}),
});

const rowCount = (a: Answer) => ('rows' in a ? a.rows.length : 0);
