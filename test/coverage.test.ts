import { describe, expect, it } from 'vitest';
import { coverageOf, gapsOf } from '../src/commands/coverage.js';
import { snatCheck } from '../src/commands/snat.js';
import type { KindCoverage } from '../src/engine/types.js';
import { coverageJson, coverageSummary, coverageWarnings } from '../src/render/coverage.js';

const H = 3_600;
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0) / 1000;
const flow = (over: Partial<KindCoverage> = {}): KindCoverage => ({
  kind: 'flow',
  window: { from: NOW - 6 * H, to: NOW },
  hours: [0, 1, 2, 3, 4, 5].map((i) => NOW - 6 * H + i * H),
  newestRecord: NOW - 8 * 60,
  skipData: 0,
  noData: 0,
  unreadableLines: { count: 0, samples: [] },
  missingFields: [],
  ...over,
});
const SNAP = { source: 'snapshot' as const, file: 'k8s.json', podIps: 3, takenAt: NOW - H };

describe('coverage', () => {
  it('merges missing hours into ranges, up to the newest record only', () => {
    // Hours 1 and 2 missing (one range), hour 4 missing; hour 5 missing too but after the newest record (late, not a gap).
    const c = flow({ hours: [0, 3].map((i) => NOW - 6 * H + i * H), newestRecord: NOW - 2 * H + 5 * 60 });
    expect(gapsOf(c)).toEqual([
      { kind: 'flow', from: NOW - 5 * H, to: NOW - 3 * H },
      { kind: 'flow', from: NOW - 2 * H, to: NOW - H },
    ]);
  });

  it('a window without any record is one gap over all of it', () => {
    const c = flow({ hours: [], newestRecord: undefined });
    expect(gapsOf(c)).toEqual([{ kind: 'flow', from: NOW - 6 * H, to: NOW }]);
  });

  it('states lag and the undelivered tail, counts SKIPDATA once per table, and names the attribution source', () => {
    // Two queries read the flow table (the answer's 6 h window and a 1 h look-back): the wider one speaks.
    const narrow = flow({ window: { from: NOW - H, to: NOW }, hours: [NOW - H], skipData: 7 });
    const wide = flow({ skipData: 2, noData: 1 });
    const dns: KindCoverage = { ...flow({ kind: 'dns', newestRecord: NOW - 60 }), kind: 'dns' };
    const c = coverageOf(
      [
        { coverage: [wide, dns], skipped: [] },
        { coverage: [narrow], skipped: [] },
      ],
      NOW,
      SNAP,
    );
    expect(c).toMatchObject({ newestRecord: NOW - 480, lagSeconds: 480, skipData: 2, noData: 1, gaps: [] });
    expect(c.delivery.map((d) => [d.kind, d.undeliveredSeconds])).toEqual([
      ['flow', 480],
      ['dns', 60],
    ]);
    expect(coverageSummary(c)).toBe(
      'coverage: flow logs up to 2026-11-20 11:52 UTC (lag 8 minutes) · resolver logs up to 2026-11-20 11:59 UTC (lag 1 minute) · no gaps · SKIPDATA 2, NODATA 1 · attribution: snapshot k8s.json written 2026-11-20 11:00 UTC',
    );
    expect(coverageWarnings(c)).toEqual([
      'flow logs for the last 8 minutes of the window are not delivered yet (they arrive 5–10+ minutes late)',
      'resolver logs for the last 1 minute of the window are not delivered yet (they arrive 5–10+ minutes late)',
      'AWS dropped records (2 SKIPDATA records in the window): counts may be low',
    ]);
    expect(coverageJson(c)).toMatchObject({
      newestRecord: '2026-11-20T11:52:00Z',
      lagSeconds: 480,
      attribution: { source: 'snapshot', file: 'k8s.json', takenAt: '2026-11-20T11:00:00Z' },
    });
  });

  it('lists skipped objects and unreadable lines once, and objects that cannot answer with the fields they lack', () => {
    const bad = flow({
      unreadableLines: { count: 1, samples: [{ key: 'a.log.gz', line: 17 }] },
      missingFields: [{ key: 'b.log.gz', fields: ['pkt-srcaddr', 'start'] }],
    });
    const skipped = [{ key: 'c.log.gz', reason: 'truncated gzip' }];
    const c = coverageOf(
      [
        { coverage: [bad], skipped },
        { coverage: [bad], skipped },
      ],
      NOW,
      SNAP,
    );
    expect(c.skippedObjects).toEqual(skipped);
    expect(c.unreadableLines).toEqual({ count: 1, samples: [{ key: 'a.log.gz', line: 17 }] });
    expect(coverageWarnings(c)).toContain(
      'b.log.gz cannot answer this: its flow-log format lacks pkt-srcaddr, start — `egress setup --dry-run` prints the LogFormat to use',
    );
  });
});

describe('SNAT check', () => {
  const pod = { workload: { namespace: 'a', kind: 'Deployment', name: 'x' } };
  const node = { workload: { namespace: '', kind: 'Node', name: 'ip-10-40-1-22' } };
  it('warns when most flows come from node addresses, not for a few or a minority', () => {
    expect(snatCheck([{ ip: '10.40.1.22', flows: 4, holder: node }])).toBeUndefined();
    expect(
      snatCheck([
        { ip: '10.40.1.22', flows: 5, holder: node },
        { ip: '10.40.12.34', flows: 5, holder: pod },
      ]),
    ).toBeUndefined();
    const w = snatCheck(
      [
        { ip: '10.40.1.22', flows: 5, holder: node },
        { ip: '10.40.1.23', flows: 3, holder: null },
        { ip: '10.40.12.34', flows: 2, holder: pod },
      ],
      new Set(['10.40.1.23']),
    );
    expect(w).toMatchObject({ nodeFlows: 8, flows: 10 });
    expect(w?.message).toMatch(/AWS_VPC_K8S_CNI_EXTERNALSNAT is probably false/);
  });
});
