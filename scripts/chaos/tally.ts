/**
 * What became of each command, read back from the Slack fake: its channel's parent messages and thread replies, the
 * private messages to its response_url, and when the outcome appeared. One line per fault.
 */
import type { SlackApiFake } from '../../test/fakes/slack-api.js';
import { accepted, type Sent } from './load.js';

/** How one accepted command ended. */
export interface Outcome {
  answers: number;
  askAgain: number;
  failed: boolean;
  stuck: boolean;
  parents: number;
  /** When the first answer (✅) or ask-again appeared. */
  at?: number;
}

/** The answer's first reply: `5 rows · 4 workloads · …` (later replies of the same answer carry `— …`). */
const SUMMARY = /^\d+ rows · (?!.*—)/;
const ASK_AGAIN = /ask again/i;

/** Reads one command's outcome from the fake. */
export function outcome(fake: SlackApiFake, s: Sent): Outcome {
  const threads = fake.threads(s.channel);
  const replies = threads.flatMap((t) => t.replies);
  const told = fake.responses.filter(
    (r) => r.id === s.channel && ASK_AGAIN.test(String((r.body as { text?: string }).text)),
  );
  const calls = fake.calls.filter((c) => c.args.channel === s.channel && c.status === 200);
  const done = calls.find((c) => c.method === 'chat.update' && String(c.args.text).includes('✅'));
  const askCall = calls.find((c) => c.method === 'chat.postMessage' && ASK_AGAIN.test(String(c.args.text)));
  const finals = threads.map((t) => String(t.parent.text));
  return {
    answers: replies.filter((m) => SUMMARY.test(String(m.text))).length,
    askAgain: replies.filter((m) => ASK_AGAIN.test(String(m.text))).length + told.length,
    failed: finals.some((t) => t.includes('❌')) && !replies.some((m) => ASK_AGAIN.test(String(m.text))),
    stuck: finals.some((t) => /⏳|🔄/.test(t)),
    parents: threads.length,
    at: done?.at ?? askCall?.at ?? told[0]?.at,
  };
}

/** Whether an accepted command has reached an end (answered, told to ask again, or failed visibly). */
export function settled(o: Outcome): boolean {
  return (o.answers > 0 && !o.stuck) || o.askAgain > 0 || (o.failed && !o.stuck);
}

/** The figures of one fault. */
export interface Figures {
  fault: string;
  sent: number;
  acked: number;
  answered: number;
  askAgain: number;
  failed: number;
  lost: number;
  twice: number;
  stuck: number;
  unacked: number;
  http5xx: number;
  crashes: number;
  /** Seconds from the fault to the last outcome of the commands it affected. */
  recovery?: number;
  /** Longest ack → outcome of the phase's commands, in seconds. */
  slowest?: number;
  note?: string;
  /** A goal missed that the counts above do not show. */
  problem?: string;
}

/** Counts a fault's commands. `affected` picks the commands whose outcome times make up the recovery time. */
export function figures(
  fault: string,
  fake: SlackApiFake,
  sent: readonly Sent[],
  o: {
    crashes: number;
    http5xx?: number;
    injectedAt?: number;
    affected?: (s: Sent) => boolean;
    note?: string;
    problem?: string;
  },
): Figures {
  const acked = sent.filter(accepted);
  const outs = acked.map((s) => ({ s, o: outcome(fake, s) }));
  const twice = outs.filter(
    ({ o }) => o.answers > 1 || o.askAgain > 1 || (o.answers > 0 && o.askAgain > 0) || o.parents > 1,
  );
  const affected = o.injectedAt === undefined ? [] : outs.filter(({ s }) => o.affected?.(s) ?? true);
  const times = affected.map(({ o: x }) => x.at).filter((t): t is number => t !== undefined);
  const waits = outs.map(({ s, o: x }) => (x.at ?? 0) - (s.ackedAt ?? 0)).filter((w) => w > 0);
  return {
    fault,
    sent: sent.length,
    acked: acked.length,
    answered: outs.filter(({ o }) => o.answers > 0).length,
    askAgain: outs.filter(({ o }) => o.askAgain > 0).length,
    failed: outs.filter(({ o }) => o.failed).length,
    lost: outs.filter(({ o }) => o.answers === 0 && o.askAgain === 0 && !o.failed).length,
    twice: twice.length,
    stuck: outs.filter(({ o }) => o.stuck).length,
    unacked: sent.length - acked.length,
    http5xx: (o.http5xx ?? 0) + sent.filter((s) => s.status >= 500).length,
    crashes: o.crashes,
    recovery: o.injectedAt !== undefined && times.length ? (Math.max(...times) - o.injectedAt) / 1000 : undefined,
    slowest: waits.length ? Math.max(...waits) / 1000 : undefined,
    note: o.note,
    problem: o.problem,
  };
}

/** One line: `redis-sigkill   acked 40 answered 40 …`. */
export function line(f: Figures): string {
  const rec = f.recovery === undefined ? '—' : `${f.recovery.toFixed(1)}s`;
  const extra = [
    f.askAgain ? `ask-again ${f.askAgain}` : '',
    f.failed ? `failed ${f.failed}` : '',
    f.note ?? '',
    f.problem ? `PROBLEM: ${f.problem}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    `${f.fault.padEnd(17)} acked ${pad(f.acked)} answered ${pad(f.answered)} lost ${f.lost} answered-twice ${f.twice}` +
    ` stuck ${f.stuck} 5xx ${f.http5xx} crashes ${f.crashes} recovery ${rec.padStart(5)}` +
    ` (sent ${f.sent}, not acked ${f.unacked}, slowest answer ${f.slowest?.toFixed(1) ?? '—'}s${extra ? `; ${extra}` : ''})`
  );
}

const pad = (n: number) => String(n).padStart(3);

/** Whether a fault's figures meet the goals (lost 0, twice 0, 5xx 0, crashes 0, no stuck parents). */
export function ok(f: Figures, maxRecovery?: number): boolean {
  const recovered = maxRecovery === undefined || (f.recovery !== undefined && f.recovery <= maxRecovery);
  const clean = f.lost === 0 && f.twice === 0 && f.stuck === 0 && f.http5xx === 0 && f.crashes === 0;
  return clean && f.acked > 0 && !f.problem && recovered;
}
