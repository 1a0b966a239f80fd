import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { DUCK_TYPE } from '../../src/engine/source-sql.js';
import { columnName, FLOW_LOG_FIELDS } from '../../src/flowlogs/fields.js';
import { ACCOUNT_ID, FLOW_LOG_ID, REGION, VPC_ID } from './constants.js';

const gzipAsync = promisify(gzip);

/** `20261120T1205Z`: the timestamp AWS puts in an object's name (its delivery time). */
export function keyStamp(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/[-:]/g, '').slice(0, 13).concat('Z');
}

/** `YYYY/MM/DD` of the delivery time: AWS files an object under the day it was delivered, not the day it covers. */
function datePath(epoch: number): string {
  return new Date(epoch * 1000).toISOString().slice(0, 10).replace(/-/g, '/');
}

/** S3 key of a flow-log object delivered at `delivery` (with `perHour`, under an `HH/` folder of its day). */
export function flowKey(delivery: number, suffix: string, perHour = false): string {
  const hour = perHour ? `/${new Date(delivery * 1000).toISOString().slice(11, 13)}` : '';
  const prefix = `AWSLogs/${ACCOUNT_ID}/vpcflowlogs/${REGION}/${datePath(delivery)}${hour}`;
  return `${prefix}/${ACCOUNT_ID}_vpcflowlogs_${REGION}_${FLOW_LOG_ID}_${keyStamp(delivery)}_${suffix}.log.gz`;
}

/** S3 key of a Resolver query-log object delivered at `delivery`. */
export function dnsKey(delivery: number, suffix: string): string {
  const prefix = `AWSLogs/${ACCOUNT_ID}/vpcdnsquerylogs/${VPC_ID}/${datePath(delivery)}`;
  return `${prefix}/${ACCOUNT_ID}_vpcdnsquerylogs_${VPC_ID}_${keyStamp(delivery)}_${suffix}.log.gz`;
}

/**
 * Gzips `text` into `root/key`. Node's gzip header carries mtime 0 and no file name, so the bytes depend on the
 * content only; compression runs on the libuv pool, which lets several objects compress while the next is built.
 */
export async function writeGzip(root: string, key: string, text: string, level: number): Promise<void> {
  const path = join(root, key);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await gzipAsync(Buffer.from(text, 'utf8'), { level }));
}

/**
 * Writes a flow-log object as AWS does with `FileFormat=parquet`: one Parquet file (gzip-compressed pages), columns
 * named after the fields with `-` → `_` and typed as AWS types them (int32, int64, string). DuckDB converts the same
 * text the gzip writer would write, so both formats hold exactly the same records.
 */
export async function writeParquet(root: string, key: string, fields: readonly string[], text: string): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const path = join(root, key);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.txt`;
  await writeFile(tmp, text);
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await db.connect();
  const type = (f: string) => DUCK_TYPE[FLOW_LOG_FIELDS[f] ?? 'string'];
  const columns = fields.map((f) => `'${columnName(f)}': '${type(f)}'`).join(', ');
  try {
    await conn.run(
      `COPY (SELECT * FROM read_csv('${tmp}', delim=' ', header=true, columns={${columns}}, nullstr='-', ` +
        `auto_detect=false, quote='', escape='')) TO '${path}' (FORMAT parquet, COMPRESSION gzip)`,
    );
  } finally {
    conn.closeSync();
    db.closeSync();
    await rm(tmp, { force: true });
  }
}

export { mapLimit } from '../../src/util/map-limit.js';
