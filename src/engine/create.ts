import { stat } from 'node:fs/promises';
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import type { AthenaRunner } from './athena-runner.js';
import type { QueryEngine } from './types.js';

/** Which engine, over which data. */
export interface EngineChoice {
  engine: 'duckdb' | 'athena';
  /** The local mirror for DuckDB (default `EGRESS_DATA_DIR`). */
  dataDir?: string;
  /** The shared Athena runner (its SDK client is closed by whoever built it). */
  athena?: () => Promise<AthenaRunner>;
}

/** Builds the engine the config and flags select; only that engine's modules are loaded. */
export async function createEngine(config: Config, o: EngineChoice): Promise<QueryEngine> {
  if (o.engine === 'athena') {
    const { createAthenaEngine } = await import('./athena-factory.js');
    return createAthenaEngine(config, o.athena ? { runner: await o.athena() } : {});
  }
  const dataDir = o.dataDir ?? config.EGRESS_DATA_DIR;
  if (!dataDir) {
    throw new UserError(
      'NO_DATA_DIR',
      'No log data configured: pass --data DIR (a local mirror from `aws s3 sync s3://bucket/prefix DIR`), set EGRESS_DATA_DIR, or use --engine athena.',
    );
  }
  const st = await stat(dataDir).catch(() => undefined);
  if (!st?.isDirectory()) {
    throw new UserError(
      'NO_DATA_DIR',
      `Data directory ${dataDir} does not exist. Pass --data DIR pointing at a mirror of the log bucket (it contains AWSLogs/).`,
    );
  }
  const { createDuckDbEngine } = await import('./duckdb-factory.js');
  return createDuckDbEngine(config, dataDir);
}
