import { dnsWindowParams, P } from '../engine/params.js';
import type { QueryEngine, QueryResult, RunOptions } from '../engine/types.js';

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
