// biome-ignore-all lint/suspicious/noTemplateCurlyInString: partition projection templates are written ${name}, not JS templates.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Partition projection as Athena evaluates it, for the fake: a `date` projection's format pattern, its range, and the
 * `storage.location.template` that turns a partition value into an S3 prefix. The fake uses these to find, for the
 * day range a query's predicate names, exactly the objects Athena would list, so a DDL whose template or format does
 * not match the destination finds nothing, as it would in AWS.
 */

/** A compiled Java DateTimeFormatter subset: `yyyy`, `MM`, `dd`, `HH` and `'quoted literal'` text. */
export interface DatePattern {
  format(d: Date): string;
  parse(s: string): Date | undefined;
}

const TOKEN = /'([^']*)'|yyyy|MM|dd|HH|[^'yMdH]+/g;

type Part = { lit: string } | { tok: string };

/** Compiles a `projection.<col>.format` pattern. */
export function compilePattern(pattern: string): DatePattern {
  const parts: Part[] = [...pattern.matchAll(TOKEN)].map((m) => (m[1] !== undefined ? { lit: m[1] } : { tok: m[0] }));
  const re = new RegExp(
    `^${parts
      .map((p) =>
        'lit' in p
          ? escapeRe(p.lit)
          : p.tok === 'yyyy'
            ? '(\\d{4})'
            : /^(MM|dd|HH)$/.test(p.tok)
              ? '(\\d{2})'
              : escapeRe(p.tok),
      )
      .join('')}$`,
  );
  const fields = parts.flatMap((p) => ('tok' in p && /^(yyyy|MM|dd|HH)$/.test(p.tok) ? [p.tok] : []));
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    format: (d) =>
      parts
        .map((p) => {
          if ('lit' in p) return p.lit;
          if (p.tok === 'yyyy') return String(d.getUTCFullYear());
          if (p.tok === 'MM') return pad(d.getUTCMonth() + 1);
          if (p.tok === 'dd') return pad(d.getUTCDate());
          if (p.tok === 'HH') return pad(d.getUTCHours());
          return p.tok;
        })
        .join(''),
    parse: (s) => {
      const m = re.exec(s);
      if (!m) return undefined;
      const v: Record<string, number> = { yyyy: 1970, MM: 1, dd: 1, HH: 0 };
      fields.forEach((f, i) => {
        v[f] = Number(m[i + 1]);
      });
      return new Date(Date.UTC(v.yyyy as number, (v.MM as number) - 1, v.dd, v.HH));
    },
  };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Table properties that matter to the fake. */
export interface ProjectedTable {
  props: Record<string, string>;
}

/**
 * Partition values of the `day` projection between `from` and `to` (both in the table's format), clipped to
 * `projection.day.range` (`NOW` = `now`). Undefined bounds mean the whole range.
 */
export function projectedDays(t: ProjectedTable, now: Date, from?: string, to?: string): string[] {
  const pattern = compilePattern(t.props['projection.day.format'] ?? 'yyyy/MM/dd');
  const [lo, hi] = (t.props['projection.day.range'] ?? '')
    .split(',')
    .map((s) => (s.trim() === 'NOW' ? now : pattern.parse(s.trim())));
  const start = max(lo, from === undefined ? undefined : pattern.parse(from));
  const end = min(hi ?? now, to === undefined ? undefined : pattern.parse(to));
  // A bound that does not parse in the table's format matches no partition (Athena projects nothing).
  if ((from !== undefined && !pattern.parse(from)) || (to !== undefined && !pattern.parse(to)) || !start || !end)
    return [];
  const out: string[] = [];
  // `interval.unit` HOURS: a per-hour destination whose `day` value is the day and hour folder (`2026/11/20/05`).
  const step = t.props['projection.day.interval.unit'] === 'HOURS' ? 3_600_000 : 86_400_000;
  for (let t0 = start.getTime() - (start.getTime() % step); t0 <= end.getTime(); t0 += step) {
    out.push(pattern.format(new Date(t0)));
  }
  return out;
}

const max = (a?: Date, b?: Date) => (!a ? b : !b ? a : a > b ? a : b);
const min = (a?: Date, b?: Date) => (!a ? b : !b ? a : a < b ? a : b);

/** S3 prefixes of one `day` partition: the template with `${day}` (and every `${hour}` of an integer projection). */
export function partitionPrefixes(t: ProjectedTable, day: string): string[] {
  const template = t.props['storage.location.template'];
  if (!template) throw new Error('fake Athena: projected table without storage.location.template');
  const withDay = template.replaceAll('${day}', day);
  if (!withDay.includes('${hour}')) return [withDay];
  const [lo, hi] = (t.props['projection.hour.range'] ?? '0,23').split(',').map(Number);
  const digits = Number(t.props['projection.hour.digits'] ?? '1');
  const out: string[] = [];
  for (let h = lo as number; h <= (hi as number); h++)
    out.push(withDay.replaceAll('${hour}', String(h).padStart(digits, '0')));
  return out;
}

/** A local object found under a partition prefix. */
export interface MirrorObject {
  path: string;
  key: string;
  size: number;
}

/** Lists the objects directly under an `s3://bucket/prefix/` of the mirror (`buckets`: bucket name → local dir). */
export async function listPrefix(buckets: Record<string, string>, s3uri: string): Promise<MirrorObject[]> {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(s3uri);
  const root = m ? buckets[m[1] as string] : undefined;
  if (!m || !root) return [];
  const dir = path.join(root, m[2] as string);
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
  } catch {
    return [];
  }
  const out: MirrorObject[] = [];
  for (const name of names.sort()) {
    const p = path.join(dir, name);
    out.push({
      path: p,
      key: `${m[2]}${m[2]?.endsWith('/') || m[2] === '' ? '' : '/'}${name}`,
      size: (await stat(p)).size,
    });
  }
  return out;
}
