import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlowRow } from '../src/commands/answer.js';
import type { Answer, Command } from '../src/commands/registry.js';
import {
  answerMessages,
  type Block,
  commandTitle,
  failureMessage,
  helpMessage,
  parentMessage,
  SLACK_LIMITS,
} from '../src/render/blocks.js';
import { blocksToPlain } from '../src/render/blocks-plain.js';
import { csvCell, csvFileName, renderCsv } from '../src/render/csv.js';

const NOW = 1_795_176_000; // 2026-11-20T12:00:00Z
const WHO: Command = { name: 'who', ip: '142.250.80.46', window: { amount: 7, unit: 'd', seconds: 604_800 } };

const row = (over: Partial<FlowRow> = {}): FlowRow => ({
  podIp: '10.40.12.34',
  externalIp: '142.250.80.46',
  dstPort: 443,
  protocol: 6,
  workload: { namespace: 'payments', kind: 'Deployment', name: 'payments-api' },
  pod: 'payments-api-7d9f8b6c5-x2k9p',
  flows: 12,
  rejected: 0,
  bytesOut: 1_234_567,
  bytesIn: 7_654_321,
  firstSeen: NOW - 6 * 86_400,
  lastSeen: NOW - 60,
  ...over,
});

const ANSWER: Answer = {
  command: 'who',
  label: 'last 7d',
  window: { from: NOW - 604_800, to: NOW },
  ip: '142.250.80.46',
  rows: [
    row(),
    row({ pod: 'payments-api-7d9f8b6c5-q7m4t', podIp: '10.40.12.35', rejected: 1, protocol: 17 }),
    row({ workload: null, pod: null, podIp: '10.40.7.99', reason: 'no pod in the snapshot has IP 10.40.7.99' }),
    row({
      workload: { namespace: 'batch', kind: 'CronJob', name: 'nightly-<export>&' },
      reason: 'snapshot caveat: IP reused',
    }),
  ],
  domains: [
    { name: 'www.googleapis.com', cnames: [], queries: 6, firstSeen: NOW - 3_600, lastSeen: NOW - 60 },
    {
      name: 'storage.googleapis.com',
      cnames: ['storage.l.google.com'],
      queries: 2,
      firstSeen: NOW - 7_200,
      lastSeen: NOW - 600,
    },
  ],
  stats: {
    engine: 'athena',
    bytesScanned: 123_456_789,
    costUsd: 0.000_6,
    reused: true,
    queryExecutionIds: ['q1'],
    elapsedMs: 4_321,
  },
  skipped: [{ key: 'AWSLogs/111122223333/vpcflowlogs/bad.log.gz', reason: 'truncated gzip' }],
  notes: ['names: resolver answers from 1 day before the window on'],
};

/** Checks every Slack limit the renderers promise. */
function withinLimits(blocks: Block[]): void {
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const b of blocks) {
    if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    if (b.type === 'context') {
      expect(b.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
      for (const e of b.elements) expect(e.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    }
  }
}

describe('Block Kit renderers', () => {
  it('renders the command title from the typed command', () => {
    expect(commandTitle(WHO)).toBe('who 142.250.80.46 · last 7d');
    expect(commandTitle({ name: 'top', window: { amount: 1, unit: 'd', seconds: 86_400 }, by: 'namespace' })).toBe(
      'top · last 1d · by namespace',
    );
    expect(commandTitle({ name: 'help' })).toBe('help');
  });

  it.each(['queued', 'querying', 'done', 'failed'] as const)('renders the parent message: %s', (state) => {
    const detail =
      state === 'failed'
        ? 'Access denied to the log bucket.'
        : state === 'queued'
          ? 'retrying (attempt 2 of 3)'
          : undefined;
    const m = parentMessage({
      command: WHO,
      user: 'U0ONCALL',
      state,
      bytesScanned: state === 'queued' ? undefined : 42 * 1024 * 1024,
      detail,
    });
    withinLimits(m.blocks);
    expect(m).toMatchSnapshot();
  });

  it('renders an answer as summary, rows and domains', () => {
    const r = answerMessages(ANSWER);
    expect(r).toMatchObject({ truncated: false, shownRows: 4, totalRows: 4 });
    for (const m of r.messages) withinLimits(m.blocks);
    expect(r.messages).toMatchSnapshot();
    expect(r.messages.map((m) => blocksToPlain(m.blocks)).join('\n\n')).toMatchSnapshot();
  });

  it('escapes mrkdwn control characters from data', () => {
    const text = JSON.stringify(answerMessages(ANSWER).messages);
    expect(text).toContain('nightly-&lt;export&gt;&amp;');
    expect(text).not.toContain('nightly-<export>');
  });

  it('cuts long answers to the first N rows and says the CSV has the rest', () => {
    const rows = Array.from({ length: 40 }, (_, i) => row({ pod: `pod-${i}`, bytesOut: 1000 - i }));
    const r = answerMessages({ ...ANSWER, rows, domains: [] }, { maxRows: 3 });
    expect(r).toMatchObject({ truncated: true, shownRows: 3, totalRows: 40 });
    const plain = r.messages.map((m) => blocksToPlain(m.blocks)).join('\n');
    expect(plain).toContain('*Top 3 of 40 rows* by bytes out · the full result is in the CSV below');
    expect(plain).toContain('pod-2');
    expect(plain).not.toContain('pod-3`');
  });

  it('renders an empty answer', () => {
    const r = answerMessages({
      command: 'who',
      ip: '1.2.3.4',
      label: 'last 1d',
      window: { from: NOW - 86_400, to: NOW },
      rows: [],
      domains: [],
      skipped: [],
      notes: [],
    });
    expect(r.messages.map((m) => blocksToPlain(m.blocks))).toMatchSnapshot();
  });

  it('renders generic tables, holders, failures and help', () => {
    // A table and holder intervals come from different commands (top, ip-history): one answer each.
    const window = { from: NOW - 86_400, to: NOW };
    const table = answerMessages({
      command: 'top',
      label: 'last 1d · by namespace',
      window,
      table: {
        columns: ['namespace', 'bytes_out'],
        rows: [
          { namespace: 'payments', bytes_out: 123 },
          { namespace: 'batch', bytes_out: null },
        ],
      },
      skipped: [],
      notes: [],
    });
    const holders = answerMessages({
      command: 'ip-history',
      label: 'last 1d',
      window,
      ip: '10.40.12.34',
      history: [
        {
          pod: 'p-1',
          namespace: 'ns',
          workload: { namespace: 'ns', kind: 'Deployment', name: 'w' },
          from: NOW - 100,
          to: null,
        },
      ],
      skipped: [],
      notes: [],
    });
    expect(table.messages).toMatchSnapshot();
    expect(holders.messages).toMatchSnapshot();
    expect(
      failureMessage('The query took longer than 10 minutes and was stopped.', 'ask for a shorter window.'),
    ).toMatchSnapshot();
    expect(
      helpMessage(['who <ip> [last N(h|d)]   which pods…', '', 'Examples:', '  who 142.250.80.46 last 7d']),
    ).toMatchSnapshot();
  });

  it('stays within Slack limits for any answer (property)', () => {
    const name = fc.string({ minLength: 1, maxLength: 400 });
    const flow = fc.record({
      pod: fc.option(name, { nil: null }),
      reason: fc.option(fc.string({ maxLength: 3_500 }), { nil: undefined }),
      ns: name,
      flows: fc.nat(),
      bytesOut: fc.nat(),
    });
    fc.assert(
      fc.property(
        fc.array(flow, { maxLength: 400 }),
        fc.array(name, { maxLength: 120 }),
        fc.integer({ min: 1, max: 500 }),
        (flows, domains, maxRows) => {
          const answer: Answer = {
            ...ANSWER,
            rows: flows.map((f) =>
              row({
                pod: f.pod,
                reason: f.reason,
                flows: f.flows,
                bytesOut: f.bytesOut,
                workload: { namespace: f.ns, kind: 'Deployment', name: f.ns },
              }),
            ),
            domains: domains.map((d) => ({ name: d, cnames: [d, d], queries: 1, firstSeen: NOW, lastSeen: NOW })),
            notes: domains.slice(0, 30),
            skipped: domains.slice(0, 30).map((d) => ({ key: d, reason: d })),
          };
          const r = answerMessages(answer, { maxRows });
          for (const m of r.messages) withinLimits(m.blocks);
          expect(r.shownRows).toBe(Math.min(flows.length, maxRows));
          expect(r.truncated).toBe(flows.length > maxRows);
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });
});

describe('CSV', () => {
  it('writes every row with integers, ISO times and the caveats', () => {
    const csv = renderCsv(ANSWER) ?? '';
    expect(csv).toMatchSnapshot();
    expect(csv.split('\r\n')).toHaveLength(ANSWER.rows!.length + 2);
    expect(csvFileName(ANSWER)).toBe('egress-who-142.250.80.46-last-7d.csv');
  });

  it('quotes and defuses spreadsheet formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(null)).toBe('');
  });

  it('renders generic tables and has nothing for help', () => {
    expect(
      renderCsv({
        command: 'cost',
        label: 'last 1d',
        window: { from: NOW - 86_400, to: NOW },
        table: { columns: ['a', 'b'], rows: [{ a: 'x', b: 1 }] },
        by: 'workload',
        projection30dUsd: 0,
        avoidable: [],
        skipped: [],
        notes: [],
      }),
    ).toBe('a,b\r\nx,1\r\n');
    expect(renderCsv({ command: 'help', lines: ['x'], skipped: [], notes: [] })).toBeUndefined();
  });
});
