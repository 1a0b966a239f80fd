/**
 * `egress setup [--dry-run]` and `egress doctor`: creating the Athena tables from the VPC's actual flow-log
 * configuration, and checking everything an answer depends on.
 */
import { loadConfig } from '../config.js';
import { parseNow } from '../flowlogs/window.js';
import { createLogger } from '../logger.js';
import { buildDeps } from '../main.js';
import { formatDoctor, runDoctor } from '../setup/doctor.js';
import { requireVpc, runSetup } from '../setup/setup.js';
import type { CliIo } from './io.js';

export interface SetupFlags {
  vpc?: string;
  dryRun?: boolean;
  resolverLocation?: string;
}

export interface DoctorFlags {
  vpc?: string;
  data?: string;
  k8s?: string;
  now?: string;
  engine?: 'duckdb' | 'athena';
}

/** `egress setup`: exit 0 when done (or printed), 2 when refused or misconfigured, 1 when AWS failed. */
export async function setupCommand(flags: SetupFlags, io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const vpcId = requireVpc(config, flags.vpc);
  const deps = buildDeps(config, createLogger('silent', 2));
  try {
    await runSetup({
      config,
      ec2: await deps.ec2(),
      runner: () => deps.athena(),
      vpcId,
      dryRun: flags.dryRun === true,
      resolverLocation: flags.resolverLocation ?? config.EGRESS_RESOLVER_LOG_LOCATION,
      out: io.out,
    });
    return 0;
  } finally {
    await deps.close();
  }
}

/** `egress doctor`: prints one line per check and exits 1 when any failed. */
export async function doctorCommand(flags: DoctorFlags, io: CliIo): Promise<number> {
  const results = await runDoctor({
    env: io.env,
    now: parseNow(flags.now, io.clock),
    engine: flags.engine,
    dataDir: flags.data,
    k8sFile: flags.k8s,
    vpcId: flags.vpc,
  });
  io.out(formatDoctor(results));
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}
