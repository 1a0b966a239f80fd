import {
  DescribeNetworkInterfacesCommand,
  type EC2Client,
  type FlowLog,
  paginateDescribeFlowLogs,
  paginateDescribeNatGateways,
} from '@aws-sdk/client-ec2';
import { ec2Call } from '../aws/errors.js';
import { DEFAULT_FIELDS, missingRequired, parseLogFormat, REQUIRED_FIELDS } from '../flowlogs/fields.js';
import { type FlowDestination, parseS3Arn } from './destination.js';

/** One NAT gateway interface: its flow logs are where pod IPs (pkt-srcaddr) meet internet addresses. */
export interface NatEni {
  natGatewayId: string;
  eniId: string;
  subnetId?: string;
}

/** The flow-log configuration the tables are generated from (shared by every NAT interface). */
export interface FlowLogTarget {
  flowLogIds: string[];
  fields: string[];
  destination: FlowDestination;
  /** Creation day of the oldest chosen flow log, `YYYY-MM-DD`. */
  firstDay: string;
}

/** What DescribeNatGateways/NetworkInterfaces/FlowLogs say about a VPC, judged for egress. */
export interface Discovery {
  vpcId: string;
  accountId?: string;
  natEnis: NatEni[];
  /** Per NAT interface: the flow log chosen for it, or why none is usable. */
  coverage: Array<{ eni: NatEni; flowLog?: FlowLog; problem?: string }>;
  target?: FlowLogTarget;
  /** Each a full sentence with the fix; empty when setup can proceed. */
  problems: string[];
}

/** A LogFormat egress can answer every question from (suggested in refusals). */
export const RECOMMENDED_LOG_FORMAT = [
  ...REQUIRED_FIELDS,
  'version',
  'interface-id',
  'packets',
  'end',
  'log-status',
  'flow-direction',
]
  .map((f) => `\${${f}}`)
  .join(' ');

const createHint = (eni: string) =>
  `aws ec2 create-flow-logs --resource-type NetworkInterface --resource-ids ${eni} --traffic-type ALL ` +
  `--log-destination-type s3 --log-destination arn:aws:s3:::BUCKET/PREFIX --log-format '${RECOMMENDED_LOG_FORMAT}'`;

/** Judges one flow log: usable fields + destination, or the reason it cannot serve egress. */
export function judgeFlowLog(fl: FlowLog): { fields: string[]; destination: FlowDestination } | { reason: string } {
  const id = fl.FlowLogId ?? 'flow log';
  if (fl.LogDestinationType !== 's3') {
    const where =
      fl.LogDestinationType === 'cloud-watch-logs'
        ? `CloudWatch Logs (log group ${fl.LogGroupName ?? fl.LogDestination})`
        : `${fl.LogDestinationType} (${fl.LogDestination})`;
    return { reason: `${id} delivers to ${where}, but Athena reads only S3: add a flow log with an S3 destination.` };
  }
  if (fl.TrafficType === 'REJECT')
    return { reason: `${id} captures only rejected traffic; egress needs TrafficType ALL.` };
  let fields: string[];
  try {
    fields = fl.LogFormat ? parseLogFormat(fl.LogFormat) : [...DEFAULT_FIELDS];
  } catch (err) {
    return { reason: `${id} has a LogFormat egress cannot read (${(err as Error).message}).` };
  }
  const missing = missingRequired(fields);
  if (missing.length > 0) {
    const pkt = missing.filter((f) => f.startsWith('pkt-'));
    const why = pkt.length
      ? ": without pkt-srcaddr/pkt-dstaddr a NAT record shows the NAT's own address instead of the pod's"
      : '';
    return {
      reason: `${id}'s LogFormat lacks ${missing.join(', ')}${why}. Create a flow log with a custom format that includes them.`,
    };
  }
  try {
    const { bucket, prefix } = parseS3Arn(fl.LogDestination ?? '');
    const o = fl.DestinationOptions ?? {};
    const destination: FlowDestination = {
      bucket,
      prefix,
      fileFormat: o.FileFormat === 'parquet' ? 'parquet' : 'plain-text',
      hive: o.HiveCompatiblePartitions === true,
      perHour: o.PerHourPartition === true,
    };
    return { fields, destination };
  } catch (err) {
    return { reason: `${id}: ${(err as Error).message}` };
  }
}

/**
 * Finds the VPC's NAT gateways and their interfaces, the flow logs covering them (on the interface, its subnet or the
 * VPC, most specific first), and decides whether one table can serve them all.
 */
export async function discover(ec2: EC2Client, vpcId: string): Promise<Discovery> {
  const natEnis: NatEni[] = [];
  const nats = paginateDescribeNatGateways(
    { client: ec2 },
    {
      Filter: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'state', Values: ['available'] },
      ],
    },
  );
  await ec2Call('DescribeNatGateways', async () => {
    for await (const page of nats) {
      for (const n of page.NatGateways ?? []) {
        for (const a of n.NatGatewayAddresses ?? []) {
          if (a.NetworkInterfaceId && !natEnis.some((e) => e.eniId === a.NetworkInterfaceId)) {
            natEnis.push({ natGatewayId: n.NatGatewayId ?? '?', eniId: a.NetworkInterfaceId, subnetId: n.SubnetId });
          }
        }
      }
    }
  });
  const out: Discovery = { vpcId, natEnis, coverage: [], problems: [] };
  if (natEnis.length === 0) {
    out.problems.push(
      `No available NAT gateway in ${vpcId}: egress reads the flow logs of NAT gateway interfaces. Check EGRESS_VPC_ID / --vpc.`,
    );
    return out;
  }
  const enis = await ec2Call('DescribeNetworkInterfaces', () =>
    ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: natEnis.map((e) => e.eniId) })),
  );
  out.accountId = enis.NetworkInterfaces?.find((n) => n.OwnerId)?.OwnerId;
  if (!out.accountId)
    out.problems.push('EC2 did not say which account owns the NAT interfaces; cannot derive the S3 key layout.');

  const resources = [
    ...new Set([...natEnis.map((e) => e.eniId), ...natEnis.flatMap((e) => (e.subnetId ? [e.subnetId] : [])), vpcId]),
  ];
  const flowLogs: FlowLog[] = [];
  const pages = paginateDescribeFlowLogs({ client: ec2 }, { Filter: [{ Name: 'resource-id', Values: resources }] });
  await ec2Call('DescribeFlowLogs', async () => {
    for await (const page of pages) flowLogs.push(...(page.FlowLogs ?? []));
  });

  const chosen: Array<{ fl: FlowLog; fields: string[]; destination: FlowDestination }> = [];
  for (const eni of natEnis) {
    const rank = (fl: FlowLog) => [eni.eniId, eni.subnetId, vpcId].indexOf(fl.ResourceId);
    const covering = flowLogs
      .filter((fl) => rank(fl) >= 0 && fl.FlowLogStatus !== 'INACTIVE')
      .sort((a, b) => rank(a) - rank(b));
    const judged = covering.map((fl) => ({ fl, j: judgeFlowLog(fl) }));
    const ok = judged.find((x) => 'fields' in x.j);
    if (ok && 'fields' in ok.j) {
      chosen.push({ fl: ok.fl, ...ok.j });
      out.coverage.push({ eni, flowLog: ok.fl });
      continue;
    }
    const problem = covering.length
      ? `No usable flow log covers NAT interface ${eni.eniId} (${eni.natGatewayId}): ${judged.map((x) => ('reason' in x.j ? x.j.reason : '')).join(' ')}`
      : `No flow log covers NAT interface ${eni.eniId} (${eni.natGatewayId}). Create one: ${createHint(eni.eniId)}`;
    out.coverage.push({ eni, problem });
    out.problems.push(problem);
  }
  if (out.problems.length > 0) return out;

  const key = (c: (typeof chosen)[number]) => JSON.stringify([c.fields, c.destination]);
  if (new Set(chosen.map(key)).size > 1) {
    const list = [...new Map(chosen.map((c) => [c.fl.FlowLogId, c])).values()]
      .map(
        (c) => `${c.fl.FlowLogId} → s3://${c.destination.bucket}/${c.destination.prefix} (${c.fields.length} fields)`,
      )
      .join('; ');
    out.problems.push(
      `The NAT interfaces' flow logs differ in format or destination (${list}); one table needs one: give them the same LogFormat and destination.`,
    );
    return out;
  }
  const first = chosen[0] as (typeof chosen)[number];
  const days = chosen
    .map((c) => c.fl.CreationTime?.toISOString().slice(0, 10))
    .filter((d): d is string => !!d)
    .sort();
  out.target = {
    flowLogIds: [...new Set(chosen.map((c) => c.fl.FlowLogId ?? '?'))],
    fields: first.fields,
    destination: first.destination,
    firstDay: days[0] ?? '2020-01-01',
  };
  return out;
}
