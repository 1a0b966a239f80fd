import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Harness, startHarness } from './slack-harness.js';

const redisUrl = inject('redisUrl');

const WORDS = [
  'who',
  'dns-bypass',
  'domain',
  'ip-history',
  'top',
  'cost',
  'rejects',
  'help',
  '?',
  'last',
  'by',
  'workload',
  'namespace',
  'destination',
  '7d',
  '24h',
  '0d',
  '91d',
  '999999d',
  '7',
  'days',
  'hours',
  '142.250.80.46',
  '10.40.12.34',
  '::1',
  '2001:db8::1',
  '256.1.1.1',
  '1.2.3',
  '<@U123>',
  '<mailto:a@b.c|a@b.c>',
  '`',
  '*',
  '_',
  '&',
  '<',
  '>',
  '"',
  "'",
  '\n',
  '\t',
  '🔥',
  'ＷＨＯ',
  'WHO',
  '-',
  '--data',
  '/etc/passwd',
  "'; DROP TABLE x; --",
  '%00',
  '\u0000',
];

/** Well-formed commands with arbitrary addresses and windows (these reach the queue). */
const command = fc
  .tuple(
    fc.constantFrom('who', 'domain', 'dns-bypass', 'ip-history', 'top', 'cost', 'rejects'),
    fc.oneof(fc.ipV4(), fc.ipV6()),
    fc.integer({ min: 0, max: 3_000 }),
    fc.constantFrom('h', 'd', 'days', 'hours'),
  )
  .map(([verb, ip, n, unit]) => `${verb}${/who|domain|history/.test(verb) ? ` ${ip}` : ''} last ${n}${unit}`);

/** Command-shaped word salad, and arbitrary Unicode (including control characters and lone surrogates). */
const text = fc.oneof(
  command,
  fc.array(fc.constantFrom(...WORDS), { maxLength: 8 }).map((w) => w.join(' ')),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ maxLength: 1_000 }),
);

describe('fuzzed /egress text', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ redisUrl, bot: { worker: false }, env: { EGRESS_RATE_LIMIT_PER_MIN: '1000000' } });
  });
  afterAll(() => h?.stop());

  it('always gets an ephemeral ack within Slack limits, never crashes, and queues exactly what it acked as queued', async () => {
    let queued = 0;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const started = performance.now();
        const res = await h.slash(t, { triggerId: `fuzz.${++n}` });
        expect(res.status).toBe(200);
        expect(performance.now() - started).toBeLessThan(3_000);
        expect(res.body).toMatchObject({ response_type: 'ephemeral' });
        const body = res.body as { text: string; blocks: Array<{ type: string; text?: { text: string } }> };
        expect(body.text.length).toBeGreaterThan(0);
        expect(body.blocks.length).toBeLessThanOrEqual(50);
        for (const b of body.blocks) expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
        // Every accepted command's ack promises the thread; nothing else does.
        if (body.text.endsWith('answer in a thread below')) queued++;
      }),
      { numRuns: 1_500, seed: 20261120 },
    );
    expect(queued).toBeGreaterThan(0);
    // The last enqueue runs after its ack (behind the queued parent's post): wait for it, then count exactly.
    await h.queued(queued);
    await new Promise((r) => setTimeout(r, 200));
    expect(await h.bot.queue.count()).toBe(queued);
    // One ⏳ queued parent per accepted command, none for the rest.
    const parents = h.fake.calls.filter((c) => c.method === 'chat.postMessage' && String(c.args.text).startsWith('🔎'));
    expect(parents).toHaveLength(queued);
    // No request ended in an unexpected error path.
    expect(h.logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
  }, 60_000);
});
