import type { LogObject } from './layout.js';
import { isParquet } from './source-sql.js';

/**
 * Objects per batch (and compressed bytes): one DuckDB scan reads them all, the memory stays bounded. Two batches are
 * read at once; the bytes bound decides for busy flow logs (about 6 objects of 260 KB — two such batches peak at
 * about the RSS one 4 MiB batch of a two-thread scan did). Small objects — resolver logs, quiet NAT gateways — go many
 * to a batch, since each batch costs a fixed few tens of milliseconds of statements and Parquet files.
 */
const BATCH_OBJECTS = 128;
const BATCH_BYTES = 1.5 * 1024 * 1024;

/** Splits the objects to read into batches of one format and field list, in their order. */
export function batchesOf(todo: readonly Todo[]): Todo[][] {
  const out: Todo[][] = [];
  const open = new Map<string, { batch: Todo[]; bytes: number }>();
  for (const t of todo) {
    const id = `${isParquet(t.obj.path)}|${t.convert}|${t.fields.join(' ')}`;
    let cur = open.get(id);
    if (!cur || cur.batch.length >= BATCH_OBJECTS || cur.bytes + t.obj.size > BATCH_BYTES) {
      cur = { batch: [], bytes: 0 };
      open.set(id, cur);
      out.push(cur.batch);
    }
    cur.batch.push(t);
    cur.bytes += t.obj.size;
  }
  return out;
}

export interface Todo {
  obj: LogObject;
  fields: string[];
  /** Its store file exists. */
  inStore: boolean;
  /** To be converted into the store now. */
  convert: boolean;
  /** The store file this process wrote for it. */
  file?: string;
  /** Whether the question's filter ruled it out, when its summary was known before planning. */
  pruned?: boolean;
}
