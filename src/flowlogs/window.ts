import { UserError } from '../errors.js';

/** An absolute window `[from, to)` in epoch seconds: the shared time type of every layer. */
export interface Window {
  from: number;
  to: number;
}

/** A relative window `last N(h|d)`, as people type it. */
export interface WindowSpec {
  amount: number;
  unit: 'h' | 'd';
  seconds: number;
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

/**
 * Parses an instant given as ISO-8601 (`--now`, `now` over MCP) to epoch seconds; `undefined` → the clock. The one
 * parser for "as of" times, so every entry point accepts and refuses the same texts.
 */
export function parseNow(text: string | undefined, clock: () => number, what = '--now'): number {
  if (text === undefined) return clock();
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(ms)) {
    throw new UserError(
      'BAD_COMMAND',
      `${what} "${text}" is not an ISO-8601 time; write e.g. ${what} 2026-11-20T12:00:00Z`,
    );
  }
  return Math.floor(ms / 1000);
}

/**
 * Objects are filed by delivery time, not record time: a record that started at t is in an object delivered after t
 * (aggregation interval ≤ 10 min plus delivery delay). These margins widen the object/partition selection so no
 * record of the window is missed; the exact `start` predicate in SQL then cuts the window precisely. The margin
 * before is a full hour, not the few minutes AWS needs, so mirrors whose objects are named after the start of the
 * hour they cover (re-exported or hand-made logs) are still read whole.
 */
export const DELIVERY_MARGIN_BEFORE = 60 * 60;
export const DELIVERY_MARGIN_AFTER = 60 * 60;

/** `YYYY-MM-DD` (UTC) of an epoch second. */
export function utcDay(epoch: number): string {
  return new Date(epoch * 1000).toISOString().slice(0, 10);
}

/** ISO-8601 UTC without milliseconds: `2026-11-20T12:00:00Z`. */
export function isoSeconds(epoch: number): string {
  return `${new Date(epoch * 1000).toISOString().slice(0, 19)}Z`;
}

/** Epoch range of objects (by delivery timestamp) that can hold records of `window`. */
export function deliveryRange(window: Window): Window {
  return { from: window.from - DELIVERY_MARGIN_BEFORE, to: window.to + DELIVERY_MARGIN_AFTER };
}

/** Inclusive list of UTC days `YYYY-MM-DD` overlapping [from, to]. */
export function daysBetween(from: number, to: number): string[] {
  const out: string[] = [];
  for (let t = Math.floor(from / 86_400) * 86_400; t <= to; t += 86_400) out.push(utcDay(t));
  return out;
}
