/**
 * `egress serve [--no-worker]` and `egress worker`: the long-running bot processes (`npm start` runs `serve`, which
 * runs the receiver and the worker in one process; split them to scale the worker separately).
 */
import { loadConfig, requireSlack } from '../config.js';
import { ConfigError } from '../errors.js';
import { createLogger } from '../logger.js';
import { buildDeps } from '../main.js';
import { exitSoon, waitForShutdown } from '../server/shutdown.js';
import { startBot } from '../server/start.js';
import type { CliIo } from './io.js';

export interface ServeFlags {
  worker: boolean;
  data?: string;
  k8s?: string;
  port?: string;
}

/** Runs the bot until SIGTERM/SIGINT, then stops gracefully (one path: `deps.close()`). Returns the exit code. */
export async function serve(mode: { receiver: boolean; worker: boolean }, o: ServeFlags, io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  if (mode.receiver) requireSlack(config);
  else if (!config.SLACK_BOT_TOKEN)
    throw new ConfigError('Invalid configuration:\n  SLACK_BOT_TOKEN: required to post answers');
  const port = o.port === undefined ? undefined : Number(o.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0))
    throw new ConfigError(`--port ${o.port} is not a port number`);
  const deps = buildDeps(config, createLogger(config.LOG_LEVEL), { dataDir: o.data, k8sFile: o.k8s });
  try {
    await startBot(deps, { receiver: mode.receiver, worker: mode.worker, port });
    await waitForShutdown(deps.logger);
  } finally {
    await deps.close();
  }
  exitSoon(0);
  return 0;
}
