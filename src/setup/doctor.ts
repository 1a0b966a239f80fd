import { type Config, loadConfig } from '../config.js';
import type { AthenaRunner } from '../engine/athena-runner.js';
import { runHealthChecks } from '../health.js';
import { createLogger } from '../logger.js';
import { buildDeps, type Deps } from '../main.js';
import { discover } from './discover.js';
import {
  type CheckResult,
  checkAthenaReachable,
  checkFlowLogs,
  checkTableMatches,
  checkTables,
  fixFor,
} from './doctor-checks.js';
import { checkRecentData } from './doctor-data.js';

/** Inputs of {@link runDoctor}: the environment and CLI flags, plus seams for tests. */
export interface DoctorOptions {
  env: NodeJS.ProcessEnv;
  /** Epoch seconds the "last 24 h" check is relative to. */
  now: number;
  engine?: 'duckdb' | 'athena';
  dataDir?: string;
  k8sFile?: string;
  vpcId?: string;
}

/** Health checks registered by other components have no fix-it of their own; these are the usual next steps. */
function healthFix(name: string): string {
  if (/redis/i.test(name)) return 'check REDIS_URL and that Redis is running and reachable.';
  if (/kube|cluster|k8s/i.test(name))
    return 'check cluster access (KUBECONFIG / EGRESS_K8S_CONTEXT / in-cluster service account) and RBAC to list and watch pods.';
  return 'see the detail; the component that registered this check explains it in its logs.';
}

/** Pings REDIS_URL when it was set explicitly and nothing else registered a Redis check. */
async function redisCheck(deps: Deps, url: string): Promise<CheckResult> {
  const redis = await deps.redis('probe');
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
  const deps = buildDeps(config, createLogger('silent', 2), { dataDir: o.dataDir, k8sFile: o.k8sFile, engine });
  try {
    if (engine === 'athena') {
      runner = await deps.athena();
      results.push(await checkAthenaReachable(runner, config));
      const tables = await checkTables(runner, config);
      tablesPresent = tables.present;
      results.push({ name: tables.name, status: tables.status, detail: tables.detail, fix: tables.fix });
    }
    try {
      const [queryEngine, attribution] = await Promise.all([deps.engine(), deps.attribution()]);
      results.push({
        name: 'query engine',
        status: 'ok',
        detail: `${engine} ready; attribution: ${attribution.describe()}`,
      });
      if (engine === 'duckdb' || tablesPresent.length === 2) {
        results.push(...(await checkRecentData(queryEngine, o.now)));
      } else results.push({ name: 'log data (24 h)', status: 'skip', detail: 'not checked until the tables exist' });
    } catch (err) {
      results.push({ name: 'query engine', status: 'fail', detail: (err as Error).message, fix: fixFor(err) });
    }
    const vpcId = o.vpcId ?? config.EGRESS_VPC_ID;
    if (vpcId) {
      try {
        const d = await discover(await deps.ec2(), vpcId);
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
    const health = await runHealthChecks(deps.healthChecks);
    for (const c of health.checks) {
      results.push({
        name: c.name,
        status: c.ok ? 'ok' : 'fail',
        detail: c.detail,
        fix: c.ok ? undefined : healthFix(c.name),
      });
    }
    if (o.env.REDIS_URL && !health.checks.some((c) => /redis/i.test(c.name)))
      results.push(await redisCheck(deps, config.REDIS_URL));
  } finally {
    await deps.close();
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
