/** The query-file headers (`@params`, `@coverage`, `@address`) and the split of a `@coverage` query's rows. */
import { describe, expect, it } from 'vitest';
import { loadQuery, parseQueryFile, splitCoverageRows } from '../src/engine/query-files.js';

const SQL = (header: string) =>
  `-- x\n-- @params a b\n${header}\nSELECT 1 FROM resolver_query_logs WHERE day BETWEEN ? AND ?\n`;

describe('query file headers', () => {
  it('reads @coverage per table it reads and @address when it names one of its parameters', () => {
    const q = parseQueryFile('x', SQL('-- @coverage resolver_query_logs\n-- @address b'));
    expect(q).toMatchObject({ tables: ['resolver_query_logs'], coverage: 'resolver_query_logs', address: 'b' });
    // A table it does not read cannot be covered by it; no header, no coverage and no address.
    expect(parseQueryFile('x', SQL('-- @coverage vpc_flow_logs_nat'))).not.toHaveProperty('coverage');
    expect(parseQueryFile('x', SQL(''))).not.toHaveProperty('address');
  });

  it('refuses an @address that is not a parameter, naming the file', () => {
    expect(() => parseQueryFile('x', SQL('-- @address ip'))).toThrow(
      'queries/x.sql: its @address header names ip, which is not one of its @params',
    );
  });

  it('ip-domains.sql and ips-domains.sql return their own resolver coverage; only the first names one address', async () => {
    expect(await loadQuery('ip-domains')).toMatchObject({ coverage: 'resolver_query_logs', address: 'ip' });
    expect(await loadQuery('ips-domains')).toMatchObject({ coverage: 'resolver_query_logs' });
    expect(await loadQuery('ips-domains')).not.toHaveProperty('address');
    expect(await loadQuery('name-answers')).not.toHaveProperty('coverage');
  });
});

describe('splitCoverageRows', () => {
  const rows = [
    { coverage_hour: 7200, name: null, answer: null, queries: 3, first_seen: 7201, last_seen: 7300 },
    { coverage_hour: null, name: 'a.example', answer: '192.0.2.1', queries: 2, first_seen: 7201, last_seen: 7250 },
    { coverage_hour: 3600, name: null, answer: null, queries: 1, first_seen: 3700, last_seen: 3700 },
  ];

  it('turns rows with coverage_hour into hours (records = queries, newest = last_seen) and strips the column', () => {
    expect(splitCoverageRows({ coverage: 'resolver_query_logs' }, rows)).toEqual({
      rows: [{ name: 'a.example', answer: '192.0.2.1', queries: 2, first_seen: 7201, last_seen: 7250 }],
      coverage: [
        { hour: 7200, records: 3, newest: 7300 },
        { hour: 3600, records: 1, newest: 3700 },
      ],
    });
  });

  it('leaves the rows of a query without @coverage as they are', () => {
    expect(splitCoverageRows({}, rows)).toEqual({ rows, coverage: [] });
  });
});
