import type { DuckDBInstance, DuckDBPreparedStatement } from '@duckdb/node-api';
import { CorruptObjectError, PermanentError, UserError } from '../errors.js';
import type { Window } from '../flowlogs/window.js';
import { isoSeconds } from '../flowlogs/window.js';
import { mapLimit } from '../util/map-limit.js';
import type { LogKind, LogObject } from './layout.js';
import { verifyGzip } from './object-header.js';
import { q } from './source-sql.js';
import type { Params, ResultRow, SkippedObject } from './types.js';

export function noObjectsWarning(dataDir: string, kind: LogKind, range: Window): string {
  const what = kind === 'flow' ? 'flow-log' : 'resolver query-log';
  const where =
    kind === 'flow'
      ? 'AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/'
      : 'AWSLogs/<account>/vpcdnsquerylogs/<vpc>/YYYY/MM/DD/';
  return `no ${what} objects in ${dataDir} cover ${isoSeconds(range.from)} → ${isoSeconds(range.to)} (looked under ${where}); sync the bucket or pick another window`;
}

export function windowOf(params: Params, from: string, to: string): Window {
  const f = params[from]?.value;
  const t = params[to]?.value;
  if (typeof f !== 'number' || typeof t !== 'number') throw new UserError('BAD_PARAMETER', `missing ${from}/${to}`);
  return { from: f, to: t };
}

export function bindAll(stmt: DuckDBPreparedStatement, values: Array<{ type: string; value: string | number }>): void {
  values.forEach((v, i) => {
    if (v.type === 'epoch' || v.type === 'int') stmt.bindBigInt(i + 1, BigInt(v.value));
    else stmt.bindVarchar(i + 1, String(v.value));
  });
}

/** DuckDB hands back bigint/decimal objects; the rest of the product keeps integers as JS numbers. */
export function toPlainRow(row: Record<string, unknown>): ResultRow {
  const out: ResultRow = {};
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === 'bigint') out[k] = Number(v);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) out[k] = Number(String(v));
    else out[k] = v as ResultRow[string];
  }
  return out;
}

/** After a read error: objects named in the message, plus any that fail a full gzip check. */
export async function findBadObjects(objects: LogObject[], err: Error): Promise<SkippedObject[]> {
  const msg = err.message;
  if (!/CSV Error|Malformed JSON|gzip|decompress|Invalid Input|IO Error|Conversion Error|parquet/i.test(msg)) return [];
  const firstLine = msg.split('\n')[0] as string;
  const named = objects.filter((o) => msg.includes(o.path));
  const bad: SkippedObject[] = named.map((o) => ({ key: o.key, reason: `unreadable: ${firstLine}` }));
  const rest = objects.filter((o) => !named.includes(o) && !o.path.endsWith('.parquet'));
  await mapLimit(rest, 4, async (o) => {
    const why = await verifyGzip(o.path);
    if (why) bad.push({ key: o.key, reason: why });
  });
  return bad;
}

export function wrapError(err: Error): Error {
  if (err instanceof UserError || err instanceof CorruptObjectError) return err;
  return new PermanentError('QUERY_FAILED', `The embedded query engine failed: ${err.message.split('\n')[0]}`, {
    cause: err,
  });
}

/** Column names of a Parquet object, from its footer. */
export async function parquetColumns(db: DuckDBInstance, path: string): Promise<string[]> {
  const conn = await db.connect();
  try {
    const r = await conn.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(${q(path)}))`);
    return r.getRowsJS().map((row) => String(row[0]));
  } finally {
    conn.closeSync();
  }
}
