/**
 * `bin/egress`: wires the subcommands and nothing else. Each action imports its implementation when it runs, so a
 * `who` on a local mirror never loads Bolt, BullMQ, the Kubernetes or AWS clients, and `--version` loads almost
 * nothing.
 */
import { Command as Commander } from 'commander';
import type { DataFlags } from './cli/ask.js';
import type { CacheFlags } from './cli/cache.js';
import type { DigestFlags } from './cli/digest.js';
import { type CliIo, defaultIo, guarded, reportError } from './cli/io.js';
import type { McpFlags } from './cli/mcp.js';
import { addDataOptions, addServeOptions } from './cli/options.js';
import type { ServeFlags } from './cli/serve.js';
import type { DoctorFlags, SetupFlags } from './cli/setup.js';
import { VERSION } from './version.js';

export type { CliIo };

/** Builds the commander program; `usage` is the grammar for `--help` (generated from the command specs). */
export function buildProgram(
  io: CliIo,
  setExit: (code: number) => void,
  usage = 'command text, e.g. who <ip>',
): Commander {
  const program = new Commander('egress');
  const run = (body: () => Promise<number>) => guarded(io, setExit, body);
  addDataOptions(program, { format: true, yaml: true })
    .description('Who in your EKS cluster talks to the internet — from VPC Flow Logs and Route 53 Resolver logs')
    .option('--collapse', 'policy: one matchPattern for names that share a suffix (same as the word --collapse)')
    .version(VERSION)
    .argument('[command...]', usage)
    .allowExcessArguments(true)
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .action((words: string[], opts: DataFlags) =>
      run(async () => (await import('./cli/ask.js')).ask(words.length ? words : ['help'], opts, io)),
    );

  addServeOptions(
    program
      .command('serve')
      .description('run the Slack bot: receiver (HTTP, or Socket Mode with SLACK_APP_TOKEN) and worker')
      .option('--no-worker', 'receiver only; run `egress worker` separately'),
  ).action((opts: ServeFlags) =>
    run(async () => (await import('./cli/serve.js')).serve({ receiver: true, worker: opts.worker }, opts, io)),
  );
  addServeOptions(
    program.command('worker').description('run only the command worker (with /healthz and /metrics)'),
  ).action((opts: Omit<ServeFlags, 'worker'>) =>
    run(async () =>
      (await import('./cli/serve.js')).serve({ receiver: false, worker: true }, { ...opts, worker: true }, io),
    ),
  );

  program
    .command('setup')
    .description("create the Athena database and tables from the VPC NAT gateways' flow-log configuration")
    .option('--vpc <id>', 'VPC whose NAT gateways to set up (default EGRESS_VPC_ID)')
    .option(
      '--resolver-location <s3uri>',
      'where Resolver query logs land (default EGRESS_RESOLVER_LOG_LOCATION, else the flow-log bucket)',
    )
    .option('--dry-run', 'print the DDL and change nothing')
    .action((_opts: SetupFlags, cmd: Commander) =>
      run(async () => (await import('./cli/setup.js')).setupCommand(cmd.optsWithGlobals<SetupFlags>(), io)),
    );
  addDataOptions(
    program
      .command('doctor')
      .description(
        'check configuration, Athena, tables, recent data, flow-log format and NAT coverage, Redis, Kubernetes',
      )
      .option('--vpc <id>', 'VPC to check (default EGRESS_VPC_ID)'),
  ).action((_opts: DoctorFlags, cmd: Commander) =>
    run(async () => (await import('./cli/setup.js')).doctorCommand(cmd.optsWithGlobals<DoctorFlags>(), io)),
  );

  program
    .command('cache')
    .description("the embedded engine's columnar store: status, warm [last N(h|d)] (convert now), clear")
    .argument('<action>', 'status | warm | clear')
    .argument('[window...]', 'for warm and status: last N(h|d) (default EGRESS_MAX_WINDOW)')
    .option('--data <dir>', 'local mirror of the log bucket (default EGRESS_DATA_DIR)')
    .option('--now <iso>', 'as of this time (ISO-8601), default now')
    .action((action: string, words: string[], _opts: CacheFlags, cmd: Commander) =>
      run(async () =>
        (await import('./cli/cache.js')).cacheCommand(action, words, cmd.optsWithGlobals<CacheFlags>(), io),
      ),
    );

  addDataOptions(
    program
      .command('digest')
      .description('print the daily digest (new destinations, DNS bypass, top talkers, NAT cost, REJECTs) for a date')
      .option(
        '--date <YYYY-MM-DD>',
        'the digest of this date (it reports the day before, in EGRESS_TZ); default today',
      ),
    { format: true },
  ).action((_opts: DigestFlags, cmd: Commander) =>
    // Options given before `digest` belong to the root program; merge them so both orders work.
    run(async () => (await import('./cli/digest.js')).digestCli(cmd.optsWithGlobals<DigestFlags>(), io)),
  );
  addDataOptions(
    program
      .command('mcp')
      .description(
        'run the MCP server: over stdio for a local agent, or with --http on EGRESS_MCP_PORT at /mcp (bearer tokens)',
      )
      .option('--http', 'Streamable HTTP on EGRESS_MCP_HOST:EGRESS_MCP_PORT instead of stdio')
      .option('--port <port>', 'with --http: the port (default EGRESS_MCP_PORT)'),
  ).action((_opts: McpFlags, cmd: Commander) =>
    run(async () => (await import('./cli/mcp.js')).mcp(cmd.optsWithGlobals<McpFlags>(), io)),
  );
  return program;
}

/** Entry point for bin/egress; returns the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let code = 0;
  // The specs load only when their grammar is shown: `--version` and the subcommands do not pay for them.
  const wantsHelp = argv.some((a) => a === '--help' || a === '-h');
  const usage = wantsHelp ? (await import('./commands/parse.js')).USAGE.join(' | ') : undefined;
  const program = buildProgram(
    io,
    (c) => {
      code = c;
    },
    usage,
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    const e = err as { code?: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    if (e.code?.startsWith('commander.')) return 2;
    return reportError(err, io);
  }
  return code;
}
