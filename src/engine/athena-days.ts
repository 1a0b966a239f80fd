/**
 * The `day` partition of the Athena tables. Partition projection formats a day into the S3 folder path, so the value
 * the `day` column holds (and the literal a query compares it with) is that path: `2026/11/20` for the plain layout,
 * `year=2026/month=11/day=20` for the Hive-compatible one. `egress setup` writes the pattern into the table; the
 * engine renders query parameters with the same layout, or the day predicate would match no partition.
 */
export type DayLayout = 'plain' | 'hive';

/** One layout: the `projection.day.format` pattern and the JS rendering of a `YYYY-MM-DD` day in it. */
export interface DayFormat {
  /** Java DateTimeFormatter pattern for `projection.day.format` (literal text in single quotes). */
  pattern: string;
  render(day: string): string;
}

const parts = (day: string) => day.split('-') as [string, string, string];

/** The supported layouts, keyed as `EGRESS_ATHENA_DAY_FORMAT` names them. */
export const DAY_FORMATS: Readonly<Record<DayLayout, DayFormat>> = {
  plain: { pattern: 'yyyy/MM/dd', render: (d) => parts(d).join('/') },
  hive: {
    pattern: "'year='yyyy/'month='MM/'day='dd",
    render: (d) => {
      const [y, m, dd] = parts(d);
      return `year=${y}/month=${m}/day=${dd}`;
    },
  },
};

/** Which table a day parameter filters: `dns_day_*` the resolver logs (always plain), the others the flow logs. */
export function dayLayoutFor(param: string, flowLayout: DayLayout): DayLayout {
  return param.startsWith('dns_') ? 'plain' : flowLayout;
}
