import {
  AthenaClient,
  AthenaServiceException,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetWorkGroupCommand,
  InvalidRequestException,
  paginateGetQueryResults,
  type QueryExecution,
  StartQueryExecutionCommand,
  type StartQueryExecutionCommandInput,
  StopQueryExecutionCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-athena';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AthenaFake, startAthenaFake } from './athena-api.js';
import { createDuckDbExecutor, type DuckDbExecutor } from './athena-duckdb-executor.js';
import { classifyStatement, substituteParameters } from './athena-sql.js';

const creds = { accessKeyId: 'test', secretAccessKey: 'test' };
let duck: DuckDbExecutor;
let fake: AthenaFake;
let athena: AthenaClient;
let clock = 1_700_000_000_000;

beforeAll(async () => {
  duck = await createDuckDbExecutor();
  fake = await startAthenaFake({ execute: duck.execute, now: () => clock });
  athena = new AthenaClient({ endpoint: fake.url, region: 'us-east-1', credentials: creds });
});
afterAll(async () => {
  athena.destroy();
  await fake.close();
  duck.close();
});

/** Starts a query and polls until it is terminal, yielding to the event loop between polls. */
async function run(input: Omit<StartQueryExecutionCommandInput, 'QueryString'> & { QueryString: string }) {
  const { QueryExecutionId: id } = await athena.send(
    new StartQueryExecutionCommand({ WorkGroup: 'primary', ...input }),
  );
  const states: string[] = [];
  for (;;) {
    const { QueryExecution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = QueryExecution!.Status!.State!;
    states.push(state);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(state)) return { id: id!, states, qe: QueryExecution! };
    await new Promise((r) => setImmediate(r));
  }
}

const values = (rows: { Data?: { VarCharValue?: string }[] }[] | undefined) =>
  (rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? null));

describe('Athena fake via the real AthenaClient', () => {
  it('runs start → poll → results, with a header row and NULLs as empty Datum', async () => {
    const { id, states, qe } = await run({
      QueryString: "SELECT 1 AS a, 'x' AS b, CAST(NULL AS VARCHAR) AS c",
      QueryExecutionContext: { Database: 'egress', Catalog: 'AwsDataCatalog' },
    });
    // QUEUED on the first poll, RUNNING while the executor works (how many polls depends on load), then SUCCEEDED.
    expect(states[0]).toBe('QUEUED');
    expect(states.at(-1)).toBe('SUCCEEDED');
    expect(new Set(states.slice(1, -1))).toEqual(new Set(states.length > 2 ? ['RUNNING'] : []));
    expect(qe).toMatchObject<QueryExecution>({ StatementType: 'DML', WorkGroup: 'primary', Query: expect.any(String) });
    expect(qe.Status!.SubmissionDateTime).toEqual(new Date(clock));
    expect(qe.Statistics).toMatchObject({
      DataScannedInBytes: 4096,
      ResultReuseInformation: { ReusedPreviousResult: false },
    });
    expect(qe.ResultConfiguration!.OutputLocation).toBe(`s3://fake-results/${id}.csv`);
    const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id }));
    expect(page.ResultSet!.Rows![1]!.Data).toEqual([{ VarCharValue: '1' }, { VarCharValue: 'x' }, {}]);
    expect(values(page.ResultSet!.Rows)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x', null],
    ]);
    expect(page.ResultSet!.ResultSetMetadata!.ColumnInfo!.map((c) => c.Type)).toEqual([
      'integer',
      'varchar',
      'varchar',
    ]);
    expect(page.NextToken).toBeUndefined();
  });

  it('paginates beyond 1000 rows with the header only on the first page', async () => {
    const { id } = await run({ QueryString: 'SELECT range AS n FROM range(2500)' });
    const pages = [];
    for await (const page of paginateGetQueryResults({ client: athena }, { QueryExecutionId: id })) pages.push(page);
    expect(pages.map((p) => p.ResultSet!.Rows!.length)).toEqual([1000, 1000, 501]);
    const rows = pages.flatMap((p) => values(p.ResultSet!.Rows));
    expect(rows[0]).toEqual(['n']);
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    await expect(athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1001 }))).rejects.toThrow(
      InvalidRequestException,
    );
  });

  it('splices ExecutionParameters as SQL text, leaving ? in literals and comments alone', async () => {
    const { id } = await run({
      QueryString: "SELECT ? AS a, '?' AS q, ? AS b -- why?",
      ExecutionParameters: ["'abc'", '42'],
    });
    expect(duck.statements.at(-1)).toBe("SELECT 'abc' AS a, '?' AS q, 42 AS b -- why?");
    const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id }));
    expect(values(page.ResultSet!.Rows)[1]).toEqual(['abc', '?', '42']);
  });

  it('fails a query whose parameter count does not match, as Athena reports it', async () => {
    const { states, qe } = await run({ QueryString: 'SELECT ? AS a' });
    expect(states.at(-1)).toBe('FAILED');
    expect(qe.Status!.StateChangeReason).toContain('Incorrect number of parameters: expected 1 but found 0');
    expect(qe.Status!.AthenaError).toMatchObject({ ErrorCategory: 2, ErrorType: 1006 });
  });

  it('lets the SDK retry TooManyRequestsException and reuses the ClientRequestToken', async () => {
    fake.throttleNext(1, 'StartQueryExecution');
    const before = fake.calls.length;
    const out = await athena.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1' }));
    expect(out.$metadata.attempts).toBe(2);
    const tokens = fake.calls.slice(before).map((c) => c.input.ClientRequestToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toBe(tokens[1]);
  });

  it('surfaces throttling errors with their modelled shape when retries are exhausted', async () => {
    const once = new AthenaClient({ endpoint: fake.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
    fake.throttleNext(1);
    const err = await once.send(new GetWorkGroupCommand({ WorkGroup: 'primary' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRequestsException);
    expect(err).toMatchObject({ Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED', $metadata: { httpStatusCode: 400 } });
    fake.throttleNext(1, 'GetWorkGroup', 'ThrottlingException');
    const err2 = await once.send(new GetWorkGroupCommand({ WorkGroup: 'primary' })).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(AthenaServiceException);
    expect(err2).toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
    once.destroy();
  });

  it('ends a query FAILED with the injected reason and refuses its results', async () => {
    const reason = "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.egress.vpc_flow_logs_nat' does not exist";
    fake.failNextQuery(reason);
    const { id, qe } = await run({ QueryString: 'SELECT * FROM vpc_flow_logs_nat' });
    expect(qe.Status).toMatchObject({ State: 'FAILED', StateChangeReason: reason, AthenaError: { ErrorCategory: 2 } });
    const err = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRequestException);
    expect(err).toMatchObject({ AthenaErrorCode: 'INVALID_INPUT', message: expect.stringContaining('FAILED') });
  });

  it('holds queries RUNNING until StopQueryExecution cancels them', async () => {
    fake.holdQueries(true);
    const { QueryExecutionId: id } = await athena.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 2' }));
    const state = async () =>
      (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution!.Status!.State;
    expect([await state(), await state(), await state()]).toEqual(['QUEUED', 'RUNNING', 'RUNNING']);
    await expect(athena.send(new GetQueryResultsCommand({ QueryExecutionId: id }))).rejects.toThrow(/not yet finished/);
    await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    expect(await state()).toBe('CANCELLED');
    expect(fake.stopped).toContain(id);
    fake.holdQueries(false);
    expect((await run({ QueryString: 'SELECT 3' })).states.at(-1)).toBe('SUCCEEDED');
  });

  it('aborts the executor signal when a running query is stopped', async () => {
    const seen: AbortSignal[] = [];
    const slow = await startAthenaFake({
      execute: (_sql, { signal }) =>
        new Promise((_resolve, reject) => {
          seen.push(signal);
          signal.addEventListener('abort', () => reject(new Error('interrupted')));
        }),
    });
    const client = new AthenaClient({ endpoint: slow.url, region: 'us-east-1', credentials: creds });
    const { QueryExecutionId: id } = await client.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1' }));
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    expect(seen[0]!.aborted).toBe(true);
    const qe = (await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution!;
    expect(qe.Status!.State).toBe('CANCELLED');
    client.destroy();
    await slow.close();
  });

  it('reuses a SUCCEEDED identical query within MaxAgeInMinutes, and not after', async () => {
    const reuse = { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: 10 } };
    const input = { QueryString: 'SELECT 7 AS seven', ResultReuseConfiguration: reuse };
    const first = await run(input);
    const executed = duck.statements.length;
    clock += 5 * 60_000;
    const second = await run(input);
    expect(second.id).not.toBe(first.id);
    expect(second.states).toEqual(['SUCCEEDED']);
    expect(second.qe.Statistics).toMatchObject({
      DataScannedInBytes: 0,
      ResultReuseInformation: { ReusedPreviousResult: true },
    });
    const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: second.id }));
    expect(values(page.ResultSet!.Rows)).toEqual([['seven'], ['7']]);
    expect(duck.statements).toHaveLength(executed);
    clock += 11 * 60_000;
    const third = await run(input);
    expect(third.qe.Statistics!.ResultReuseInformation!.ReusedPreviousResult).toBe(false);
    expect((await run({ QueryString: 'SELECT 7 AS seven' })).qe.Statistics!.DataScannedInBytes).toBe(4096);
  });

  it('passes DDL to the executor, records it, and returns DDL results without a header row', async () => {
    const created = await run({ QueryString: 'CREATE DATABASE IF NOT EXISTS egress' });
    expect(created.qe.StatementType).toBe('DDL');
    await run({ QueryString: 'CREATE TABLE egress.flows (id INTEGER)', QueryExecutionContext: { Database: 'egress' } });
    const shown = await run({ QueryString: 'SHOW TABLES FROM egress' });
    expect(shown.qe.StatementType).toBe('DDL');
    expect(shown.qe.ResultConfiguration!.OutputLocation).toMatch(/\.txt$/);
    const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: shown.id }));
    expect(values(page.ResultSet!.Rows)).toEqual([['flows']]);
    expect(fake.ddl).toEqual(
      expect.arrayContaining(['CREATE DATABASE IF NOT EXISTS egress', 'SHOW TABLES FROM egress']),
    );
  });

  it('describes known workgroups and rejects unknown ones', async () => {
    const { WorkGroup } = await athena.send(new GetWorkGroupCommand({ WorkGroup: 'primary' }));
    expect(WorkGroup).toMatchObject({
      Name: 'primary',
      State: 'ENABLED',
      Configuration: {
        ResultConfiguration: { OutputLocation: 's3://fake-results/' },
        EngineVersion: { EffectiveEngineVersion: 'Athena engine version 3' },
      },
    });
    const err = await athena.send(new GetWorkGroupCommand({ WorkGroup: 'nope' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRequestException);
    expect(err).toMatchObject({ message: 'WorkGroup nope is not found.', AthenaErrorCode: 'INVALID_INPUT' });
  });

  it('answers denyNext with an AccessDeniedException the SDK names but does not model', async () => {
    fake.denyNext('StartQueryExecution', 'not authorized to perform: athena:StartQueryExecution');
    const err = await athena.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AthenaServiceException);
    expect(err).toMatchObject({
      name: 'AccessDeniedException',
      message: 'not authorized to perform: athena:StartQueryExecution',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
  });
});

describe('Athena endpoint from the environment', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('honours AWS_ENDPOINT_URL_ATHENA with a default-config client', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_ATHENA', fake.url);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    // Keeps the credential chain from ever reaching for instance metadata off-box.
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    const client = new AthenaClient({});
    const before = fake.calls.length;
    await client.send(new GetWorkGroupCommand({ WorkGroup: 'primary' }));
    expect(fake.calls.slice(before).map((c) => c.op)).toEqual(['GetWorkGroup']);
    client.destroy();
  });
});

describe('Athena SQL handling', () => {
  it('substitutes only placeholders outside literals, quoted identifiers and comments', () => {
    const sql = `SELECT "a?" , 'it''s ?' , ? /* ? */ , ?\n-- ?\nFROM t WHERE x = ?`;
    expect(substituteParameters(sql, ['1', "'two'", "DATE '2024-01-01'"])).toEqual({
      ok: true,
      sql: `SELECT "a?" , 'it''s ?' , 1 /* ? */ , 'two'\n-- ?\nFROM t WHERE x = DATE '2024-01-01'`,
    });
    expect(substituteParameters('SELECT 1', ['x'])).toEqual({ ok: false, expected: 0, found: 1 });
  });

  it('classifies statements like Athena StatementType', () => {
    expect(classifyStatement('/* hi */ WITH x AS (SELECT 1) SELECT * FROM x')).toBe('DML');
    expect(classifyStatement('CREATE TABLE t AS SELECT 1')).toBe('DML');
    expect(classifyStatement("CREATE EXTERNAL TABLE t (a int) LOCATION 's3://b/'")).toBe('DDL');
    expect(classifyStatement('MSCK REPAIR TABLE t')).toBe('DDL');
    expect(classifyStatement('SHOW TABLES')).toBe('DDL');
    expect(classifyStatement('SHOW CREATE TABLE t')).toBe('UTILITY');
    expect(classifyStatement('DESCRIBE t')).toBe('UTILITY');
  });
});
