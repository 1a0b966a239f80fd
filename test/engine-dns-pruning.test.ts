/**
 * A one-address names lookup (`ip-domains`, behind `who <ip>` and `domain <ip>`) reads only the resolver-log objects
 * whose A/AAAA answers may hold the address (their address filter, built when each object is first read whole), and
 * answers exactly as reading every object would — raw or from the columnar store.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dnsLine } from '../dev/sample/dns-lines.js';
import { mulberry32 } from '../dev/sample/prng.js';
import { cnameAnswer, ipAnswer } from '../dev/sample/scenario-dns.js';
import { dnsKey } from '../dev/sample/writer.js';
import { DuckDbEngine } from '../src/engine/duckdb.js';
import { dnsWindowParams, P } from '../src/engine/params.js';
import { tempDir } from './support/mini-world.js';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0) / 1000;
const HOUR = 3600;
const IP = '142.250.80.46';

let dir: string;
const engines: DuckDbEngine[] = [];

beforeAll(async () => {
  dir = await tempDir();
  const rng = mulberry32(7);
  const q = (at: number, name: string, answers: ReturnType<typeof ipAnswer>[]) =>
    dnsLine({ at, name, type: 'A', rcode: 'NOERROR', answers }, rng);
  // Hour −3: the address at the end of a CNAME chain (twice in one answer: one query); hour −2: other addresses
  // only; hour −1: the address as a CNAME's *name* would not count — only an answer Rdata does.
  const objects: Array<[number, string[]]> = [
    [
      NOW - 3 * HOUR,
      [
        q(NOW - 3 * HOUR + 60, 'storage.googleapis.com.', [
          cnameAnswer('storage.l.google.com.'),
          ipAnswer(IP),
          ipAnswer(IP),
        ]),
        q(NOW - 3 * HOUR + 120, 'api.github.com.', [ipAnswer('140.82.112.6')]),
      ],
    ],
    [NOW - 2 * HOUR, [q(NOW - 2 * HOUR + 60, 'api.github.com.', [ipAnswer('140.82.112.6')])]],
    [NOW - HOUR, [q(NOW - HOUR + 60, 'www.googleapis.com.', [ipAnswer(IP)]), q(NOW - HOUR + 90, 'nx.example.', [])]],
  ];
  for (const [at, lines] of objects) {
    const file = path.join(dir, dnsKey(at + 300, `dns${at}`));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, gzipSync(`${lines.join('\n')}\n`));
  }
});

afterAll(async () => {
  for (const e of engines) await e.close();
});

async function domains(store: boolean) {
  const e = await DuckDbEngine.create({
    dataDir: dir,
    ...(store ? { store: { dir: path.join(dir, '..', `${path.basename(dir)}-store`), maxBytes: 1e9 } } : {}),
  });
  engines.push(e);
  const params = { ...dnsWindowParams({ from: NOW - 6 * HOUR, to: NOW }, 0), ip: P.ip(IP) };
  // The first run reads every object whole (its summary); the second only those that may hold the address.
  const first = await e.run('ip-domains', params);
  const second = await e.run('ip-domains', params);
  return { first, second };
}

const sorted = (rows: Array<Record<string, unknown>>) =>
  rows.map((r) => `${r.name}|${r.answer_type}|${r.answer}|${r.queries}`).sort();

describe('resolver objects and a one-address names lookup', () => {
  for (const store of [false, true]) {
    it(`reads the 2 objects whose answers hold the address, not all 3 (${store ? 'store' : 'raw'})`, async () => {
      const { first, second } = await domains(store);
      const expected = [
        'storage.googleapis.com|A|142.250.80.46|1',
        'storage.googleapis.com|CNAME|storage.l.google.com|1',
        'www.googleapis.com|A|142.250.80.46|1',
      ];
      expect(sorted(first.rows)).toEqual(expected);
      expect(sorted(second.rows)).toEqual(expected);
      expect(second.stats.objectsRead).toBe(2);
      // Coverage still counts every object of the window, read or not.
      const dns = second.coverage?.find((c) => c.kind === 'dns');
      expect(dns).toBeDefined();
      expect(JSON.stringify(dns)).not.toContain('"gaps":[{');
    });
  }
});
