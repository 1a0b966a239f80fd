// biome-ignore-all lint/suspicious/noTemplateCurlyInString: partition projection templates are written ${name}, not JS templates.
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIELDS_B, FIELDS_C, NAT_ENI, VPC_ID } from '../dev/sample/constants.js';
import { type AwsWorld, logFormat, SAMPLE_BUCKET, sampleEc2State, startAwsWorld } from './fakes/athena-world.js';
import { runCli } from './support/run-cli.js';

let w: AwsWorld;

/** Runs the CLI in-process against the fakes; returns exit code and both streams. */
function cli(args: string[], env: Record<string, string> = {}) {
  return runCli(args, { ...w.egressEnv, ...env });
}

const WHO = ['who', '142.250.80.46', 'last', '7d', '--now', '2026-11-20T12:00:00Z', '--format', 'json'];

beforeAll(async () => {
  w = await startAwsWorld();
  for (const [k, v] of Object.entries(w.awsEnv)) vi.stubEnv(k, v);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await w?.close();
});
beforeEach(() => {
  Object.assign(w.ec2.state, sampleEc2State());
});

describe('egress setup --dry-run', () => {
  it("prints DDL matching the flow log's LogFormat and destination, and sends nothing to Athena", async () => {
    const athenaBefore = w.athena.calls.length;
    const ec2Before = w.ec2.calls.length;
    const r = await cli(['setup', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('dry run: these statements were NOT executed');
    expect(r.out).toContain('CREATE DATABASE IF NOT EXISTS `egress`;');
    const columns = [...r.out.matchAll(/^ {2}`([a-z_]+)` (?:int|bigint|string)/gm)].map((m) => m[1]);
    // The sample's flow log is in its current format (order C, with the AWS-service fields).
    expect(columns.slice(0, FIELDS_C.length)).toEqual(FIELDS_C.map((f) => f.replace(/-/g, '_')));
    expect(r.out).toContain(
      `"storage.location.template" = "s3://${SAMPLE_BUCKET}/AWSLogs/111122223333/vpcflowlogs/us-east-1/\${day}/"`,
    );
    expect(r.out).toContain(`vpcdnsquerylogs/${VPC_ID}/\${day}/`);
    expect(w.athena.calls.length).toBe(athenaBefore);
    expect(w.ec2.calls.slice(ec2Before).map((c) => c.action)).toEqual([
      'DescribeNatGateways',
      'DescribeNetworkInterfaces',
      'DescribeFlowLogs',
    ]);
  });
});

describe('egress setup', () => {
  it('creates the database and both tables through Athena DDL, re-runnably', async () => {
    for (let i = 0; i < 2; i++) {
      const before = w.athena.ddl.length;
      const r = await cli(['setup']);
      expect(r.code).toBe(0);
      expect(r.out.match(/^✅ /gm)).toHaveLength(5);
      expect(w.athena.ddl.slice(before).map((s) => s.split('\n')[0])).toEqual([
        'CREATE DATABASE IF NOT EXISTS `egress`',
        'DROP TABLE IF EXISTS `egress`.`vpc_flow_logs_nat`',
        'CREATE EXTERNAL TABLE `egress`.`vpc_flow_logs_nat` (',
        'DROP TABLE IF EXISTS `egress`.`resolver_query_logs`',
        'CREATE EXTERNAL TABLE `egress`.`resolver_query_logs` (',
      ]);
    }
    expect([...(w.mirror.catalog.get('egress')?.keys() ?? [])].sort()).toEqual([
      'resolver_query_logs',
      'vpc_flow_logs_nat',
    ]);
    const who = await cli(WHO);
    expect(who.code).toBe(0);
    expect(JSON.parse(who.out).rows.length).toBeGreaterThan(0);
  });

  it('accepts a flow log on the VPC when none is on the interface', async () => {
    w.ec2.state.flowLogs = [{ ...sampleEc2State().flowLogs![0]!, ResourceId: VPC_ID }];
    expect((await cli(['setup', '--dry-run'])).code).toBe(0);
  });
});

describe('egress setup refuses, explains, and changes nothing', () => {
  const refusals: Array<[string, () => void, RegExp]> = [
    [
      'a LogFormat without pkt-srcaddr/pkt-dstaddr',
      () => {
        w.ec2.state.flowLogs![0]!.LogFormat = logFormat(FIELDS_B.filter((f) => !f.startsWith('pkt-')));
      },
      /lacks pkt-srcaddr, pkt-dstaddr: without pkt-srcaddr\/pkt-dstaddr a NAT record shows the NAT's own address/,
    ],
    [
      'no flow log on the NAT interface',
      () => {
        w.ec2.state.flowLogs![0]!.ResourceId = 'eni-0somethingelse0001';
      },
      new RegExp(
        `No flow log covers NAT interface ${NAT_ENI} .*aws ec2 create-flow-logs --resource-type NetworkInterface --resource-ids ${NAT_ENI}`,
      ),
    ],
    [
      'a CloudWatch Logs destination',
      () => {
        Object.assign(w.ec2.state.flowLogs![0]!, {
          LogDestinationType: 'cloud-watch-logs',
          LogDestination: 'arn:aws:logs:us-east-1:111122223333:log-group:nat-flows',
          LogGroupName: 'nat-flows',
        });
      },
      /delivers to CloudWatch Logs \(log group nat-flows\), but Athena reads only S3/,
    ],
    [
      'a VPC without NAT gateways',
      () => {
        w.ec2.state.natGateways = [];
      },
      /No available NAT gateway in vpc-/,
    ],
  ];
  it.each(refusals)('%s', async (_label, mutate, reason) => {
    mutate();
    const before = w.athena.calls.length;
    for (const args of [['setup'], ['setup', '--dry-run']]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain('egress setup refused');
      expect(r.err).toContain('nothing was changed');
      expect(r.err).toMatch(reason);
    }
    expect(w.athena.calls.length).toBe(before);
  });

  it('asks for the VPC when none is configured', async () => {
    const r = await cli(['setup'], { EGRESS_VPC_ID: '' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--vpc|EGRESS_VPC_ID/);
  });
});

describe('a Hive-compatible, per-hour destination', () => {
  let hiveDir: string;
  beforeAll(async () => {
    // The same objects laid out as a Hive-compatible per-hour flow log writes them (resolver logs stay as they are).
    hiveDir = await mkdtemp(path.join(tmpdir(), 'egress-hive-'));
    const flowRoot = path.join(w.dir, 'AWSLogs/111122223333/vpcflowlogs/us-east-1');
    for (const y of await readdir(flowRoot)) {
      for (const m of await readdir(path.join(flowRoot, y))) {
        for (const d of await readdir(path.join(flowRoot, y, m))) {
          for (const name of await readdir(path.join(flowRoot, y, m, d))) {
            const hour = /_\d{8}T(\d{2})\d{2}Z_/.exec(name)?.[1] as string;
            const to = path.join(
              hiveDir,
              'hive/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-east-1',
              `year=${y}/month=${m}/day=${d}/hour=${hour}`,
            );
            await mkdir(to, { recursive: true });
            await cp(path.join(flowRoot, y, m, d, name), path.join(to, name));
          }
        }
      }
    }
    await cp(
      path.join(w.dir, 'AWSLogs/111122223333/vpcdnsquerylogs'),
      path.join(hiveDir, 'hive/AWSLogs/111122223333/vpcdnsquerylogs'),
      { recursive: true },
    );
  });
  afterAll(async () => {
    await rm(hiveDir, { recursive: true, force: true });
  });

  it('gets a matching projection, and answers exactly as the plain layout does', async () => {
    const plainSetup = await cli(['setup']);
    expect(plainSetup.code).toBe(0);
    const plain = JSON.parse((await cli(WHO)).out);

    // Same world, now behind a Hive-compatible per-hour flow log in another bucket.
    Object.assign(w.ec2.state.flowLogs![0]!, {
      LogDestination: 'arn:aws:s3:::egress-hive-logs/hive/',
      DestinationOptions: { FileFormat: 'plain-text', HiveCompatiblePartitions: true, PerHourPartition: true },
    });
    const setup = await cli(['setup'], { EGRESS_RESOLVER_LOG_LOCATION: 's3://egress-hive-logs/hive/' });
    expect(setup.code).toBe(0);
    expect(setup.out).toContain('set EGRESS_ATHENA_DAY_FORMAT=hive-hourly');
    const table = w.mirror.catalog.get('egress')?.get('vpc_flow_logs_nat');
    expect(table?.props['storage.location.template']).toBe(
      's3://egress-hive-logs/hive/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-east-1/${day}/',
    );
    expect(table?.props['projection.day.format']).toBe("'year='yyyy/'month='MM/'day='dd/'hour='HH");
    w.mirror.buckets['egress-hive-logs'] = hiveDir;
    const hive = JSON.parse((await cli(WHO, { EGRESS_ATHENA_DAY_FORMAT: 'hive-hourly' })).out);
    expect(hive.rows).toEqual(plain.rows);
    expect(hive.domains).toEqual(plain.domains);
    // With the wrong day format the predicate names no partition: nothing is read (doctor catches this). A
    // different window, so Athena cannot answer from the reused result of the earlier identical question.
    const wrong = JSON.parse((await cli(WHO.map((a) => (a === '7d' ? '6d' : a)))).out);
    expect(wrong.rows).toEqual([]);
  });
});
