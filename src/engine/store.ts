import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LogObject } from './layout.js';
import type { LogKind } from './types.js';

/** Bumped when the store's file layout or conversion changes, so old files are never read as new ones. */
const STORE_VERSION = 1;

/** One store file on disk. */
export interface StoreFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/**
 * The incremental columnar store: one Parquet file (written by DuckDB) per immutable log object, named by a hash of
 * the object's (key, size, mtime) and the store schema, so an object replaced by `aws s3 sync` maps to a new file and
 * the old one ages out. Files are written under a temporary name and renamed into place (atomic on one file system):
 * two processes converting the same object at once each write their own temporary file and the last rename wins
 * with identical content; a reader never sees half a file. Bounded by `maxBytes`, least recently used evicted (reads
 * touch the file's mtime).
 */
export class ColumnStore {
  private readonly dirs: Record<LogKind, string>;
  private writable: boolean | undefined;
  /** Why the store could not be written (unwritable or full directory), once known. */
  problem: string | undefined;

  constructor(
    readonly root: string,
    readonly maxBytes: number,
    schemas: Record<LogKind, string>,
  ) {
    const id = (k: LogKind) =>
      `${k}-v${STORE_VERSION}-${createHash('sha256').update(schemas[k]).digest('hex').slice(0, 12)}`;
    this.dirs = { flow: path.join(root, id('flow')), dns: path.join(root, id('dns')) };
  }

  /** The store file of an object (whether or not it exists yet). */
  fileFor(kind: LogKind, o: Pick<LogObject, 'key' | 'size' | 'mtimeMs'>): string {
    const h = createHash('sha256')
      .update(`${o.key}\n${o.size}\n${Math.round(o.mtimeMs)}`)
      .digest('hex');
    return path.join(this.dirs[kind], h.slice(0, 2), `${h.slice(2, 34)}.parquet`);
  }

  /** Whether the store file of `o` exists (a complete file: only finished files carry the final name). */
  async has(kind: LogKind, o: LogObject): Promise<boolean> {
    return stat(this.fileFor(kind, o)).then(
      (s) => s.isFile() && s.size > 0,
      () => false,
    );
  }

  /** Checks once that the directory can be written; false (with {@link problem}) when it cannot. */
  async canWrite(): Promise<boolean> {
    if (this.writable !== undefined) return this.writable;
    try {
      await mkdir(this.root, { recursive: true });
      const probe = path.join(this.root, `.probe-${process.pid}-${randomBytes(4).toString('hex')}`);
      await writeFile(probe, 'x');
      await unlink(probe);
      this.writable = true;
    } catch (err) {
      this.fail(err as Error);
    }
    return this.writable as boolean;
  }

  /** Marks the store unusable for writing in this process (e.g. the disk filled up mid-conversion). */
  fail(err: Error): void {
    this.writable = false;
    this.problem ??= `the columnar store in ${this.root} cannot be written (${err.message.split('\n')[0]}); read the logs raw`;
  }

  /**
   * Writes the store file of `o` through `write(tmpPath)` (DuckDB's COPY … TO), then renames it into place. A failed
   * write leaves no file behind under the final name.
   */
  async put(kind: LogKind, o: LogObject, write: (tmp: string) => Promise<void>): Promise<string> {
    const file = this.fileFor(kind, o);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await write(tmp);
      await rename(tmp, file);
    } finally {
      await rm(tmp, { force: true });
    }
    return file;
  }

  /**
   * Writes the store files of a batch: `write(dir)` fills a private temporary folder with one `fid=N/data_0.parquet`
   * per object (DuckDB's partitioned COPY), each then renamed into place; an object without a file there gets an
   * empty one from `empty(tmp)`. Returns each object's file by batch position.
   */
  async putMany(
    kind: LogKind,
    objs: readonly LogObject[],
    write: (dir: string) => Promise<void>,
    empty: (tmp: string) => Promise<void>,
  ): Promise<Map<number, string>> {
    const dir = path.join(this.root, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    const out = new Map<number, string>();
    await mkdir(this.root, { recursive: true });
    try {
      await write(dir);
      for (const [i, o] of objs.entries()) {
        const file = this.fileFor(kind, o);
        await mkdir(path.dirname(file), { recursive: true });
        const parts = await readdir(path.join(dir, `fid=${i}`)).catch(() => [] as string[]);
        if (parts.length > 1) throw new Error(`store: the partitioned write split ${o.key} into ${parts.length} files`);
        if (parts.length === 1) await rename(path.join(dir, `fid=${i}`, parts[0] as string), file);
        else await this.put(kind, o, empty);
        out.set(i, file);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return out;
  }

  /** Marks files as just used, for least-recently-used eviction. */
  async touch(files: readonly string[]): Promise<void> {
    const now = new Date();
    await Promise.all(files.map((f) => utimes(f, now, now).catch(() => undefined)));
  }

  /** Every finished store file (all schemas and kinds), oldest use first. */
  async files(): Promise<StoreFile[]> {
    const out: StoreFile[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.name.endsWith('.parquet')) {
          const s = await stat(p).catch(() => undefined);
          if (s) out.push({ path: p, size: s.size, mtimeMs: s.mtimeMs });
        }
      }
    };
    await walk(this.root);
    return out.sort((a, b) => a.mtimeMs - b.mtimeMs);
  }

  /** Evicts least recently used files until the store is within `maxBytes`; returns the bytes removed. */
  async evict(keep: ReadonlySet<string> = new Set()): Promise<number> {
    const files = await this.files();
    let total = files.reduce((s, f) => s + f.size, 0);
    let removed = 0;
    for (const f of files) {
      if (total <= this.maxBytes) break;
      if (keep.has(f.path)) continue;
      await unlink(f.path).catch(() => undefined);
      total -= f.size;
      removed += f.size;
    }
    return removed;
  }

  /** Removes every store file (all schemas): `egress cache clear`. */
  async clear(): Promise<{ files: number; bytes: number }> {
    const files = await this.files();
    for (const f of files) await unlink(f.path).catch(() => undefined);
    return { files: files.length, bytes: files.reduce((s, f) => s + f.size, 0) };
  }
}
