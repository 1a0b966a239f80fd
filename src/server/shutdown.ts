/**
 * SIGTERM/SIGINT handling for long-running processes: the first signal starts a graceful stop, a second one exits at
 * once (an operator pressing Ctrl-C twice means it).
 */
import type { Logger } from '../logger.js';

/** Resolves with the first SIGTERM/SIGINT; a second one exits the process with 130. */
export function waitForShutdown(logger: Logger, proc: NodeJS.Process = process): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) {
        logger.warn({ signal }, 'second signal: exiting now');
        proc.exit(130);
      }
      received = true;
      logger.info({ signal }, 'shutdown requested');
      resolve(signal);
    };
    proc.on('SIGTERM', onSignal);
    proc.on('SIGINT', onSignal);
  });
}

/**
 * After a clean stop, exits with `code` if something (a stray socket or timer) would keep the process alive. The timer
 * is unref'd, so a process that ends by itself ends sooner.
 */
export function exitSoon(code: number, ms = 5_000, proc: NodeJS.Process = process): void {
  setTimeout(() => proc.exit(code), ms).unref();
}
