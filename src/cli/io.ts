import { EgressError, isUserError, publicMessage } from '../errors.js';

/** Output streams, environment and clock, injectable so tests run the CLI in-process. */
export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** Current time when --now is not given (epoch seconds). */
  clock: () => number;
}

export const defaultIo: CliIo = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
  clock: () => Math.floor(Date.now() / 1000),
};

/** Maps an error to the exit code and a one-line message on stderr: 2 for the user's (or config's) to fix, else 1. */
export function reportError(err: unknown, io: CliIo): number {
  if (isUserError(err) || (err instanceof EgressError && err.code === 'CONFIG')) {
    io.err(`egress: ${(err as Error).message}\n`);
    return 2;
  }
  io.err(`egress: ${err instanceof EgressError ? err.message : publicMessage(err)}\n`);
  if (!(err instanceof EgressError) && io.env.EGRESS_DEBUG) io.err(`${(err as Error)?.stack}\n`);
  return 1;
}

/** Runs a subcommand's body and turns what it throws into the exit code. */
export function guarded(io: CliIo, setExit: (code: number) => void, body: () => Promise<number>): Promise<void> {
  return body().then(setExit, (err: unknown) => setExit(reportError(err, io)));
}
