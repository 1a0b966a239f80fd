import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import type { QueryEngine } from './types.js';

/** Builds the Athena engine from config (filled in by the Athena engine module). */
export async function createAthenaEngine(_config: Config): Promise<QueryEngine> {
  throw new UserError('CONFIG', 'The Athena engine is not built into this version; use --engine duckdb with --data DIR.');
}
