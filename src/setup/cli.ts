/**
 * `egress setup [--dry-run]` and `egress doctor`: creating the Athena tables from the VPC's actual flow-log
 * configuration, and checking everything an answer depends on.
 */
import type { Command as Commander } from 'commander';
import { createEc2Client } from '../aws/clients.js';
import type { CliIo } from '../cli.js';
import { addDataOptions } from '../cli-options.js';
import { loadConfig } from '../config.js';
import { createAthenaRunner } from '../engine/athena-factory.js';
import { UserError } from '../errors.js';
import { formatDoctor, runDoctor } from './doctor.js';
import { requireVpc, runSetup } from './setup.js';

interface SetupFlags {
  vpc?: string;
  dryRun?: boolean;
  resolverLocation?: string;
}

interface DoctorFlags {
  vpc?: string;
  data?: string;
  k8s?: string;
  now?: string;
  engine?: 'duckdb' | 'athena';
}

/** `--now` (ISO-8601) → epoch seconds; the clock otherwise. */
function nowOf(text: string | undefined, clock: () => number): number {
  if (text === undefined) return clock();
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UserError('BAD_COMMAND', `--now "${text}" is not an ISO-8601 time`);
  return Math.floor(ms / 1000);
}

/** `egress setup`: exit 0 when done (or printed), 2 when refused or misconfigured, 1 when AWS failed. */
export async function setupCommand(flags: SetupFlags, io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const vpcId = requireVpc(config, flags.vpc);
  const ec2 = createEc2Client();
  let runner: ReturnType<typeof createAthenaRunner> | undefined;
  try {
    await runSetup({
      config,
      ec2,
      runner: () => {
        runner ??= createAthenaRunner(config);
        return runner;
      },
      vpcId,
      dryRun: flags.dryRun === true,
      resolverLocation: flags.resolverLocation ?? config.EGRESS_RESOLVER_LOG_LOCATION,
      out: io.out,
    });
    return 0;
  } finally {
    ec2.destroy();
    runner?.opts.client.destroy();
  }
}

/** `egress doctor`: prints one line per check and exits 1 when any failed. */
export async function doctorCommand(flags: DoctorFlags, io: CliIo): Promise<number> {
  const results = await runDoctor({
    env: io.env,
    now: nowOf(flags.now, io.clock),
    engine: flags.engine,
    dataDir: flags.data,
    k8sFile: flags.k8s,
    vpcId: flags.vpc,
  });
  io.out(formatDoctor(results));
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}

/** Adds `setup` and `doctor` to the program. */
export function addSetupCommands(
  program: Commander,
  io: CliIo,
  setExit: (code: number) => void,
  onError: (err: unknown, io: CliIo) => number,
): void {
  program
    .command('setup')
    .description("create the Athena database and tables from the VPC NAT gateways' flow-log configuration")
    .option('--vpc <id>', 'VPC whose NAT gateways to set up (default EGRESS_VPC_ID)')
    .option(
      '--resolver-location <s3uri>',
      'where Resolver query logs land (default EGRESS_RESOLVER_LOG_LOCATION, else the flow-log bucket)',
    )
    .option('--dry-run', 'print the DDL and change nothing')
    .action(async (_opts: SetupFlags, cmd: Commander) => {
      setExit(await setupCommand(cmd.optsWithGlobals<SetupFlags>(), io).catch((err) => onError(err, io)));
    });
  const doctor = program
    .command('doctor')
    .description(
      'check configuration, Athena, tables, recent data, flow-log format and NAT coverage, Redis, Kubernetes',
    )
    .option('--vpc <id>', 'VPC to check (default EGRESS_VPC_ID)');
  addDataOptions(doctor).action(async (_opts: DoctorFlags, cmd: Commander) => {
    setExit(await doctorCommand(cmd.optsWithGlobals<DoctorFlags>(), io).catch((err) => onError(err, io)));
  });
}
