import type { DuckDBConnection } from '@duckdb/node-api';
import { duckDay } from './convert.js';
import type { TablePlan } from './duckdb-plan.js';
import type { LogKind } from './layout.js';
import type { EngineStats } from './types.js';
import { dnsViewSql, type FlowGroup, flowViewSql } from './views.js';

/** Creates the temp views for this connection over the plans' raw objects and store files. */
export async function mapTables(
  conn: DuckDBConnection,
  plans: Map<LogKind, TablePlan>,
  storeFields: string[],
): Promise<void> {
  const flow = plans.get('flow');
  if (flow) {
    const groups = new Map<string, FlowGroup>();
    for (const { obj, fields } of flow.raw) {
      // Text and Parquet objects need different readers even with the same fields.
      const id = `${obj.path.endsWith('.parquet') ? 'p' : 't'}|${fields.join(' ')}`;
      const g = groups.get(id) ?? { fields, paths: [] };
      g.paths.push(obj.path);
      groups.set(id, g);
    }
    const sorted = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, g]) => g);
    for (const g of sorted) g.paths.sort();
    const store = { paths: [...flow.store].sort(), fields: storeFields };
    await conn.run(`CREATE OR REPLACE TEMP VIEW vpc_flow_logs_nat AS ${flowViewSql(sorted, store)}`);
  }
  const dns = plans.get('dns');
  if (dns) {
    const byDay = new Map<string, string[]>();
    for (const { obj } of dns.raw) {
      byDay.set(obj.day, [...(byDay.get(obj.day) ?? []), obj.path]);
    }
    for (const paths of byDay.values()) paths.sort();
    const groups = [...byDay.entries()].sort().map(([day, paths]) => ({ day: duckDay(day), paths }));
    await conn.run(`CREATE OR REPLACE TEMP VIEW resolver_query_logs AS ${dnsViewSql(groups, [...dns.store].sort())}`);
  }
}

/**
 * The stats of one DuckDB query: the log objects whose records it read and their compressed bytes — a store file
 * stands for its object, as Athena counts the objects it scans — and where each was read from.
 */
export function statsOf(plans: TablePlan[], started: number): EngineStats {
  const sum = (f: (p: TablePlan) => number) => plans.reduce((s, p) => s + f(p), 0);
  return {
    engine: 'duckdb',
    bytesScanned: sum((p) => p.storeBytes + p.raw.reduce((n, r) => n + r.obj.size, 0)),
    costUsd: 0,
    reused: false,
    queryExecutionIds: [],
    objectsRead: sum((p) => p.raw.length + p.store.length),
    elapsedMs: Date.now() - started,
    cache: {
      fromStore: sum((p) => p.fromStore),
      convertedNow: sum((p) => p.convertedNow),
      readRaw: sum((p) => p.raw.length),
    },
  };
}
