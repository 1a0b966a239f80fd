// biome-ignore-all lint/suspicious/noTemplateCurlyInString: VPC Flow Logs fields and partition projection templates are written ${name}, not JS templates.
import { describe, expect, it } from 'vitest';
import { DAY_FORMATS } from '../src/engine/athena-days.js';
import { type EgressError, UserError } from '../src/errors.js';
import { parseLogFormat } from '../src/flowlogs/fields.js';
import { databaseDdl, dropTableDdl, flowTableDdl, resolverTableDdl } from '../src/setup/ddl.js';
import { type FlowDestination, parseS3Arn, parseS3Uri } from '../src/setup/destination.js';
import { parseCreateTable } from './fakes/athena-catalog.js';
import { compilePattern, partitionPrefixes, projectedDays } from './fakes/athena-projection.js';

const ACCOUNT = '111122223333';
// A custom LogFormat in an order no default assumes: the DDL must follow it column by column.
const CUSTOM =
  '${pkt-dstaddr} ${start} ${pkt-srcaddr} ${action} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${bytes} ${tcp-flags} ${flow-direction}';
const plain: FlowDestination = {
  bucket: 'flow-bucket',
  prefix: 'nat/',
  fileFormat: 'plain-text',
  hive: false,
  perHour: false,
};
const spec = (destination: FlowDestination, format = CUSTOM) => ({
  database: 'egress',
  fields: parseLogFormat(format),
  destination,
  accountId: ACCOUNT,
  region: 'eu-west-1',
  firstDay: '2026-03-02',
});

describe('flow-log DDL', () => {
  it('has one column per LogFormat field, in the format order, with Hive types (plus pkt_dst_aws_service)', () => {
    const ddl = flowTableDdl(spec(plain));
    const table = parseCreateTable(ddl, 'egress', 'vpc_flow_logs_nat');
    expect(table.columns).toEqual([
      { name: 'pkt_dstaddr', type: 'string' },
      { name: 'start', type: 'bigint' },
      { name: 'pkt_srcaddr', type: 'string' },
      { name: 'action', type: 'string' },
      { name: 'srcaddr', type: 'string' },
      { name: 'dstaddr', type: 'string' },
      { name: 'srcport', type: 'int' },
      { name: 'dstport', type: 'int' },
      { name: 'protocol', type: 'int' },
      { name: 'bytes', type: 'bigint' },
      { name: 'tcp_flags', type: 'int' },
      { name: 'flow_direction', type: 'string' },
      // Not in this format: appended, NULL for every record, so `cost`'s AWS-service query still runs.
      { name: 'pkt_dst_aws_service', type: 'string' },
    ]);
    expect(ddl).toMatch(/^CREATE EXTERNAL TABLE `egress`\.`vpc_flow_logs_nat` \(/);
    expect(ddl).toContain('PARTITIONED BY (`day` string)');
    expect(ddl).toContain("'field.delim' = ' '");
    expect(ddl).toContain("'serialization.null.format' = '-'");
    expect(ddl).not.toMatch(/^--/m);
    expect(table.location).toBe('s3://flow-bucket/nat/AWSLogs/111122223333/vpcflowlogs/eu-west-1/');
    expect(table.props).toEqual({
      'projection.enabled': 'true',
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy/MM/dd',
      'projection.day.range': '2026/03/02,NOW',
      'projection.day.interval': '1',
      'projection.day.interval.unit': 'DAYS',
      'storage.location.template': 's3://flow-bucket/nat/AWSLogs/111122223333/vpcflowlogs/eu-west-1/${day}/',
      'skip.header.line.count': '1',
    });
  });

  it('projects a Hive-compatible, per-hour destination exactly as AWS writes its keys, the hour in `day`', () => {
    const ddl = flowTableDdl(spec({ ...plain, hive: true, perHour: true }));
    const table = parseCreateTable(ddl, 'egress', 'vpc_flow_logs_nat');
    // One partition column whose projected value is the day and hour folder: the queries' `day BETWEEN ? AND ?`
    // then prunes hours on a per-hour table and days on a daily one, with the same text.
    expect(ddl).toContain('PARTITIONED BY (`day` string)');
    expect(table.props).toMatchObject({
      'projection.day.format': "'year='yyyy/'month='MM/'day='dd/'hour='HH",
      'projection.day.range': 'year=2026/month=03/day=02/hour=00,NOW',
      'projection.day.interval.unit': 'HOURS',
      'storage.location.template':
        's3://flow-bucket/nat/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=eu-west-1/${day}/',
    });
    expect(table.props['projection.hour.type']).toBeUndefined();
    // The partition value Athena projects for an hour is the key AWS writes, and the literal the engine sends.
    const hour = DAY_FORMATS['hive-hourly'].render('2026-11-20T05');
    expect(hour).toBe('year=2026/month=11/day=20/hour=05');
    expect(
      compilePattern(table.props['projection.day.format'] as string).format(new Date(Date.UTC(2026, 10, 20, 5))),
    ).toBe(hour);
    expect(partitionPrefixes(table, hour)).toEqual([
      's3://flow-bucket/nat/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2026/month=11/day=20/hour=05/',
    ]);
    // 23:00 on the 20th to 01:00 on the 21st: three hourly partitions, not two days of 24.
    expect(
      projectedDays(
        table,
        new Date(Date.UTC(2026, 10, 22)),
        DAY_FORMATS['hive-hourly'].render('2026-11-20T23'),
        DAY_FORMATS['hive-hourly'].render('2026-11-21T01'),
      ),
    ).toEqual([
      'year=2026/month=11/day=20/hour=23',
      'year=2026/month=11/day=21/hour=00',
      'year=2026/month=11/day=21/hour=01',
    ]);
    // A day literal in the other layout matches no partition: a mismatch shows up as "no data", which doctor checks.
    expect(projectedDays(table, new Date(Date.UTC(2026, 10, 21)), '2026/11/20', '2026/11/21')).toEqual([]);
  });

  it('per-hour without Hive adds a plain HH folder; Parquet is stored as Parquet with no header to skip', () => {
    const hourly = parseCreateTable(flowTableDdl(spec({ ...plain, perHour: true })), 'egress', 'vpc_flow_logs_nat');
    expect(hourly.props['storage.location.template']).toMatch(/\/eu-west-1\/\$\{day\}\/$/);
    expect(hourly.props['projection.day.format']).toBe('yyyy/MM/dd/HH');
    const parquet = flowTableDdl(spec({ ...plain, fileFormat: 'parquet' }));
    expect(parquet).toContain('STORED AS PARQUET');
    expect(parquet).not.toContain('skip.header.line.count');
    expect(parquet).not.toContain('LazySimpleSerDe');
  });

  it('the resolver table reads JSON by VPC and day; database and drop statements are qualified', () => {
    const ddl = resolverTableDdl({
      database: 'egress',
      bucket: 'dns-bucket',
      prefix: '',
      accountId: ACCOUNT,
      vpcId: 'vpc-0123456789abcdef0',
      firstDay: '2026-02-23',
    });
    const t = parseCreateTable(ddl, 'egress', 'resolver_query_logs');
    expect(ddl).toContain("ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'");
    expect(t.columns.find((c) => c.name === 'answers')?.type).toBe(
      'array<struct<Rdata:string,Type:string,Class:string>>',
    );
    expect(t.props['storage.location.template']).toBe(
      's3://dns-bucket/AWSLogs/111122223333/vpcdnsquerylogs/vpc-0123456789abcdef0/${day}/',
    );
    expect(databaseDdl('egress')).toBe('CREATE DATABASE IF NOT EXISTS `egress`');
    expect(dropTableDdl('egress', 'resolver_query_logs')).toBe('DROP TABLE IF EXISTS `egress`.`resolver_query_logs`');
  });
});

describe('values spliced into DDL are validated', () => {
  it.each([
    "arn:aws:s3:::bucket/pre'fix",
    'arn:aws:s3:::bucket/a b',
    'arn:aws:s3:::bucket/x"); DROP TABLE t; --',
    'arn:aws:s3:::BUCKET',
    'arn:aws:s3:::bucket/${day}',
    'arn:aws:logs:us-east-1:111122223333:log-group:x',
  ])('refuses %s', (arn) => {
    expect(() => parseS3Arn(arn)).toThrow(UserError);
  });

  it('normalises prefixes and accepts other partitions', () => {
    expect(parseS3Arn('arn:aws:s3:::flow-bucket')).toEqual({ bucket: 'flow-bucket', prefix: '' });
    expect(parseS3Arn('arn:aws-us-gov:s3:::flow-bucket/a/b/')).toEqual({ bucket: 'flow-bucket', prefix: 'a/b/' });
    expect(parseS3Uri('s3://dns-bucket/logs')).toEqual({ bucket: 'dns-bucket', prefix: 'logs/' });
  });

  it('refuses an account or region that does not look like one', () => {
    const bad = (o: Partial<ReturnType<typeof spec>>) => () => flowTableDdl({ ...spec(plain), ...o });
    expect(bad({ accountId: "1' OR 1=1" })).toThrow(/account id/);
    expect(bad({ region: 'us-east-1/../x' })).toThrow(/region/);
    expect(bad({ database: 'eg`ress' })).toThrow(/database/);
    const err = (() => {
      try {
        parseS3Arn("arn:aws:s3:::b/x'");
        return undefined;
      } catch (e) {
        return e as EgressError;
      }
    })();
    expect(err?.code).toBe('SETUP_REFUSED');
  });
});
