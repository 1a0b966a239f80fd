import type { QueryEvent } from './dns-lines.js';
import { type FlowRecord, natRecords, statusRecord } from './flow-records.js';
import { derive } from './prng.js';
import { SCRIPTED, SCRIPTED_STATUS, shift } from './scenario.js';
import { ASK_QUERIES, ASK_SCRIPTED } from './scenario-ask.js';
import { AWS_QUERIES, AWS_SCRIPTED } from './scenario-aws.js';
import { SCRIPTED_QUERIES } from './scenario-dns.js';

/**
 * Flow records of the scripted scenario whose start falls in [from, to). Ports come from the flow id alone (not the
 * world seed), so the two intervals of one download share their 5-tuple, and every seed yields the same scenario.
 */
export function scriptedFlowRecords(now: number, from: number, to: number): FlowRecord[] {
  const out: FlowRecord[] = [];
  for (const s of [...SCRIPTED, ...ASK_SCRIPTED, ...AWS_SCRIPTED]) {
    const start = shift(s.at, now);
    if (start < from || start >= to) continue;
    const ports = derive(0, 'ports', s.flow);
    out.push(
      ...natRecords({
        start,
        src: s.src,
        dst: s.dst,
        sport: ports.int(32768, 60999),
        natPort: ports.int(1024, 65535),
        dport: s.dport,
        protocol: s.protocol,
        bytesOut: s.out,
        bytesIn: s.in,
        action: s.action ?? 'ACCEPT',
        returnOnly: s.returnOnly,
      }),
    );
  }
  for (const s of SCRIPTED_STATUS) {
    const start = shift(s.at, now);
    if (start >= from && start < to) out.push(statusRecord(start, s.status));
  }
  return out;
}

/** Resolver queries of the scripted scenario whose timestamp falls in [from, to). */
export function scriptedQueries(now: number, from: number, to: number): QueryEvent[] {
  return [...SCRIPTED_QUERIES, ...ASK_QUERIES, ...AWS_QUERIES]
    .map((q) => ({
      at: shift(q.at, now),
      name: q.name,
      type: q.type,
      rcode: q.rcode ?? 'NOERROR',
      answers: q.answers,
    }))
    .filter((q) => q.at >= from && q.at < to);
}

/** Groups items into the slice (capture window) their time falls in. */
export function bucket<T>(items: readonly T[], time: (item: T) => number, slice: number): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const item of items) {
    const key = Math.floor(time(item) / slice) * slice;
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  }
  return map;
}
