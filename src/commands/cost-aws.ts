/**
 * Finds the NAT traffic to AWS services for `cost`: every internet peer's bytes (nat-peers.sql), which of them are
 * AWS (flow-log field, ip-ranges.json) and which endpoint serves them (resolver names), then who sent it
 * (peer-talkers.sql, attributed per bucket). Three queries at most; none when the window had no NAT traffic.
 */
import { domainsForMany } from '../dns/domains.js';
import { flowWindowParams, MAX_IPS, P } from '../engine/params.js';
import type { QueryResult } from '../engine/types.js';
import type { Window } from '../flowlogs/window.js';
import { classifyPeer } from './aws-services.js';
import { type AttributedRow, attributeRows } from './buckets.js';
import { type CommandContext, DEFAULT_INTERFACE_ENDPOINT } from './context.js';
import { type AvoidableRow, avoidableRows, type PeerBytes } from './cost-avoidable.js';

/** The avoidable part and what it was made from. */
export interface AvoidableTraffic {
  rows: AvoidableRow[];
  results: QueryResult[];
  attributed: AttributedRow[];
  notes: string[];
}

const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;

/** Runs the queries and prices the result; `granularity` is the attribution bucket of the window. */
export async function avoidableTraffic(
  ctx: CommandContext,
  window: Window,
  granularity: number,
): Promise<AvoidableTraffic> {
  const opts = { signal: ctx.signal };
  const flow = flowWindowParams(window);
  let peersRes: QueryResult;
  try {
    peersRes = await ctx.engine.run(
      'nat-peers',
      { ...flow, internal_cidrs: P.cidrs(ctx.classifier.internalCidrs) },
      opts,
    );
  } catch (err) {
    // A table `egress setup` created before it added the column: the rest of `cost` still answers.
    if (!/pkt_dst_aws_service/i.test((err as Error).message)) throw err;
    const note = 'AWS-service savings: the flow-log table has no pkt_dst_aws_service column; run `egress setup` again';
    return { rows: [], results: [], attributed: [], notes: [note] };
  }
  const results: QueryResult[] = [peersRes];
  const notes: string[] = [];
  const ranges = ctx.awsRanges;
  const all = peersRes.rows.map((r) => ({
    peer: String(r.peer),
    field: r.aws_service === null || r.aws_service === undefined ? null : String(r.aws_service),
    bytes: Number(r.nat_out) + Number(r.nat_in),
  }));
  const aws = all.filter((p) => p.field || ranges?.lookup(p.peer)).sort((a, b) => b.bytes - a.bytes);
  if (aws.length > MAX_IPS)
    notes.push(`AWS savings: the ${MAX_IPS} AWS addresses with the most bytes of ${aws.length} looked at`);
  const looked = aws.slice(0, MAX_IPS);
  const dns = await domainsForMany(
    ctx.engine,
    looked.map((p) => p.peer),
    window,
    ctx.limits.dnsLookbackSeconds,
    opts,
  );
  if (dns.result) results.push(dns.result);
  const peers: PeerBytes[] = [];
  let unnamed = 0;
  for (const p of looked) {
    const names = (dns.byIp.get(p.peer) ?? []).map((d) => d.name);
    const a = classifyPeer(p.peer, p.field, names, ranges);
    if (!a) continue;
    if (a.endpoint) peers.push({ peer: p.peer, bytes: p.bytes, aws: a });
    else if (a.awsService === 'AMAZON') unnamed += p.bytes;
  }
  let attributed: AttributedRow[] = [];
  if (peers.length) {
    const res = await ctx.engine.run(
      'peer-talkers',
      { ips: P.ips(peers.map((p) => p.peer)), granularity: P.int(granularity), ...flow },
      opts,
    );
    results.push(res);
    attributed = await attributeRows(res.rows, ctx.attribution);
  }
  const ie = ctx.limits.interfaceEndpoint ?? DEFAULT_INTERFACE_ENDPOINT;
  const rows = avoidableRows(peers, attributed, window.to - window.from, {
    natPricePerGb: ctx.limits.natPricePerGb,
    ...ie,
  });
  notes.push(
    ranges
      ? `AWS services: by the flow log's pkt-dst-aws-service where its format has it, else AWS's ip-ranges.json of ${ranges.createDate}`
      : "AWS services: only where the flow-log format has pkt-dst-aws-service; set EGRESS_AWS_IP_RANGES (`egress setup` fetches AWS's ip-ranges.json) to recognise the rest",
  );
  if (rows.length) {
    notes.push(
      `Savings a month (30 days, from this window): gateway endpoints (S3, DynamoDB) cost nothing; an interface endpoint costs $${ie.pricePerGb}/GB plus $${ie.hourlyPerAz}/h in each of ${ie.azCount} AZs (EGRESS_INTERFACE_ENDPOINT_PRICE_PER_GB, EGRESS_INTERFACE_ENDPOINT_HOURLY, EGRESS_AZ_COUNT); a gateway endpoint serves its own region only`,
    );
  }
  if (unnamed)
    notes.push(`${gib(unnamed)} to other AWS addresses had no regional name to tell their endpoint (resolver answers)`);
  return { rows, results, attributed, notes };
}
