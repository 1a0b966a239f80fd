/**
 * `egress doctor`'s data checks: for each log table, what the last 24 hours hold — how far delivery has got (lag),
 * hours without any data, SKIPDATA, objects whose format cannot answer — from the same coverage facts every answer
 * carries, through the configured engine.
 */
import { gapsOf } from '../commands/coverage.js';
import { dnsWindowParams, flowWindowParams } from '../engine/params.js';
import type { KindCoverage, QueryEngine } from '../engine/types.js';
import { isoSeconds } from '../flowlogs/window.js';
import { shortTime, usd } from '../render/format.js';
import { type CheckResult, fail } from './doctor-checks.js';

/** Delivery that stopped for longer than this is a failure, not lag (AWS delivers every 5–10 minutes). */
const STOPPED_AFTER = 60 * 60;

const NAMES = { flow: 'flow-log data (24 h)', dns: 'resolver-log data (24 h)' } as const;
const FIX = {
  flow: 'check the flow log is ACTIVE and delivering to the bucket; with a Hive-compatible destination set EGRESS_ATHENA_DAY_FORMAT=hive.',
  dns: 'associate a Resolver query logging config with the VPC, delivering to S3 (EGRESS_RESOLVER_LOG_LOCATION if not the flow-log bucket).',
} as const;
const NONE = { flow: 'no flow-log records', dns: 'no Route 53 Resolver query-log records' } as const;

/** One table's line: ok with what it holds, or failed with why and the fix. */
export function dataCheck(c: KindCoverage, now: number, scanned: string): CheckResult {
  const name = NAMES[c.kind];
  const since = `since ${isoSeconds(c.window.from)}`;
  if (c.newestRecord === undefined)
    return { name, status: 'fail', detail: `${NONE[c.kind]} ${since}${scanned}`, fix: FIX[c.kind] };
  const lag = Math.max(0, now - c.newestRecord);
  const gaps = gapsOf(c);
  const facts = [`records ${since}, newest ${shortTime(c.newestRecord)} UTC (lag ${Math.round(lag / 60)} min)`];
  facts.push(
    gaps.length
      ? `${gaps.length} gap(s): ${gaps.map((g) => `${shortTime(g.from)} → ${shortTime(g.to)}`).join(', ')}`
      : 'no gaps',
  );
  if (c.kind === 'flow') facts.push(`SKIPDATA ${c.skipData}, NODATA ${c.noData}`);
  if (c.unreadableLines.count) facts.push(`${c.unreadableLines.count} unreadable lines`);
  if (c.missingFields.length)
    facts.push(
      `${c.missingFields.length} object(s) lack ${[...new Set(c.missingFields.flatMap((m) => m.fields))].join(', ')}`,
    );
  const detail = `${facts.join('; ')}${scanned}`;
  if (c.missingFields.length)
    return {
      name,
      status: 'fail',
      detail,
      fix: 'recreate the flow log with the LogFormat `egress setup --dry-run` prints.',
    };
  if (lag > STOPPED_AFTER || gaps.length) return { name, status: 'fail', detail, fix: FIX[c.kind] };
  return { name, status: 'ok', detail };
}

/** The data checks of the last 24 hours, one per table. */
export async function checkRecentData(engine: QueryEngine, now: number): Promise<CheckResult[]> {
  const window = { from: now - 86_400, to: now };
  try {
    const r = await engine.run('doctor-recent', { ...flowWindowParams(window), ...dnsWindowParams(window, 0) });
    const cost = r.stats.engine === 'athena' ? `, ${usd(r.stats.costUsd)}` : '';
    const scanned = ` (${engine.name} scanned ${r.stats.bytesScanned} bytes${cost})`;
    return (['flow', 'dns'] as const).map((kind) => {
      const c = r.coverage?.find((x) => x.kind === kind);
      if (c) return dataCheck(c, now, scanned);
      // An engine without coverage facts: whether any record arrived is all that is known.
      const any = Number(r.rows[0]?.[kind === 'flow' ? 'flow_records' : 'dns_records']) > 0;
      return any
        ? { name: NAMES[kind], status: 'ok' as const, detail: `records since ${isoSeconds(window.from)}${scanned}` }
        : {
            name: NAMES[kind],
            status: 'fail' as const,
            detail: `${NONE[kind]} since ${isoSeconds(window.from)}${scanned}`,
            fix: FIX[kind],
          };
    });
  } catch (err) {
    return [fail('log data (24 h)', err)];
  }
}
