import type { EC2Client } from '@aws-sdk/client-ec2';
import type { Config } from '../config.js';
import { layoutOf } from '../engine/athena-days.js';
import type { AthenaRunner } from '../engine/athena-runner.js';
import { UserError } from '../errors.js';
import { databaseDdl, dropTableDdl, flowTableDdl, resolverTableDdl } from './ddl.js';
import { parseS3Uri } from './destination.js';
import { type Discovery, discover } from './discover.js';
import { fetchAwsIpRanges } from './ip-ranges-fetch.js';

/** What `egress setup` would do: the statements in order plus what the operator should know. */
export interface SetupPlan {
  discovery: Discovery;
  statements: string[];
  notes: string[];
}

/** The VPC to set up: `--vpc`, else EGRESS_VPC_ID. */
export function requireVpc(config: Config, flag?: string): string {
  const vpc = flag ?? config.EGRESS_VPC_ID;
  if (!vpc) throw new UserError('CONFIG', 'Which VPC? Pass --vpc vpc-… or set EGRESS_VPC_ID.');
  if (!/^vpc-[0-9a-f]{8,17}$/.test(vpc))
    throw new UserError('CONFIG', `"${vpc}" is not a VPC id (vpc-0123456789abcdef0).`);
  return vpc;
}

/** Day before `day` (YYYY-MM-DD), `n` days back. */
const daysBack = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

/**
 * Reads the VPC's NAT gateways and flow logs and builds the DDL, or refuses (UserError SETUP_REFUSED) with every
 * problem and its fix: no flow log on a NAT interface, a CloudWatch Logs destination, a LogFormat without
 * pkt-srcaddr/pkt-dstaddr, or interfaces whose flow logs disagree.
 */
export async function planSetup(
  ec2: EC2Client,
  config: Config,
  vpcId: string,
  resolverLocation = config.EGRESS_RESOLVER_LOG_LOCATION,
): Promise<SetupPlan> {
  const d = await discover(ec2, vpcId);
  if (d.problems.length > 0 || !d.target || !d.accountId) {
    const lines = d.problems.map((p) => `  • ${p}`).join('\n');
    throw new UserError('SETUP_REFUSED', `egress setup refused for ${vpcId}; nothing was changed:\n${lines}`);
  }
  const db = config.EGRESS_ATHENA_DATABASE;
  const t = d.target;
  const region = await ec2.config.region();
  const dns = resolverLocation
    ? parseS3Uri(resolverLocation)
    : { bucket: t.destination.bucket, prefix: t.destination.prefix };
  const statements = [
    databaseDdl(db),
    dropTableDdl(db, 'vpc_flow_logs_nat'),
    flowTableDdl({
      database: db,
      fields: t.fields,
      destination: t.destination,
      accountId: d.accountId,
      region,
      firstDay: t.firstDay,
    }),
    dropTableDdl(db, 'resolver_query_logs'),
    // Resolver answers are looked up some time before the traffic (client caches), so start the range a week earlier.
    resolverTableDdl({ database: db, ...dns, accountId: d.accountId, vpcId, firstDay: daysBack(t.firstDay, 7) }),
  ];
  const notes: string[] = [];
  const layout = layoutOf(t.destination);
  if (config.EGRESS_ATHENA_DAY_FORMAT !== layout) {
    notes.push(
      `The flow-log destination uses ${t.destination.hive ? 'Hive-compatible' : 'plain'} ${t.destination.perHour ? 'per-hour' : 'daily'} partitions: set EGRESS_ATHENA_DAY_FORMAT=${layout} so queries name the right day partitions.`,
    );
  }
  notes.push(
    `Resolver query logs are read from s3://${dns.bucket}/${dns.prefix}AWSLogs/${d.accountId}/vpcdnsquerylogs/${vpcId}/` +
      (resolverLocation
        ? '.'
        : ' (same bucket as the flow logs; set EGRESS_RESOLVER_LOG_LOCATION if they go elsewhere).'),
  );
  return { discovery: d, statements, notes };
}

/** A readable one-line summary of what was found. */
export function describePlan(p: SetupPlan): string {
  const d = p.discovery;
  const t = d.target;
  const enis = d.natEnis.map((e) => `${e.eniId} (${e.natGatewayId})`).join(', ');
  if (!t) return `VPC ${d.vpcId} · NAT interfaces ${enis}`;
  const dest = t.destination;
  const layout = `${dest.fileFormat}, ${dest.hive ? 'Hive-compatible' : 'plain'} keys, ${dest.perHour ? 'per-hour' : 'daily'} partitions`;
  return `VPC ${d.vpcId} · NAT interfaces ${enis} · flow log ${t.flowLogIds.join(', ')} → s3://${dest.bucket}/${dest.prefix} (${layout}) · ${t.fields.length} fields`;
}

/** Options of {@link runSetup}. */
export interface SetupRun {
  config: Config;
  ec2: EC2Client;
  /** Built only when something is to be executed (not for --dry-run). */
  runner: () => Promise<AthenaRunner>;
  vpcId: string;
  dryRun: boolean;
  resolverLocation?: string;
  out: (s: string) => void;
  /** Fetches ip-ranges.json (tests pass one that talks to a loopback server). */
  fetchFn?: typeof fetch;
}

/**
 * `egress setup`: with `--dry-run` prints the DDL (pasteable into the Athena console) and touches nothing; otherwise
 * runs each statement through Athena and reports it.
 */
export async function runSetup(o: SetupRun): Promise<void> {
  const plan = await planSetup(o.ec2, o.config, o.vpcId, o.resolverLocation);
  o.out(`-- ${describePlan(plan)}\n`);
  if (o.dryRun) {
    o.out('-- dry run: these statements were NOT executed.\n\n');
    for (const s of plan.statements) o.out(`${s};\n\n`);
  } else {
    const runner = await o.runner();
    for (const s of plan.statements) {
      const first = s.split('\n')[0] as string;
      const r = await runner.run(s, [], { reuse: false, noDatabase: /^CREATE DATABASE/i.test(s) });
      o.out(`✅ ${first.replace(/\s*\($/, '')} (${r.id})\n`);
    }
  }
  await cacheIpRanges(o);
  for (const n of plan.notes) o.out(`-- note: ${n}\n`);
}

/** AWS's ip-ranges.json for `cost`'s VPC-endpoint savings, cached where EGRESS_AWS_IP_RANGES says. */
async function cacheIpRanges(o: SetupRun): Promise<void> {
  const { EGRESS_AWS_IP_RANGES: file, EGRESS_AWS_IP_RANGES_URL: url } = o.config;
  if (!file) {
    o.out(
      `-- note: set EGRESS_AWS_IP_RANGES to a file path and setup caches AWS's ip-ranges.json there (cost: VPC-endpoint savings).\n`,
    );
    return;
  }
  if (o.dryRun) {
    o.out(`-- would fetch ${url} to ${file}\n`);
    return;
  }
  const r = await fetchAwsIpRanges(url, file, o.fetchFn);
  o.out(`✅ AWS ip-ranges.json of ${r.createDate} (${r.prefixes} prefixes) → ${r.file}\n`);
}
