import type { DuckDBConnection } from '@duckdb/node-api';
import { columnName } from '../flowlogs/fields.js';
import { buildBloom } from './address-bloom.js';
import type { LogObject } from './layout.js';
import { isParquet, q, rawFlowSource, typeOf } from './source-sql.js';
import { LINES_KEPT, type ObjectSummary } from './summary.js';

/** Rows per Parquet row group of a store file: small enough that a time or address predicate skips most of them. */
export const STORE_ROW_GROUP = 4096;

/**
 * Writes store files: `write(dir)` runs a partitioned COPY into `dir` (one `fid=N/` folder per object); `empty(tmp)`
 * writes an empty file for an object that had no row to store. Returns each object's final file by batch position.
 */
export type BatchTarget = (
  write: (dir: string) => Promise<void>,
  empty: (tmp: string) => Promise<void>,
) => Promise<Map<number, string>>;

/** What reading one object whole found, and the store file written for it. */
export interface Converted {
  summary: ObjectSummary;
  file?: string;
}

/** `YYYY-MM-DD` (or a `YYYY-MM-DDTHH` day parameter) → the DuckDB views' `day` partition value `YYYY/MM/DD`. */
export const duckDay = (day: string) => day.slice(0, 10).replace(/-/g, '/');

/** Fields the summary reads besides the store's columns. */
const SUMMARY_FIELDS = ['start', 'end', 'log-status', 'pkt-srcaddr', 'pkt-dstaddr'];

const n = Number;
const col = (f: string) => `"${columnName(f)}"`;

/** The batch's object list as a temp table `(fid, filename, day)`, joined to each read record by file name. */
export async function batchTable(conn: DuckDBConnection, objs: readonly LogObject[]): Promise<void> {
  const values = objs.map((o, i) => `(${i}, ${q(o.path)}, ${q(duckDay(o.day))})`).join(', ');
  await conn.run(`CREATE OR REPLACE TEMP TABLE egress_batch AS SELECT * FROM (VALUES ${values}) t(fid, filename, day)`);
}

export async function rows(conn: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await conn.runAndReadAll(sql)).getRowsJS() as unknown[][];
}

/**
 * Reads a batch of flow-log objects that share one field list (and format) whole, once, in one DuckDB scan over all
 * of them (DuckDB spreads the objects over its threads): each object's summary always, and with `target` its store
 * file — only the NAT-translated legs (what the store-served queries read), the columns `storeCols`. Unreadable lines are counted (DuckDB's rejects table), never fatal. Throws when an object itself
 * cannot be read (the caller then converts one by one to find it) or a store file cannot be written.
 */
export async function convertFlowBatch(
  conn: DuckDBConnection,
  objs: readonly LogObject[],
  fields: readonly string[],
  storeCols: readonly string[],
  target?: BatchTarget,
): Promise<Converted[]> {
  const text = !isParquet(objs[0]?.path ?? '');
  const has = (f: string) => fields.includes(f);
  const read = [...new Set([...storeCols, ...SUMMARY_FIELDS])].filter(has);
  await batchTable(conn, objs);
  // This batch's own rejects tables (DuckDB keeps them per connection; the connection ends with the reading).
  const rej = `egress_rej_${++batches}`;
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE egress_obj AS SELECT b.fid, b.day, ${read.map((f) => `r.${col(f)}`).join(', ')} ` +
      `FROM ${rawFlowSource(
        objs.map((o) => o.path),
        fields,
        text,
      ).replace(
        'store_rejects=true',
        `store_rejects=true, rejects_table='${rej}_errors', rejects_scan='${rej}_scans'`,
      )} r ` +
      'JOIN egress_batch b ON b.filename = r.filename',
  );
  try {
    const project = storeCols.map((f) => (has(f) ? col(f) : `CAST(NULL AS ${typeOf(f)}) AS ${col(f)}`)).join(', ');
    const files = target
      ? await target(
          (dir) =>
            conn
              .run(
                `COPY (SELECT * FROM (SELECT ${project}, day, fid FROM egress_obj) ` +
                  'WHERE (srcaddr <> pkt_srcaddr OR dstaddr <> pkt_dstaddr) ) ' +
                  `TO ${q(dir)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${STORE_ROW_GROUP}, PARTITION_BY (fid))`,
              )
              .then(() => undefined),
          (tmp) =>
            conn
              .run(`COPY (SELECT ${project}, day FROM egress_obj WHERE false) TO ${q(tmp)} (FORMAT parquet)`)
              .then(() => undefined),
        )
      : new Map<number, string>();
    const out: Converted[] = objs.map((_, i) => ({
      summary: {
        minutes: [],
        skipData: [],
        noData: [],
        unreadable: { count: 0, lines: [] },
        addresses: buildBloom([]),
      },
      file: files.get(i),
    }));
    const at = (fid: unknown) => out[n(fid)]?.summary as ObjectSummary;
    if (has('start')) {
      const end = has('end') ? 'coalesce("end", "start")' : '"start"';
      for (const [fid, m, c, e] of await rows(
        conn,
        `SELECT fid, "start" - "start" % 60, count(*), max(${end}) FROM egress_obj WHERE "start" IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
      ))
        at(fid).minutes.push([n(m), n(c), n(e)]);
    }
    if (has('start') && has('log-status')) {
      for (const [fid, s, st] of await rows(
        conn,
        `SELECT fid, "start", log_status FROM egress_obj WHERE log_status IN ('SKIPDATA', 'NODATA') ORDER BY 1, 2`,
      ))
        (st === 'SKIPDATA' ? at(fid).skipData : at(fid).noData).push(n(s));
    }
    const addrs = ['pkt-srcaddr', 'pkt-dstaddr'].filter(has).map((f) => `SELECT fid, ${col(f)} AS a FROM egress_obj`);
    if (addrs.length) {
      for (const [fid, list] of await rows(
        conn,
        `SELECT fid, list(DISTINCT a) FROM (${addrs.join(' UNION ALL ')}) WHERE a IS NOT NULL GROUP BY 1`,
      ))
        at(fid).addresses = buildBloom(list as string[]);
    }
    if (text) {
      for (const [fid, c, lines] of await rows(
        conn,
        `SELECT b.fid, count(DISTINCT e.line), list(DISTINCT e.line ORDER BY e.line) FROM ${rej}_errors e ` +
          `JOIN ${rej}_scans s ON s.scan_id = e.scan_id AND s.file_id = e.file_id JOIN egress_batch b ON b.filename = s.file_path GROUP BY 1`,
      ))
        at(fid).unreadable = { count: n(c), lines: (lines as unknown[]).slice(0, LINES_KEPT).map(n) };
    }
    return out;
  } finally {
    await release(conn);
  }
}

let batches = 0;

/** Empties the batch's temp table (its memory), keeping the connection usable for the next batch. */
export function release(conn: DuckDBConnection): Promise<unknown> {
  return conn.run('CREATE OR REPLACE TEMP TABLE egress_obj AS SELECT 1 AS done');
}
