import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { DuckDBConnection } from '@duckdb/node-api';
import { columnName } from '../flowlogs/fields.js';
import type { LogObject } from './layout.js';
import { DNS_COLUMNS, isParquet, q, rawDnsSource, rawFlowSource, typeOf } from './source-sql.js';
import { LINES_KEPT, type ObjectSummary } from './summary.js';

const gunzipAsync = promisify(gunzip);

/** Rows per Parquet row group of a store file: small enough that a time or address predicate skips most of them. */
export const STORE_ROW_GROUP = 4096;

/** Where a conversion writes the store file (a temporary path the store renames into place). */
export type StoreTarget = (write: (tmp: string) => Promise<void>) => Promise<string>;

const num = (v: unknown) => Number(v);

/** `YYYY-MM-DD` → the tables' `day` partition value `YYYY/MM/DD`. */
export const duckDay = (day: string) => day.replace(/-/g, '/');

/** The columns a store flow file holds: `cols` typed, absent ones NULL of their type, plus `day`. */
function storeProjection(cols: readonly string[], fields: readonly string[], day: string): string {
  return [
    ...cols.map((f) =>
      fields.includes(f) ? `"${columnName(f)}"` : `CAST(NULL AS ${typeOf(f)}) AS "${columnName(f)}"`,
    ),
    `${q(duckDay(day))} AS day`,
  ].join(', ');
}

/**
 * Reads one flow-log object whole, once: its per-object summary always, and, with `target`, its store file — only
 * the NAT-translated legs (what the store-served queries read), the columns `storeCols`, sorted by the address pair
 * so equal addresses share row groups (min/max statistics and DuckDB's Parquet bloom filters then skip the rest).
 * Unreadable lines are counted (DuckDB's rejects table), never fatal. Throws only when the object itself cannot be
 * read (corrupt gzip/Parquet) or the store file cannot be written.
 */
export async function convertFlow(
  conn: DuckDBConnection,
  obj: LogObject,
  fields: readonly string[],
  storeCols: readonly string[],
  target?: StoreTarget,
): Promise<{ summary: ObjectSummary; file?: string }> {
  const text = !isParquet(obj.path);
  await conn.run('DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans;');
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE egress_obj AS SELECT * EXCLUDE (filename) FROM ${rawFlowSource([obj.path], fields, text)}`,
  );
  try {
    let file: string | undefined;
    if (target) {
      file = await target((tmp) =>
        conn
          .run(
            `COPY (SELECT * FROM (SELECT ${storeProjection(storeCols, fields, obj.day)} FROM egress_obj) ` +
              'WHERE (srcaddr <> pkt_srcaddr OR dstaddr <> pkt_dstaddr) ORDER BY pkt_dstaddr, pkt_srcaddr, "start") ' +
              `TO ${q(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${STORE_ROW_GROUP})`,
          )
          .then(() => undefined),
      );
    }
    const has = (f: string) => fields.includes(f);
    const minutes = has('start')
      ? await rows(
          conn,
          `SELECT "start" - "start" % 60, count(*), max(${has('end') ? 'coalesce("end", "start")' : '"start"'}) ` +
            'FROM egress_obj WHERE "start" IS NOT NULL GROUP BY 1 ORDER BY 1',
        )
      : [];
    const status =
      has('log-status') && has('start')
        ? await rows(conn, `SELECT "start", log_status FROM egress_obj WHERE log_status IN ('SKIPDATA', 'NODATA')`)
        : [];
    const bad = text
      ? ((await rows(conn, 'SELECT count(DISTINCT line), list(DISTINCT line ORDER BY line) FROM reject_errors'))[0] ?? [
          0,
          [],
        ])
      : [0, []];
    const summary: ObjectSummary = {
      minutes: minutes.map((r) => [num(r[0]), num(r[1]), num(r[2])]),
      skipData: status.filter((r) => r[1] === 'SKIPDATA').map((r) => num(r[0])),
      noData: status.filter((r) => r[1] === 'NODATA').map((r) => num(r[0])),
      unreadable: { count: num(bad[0]), lines: ((bad[1] as unknown[]) ?? []).slice(0, LINES_KEPT).map(num) },
    };
    return { summary, file };
  } finally {
    await conn.run('DROP TABLE IF EXISTS egress_obj');
  }
}

/**
 * The same for one resolver-log object: every query as a row (answers kept as the list they are, so CNAME chains
 * stay intact), plus its summary. Lines that are not JSON documents are found by parsing the object's lines (the
 * objects are small), counted and named by line number.
 */
export async function convertDns(
  conn: DuckDBConnection,
  obj: LogObject,
  target?: StoreTarget,
): Promise<{ summary: ObjectSummary; file?: string }> {
  const ts = 'epoch(TRY_CAST(query_timestamp AS TIMESTAMPTZ))';
  await conn.run(`CREATE OR REPLACE TEMP TABLE egress_obj AS SELECT * FROM ${rawDnsSource([obj.path])}`);
  try {
    let file: string | undefined;
    if (target) {
      file = await target((tmp) =>
        conn
          .run(
            `COPY (SELECT ${Object.keys(DNS_COLUMNS).join(', ')}, ${q(duckDay(obj.day))} AS day FROM egress_obj ` +
              `WHERE query_timestamp IS NOT NULL) TO ${q(tmp)} (FORMAT parquet, COMPRESSION zstd)`,
          )
          .then(() => undefined),
      );
    }
    const minutes = await rows(
      conn,
      `SELECT m - m % 60, count(*), max(m) FROM (SELECT CAST(${ts} AS BIGINT) AS m FROM egress_obj) WHERE m IS NOT NULL GROUP BY 1 ORDER BY 1`,
    );
    const lines: number[] = [];
    let count = 0;
    const body = (await gunzipAsync(await readFile(obj.path))).toString('utf8').split('\n');
    body.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        JSON.parse(line);
      } catch {
        count++;
        if (lines.length < LINES_KEPT) lines.push(i + 1);
      }
    });
    const summary: ObjectSummary = {
      minutes: minutes.map((r) => [num(r[0]), num(r[1]), num(r[2])]),
      skipData: [],
      noData: [],
      unreadable: { count, lines },
    };
    return { summary, file };
  } finally {
    await conn.run('DROP TABLE IF EXISTS egress_obj');
  }
}

async function rows(conn: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await conn.runAndReadAll(sql)).getRowsJS() as unknown[][];
}
