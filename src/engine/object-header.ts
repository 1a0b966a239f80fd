import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseHeader } from '../flowlogs/fields.js';
import type { LogObject } from './layout.js';
import type { ObjectSummary } from './summary.js';

/** What the engine learned about an object before reading it: its field order, or why it cannot be read. */
export type HeaderResult = { ok: true; fields: string[] } | { ok: false; reason: string };

/**
 * Header and integrity facts per object, cached in memory and (optionally) in a JSON file outside the mirror: log
 * objects are immutable once delivered, so (key, size, mtime) identifies what was inspected. The CLI is a fresh
 * process per question; without the file every question would re-open every object of the window first.
 */
interface Entry {
  size: number;
  mtimeMs: number;
  result: HeaderResult;
  /** Filled by the pass that read the object whole (store conversion or summary pass). */
  summary?: ObjectSummary;
}

/** Bumped when an entry's shape changes: an index file of another version is rebuilt (3: resolver summaries gained their address filter). */
const INDEX_VERSION = 3;

/** Column names of a Parquet object (read through the engine's DuckDB). */
export type ParquetColumns = (path: string) => Promise<string[]>;

export class ObjectIndex {
  private readonly entries = new Map<string, Entry>();
  private dirty = false;

  constructor(
    private readonly cacheFile?: string,
    private readonly parquetColumns?: ParquetColumns,
  ) {}

  /** Loads the cache file if there is one; a missing or unreadable cache is simply empty. */
  async load(): Promise<void> {
    if (!this.cacheFile) return;
    try {
      const data = JSON.parse(await readFile(this.cacheFile, 'utf8')) as {
        version?: number;
        entries?: Record<string, Entry>;
      };
      if (data.version !== INDEX_VERSION) return;
      for (const [k, v] of Object.entries(data.entries ?? {})) this.entries.set(k, v);
    } catch {
      // first run, or a cache from an incompatible version: rebuild it
    }
  }

  /** Writes the cache file when something new was learned. */
  async save(): Promise<void> {
    if (!this.cacheFile || !this.dirty) return;
    await mkdir(path.dirname(this.cacheFile), { recursive: true });
    const tmp = `${this.cacheFile}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ version: INDEX_VERSION, entries: Object.fromEntries(this.entries) }));
    await import('node:fs/promises').then((fs) => fs.rename(tmp, this.cacheFile as string));
    this.dirty = false;
  }

  /** Field order of a flow-log object (first line) plus a cheap end-of-object check; cached. */
  flowHeader(obj: LogObject): Promise<HeaderResult> {
    return this.cached(obj, true);
  }

  /** End-of-object check for objects without a header line (resolver NDJSON); cached. */
  integrity(obj: LogObject): Promise<HeaderResult> {
    return this.cached(obj, false);
  }

  /** The object's summary, when a pass that read it whole has recorded one (for this size and mtime). */
  summary(obj: LogObject): ObjectSummary | undefined {
    const hit = this.entries.get(obj.key);
    return hit && hit.size === obj.size && hit.mtimeMs === obj.mtimeMs ? hit.summary : undefined;
  }

  /** Records what a whole read of the object found. */
  setSummary(obj: LogObject, summary: ObjectSummary): void {
    const hit = this.entries.get(obj.key);
    if (!hit || hit.size !== obj.size || hit.mtimeMs !== obj.mtimeMs) return;
    hit.summary = summary;
    this.dirty = true;
  }

  /** Records that a whole read found the object unreadable (it stays skipped until it changes). */
  setUnreadable(obj: LogObject, reason: string): void {
    this.entries.set(obj.key, { size: obj.size, mtimeMs: obj.mtimeMs, result: { ok: false, reason } });
    this.dirty = true;
  }

  private async cached(obj: LogObject, withHeader: boolean): Promise<HeaderResult> {
    const hit = this.entries.get(obj.key);
    if (hit && hit.size === obj.size && hit.mtimeMs === obj.mtimeMs) return hit.result;
    const result = obj.path.endsWith('.parquet')
      ? await inspectParquet(obj, this.parquetColumns)
      : await inspect(obj, withHeader);
    this.entries.set(obj.key, { size: obj.size, mtimeMs: obj.mtimeMs, result });
    this.dirty = true;
    return result;
  }
}

const PAR1 = 0x50415231;

/** A Parquet object starts and ends with `PAR1`; its fields are its column names (`pkt_srcaddr` → `pkt-srcaddr`). */
async function inspectParquet(obj: LogObject, columns?: ParquetColumns): Promise<HeaderResult> {
  if (obj.size < 12) return { ok: false, reason: 'truncated Parquet object (too short)' };
  const fh = await open(obj.path, 'r');
  try {
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(4);
    await Promise.all([fh.read(head, 0, 4, 0), fh.read(tail, 0, 4, obj.size - 4)]);
    if (head.readUInt32BE(0) !== PAR1 || tail.readUInt32BE(0) !== PAR1) {
      return { ok: false, reason: 'truncated or corrupt Parquet object (no PAR1 footer)' };
    }
  } finally {
    await fh.close();
  }
  if (!columns) return { ok: false, reason: 'Parquet objects need the DuckDB engine' };
  try {
    const names = await columns(obj.path);
    return { ok: true, fields: parseHeader(names.map((n) => n.replace(/_/g, '-')).join(' '), { allowUnknown: true }) };
  } catch (err) {
    return { ok: false, reason: `unreadable Parquet object (${(err as Error).message.split('\n')[0]})` };
  }
}

async function inspect(obj: LogObject, withHeader: boolean): Promise<HeaderResult> {
  if (obj.size < 20) return { ok: false, reason: 'truncated gzip (too short to be a gzip object)' };
  const fh = await open(obj.path, 'r');
  try {
    const head = Buffer.alloc(Math.min(16 * 1024, obj.size));
    const tail = Buffer.alloc(8);
    await Promise.all([fh.read(head, 0, head.length, 0), fh.read(tail, 0, 8, obj.size - 8)]);
    const trailer = trailerProblem(tail, obj.size);
    if (trailer) return { ok: false, reason: trailer };
    let text: string;
    try {
      // SYNC_FLUSH lets gunzip return what a partial stream holds instead of failing on the missing tail.
      text = zlib.gunzipSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8');
    } catch (err) {
      return { ok: false, reason: `not a readable gzip object (${(err as Error).message})` };
    }
    if (!withHeader) return { ok: true, fields: [] };
    const nl = text.indexOf('\n');
    if (nl < 0 && head.length === 16 * 1024) return { ok: false, reason: 'no header line in the first 16 KiB' };
    try {
      return { ok: true, fields: parseHeader(nl < 0 ? text : text.slice(0, nl), { allowUnknown: true }) };
    } catch (err) {
      return { ok: false, reason: `bad header line: ${(err as Error).message}` };
    }
  } finally {
    await fh.close();
  }
}

/**
 * A complete gzip member ends with CRC32 + ISIZE. DuckDB reads an object cut at a flush point without complaint, so
 * we look at the last 8 bytes: a sync-flush marker (00 00 FF FF) or an ISIZE no deflate stream of this length can
 * produce means the object was truncated (e.g. an interrupted `aws s3 sync`).
 */
function trailerProblem(tail: Buffer, size: number): string | undefined {
  if (tail.readUInt32BE(4) === 0x0000ffff) return 'truncated gzip (ends at a flush point, no trailer)';
  const isize = tail.readUInt32LE(4);
  if (size < 3_000_000 && !(isize >= size * 0.9 - 64 && isize <= size * 1100)) {
    return 'truncated or corrupt gzip (trailer size does not match)';
  }
  return undefined;
}

/** Fully decompresses an object to check it (used only after the engine reported a read error). */
export function verifyGzip(file: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const gunzip = zlib.createGunzip();
    gunzip.on('data', () => {});
    gunzip.on('end', () => resolve(undefined));
    gunzip.on('error', (err) => resolve(`corrupt or truncated gzip (${err.message})`));
    createReadStream(file)
      .on('error', (err) => resolve(`unreadable (${err.message})`))
      .pipe(gunzip);
  });
}

/** One-off header read without a cache (tools and fakes that inspect a single object). */
export function readFlowHeader(obj: LogObject): Promise<HeaderResult> {
  return new ObjectIndex().flowHeader(obj);
}
