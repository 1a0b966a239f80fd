import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deniedAction, isThrottle, mapAthenaError } from '../src/engine/athena-errors.js';
import { backoffDelay, POLL_BACKOFF, THROTTLE_BACKOFF } from '../src/engine/athena-poll.js';
import { convertValue } from '../src/engine/athena-results.js';
import { steppedTiming } from './support/stepped-timing.js';

describe('backoff', () => {
  it('grows exponentially to the cap, with jitter in the upper half of each step', () => {
    const lo = Array.from({ length: 10 }, (_, n) => backoffDelay(n, POLL_BACKOFF, () => 0));
    const hi = Array.from({ length: 10 }, (_, n) => backoffDelay(n, POLL_BACKOFF, () => 0.999999));
    expect(lo.slice(0, 3)).toEqual([100, 160, 256]);
    expect(hi.slice(0, 3)).toEqual([200, 320, 512]);
    expect(lo.at(-1)).toBe(POLL_BACKOFF.capMs / 2);
    expect(hi.at(-1)).toBe(POLL_BACKOFF.capMs);
  });

  it('never exceeds the cap nor drops below half the step, for any attempt and random draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, r) => {
          for (const policy of [POLL_BACKOFF, THROTTLE_BACKOFF]) {
            const d = backoffDelay(n, policy, () => r);
            const step = Math.min(policy.capMs, policy.baseMs * policy.factor ** n);
            expect(d).toBeGreaterThanOrEqual(Math.floor(step / 2));
            expect(d).toBeLessThanOrEqual(policy.capMs);
          }
        },
      ),
    );
  });

  it('the stepped test clock advances by exactly what was slept and honours abort', async () => {
    const t = steppedTiming(1_000);
    await t.sleep(250);
    await t.sleep(750);
    expect(t.now()).toBe(2_000);
    expect(t.slept).toEqual([250, 750]);
    const ac = new AbortController();
    ac.abort();
    await expect(t.sleep(10, ac.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('result values by column type', () => {
  it.each([
    ['bigint', '9007199254740991', 9007199254740991],
    ['integer', '-7', -7],
    ['double', '1.763604E9', 1763604000],
    ['double', 'NaN', Number.NaN],
    ['decimal(10,2)', '12.50', 12.5],
    ['varchar', '', ''],
    ['boolean', 'false', false],
    ['timestamp', '2026-11-20 12:00:00.000', 1795176000],
    ['timestamp(3) with time zone', '2026-11-20 12:00:00.500 UTC', 1795176000.5],
    ['array', '[a, b]', ['a', 'b']],
    ['array(varchar)', '[]', []],
    ['array(bigint)', '[1, 2]', [1, 2]],
    ['date', '2026-11-20', '2026-11-20'],
    ['row(x integer)', '{x=1}', '{x=1}'],
  ])('%s %j', (type, text, want) => {
    expect(convertValue(type, text)).toEqual(want);
  });

  it('a missing VarCharValue is NULL, whatever the type', () => {
    expect(convertValue('bigint', undefined)).toBeNull();
    expect(convertValue('varchar', undefined)).toBeNull();
  });
});

describe('error mapping', () => {
  it('recognises both throttling shapes and names the denied IAM action', () => {
    expect(isThrottle({ name: 'TooManyRequestsException' })).toBe(true);
    expect(isThrottle({ name: 'ThrottlingException' })).toBe(true);
    expect(isThrottle({ name: 'InvalidRequestException' })).toBe(false);
    expect(deniedAction('User: x is not authorized to perform: athena:GetQueryResults on resource', 'athena:X')).toBe(
      'athena:GetQueryResults',
    );
    const e = mapAthenaError(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      'GetWorkGroup',
    );
    expect(e).toMatchObject({ code: 'UPSTREAM' });
  });
});
