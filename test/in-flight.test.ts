/** The receiver's shutdown signal carries one listener per enqueue in flight: many at once must not warn. */
import { describe, expect, it } from 'vitest';
import { InFlight } from '../src/slack/in-flight.js';

describe('InFlight', () => {
  it('takes 50 abort listeners at once (50 enqueues in flight) without a MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const f = new InFlight();
      const calls: number[] = [];
      for (let i = 0; i < 50; i++) f.signal.addEventListener('abort', () => calls.push(i), { once: true });
      f.track(new Promise<void>(() => {}));
      expect(await f.drain(0, 0)).toBe(1);
      // Warnings are emitted on the next tick.
      await new Promise((r) => setImmediate(r));
      expect(calls).toHaveLength(50);
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
