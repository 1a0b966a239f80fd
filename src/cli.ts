import { Command as Commander } from 'commander';
import { addDataOptions } from './cli-options.js';
import { runCommand } from './commands/index.js';
import { parseCommand } from './commands/parse.js';
import { loadConfig } from './config.js';
import { addDigestCommand } from './digest/cli.js';
import { EgressError, isUserError, publicMessage } from './errors.js';
import { createClassifier } from './flowlogs/classify.js';
import { createLogger } from './logger.js';
import { buildDeps, commandContext } from './main.js';
import { renderJson } from './render/json.js';
import { renderText } from './render/text.js';
import { addServeCommands } from './server/cli.js';
import { addSetupCommands } from './setup/cli.js';

/** Output streams and exit, injectable so tests run the CLI in-process. */
export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** Current time when --now is not given (epoch seconds). */
  clock: () => number;
}

const defaultIo: CliIo = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
  clock: () => Math.floor(Date.now() / 1000),
};

interface AskOptions {
  data?: string;
  k8s?: string;
  now?: string;
  format: 'text' | 'json';
  engine?: 'duckdb' | 'athena';
}

/** Parses `--now` (ISO-8601) to epoch seconds, or explains the expected form. */
export function parseNow(text: string | undefined, clock: () => number): number {
  if (text === undefined) return clock();
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(ms)) {
    throw new EgressErrorUser(`--now "${text}" is not an ISO-8601 time; write e.g. --now 2026-11-20T12:00:00Z`);
  }
  return Math.floor(ms / 1000);
}

class EgressErrorUser extends EgressError {
  constructor(message: string) {
    super('BAD_COMMAND', message);
  }
}

/** Runs `egress <command text…>` and returns the process exit code: 0 answered, 2 bad input, 1 other failure. */
export async function ask(words: string[], o: AskOptions, io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const now = parseNow(o.now, io.clock);
  const cmd = parseCommand(words.join(' '), {
    maxWindowSeconds: config.EGRESS_MAX_WINDOW,
    classifier: createClassifier(config.EGRESS_VPC_CIDRS),
  });
  if (cmd.name === 'help') {
    const answer = await runCommand(cmd, {} as never);
    io.out(o.format === 'json' ? `${JSON.stringify(renderJson(answer), null, 2)}\n` : `${renderText(answer)}\n`);
    return 0;
  }
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, 2);
  const deps = await buildDeps(config, logger, { dataDir: o.data, k8sFile: o.k8s, engine: o.engine });
  try {
    const answer = await runCommand(cmd, commandContext(deps, now));
    io.out(o.format === 'json' ? `${JSON.stringify(renderJson(answer), null, 2)}\n` : `${renderText(answer)}\n`);
    for (const s of answer.skipped) io.err(`warning: skipped unreadable object ${s.key}: ${s.reason}\n`);
    return 0;
  } finally {
    await deps.close();
  }
}

/** Maps an error to the exit code and a one-line message on stderr. */
export function reportError(err: unknown, io: CliIo): number {
  if (isUserError(err) || err instanceof EgressErrorUser) {
    io.err(`egress: ${(err as Error).message}\n`);
    return 2;
  }
  if (err instanceof EgressError && err.code === 'CONFIG') {
    io.err(`egress: ${err.message}\n`);
    return 2;
  }
  io.err(`egress: ${err instanceof EgressError ? err.message : publicMessage(err)}\n`);
  if (!(err instanceof EgressError) && io.env.EGRESS_DEBUG) io.err(`${(err as Error)?.stack}\n`);
  return 1;
}

/** Builds the commander program; subcommands are added by the modules that own them. */
export function buildProgram(io: CliIo, setExit: (code: number) => void): Commander {
  const program = new Commander('egress');
  addDataOptions(program, { format: true })
    .description('Who in your EKS cluster talks to the internet — from VPC Flow Logs and Route 53 Resolver logs')
    .version('0.1.0')
    .argument(
      '[command...]',
      'who <ip> | dns-bypass | domain <ip> | ip-history <ip> | top [by …] | cost [by …] | rejects, each [last N(h|d)] | help',
    )
    .allowExcessArguments(true)
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .action(async (words: string[], opts: AskOptions) => {
      setExit(await ask(words.length ? words : ['help'], opts, io).catch((err) => reportError(err, io)));
    });
  addServeCommands(program, io, setExit, reportError);
  addSetupCommands(program, io, setExit, reportError);
  addDigestCommand(program, io, setExit, reportError);
  return program;
}

/** Entry point for bin/egress. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    if (e.code?.startsWith('commander.')) return 2;
    return reportError(err, io);
  }
  return code;
}
