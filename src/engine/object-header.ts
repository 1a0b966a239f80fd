import { open } from 'node:fs/promises';
import zlib from 'node:zlib';
import { parseHeader } from '../flowlogs/fields.js';
import type { LogObject } from './layout.js';

/** Result of reading the first line of a flow-log object. */
export type HeaderResult = { ok: true; fields: string[] } | { ok: false; reason: string };

const cache = new Map<string, { size: number; result: HeaderResult }>();

/**
 * Reads the header line of a gzip flow-log object (its field order) from the first few KiB only. Cached per path and
 * size, since objects in a log bucket are immutable once written.
 */
export async function readFlowHeader(obj: LogObject): Promise<HeaderResult> {
  const hit = cache.get(obj.path);
  if (hit && hit.size === obj.size) return hit.result;
  const result = await readHeaderUncached(obj.path);
  cache.set(obj.path, { size: obj.size, result });
  return result;
}

async function readHeaderUncached(file: string): Promise<HeaderResult> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(16 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    if (bytesRead === 0) return { ok: false, reason: 'empty object' };
    let text: string;
    try {
      // SYNC_FLUSH lets gunzip return what a partial stream holds instead of failing on the missing tail.
      text = zlib.gunzipSync(buf.subarray(0, bytesRead), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8');
    } catch (err) {
      return { ok: false, reason: `not a readable gzip object (${(err as Error).message})` };
    }
    const nl = text.indexOf('\n');
    if (nl < 0 && bytesRead === buf.length) return { ok: false, reason: 'no header line in the first 16 KiB' };
    const line = nl < 0 ? text : text.slice(0, nl);
    try {
      return { ok: true, fields: parseHeader(line) };
    } catch (err) {
      return { ok: false, reason: `bad header line: ${(err as Error).message}` };
    }
  } finally {
    await fh.close();
  }
}

/** Fully decompresses an object to check it (used only after the engine reported a read error). */
export async function verifyGzip(file: string): Promise<string | undefined> {
  const { createReadStream } = await import('node:fs');
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

/**
 * Cheap end-of-object check: a complete gzip member ends with CRC32 + ISIZE. DuckDB reads an object cut at a flush
 * point without complaint, so we look at the last 8 bytes: a sync-flush marker (00 00 FF FF) or an ISIZE that no
 * deflate stream of this length can produce means the object was truncated (an interrupted `aws s3 sync`).
 */
export async function checkGzipTrailer(obj: LogObject): Promise<string | undefined> {
  if (obj.size < 20) return 'truncated gzip (too short)';
  const fh = await open(obj.path, 'r');
  try {
    const buf = Buffer.alloc(8);
    await fh.read(buf, 0, 8, obj.size - 8);
    if (buf.readUInt32BE(4) === 0x0000ffff) return 'truncated gzip (ends at a flush point, no trailer)';
    const isize = buf.readUInt32LE(4);
    const plausible = isize >= obj.size * 0.9 - 64 && isize <= obj.size * 1100;
    if (!plausible && obj.size < 3_000_000) return 'truncated or corrupt gzip (trailer size does not match)';
    return undefined;
  } finally {
    await fh.close();
  }
}
