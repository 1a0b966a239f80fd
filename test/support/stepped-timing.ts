/** A fake clock for tests (was in src/engine/athena-poll.ts: test-only code does not ship). */
import { abortError, type Timing } from '../../src/engine/athena-poll.js';

/**
 * A fake clock for tests: `sleep(ms)` advances `now` by `ms` at once but takes at most `realMs` of real time, so
 * backoff schedules and timeouts are exact and fast while a fake server still gets time to finish real work. Each
 * requested delay is recorded.
 */
export function steppedTiming(
  startMs = 0,
  opts: { random?: () => number; realMs?: number } = {},
): Timing & { slept: number[] } {
  let now = startMs;
  const slept: number[] = [];
  const realMs = opts.realMs ?? 10;
  return {
    slept,
    now: () => now,
    random: opts.random ?? (() => 0.5),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(abortError());
        slept.push(ms);
        now += ms;
        setTimeout(() => (signal?.aborted ? reject(abortError()) : resolve()), Math.min(ms, realMs));
      }),
  };
}
