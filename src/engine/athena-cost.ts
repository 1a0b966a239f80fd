import type { QueryExecution } from '@aws-sdk/client-athena';
import type { EngineStats } from './types.js';

/** What Athena bills for a query (SQL-based engine pricing: per byte scanned). */

const MB = 1024 * 1024;
/** Athena bills at least 10 MB per query, rounded up to whole megabytes. */
export const MIN_BILLED_BYTES = 10 * MB;

/**
 * Cost of one query: max(bytes, 10 MB) rounded up to whole MB, times the price per TB (binary: 2^40 bytes). Reused
 * results and DDL are free.
 */
export function athenaCostUsd(bytes: number, pricePerTb: number, billed = true): number {
  if (!billed) return 0;
  const billedBytes = Math.ceil(Math.max(bytes, MIN_BILLED_BYTES) / MB) * MB;
  return (billedBytes * pricePerTb) / 2 ** 40;
}

/** What one finished statement scanned, cost and took, from its QueryExecution statistics. */
export function statementStats(id: string, qe: QueryExecution, pricePerTb: number, elapsedMs: number): EngineStats {
  const s = qe.Statistics ?? {};
  const bytes = s.DataScannedInBytes ?? 0;
  const reused = s.ResultReuseInformation?.ReusedPreviousResult ?? false;
  return {
    engine: 'athena',
    bytesScanned: bytes,
    costUsd: athenaCostUsd(bytes, pricePerTb, !reused && (qe.StatementType ?? 'DML') === 'DML'),
    reused,
    queryExecutionIds: [id],
    elapsedMs,
    engineMs: s.EngineExecutionTimeInMillis,
    queueMs: s.QueryQueueTimeInMillis,
  };
}
