import { type CliIo, main } from '../../src/cli.js';

/** What one in-process CLI run produced. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs `egress <argv>` in-process with captured streams, the given environment (nothing of the test process's) and a
 * fixed clock (epoch seconds), so the CLI contract is tested exactly as a user runs it, minus the process boundary.
 */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}, now = 0): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    env,
    clock: () => now,
  };
  const code = await main(argv, io);
  return { code, out, err };
}
