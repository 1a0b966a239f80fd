/** Typed commands: what the shared parser produces from `/egress <text>` and `egress <text…>` alike. */

/** A relative window `last N(h|d)`. */
export interface WindowSpec {
  amount: number;
  unit: 'h' | 'd';
  seconds: number;
}

export type TopBy = 'workload' | 'namespace' | 'destination';
export type CostBy = 'workload' | 'namespace';

export type Command =
  | { name: 'who'; ip: string; window: WindowSpec }
  | { name: 'dns-bypass'; window: WindowSpec }
  | { name: 'domain'; ip: string; window: WindowSpec }
  | { name: 'ip-history'; ip: string; window: WindowSpec }
  | { name: 'top'; window: WindowSpec; by: TopBy }
  | { name: 'cost'; window: WindowSpec; by: CostBy }
  | { name: 'rejects'; window: WindowSpec }
  | { name: 'help'; topic?: string };

export type CommandName = Command['name'];

/** An absolute window `[from, to)` in epoch seconds. */
export interface Window {
  from: number;
  to: number;
}

/** Resolves a relative window against `now` (epoch seconds): `[now − N, now)`. */
export function resolveWindow(spec: WindowSpec, now: number): Window {
  const to = Math.floor(now);
  return { from: to - spec.seconds, to };
}

/** `last 7d` */
export function windowLabel(spec: WindowSpec): string {
  return `last ${spec.amount}${spec.unit}`;
}
