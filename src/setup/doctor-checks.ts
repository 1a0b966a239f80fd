import { GetWorkGroupCommand } from '@aws-sdk/client-athena';
import type { Config } from '../config.js';
import { layoutOf } from '../engine/athena-days.js';
import { mapAthenaError } from '../engine/athena-errors.js';
import type { AthenaRunner } from '../engine/athena-runner.js';
import { EgressError } from '../errors.js';
import { columnName } from '../flowlogs/fields.js';
import type { Discovery } from './discover.js';

/** One line of `egress doctor`. */
export interface CheckResult {
  name: string;
  status: 'ok' | 'fail' | 'skip';
  detail: string;
  /** What to do about a failure, as a sentence. */
  fix?: string;
}

const SETUP_FIX = 'run `egress setup` (it creates the database and both tables).';

/** A fix-it sentence for a coded error (its message usually says it already; these add the next step). */
export function fixFor(err: unknown): string {
  const code = err instanceof EgressError ? err.code : undefined;
  if (code === 'TABLE_MISSING') return SETUP_FIX;
  if (code === 'ACCESS_DENIED') return 'grant the IAM action named above to the role egress runs as.';
  if (code === 'CONFIG') return 'set the variable named above and run `egress doctor` again.';
  if (code === 'THROTTLED' || code === 'UPSTREAM')
    return 'check network access to AWS (AWS_REGION, proxies, endpoints) and retry.';
  return 'see the message above; `EGRESS_DEBUG=1` shows more.';
}

export const fail = (name: string, err: unknown): CheckResult => ({
  name,
  status: 'fail',
  detail: (err as Error).message.replace(/\s*\n\s*/g, ' '),
  fix: fixFor(err),
});

/** GetWorkGroup: credentials, region, endpoint and the workgroup all work; results have somewhere to go. */
export async function checkAthenaReachable(runner: AthenaRunner, config: Config): Promise<CheckResult> {
  const name = 'Athena reachable';
  try {
    const wg = (await runner.opts.client.send(new GetWorkGroupCommand({ WorkGroup: config.EGRESS_ATHENA_WORKGROUP })))
      .WorkGroup;
    const c = wg?.Configuration;
    const output =
      (c?.EnforceWorkGroupConfiguration ? undefined : config.EGRESS_ATHENA_OUTPUT) ??
      c?.ResultConfiguration?.OutputLocation;
    const version = c?.EngineVersion?.EffectiveEngineVersion ?? 'engine version unknown';
    if (!output) {
      return {
        name,
        status: 'fail',
        detail: `workgroup ${wg?.Name} has no query result location`,
        fix: 'set EGRESS_ATHENA_OUTPUT=s3://bucket/prefix/ or give the workgroup a result location.',
      };
    }
    return { name, status: 'ok', detail: `workgroup ${wg?.Name} (${version}), results → ${output}` };
  } catch (err) {
    return fail(name, mapAthenaError(err, 'GetWorkGroup'));
  }
}

/** SHOW TABLES: both tables exist in the configured database. */
export async function checkTables(runner: AthenaRunner, config: Config): Promise<CheckResult & { present: string[] }> {
  const name = 'tables exist';
  const db = config.EGRESS_ATHENA_DATABASE;
  try {
    const r = await runner.run(`SHOW TABLES IN \`${db}\``, [], { reuse: false });
    const present = r.rows.map((row) => String(Object.values(row)[0]));
    const missing = ['vpc_flow_logs_nat', 'resolver_query_logs'].filter((t) => !present.includes(t));
    if (missing.length) {
      return {
        name,
        present,
        status: 'fail',
        detail: `${missing.join(' and ')} missing from database ${db}`,
        fix: SETUP_FIX,
      };
    }
    return {
      name,
      present,
      status: 'ok',
      detail: `vpc_flow_logs_nat and resolver_query_logs in ${config.EGRESS_ATHENA_CATALOG}.${db}`,
    };
  } catch (err) {
    return { ...fail(name, err), present: [], fix: SETUP_FIX };
  }
}

/** Flow-log format and NAT coverage, from what `egress setup` would find. */
export function checkFlowLogs(d: Discovery): CheckResult[] {
  const uncovered = d.coverage.filter((c) => !c.flowLog);
  const noneAtAll = d.problems.filter((p) => p.startsWith('No flow log covers') || p.startsWith('No available NAT'));
  const formatProblems = d.problems.filter((p) => !noneAtAll.includes(p));
  const t = d.target;
  const snat =
    'pod IPs reach the NAT only with AWS_VPC_K8S_CNI_EXTERNALSNAT=true on aws-node (otherwise pkt-srcaddr is the node)';
  return [
    t
      ? {
          name: 'flow-log format usable',
          status: 'ok',
          detail: `${t.flowLogIds.join(', ')}: S3 ${t.destination.fileFormat}, ${t.fields.length} fields incl. pkt-srcaddr/pkt-dstaddr`,
        }
      : {
          name: 'flow-log format usable',
          status: formatProblems.length ? 'fail' : 'skip',
          detail: formatProblems.join(' ') || 'no flow log to judge',
          fix: formatProblems.length
            ? `create a flow log on the NAT interfaces with an S3 destination and a LogFormat including \${pkt-srcaddr} \${pkt-dstaddr}, then run \`egress setup\`.`
            : undefined,
        },
    uncovered.length === 0 && d.natEnis.length > 0
      ? {
          name: 'NAT ENIs covered',
          status: 'ok',
          detail: `${d.natEnis.length}/${d.natEnis.length} NAT interfaces (${d.coverage.map((c) => `${c.eni.eniId} ← ${c.flowLog?.FlowLogId}`).join(', ')}); reminder: ${snat}`,
        }
      : {
          name: 'NAT ENIs covered',
          status: 'fail',
          detail:
            `${d.natEnis.length - uncovered.length}/${d.natEnis.length} NAT interfaces have a usable flow log. ${noneAtAll.join(' ')}`.trim(),
          fix: `add an S3 flow log to ${uncovered.map((c) => c.eni.eniId).join(', ') || 'the NAT interfaces'}; also ${snat}.`,
        },
  ];
}

/** Compares the flow table's columns and layout (SHOW CREATE TABLE) with the flow log as it is today. */
export async function checkTableMatches(runner: AthenaRunner, config: Config, d: Discovery): Promise<CheckResult> {
  const name = 'table matches flow log';
  const t = d.target;
  if (!t) return { name, status: 'skip', detail: 'no usable flow log to compare with' };
  try {
    const db = config.EGRESS_ATHENA_DATABASE;
    const r = await runner.run(`SHOW CREATE TABLE \`${db}\`.\`vpc_flow_logs_nat\``, [], { reuse: false });
    const text = r.rows.map((row) => String(Object.values(row)[0] ?? '')).join('\n');
    const body = text.split(/\n\s*\)\s*\n|PARTITIONED BY/i)[0] ?? '';
    const columns = [...body.matchAll(/^\s*`([A-Za-z0-9_]+)`\s+\w/gm)].map((m) => (m[1] as string).toLowerCase());
    const want = t.fields.map(columnName);
    if (columns.join(',') !== want.join(',')) {
      return {
        name,
        status: 'fail',
        detail: `the table's ${columns.length} columns differ from ${t.flowLogIds.join(', ')}'s ${want.length}-field LogFormat (changed since setup?)`,
        fix: 're-run `egress setup` to re-create the table for the current format.',
      };
    }
    const layout = layoutOf(t.destination);
    if (/aws-account-id=/.test(text) !== t.destination.hive) {
      return {
        name,
        status: 'fail',
        detail: `the table's partition layout is not the destination's (${layout})`,
        fix: 're-run `egress setup`.',
      };
    }
    if (config.EGRESS_ATHENA_DAY_FORMAT !== layout) {
      return {
        name,
        status: 'fail',
        detail: `the destination uses ${layout} day partitions but EGRESS_ATHENA_DAY_FORMAT=${config.EGRESS_ATHENA_DAY_FORMAT}`,
        fix: `set EGRESS_ATHENA_DAY_FORMAT=${layout}.`,
      };
    }
    return {
      name,
      status: 'ok',
      detail: `${want.length} columns in LogFormat order, ${layout} partitions`,
    };
  } catch (err) {
    return fail(name, err);
  }
}
