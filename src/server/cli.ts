/**
 * `egress serve [--no-worker]` and `egress worker`: the long-running bot processes (`npm start` runs `serve`, which
 * runs the receiver and the worker in one process; split them to scale the worker separately).
 */
import type { Command as Commander } from 'commander';
import type { CliIo } from '../cli.js';
import { loadConfig, requireSlack } from '../config.js';
import { ConfigError } from '../errors.js';
import { createLogger } from '../logger.js';
import { buildDeps } from '../main.js';
import { exitSoon, waitForShutdown } from './shutdown.js';
import { startBot } from './start.js';

interface ServeOptions {
  worker: boolean;
  data?: string;
  k8s?: string;
  port?: string;
}

/** Runs the bot until SIGTERM/SIGINT, then stops gracefully. Returns the exit code. */
export async function serve(mode: { receiver: boolean; worker: boolean }, o: ServeOptions, io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  if (mode.receiver) requireSlack(config);
  else if (!config.SLACK_BOT_TOKEN)
    throw new ConfigError('Invalid configuration:\n  SLACK_BOT_TOKEN: required to post answers');
  const port = o.port === undefined ? undefined : Number(o.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0))
    throw new ConfigError(`--port ${o.port} is not a port number`);
  const logger = createLogger(config.LOG_LEVEL);
  const deps = await buildDeps(config, logger, { dataDir: o.data, k8sFile: o.k8s });
  try {
    const bot = await startBot(deps, { receiver: mode.receiver, worker: mode.worker, port });
    await waitForShutdown(logger);
    await bot.stop();
  } finally {
    await deps.close();
  }
  exitSoon(0);
  return 0;
}

/** Adds `serve` and `worker` to the program. */
export function addServeCommands(
  program: Commander,
  io: CliIo,
  setExit: (code: number) => void,
  onError: (err: unknown, io: CliIo) => number,
): void {
  const common = (c: Commander) =>
    c
      .option('--data <dir>', 'local mirror of the log bucket (default EGRESS_DATA_DIR)')
      .option('--k8s <file>', 'Kubernetes snapshot for attribution (default EGRESS_K8S_SNAPSHOT)')
      .option('--port <port>', 'HTTP port for /slack/events, /healthz and /metrics (default PORT)');
  common(
    program
      .command('serve')
      .description('run the Slack bot: receiver (HTTP, or Socket Mode with SLACK_APP_TOKEN) and worker')
      .option('--no-worker', 'receiver only; run `egress worker` separately'),
  ).action(async (opts: ServeOptions) => {
    setExit(await serve({ receiver: true, worker: opts.worker }, opts, io).catch((err) => onError(err, io)));
  });
  common(program.command('worker').description('run only the command worker (with /healthz and /metrics)')).action(
    async (opts: Omit<ServeOptions, 'worker'>) => {
      setExit(
        await serve({ receiver: false, worker: true }, { ...opts, worker: true }, io).catch((err) => onError(err, io)),
      );
    },
  );
}
