import type { AthenaClient } from '@aws-sdk/client-athena';
import { createAthenaClient } from '../aws/clients.js';
import type { Config } from '../config.js';
import { AthenaEngine } from './athena.js';
import type { Timing } from './athena-poll.js';
import { AthenaRunner } from './athena-runner.js';
import type { QueryEngine } from './types.js';

/** Test seams: a prepared client or a fake clock. Production passes nothing. */
export interface AthenaOverrides {
  client?: AthenaClient;
  timing?: Timing;
  /** A runner built elsewhere (the process's shared one); its client is then not the engine's to close. */
  runner?: AthenaRunner;
}

/** Athena accepts result reuse ages of 1 minute to 7 days. */
const reuseMinutes = (seconds: number) => Math.min(10_080, Math.max(1, Math.ceil(seconds / 60)));

/** The statement runner from the `EGRESS_ATHENA_*` settings (also used by `egress setup` and `egress doctor`). */
export function createAthenaRunner(config: Config, o: AthenaOverrides = {}): AthenaRunner {
  return new AthenaRunner({
    client: o.client ?? createAthenaClient(),
    workGroup: config.EGRESS_ATHENA_WORKGROUP,
    catalog: config.EGRESS_ATHENA_CATALOG,
    database: config.EGRESS_ATHENA_DATABASE,
    outputLocation: config.EGRESS_ATHENA_OUTPUT,
    timeoutMs: config.EGRESS_ATHENA_TIMEOUT * 1000,
    reuseMaxAgeMinutes: reuseMinutes(config.EGRESS_ATHENA_REUSE_MAX_AGE),
    pricePerTb: config.EGRESS_ATHENA_PRICE_PER_TB,
    timing: o.timing,
  });
}

/** Builds the Athena engine from config; the SDK client is released when the engine closes. */
export async function createAthenaEngine(config: Config, o: AthenaOverrides = {}): Promise<QueryEngine> {
  if (o.runner) return new AthenaEngine(o.runner, { flowDayLayout: config.EGRESS_ATHENA_DAY_FORMAT });
  const runner = createAthenaRunner(config, o);
  return new AthenaEngine(runner, {
    flowDayLayout: config.EGRESS_ATHENA_DAY_FORMAT,
    onClose: () => runner.opts.client.destroy(),
  });
}
