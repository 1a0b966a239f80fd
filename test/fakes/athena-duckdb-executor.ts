import { DuckDBInstance } from '@duckdb/node-api';
import type { SqlExecutor, SqlResult } from './athena-api.js';

// DuckDB names → Athena names; anything missing falls back to DuckDB's lower-cased name.
const TYPE_NAMES: Record<string, string> = {
  VARCHAR: 'varchar',
  BIGINT: 'bigint',
  INTEGER: 'integer',
  SMALLINT: 'smallint',
  TINYINT: 'tinyint',
  DOUBLE: 'double',
  FLOAT: 'real',
  BOOLEAN: 'boolean',
  TIMESTAMP: 'timestamp',
  DATE: 'date',
  HUGEINT: 'decimal(38,0)',
};

/** Maps a DuckDB type string (`VARCHAR[]`, `DECIMAL(2,1)`, …) to the Athena type name. */
export function athenaTypeName(duckType: string): string {
  if (duckType.endsWith('[]')) return `array(${athenaTypeName(duckType.slice(0, -2))})`;
  return TYPE_NAMES[duckType] ?? duckType.toLowerCase();
}

/** A DuckDB-backed executor plus a way to release the database. */
export interface DuckDbExecutor {
  execute: SqlExecutor;
  /** Statements the executor was asked to run, in order. */
  statements: string[];
  close(): void;
}

/**
 * An in-memory DuckDB executor for exercising the Athena fake: enough SQL overlap with
 * Trino for protocol tests. Hive-only DDL (`CREATE EXTERNAL TABLE`, `MSCK`) succeeds as a
 * no-op and `CREATE DATABASE` becomes `CREATE SCHEMA`, since DuckDB has neither.
 */
export async function createDuckDbExecutor(opts: { bytesScanned?: number } = {}): Promise<DuckDbExecutor> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const statements: string[] = [];
  const execute: SqlExecutor = async (sql, { signal }) => {
    statements.push(sql);
    if (/^\s*(CREATE\s+EXTERNAL\s+TABLE|MSCK)\b/i.test(sql)) return { columns: [], rows: [], bytesScanned: 0 };
    const translated = sql.replace(/^\s*CREATE\s+DATABASE\b/i, 'CREATE SCHEMA');
    // Interrupt rather than wait, so a cancelled query frees the connection at once.
    const onAbort = () => conn.interrupt();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const reader = await conn.runAndReadAll(translated);
      const types = reader.columnTypes();
      const result: SqlResult = {
        columns: reader.columnNames().map((name, i) => ({ name, type: athenaTypeName(String(types[i])) })),
        rows: reader.getRows().map((row) => row.map((v) => (v === null ? null : String(v)))),
        bytesScanned: opts.bytesScanned ?? 4096,
      };
      return result;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };
  return {
    execute,
    statements,
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
