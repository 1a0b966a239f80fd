import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Connection, type FlowRecord, lineFormatter, natRecords } from '../../dev/sample/flow-records.js';
import { flowKey } from '../../dev/sample/writer.js';

/** A temp dir for one test file's mirror. */
export function tempDir(prefix = 'egress-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** One NAT connection with sensible defaults; override what the test is about. */
export function conn(c: Partial<Connection> & Pick<Connection, 'start' | 'src' | 'dst'>): Connection {
  return {
    sport: 40000,
    dport: 443,
    protocol: 6,
    natPort: 50000,
    bytesOut: 1000,
    bytesIn: 10_000,
    action: 'ACCEPT',
    ...c,
  };
}

/** Writes a flow-log object (header + lines) with the given field order at the AWS key for `delivery`. */
export async function writeFlowObject(
  root: string,
  delivery: number,
  fields: readonly string[],
  records: FlowRecord[],
  opts: { key?: string; suffix?: string } = {},
): Promise<string> {
  const fmt = lineFormatter(fields);
  const text = `${fields.join(' ')}\n${records.map(fmt).join('\n')}\n`;
  const key = opts.key ?? flowKey(delivery, opts.suffix ?? 'abcd1234');
  await mkdir(path.dirname(path.join(root, key)), { recursive: true });
  await writeFile(path.join(root, key), gzipSync(text));
  return key;
}

/** All NAT records of several connections. */
export const records = (...cs: Connection[]): FlowRecord[] => cs.flatMap(natRecords);
