import type { AthenaClient } from '@aws-sdk/client-athena';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { createEc2Client } from '../aws/clients.js';
import { type Config, loadConfig } from '../config.js';
import { createAthenaRunner } from '../engine/athena-factory.js';
import type { Timing } from '../engine/athena-poll.js';
import type { AthenaRunner } from '../engine/athena-runner.js';
import { runHealthChecks } from '../health.js';
import { createLogger } from '../logger.js';
import { buildDeps, type Deps } from '../main.js';
import { createRedis } from '../redis.js';
import { discover } from './discover.js';
import {
  type CheckResult,
  checkAthenaReachable,
  checkFlowLogs,
  checkRecentData,
  checkTableMatches,
  checkTables,
  fixFor,
} from './doctor-checks.js';

/** Inputs of {@link runDoctor}: the environment and CLI flags, plus seams for tests. */
export interface DoctorOptions {
  env: NodeJS.ProcessEnv;
  /** Epoch seconds the "last 24 h" check is relative to. */
  now: number;
  engine?: 'duckdb' | 'athena';
  dataDir?: string;
  k8sFile?: string;
  vpcId?: string;
  athenaClient?: AthenaClient;
  ec2?: EC2Client;
  timing?: Timing;
}

/** Health checks registered by other components have no fix-it of their own; these are the usual next steps. */
function healthFix(name: string): string {
  if (/redis/i.test(name)) return 'check REDIS_URL and that Redis is running and reachable.';
  if (/kube|cluster|k8s/i.test(name))
    return 'check cluster access (KUBECONFIG / EGRESS_K8S_CONTEXT / in-cluster service account) and RBAC to list and watch pods.';
  return 'see the detail; the component that registered this check explains it in its logs.';
}

/** Pings REDIS_URL when it was set explicitly and nothing else registered a Redis check. */
async function redisCheck(url: string): Promise<CheckResult> {
  const redis = createRedis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return { name: 'Redis reachable', status: 'ok', detail: url.replace(/\/\/[^@/]*@/, '//***@') };
  } catch (err) {
    return { name: 'Redis reachable', status: 'fail', detail: (err as Error).message, fix: healthFix('redis') };
  } finally {
    redis.disconnect();
  }
}

/**
 * `egress doctor`: every check that decides whether answers can be right, each with a fix-it sentence. Configuration
 * first (nothing else runs without it), then Athena (reachable, tables), data arriving through the configured engine,
 * the flow-log configuration on the NAT interfaces (EC2), and the health checks other components registered
 * (Redis, Kubernetes).
 */
export async function runDoctor(o: DoctorOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let config: Config;
  try {
    config = loadConfig(o.env);
  } catch (err) {
    results.push({
      name: 'config',
      status: 'fail',
      detail: (err as Error).message.replace(/\s*\n\s*/g, ' '),
      fix: 'fix the variables listed, then run `egress doctor` again.',
    });
    return results;
  }
  const engine = o.engine ?? config.EGRESS_ENGINE;
  results.push({
    name: 'config',
    status: 'ok',
    detail: `valid (engine ${engine}, workgroup ${config.EGRESS_ATHENA_WORKGROUP}, database ${config.EGRESS_ATHENA_DATABASE})`,
  });
  let runner: AthenaRunner | undefined;
  let tablesPresent: string[] = [];
  let deps: Deps | undefined;
  let ownEc2: EC2Client | undefined;
  try {
    if (engine === 'athena') {
      runner = createAthenaRunner(config, { client: o.athenaClient, timing: o.timing });
      results.push(await checkAthenaReachable(runner, config));
      const tables = await checkTables(runner, config);
      tablesPresent = tables.present;
      results.push({ name: tables.name, status: tables.status, detail: tables.detail, fix: tables.fix });
    }
    try {
      deps = await buildDeps(config, createLogger('silent', 2), { dataDir: o.dataDir, k8sFile: o.k8sFile, engine });
      results.push({
        name: 'query engine',
        status: 'ok',
        detail: `${engine} ready; attribution: ${deps.attribution.describe()}`,
      });
      if (engine === 'duckdb' || tablesPresent.length === 2) {
        results.push(...(await checkRecentData(deps.engine, o.now)));
      } else results.push({ name: 'log data (24 h)', status: 'skip', detail: 'not checked until the tables exist' });
    } catch (err) {
      results.push({ name: 'query engine', status: 'fail', detail: (err as Error).message, fix: fixFor(err) });
    }
    const vpcId = o.vpcId ?? config.EGRESS_VPC_ID;
    if (vpcId) {
      ownEc2 = o.ec2 ? undefined : createEc2Client();
      try {
        const d = await discover(o.ec2 ?? (ownEc2 as EC2Client), vpcId);
        results.push(...checkFlowLogs(d));
        if (runner && tablesPresent.includes('vpc_flow_logs_nat'))
          results.push(await checkTableMatches(runner, config, d));
      } catch (err) {
        results.push({
          name: 'flow logs on NAT ENIs',
          status: 'fail',
          detail: (err as Error).message,
          fix: fixFor(err),
        });
      }
    } else {
      results.push({
        name: 'flow logs on NAT ENIs',
        status: engine === 'athena' ? 'fail' : 'skip',
        detail: 'EGRESS_VPC_ID is not set, so the NAT gateways and their flow logs were not checked',
        fix: engine === 'athena' ? 'set EGRESS_VPC_ID=vpc-… (or pass --vpc).' : undefined,
      });
    }
    const health = deps ? await runHealthChecks(deps.healthChecks) : { checks: [] };
    for (const c of health.checks) {
      results.push({
        name: c.name,
        status: c.ok ? 'ok' : 'fail',
        detail: c.detail,
        fix: c.ok ? undefined : healthFix(c.name),
      });
    }
    if (o.env.REDIS_URL && !health.checks.some((c) => /redis/i.test(c.name)))
      results.push(await redisCheck(config.REDIS_URL));
  } finally {
    await deps?.close();
    if (!o.athenaClient) runner?.opts.client.destroy();
    ownEc2?.destroy();
  }
  return results;
}

const ICON = { ok: '✅', fail: '❌', skip: '➖' } as const;

/** One line per check: `✅ name: detail` or `❌ name: detail → fix: …`, then a summary line. */
export function formatDoctor(results: CheckResult[]): string {
  const lines = results.map(
    (r) => `${ICON[r.status]} ${r.name}: ${r.detail}${r.status === 'fail' && r.fix ? ` → fix: ${r.fix}` : ''}`,
  );
  const failed = results.filter((r) => r.status === 'fail').length;
  lines.push(failed ? `${failed} check${failed === 1 ? '' : 's'} failed.` : 'All checks passed.');
  return `${lines.join('\n')}\n`;
}
