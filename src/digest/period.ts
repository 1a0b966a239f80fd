/**
 * Calendar arithmetic for the digest in `EGRESS_TZ`: which 24 hours a digest covers, and what day it is somewhere.
 * Uses only Intl (no tz database of our own), so daylight-saving days are 23 or 25 hours long, as they really are.
 */
import { ConfigError, UserError } from '../errors.js';

const DAY = 86_400;

/** What a digest for one date covers. */
export interface DigestPeriod {
  /** The digest's date `YYYY-MM-DD` (the day it is posted). */
  date: string;
  /** The reported day: `date − 1`, midnight to midnight in `tz` (epoch seconds, [from, to)). */
  from: number;
  to: number;
  /** The day before the reported one (for "vs the day before"). */
  prevFrom: number;
  /** Start of the 14-day baseline before the reported day ("new" = not seen in it). */
  baselineFrom: number;
  /** Midnights of the 14 chart days ending with the reported day, oldest first, plus the end. */
  chartDays: Array<{ day: string; from: number; to: number }>;
  tz: string;
}

/** Days of history a destination must be absent from to count as new, and days on the chart. */
export const BASELINE_DAYS = 14;

/** Throws a {@link ConfigError} unless `tz` is an IANA zone this runtime knows. */
export function checkTimeZone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    throw new ConfigError(`EGRESS_TZ "${tz}" is not a time zone; use an IANA name such as UTC or Europe/Paris.`);
  }
}

/** Offset of `tz` from UTC at an instant, in seconds (east positive). */
export function tzOffset(epoch: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(epoch * 1000));
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) / 1000;
  return local - Math.floor(epoch);
}

/** `YYYY-MM-DD` of an instant in `tz`. */
export function localDate(epoch: number, tz: string): string {
  return new Date((Math.floor(epoch) + tzOffset(epoch, tz)) * 1000).toISOString().slice(0, 10);
}

/** Epoch seconds of 00:00 on `date` in `tz` (the offset is re-read at the result, for DST days). */
export function midnight(date: string, tz: string): number {
  const utc = Date.parse(`${date}T00:00:00Z`) / 1000;
  let t = utc - tzOffset(utc, tz);
  t = utc - tzOffset(t, tz);
  return t;
}

/** `date` ± `days` (calendar arithmetic on the date itself, independent of any zone). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY * 1000).toISOString().slice(0, 10);
}

/** Checks a `--date` value. */
export function checkDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || addDays(date, 0) !== date) {
    throw new UserError('BAD_COMMAND', `"${date}" is not a date; write it as YYYY-MM-DD, e.g. --date 2026-11-20.`);
  }
  return date;
}

/**
 * The digest posted on `date` reports the whole previous day in `tz`: a complete day (flow logs arrive minutes late,
 * so "the last 24 h" at 08:00 would race the delivery) that a reader can name, and that "vs the day before" compares
 * like with like.
 */
export function digestPeriod(date: string, tz: string): DigestPeriod {
  checkDate(date);
  checkTimeZone(tz);
  const day = addDays(date, -1);
  const chartDays = Array.from({ length: BASELINE_DAYS }, (_, i) => {
    const d = addDays(day, i - BASELINE_DAYS + 1);
    return { day: d, from: midnight(d, tz), to: midnight(addDays(d, 1), tz) };
  });
  return {
    date,
    from: midnight(day, tz),
    to: midnight(date, tz),
    prevFrom: midnight(addDays(day, -1), tz),
    baselineFrom: midnight(addDays(day, -BASELINE_DAYS), tz),
    chartDays,
    tz,
  };
}

/** Bucket length that never straddles a local midnight: an hour, or 15 minutes in zones offset by :30/:45. */
export function dayAlignedBucket(p: DigestPeriod): number {
  const aligned = [p.baselineFrom, p.from, p.to].every((t) => t % 3_600 === 0);
  return aligned ? 3_600 : 900;
}
