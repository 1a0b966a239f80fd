import type { Window } from '../commands/command.js';

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
