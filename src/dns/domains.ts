import { dnsWindowParams, P } from '../engine/params.js';
import type { QueryEngine, QueryResult, RunOptions } from '../engine/types.js';
import { canonicalIp } from '../flowlogs/classify.js';

/** A name that resolved to the asked address, with the CNAME targets in the same answers. */
export interface DomainHit {
  name: string;
  cnames: string[];
  queries: number;
  firstSeen: number;
  lastSeen: number;
}

import type { Window } from '../flowlogs/window.js';

/**
 * Names that resolved to `ip` (A/AAAA answers) in the window extended back by the lookback, since answers are cached
 * by clients and the lookup often precedes the traffic. Returns hits sorted by name plus the query result (stats).
 */
export async function domainsFor(
  engine: QueryEngine,
  ip: string,
  window: Window,
  lookbackSeconds: number,
  options?: RunOptions,
): Promise<{ hits: DomainHit[]; result: QueryResult }> {
  const result = await engine.run('ip-domains', { ...dnsWindowParams(window, lookbackSeconds), ip: P.ip(ip) }, options);
  const byName = new Map<string, DomainHit>();
  for (const r of result.rows) {
    const name = String(r.name);
    const hit = byName.get(name) ?? { name, cnames: [], queries: 0, firstSeen: Infinity, lastSeen: -Infinity };
    if (r.answer_type === 'CNAME') {
      if (!hit.cnames.includes(String(r.answer))) hit.cnames.push(String(r.answer));
    } else {
      hit.queries += Number(r.queries);
      hit.firstSeen = Math.min(hit.firstSeen, Math.floor(Number(r.first_seen)));
      hit.lastSeen = Math.max(hit.lastSeen, Math.floor(Number(r.last_seen)));
    }
    byName.set(name, hit);
  }
  const hits = [...byName.values()].filter((h) => h.queries > 0);
  for (const h of hits) h.cnames.sort();
  hits.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { hits, result };
}

/**
 * Names that resolved to each of `ips` (A/AAAA answers) in the window extended back by the lookback, in one query:
 * the names per address, sorted, with the number of logged queries (once per query). Addresses without names are
 * absent from the map.
 */
export async function domainsForMany(
  engine: QueryEngine,
  ips: readonly string[],
  window: Window,
  lookbackSeconds: number,
  options?: RunOptions,
): Promise<{ byIp: Map<string, DomainHit[]>; result?: QueryResult }> {
  const byIp = new Map<string, DomainHit[]>();
  if (ips.length === 0) return { byIp };
  const params = { ips: P.ips(ips), ...dnsWindowParams(window, lookbackSeconds) };
  const result = await engine.run('ips-domains', params, options);
  for (const r of result.rows) {
    const ip = canonicalIp(String(r.address));
    if (!ip) continue;
    const hit: DomainHit = {
      name: String(r.name),
      cnames: [],
      queries: Number(r.queries),
      firstSeen: Math.floor(Number(r.first_seen)),
      lastSeen: Math.floor(Number(r.last_seen)),
    };
    byIp.set(ip, [...(byIp.get(ip) ?? []), hit]);
  }
  for (const hits of byIp.values()) hits.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { byIp, result };
}
