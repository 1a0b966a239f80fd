import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Window } from '../flowlogs/window.js';
import { daysBetween } from '../flowlogs/window.js';

import type { LogKind } from './types.js';

export type { LogKind };

/** One object of the local mirror (`aws s3 sync s3://bucket/prefix DIR`). */
export interface LogObject {
  /** Absolute path. */
  path: string;
  /** Path relative to the data dir, as the S3 key would read. */
  key: string;
  /** `YYYY-MM-DD` from the key's date folders (delivery day). */
  day: string;
  /** Delivery timestamp from the file name (`…_20261120T1205Z_…`), epoch seconds, when present. */
  ts?: number;
  size: number;
  mtimeMs: number;
}

const SERVICE: Record<LogKind, string> = { flow: 'vpcflowlogs', dns: 'vpcdnsquerylogs' };

async function dirs(p: string): Promise<string[]> {
  try {
    return (await readdir(p, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
}

/** `AWSLogs` folders at the top of the mirror or up to two levels below (a synced bucket root with prefixes). */
export async function findAwsLogsRoots(dataDir: string): Promise<string[]> {
  const roots: string[] = [];
  const walk = async (p: string, depth: number) => {
    for (const d of await dirs(p)) {
      if (d === 'AWSLogs') roots.push(path.join(p, d));
      else if (depth > 0 && !d.startsWith('.')) await walk(path.join(p, d), depth - 1);
    }
  };
  await walk(dataDir, 2);
  return roots.sort();
}

/** The per-day folders for `kind` in one AWSLogs root, both the plain and the Hive-compatible layouts. */
async function dayFolders(root: string, kind: LogKind, days: string[]): Promise<Array<{ dir: string; day: string }>> {
  const out: Array<{ dir: string; day: string }> = [];
  for (const account of await dirs(root)) {
    if (account.startsWith('aws-account-id=')) {
      const svc = path.join(root, account, `aws-service=${SERVICE[kind]}`);
      for (const region of await dirs(svc)) {
        for (const day of days) {
          const [y, m, d] = day.split('-');
          out.push({ dir: path.join(svc, region, `year=${y}`, `month=${m}`, `day=${d}`), day });
        }
      }
    } else {
      const svc = path.join(root, account, SERVICE[kind]);
      for (const scope of await dirs(svc)) {
        for (const day of days) out.push({ dir: path.join(svc, scope, ...day.split('-')), day });
      }
    }
  }
  return out;
}

const TS_RE = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/;

/** Delivery time in a flow/resolver log file name, epoch seconds. */
export function fileTimestamp(name: string): number | undefined {
  const m = TS_RE.exec(name);
  if (!m) return undefined;
  const [, y, mo, d, h, mi] = m.map(Number) as number[];
  return Date.UTC(y as number, (mo as number) - 1, d, h, mi) / 1000;
}

/**
 * Lists the objects of `kind` that can hold records delivered in `delivery` (epoch seconds, inclusive), selecting by
 * the day folders first and the file-name timestamp second, so a 1-day question never touches the other days.
 */
export async function listObjects(dataDir: string, kind: LogKind, delivery: Window): Promise<LogObject[]> {
  const days = daysBetween(delivery.from, delivery.to);
  const out: LogObject[] = [];
  for (const root of await findAwsLogsRoots(dataDir)) {
    for (const { dir, day } of await dayFolders(root, kind, days)) {
      await collect(dir, day, 1);
    }
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  async function collect(dir: string, day: string, hourDepth: number): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && hourDepth > 0) await collect(p, day, hourDepth - 1); // optional per-hour partition
      if (!e.isFile() || !(kind === 'flow' ? /\.log\.(gz|parquet)$/ : /\.log\.gz$/).test(e.name)) continue;
      const ts = fileTimestamp(e.name);
      if (ts !== undefined && (ts < delivery.from || ts > delivery.to)) continue;
      const { size, mtimeMs } = await stat(p);
      out.push({ path: p, key: path.relative(dataDir, p).split(path.sep).join('/'), day, ts, size, mtimeMs });
    }
  }
}
