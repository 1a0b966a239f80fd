import ipaddr from 'ipaddr.js';
import { BadParameterError } from '../errors.js';
import type { Window } from '../flowlogs/window.js';
import { daysBetween, deliveryRange } from '../flowlogs/window.js';
import type { Param, Params, ParamType } from './types.js';

/** The declared type of every parameter name a query may use (`-- @params` headers list names only). */
export const PARAM_TYPES: Readonly<Record<string, ParamType>> = {
  day_from: 'day',
  day_to: 'day',
  dns_day_from: 'day',
  dns_day_to: 'day',
  t_from: 'epoch',
  t_to: 'epoch',
  dns_from: 'epoch',
  dns_to: 'epoch',
  prev_from: 'epoch',
  /** Start of the digest period inside a longer baseline window (digest-new.sql). */
  period_from: 'epoch',
  /** Partition days of that period (digest-new.sql reads the period's own days apart from the baseline's). */
  period_day_from: 'day',
  period_day_to: 'day',
  ip: 'ip',
  internal_cidrs: 'cidrs',
  granularity: 'int',
  limit: 'int',
  port: 'int',
  nat_price_micro: 'int',
  /** A name or the suffix of a `*.` pattern asked about (name-answers.sql). */
  dns_name: 'dnsname',
  /** 1 when `dns_name` is the suffix of a wildcard (any name below it), 0 for the name itself. */
  wildcard: 'int',
  /** The range of `who <cidr>` (who-cidr.sql). */
  cidr: 'cidr',
  /** External addresses (who-ips.sql, ips-domains.sql) or pod addresses (from-pods.sql). */
  ips: 'ips',
};

/** Most addresses one `ips` parameter may carry (a namespace's pods, a workload's destinations). */
export const MAX_IPS = 2_000;

/** A DNS name as the queries compare it: lowercase LDH labels (underscore allowed), ≤ 63 each, ≤ 253 in all. */
export const DNS_NAME =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

const isIp = (s: string) => s.length <= 45 && /^[0-9a-fA-F:.]+$/.test(s) && ipaddr.isValid(s);

const MAX_LEN = 4096;

/**
 * Validates one value against its declared type. A value that fails never reaches SQL: Athena splices execution
 * parameters in as literal text, so this is the injection barrier for both engines.
 */
export function validateParam(name: string, p: Param): Param {
  const declared = PARAM_TYPES[name];
  if (declared && declared !== p.type) throw new BadParameterError(name, `declared ${declared}, got ${p.type}`);
  const v = p.value;
  const bad = (why: string) => new BadParameterError(name, why);
  switch (p.type) {
    case 'epoch':
    case 'int':
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad('not a non-negative integer');
      return p;
    case 'day':
      if (
        typeof v !== 'string' ||
        !/^\d{4}-\d{2}-\d{2}(?:T(?:[01]\d|2[0-3]))?$/.test(v) ||
        Number.isNaN(Date.parse(`${v.slice(0, 10)}T00:00:00Z`))
      )
        throw bad('not a YYYY-MM-DD day (or YYYY-MM-DDTHH hour)');
      return p;
    case 'ip':
      if (typeof v !== 'string' || !isIp(v)) throw bad('not an IP address');
      return p;
    case 'cidrs':
      if (typeof v !== 'string' || v.length > MAX_LEN || !/^[0-9a-fA-F:./,]+$/.test(v)) throw bad('not a CIDR list');
      for (const c of v.split(',')) if (!ipaddr.isValidCIDR(c)) throw bad(`"${c}" is not a CIDR`);
      return p;
    case 'token':
      if (typeof v !== 'string' || !/^[A-Za-z0-9_.:-]{1,128}$/.test(v)) throw bad('not a simple token');
      return p;
    case 'dnsname':
      if (typeof v !== 'string' || !DNS_NAME.test(v)) throw bad('not a DNS name');
      return p;
    case 'cidr':
      if (typeof v !== 'string' || v.length > 49 || !/^[0-9a-fA-F:./]+$/.test(v) || !ipaddr.isValidCIDR(v))
        throw bad('not a CIDR');
      return p;
    case 'ips': {
      if (typeof v !== 'string' || v.length > MAX_IPS * 46 || !/^[0-9a-fA-F:.,]+$/.test(v)) throw bad('not an IP list');
      const list = v.split(',');
      if (list.length > MAX_IPS) throw bad(`more than ${MAX_IPS} addresses`);
      for (const ip of list) if (!isIp(ip)) throw bad(`"${ip}" is not an IP address`);
      return p;
    }
  }
}

/** Renders a validated parameter as an Athena execution-parameter literal. */
export function athenaLiteral(p: Param, dayFormat: (day: string) => string): string {
  switch (p.type) {
    case 'epoch':
    case 'int':
      return String(p.value);
    case 'day':
      return `'${dayFormat(p.value as string)}'`;
    default:
      // Validation admits no quote characters, so quoting cannot be escaped; doubling is belt and braces.
      return `'${String(p.value).replace(/'/g, "''")}'`;
  }
}

/** Typed constructors, so commands never build raw `{type, value}` pairs by hand. */
export const P = {
  epoch: (value: number): Param => ({ type: 'epoch', value }),
  int: (value: number): Param => ({ type: 'int', value }),
  day: (value: string): Param => ({ type: 'day', value }),
  ip: (value: string): Param => ({ type: 'ip', value }),
  cidrs: (list: readonly string[]): Param => ({ type: 'cidrs', value: list.join(',') }),
  dnsName: (value: string): Param => ({ type: 'dnsname', value }),
  cidr: (value: string): Param => ({ type: 'cidr', value }),
  /** An address list; an empty list is the caller's to avoid (the queries need at least one). */
  ips: (list: readonly string[]): Param => ({ type: 'ips', value: list.join(',') }),
};

/** `YYYY-MM-DDTHH` (UTC) of an epoch second: a day parameter that carries its hour. */
const utcHour = (epoch: number) => new Date(epoch * 1000).toISOString().slice(0, 13);

/**
 * Window + partition parameters for the flow-log table: `t_from`, `t_to`, `day_from`, `day_to`. The day bounds carry
 * the hour of the first and last delivery that can hold records of the window (`2026-11-19T11`): a daily table's
 * partition value renders only the day, a per-hour table's (`EGRESS_ATHENA_DAY_FORMAT=*-hourly`) the hour too, so
 * one `day BETWEEN ? AND ?` predicate prunes days on the one and hours on the other.
 */
export function flowWindowParams(window: Window): Params {
  const delivery = deliveryRange(window);
  return {
    t_from: P.epoch(window.from),
    t_to: P.epoch(window.to),
    day_from: P.day(utcHour(delivery.from)),
    day_to: P.day(utcHour(delivery.to)),
  };
}

/** Window + partition parameters for the resolver-log table, extended back by the DNS lookback. */
export function dnsWindowParams(window: Window, lookbackSeconds: number): Params {
  const w = { from: window.from - lookbackSeconds, to: window.to };
  const days = daysBetween(deliveryRange(w).from, deliveryRange(w).to);
  return {
    dns_from: P.epoch(w.from),
    dns_to: P.epoch(w.to),
    dns_day_from: P.day(days[0] as string),
    dns_day_to: P.day(days[days.length - 1] as string),
  };
}
