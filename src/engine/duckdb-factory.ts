import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';
import { DuckDbEngine } from './duckdb.js';

/** Where per-mirror caches live: `EGRESS_CACHE_DIR`, else a folder in the system temp dir. */
export function cacheRoot(config: Pick<Config, 'EGRESS_CACHE_DIR'>): string {
  return config.EGRESS_CACHE_DIR ?? join(tmpdir(), 'egress-cache');
}

/** The columnar store's directory (shared by every mirror: files are named by object key, size and mtime). */
export function storeDir(config: Pick<Config, 'EGRESS_CACHE_DIR'>): string {
  return join(cacheRoot(config), 'store');
}

/**
 * The embedded engine over a local mirror. Objects are immutable, so their headers and summaries are cached between
 * CLI runs — outside the mirror, since `aws s3 sync --delete` would remove a file inside it — keyed by the mirror's
 * path; the columnar store lives beside that index unless `EGRESS_CACHE=off`.
 */
export function createDuckDbEngine(
  config: Pick<Config, 'EGRESS_CACHE_DIR' | 'EGRESS_CACHE' | 'EGRESS_CACHE_MAX_BYTES'>,
  dataDir: string,
): Promise<DuckDbEngine> {
  const id = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  return DuckDbEngine.create({
    dataDir,
    indexFile: join(cacheRoot(config), `${id}.json`),
    store:
      config.EGRESS_CACHE === 'on' ? { dir: storeDir(config), maxBytes: config.EGRESS_CACHE_MAX_BYTES } : undefined,
  });
}
