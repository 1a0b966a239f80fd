import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { DuckDBConnection } from '@duckdb/node-api';
import { buildBloom } from './address-bloom.js';
import { type BatchTarget, batchTable, type Converted, release, rows } from './convert.js';
import type { LogObject } from './layout.js';
import { DNS_COLUMNS, q, rawDnsSource } from './source-sql.js';
import { LINES_KEPT, type ObjectSummary } from './summary.js';

const gunzipAsync = promisify(gunzip);
const n = Number;

/**
 * The same for a batch of resolver-log objects: every query as a row (answers kept as the list they are, so CNAME
 * chains stay intact), plus each object's summary. Lines that are not JSON documents are found by parsing the
 * object's lines (resolver objects are small), counted and named by line number.
 */
export async function convertDnsBatch(
  conn: DuckDBConnection,
  objs: readonly LogObject[],
  target?: BatchTarget,
): Promise<Converted[]> {
  await batchTable(conn, objs);
  const source = rawDnsSource(objs.map((o) => o.path)).replace(/\)$/, ', filename=true)');
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE egress_obj AS SELECT b.fid, b.day, r.* EXCLUDE (filename) FROM ${source} r ` +
      'JOIN egress_batch b ON b.filename = r.filename',
  );
  try {
    const files = target
      ? await target(
          (dir) =>
            conn
              .run(
                `COPY (SELECT ${Object.keys(DNS_COLUMNS).join(', ')}, day, fid FROM egress_obj WHERE query_timestamp IS NOT NULL ` +
                  `ORDER BY fid, query_timestamp) TO ${q(dir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (fid))`,
              )
              .then(() => undefined),
          (tmp) =>
            conn
              .run(
                `COPY (SELECT ${Object.keys(DNS_COLUMNS).join(', ')}, day FROM egress_obj WHERE false) TO ${q(tmp)} (FORMAT parquet)`,
              )
              .then(() => undefined),
        )
      : new Map<number, string>();
    const out: Converted[] = await Promise.all(
      objs.map(async (o, i) => ({
        summary: {
          minutes: [],
          skipData: [],
          noData: [],
          unreadable: await badJsonLines(o),
          addresses: buildBloom([]),
        },
        file: files.get(i),
      })),
    );
    const ts = 'CAST(epoch(TRY_CAST(query_timestamp AS TIMESTAMPTZ)) AS BIGINT)';
    for (const [fid, m, c, e] of await rows(
      conn,
      `SELECT fid, t - t % 60, count(*), max(t) FROM (SELECT fid, ${ts} AS t FROM egress_obj) WHERE t IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
    ))
      out[n(fid)]?.summary.minutes.push([n(m), n(c), n(e)]);
    // The addresses A/AAAA answers gave, as they are logged: a one-address names lookup skips the other objects.
    for (const [fid, list] of await rows(
      conn,
      `SELECT fid, list(DISTINCT a.Rdata) FROM (SELECT fid, unnest(answers) AS a FROM egress_obj) WHERE a.Type IN ('A', 'AAAA') AND a.Rdata IS NOT NULL GROUP BY 1`,
    )) {
      const s = out[n(fid)]?.summary;
      if (s) s.addresses = buildBloom(list as string[]);
    }
    return out;
  } finally {
    await release(conn);
  }
}

async function badJsonLines(o: LogObject): Promise<ObjectSummary['unreadable']> {
  const lines: number[] = [];
  let count = 0;
  const body = (await gunzipAsync(await readFile(o.path))).toString('utf8').split('\n');
  body.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      JSON.parse(line);
    } catch {
      count++;
      if (lines.length < LINES_KEPT) lines.push(i + 1);
    }
  });
  return { count, lines };
}
