/**
 * The `day` partition of the Athena tables. Partition projection formats a day into the S3 folder path, so the value
 * the `day` column holds (and the literal a query compares it with) is that path: `2026/11/20` for the plain layout,
 * `year=2026/month=11/day=20` for the Hive-compatible one. `egress setup` writes the pattern into the table; the
 * engine renders query parameters with the same layout, or the day predicate would match no partition.
 */
export type DayLayout = 'plain' | 'hive' | 'plain-hourly' | 'hive-hourly';

/** One layout: the `projection.day.format` pattern and the JS rendering of a `YYYY-MM-DD` day in it. */
export interface DayFormat {
  /** Java DateTimeFormatter pattern for `projection.day.format` (literal text in single quotes). */
  pattern: string;
  render(day: string): string;
  /** Projected per hour (`projection.day.interval.unit` HOURS). */
  hourly?: boolean;
}

/** `YYYY-MM-DD` or `YYYY-MM-DDTHH` (the flow tables' day parameters carry the hour) → its parts; hour `00` if none. */
const parts = (day: string) => {
  const [date, hour] = day.split('T');
  const [y, m, d] = (date as string).split('-') as [string, string, string];
  return [y, m, d, hour ?? '00'] as const;
};

/** The supported layouts, keyed as `EGRESS_ATHENA_DAY_FORMAT` names them. */
export const DAY_FORMATS: Readonly<Record<DayLayout, DayFormat>> = {
  plain: { pattern: 'yyyy/MM/dd', render: (d) => parts(d).slice(0, 3).join('/') },
  hive: {
    pattern: "'year='yyyy/'month='MM/'day='dd",
    render: (d) => {
      const [y, m, dd] = parts(d);
      return `year=${y}/month=${m}/day=${dd}`;
    },
  },
  // Per-hour destinations: the `day` partition is projected per hour (`2026/11/20/05`), so a query's day predicate
  // prunes hours, not just days — one column, so the same query text runs on daily and per-hour tables.
  'plain-hourly': { pattern: 'yyyy/MM/dd/HH', render: (d) => parts(d).join('/'), hourly: true },
  'hive-hourly': {
    pattern: "'year='yyyy/'month='MM/'day='dd/'hour='HH",
    render: (d) => {
      const [y, m, dd, h] = parts(d);
      return `year=${y}/month=${m}/day=${dd}/hour=${h}`;
    },
    hourly: true,
  },
};

/** The layout of a flow-log destination: Hive-compatible or plain keys, daily or per-hour folders. */
export function layoutOf(d: { hive: boolean; perHour: boolean }): DayLayout {
  return `${d.hive ? 'hive' : 'plain'}${d.perHour ? '-hourly' : ''}` as DayLayout;
}

/** Which table a day parameter filters: `dns_day_*` the resolver logs (always plain), the others the flow logs. */
export function dayLayoutFor(param: string, flowLayout: DayLayout): DayLayout {
  return param.startsWith('dns_') ? 'plain' : flowLayout;
}
