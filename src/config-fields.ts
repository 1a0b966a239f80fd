/** The field types of the configuration schema: each turns one environment variable into a typed value or a readable issue. */
import { z } from 'zod';
import { parseDuration } from './duration.js';
import { parseCidrList } from './flowlogs/classify.js';

/** `"a, b,,c"` → `['a','b','c']`. */
export const list = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

export const duration = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      const v = parseDuration(s ?? fallback);
      if (v === undefined || v <= 0) {
        ctx.addIssue({ code: 'custom', message: `expected a duration like 90d, 24h, 30m or 45s, got "${s}"` });
        return z.NEVER;
      }
      return v;
    });

export const int = (fallback: number, min = 0) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      const v = s === undefined || s === '' ? fallback : Number(s);
      if (!Number.isInteger(v) || v < min) {
        ctx.addIssue({ code: 'custom', message: `expected a whole number ≥ ${min}, got "${s}"` });
        return z.NEVER;
      }
      return v;
    });

/** A byte count, plain or with a binary suffix: `500000000`, `512M`, `4G` (K, M, G, T = powers of 1024). */
export const bytes = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      const m = /^\s*(\d+)\s*([KMGT]i?B?)?\s*$/i.exec(s === undefined || s === '' ? fallback : s);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: `expected a size like 4G, 512M or a number of bytes, got "${s}"` });
        return z.NEVER;
      }
      const power = m[2] ? 'KMGT'.indexOf((m[2][0] as string).toUpperCase()) + 1 : 0;
      return Number(m[1]) * 1024 ** power;
    });

export const num = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      const v = s === undefined || s === '' ? fallback : Number(s);
      if (!Number.isFinite(v) || v < 0) {
        ctx.addIssue({ code: 'custom', message: `expected a non-negative number, got "${s}"` });
        return z.NEVER;
      }
      return v;
    });

export const cidrs = z
  .string()
  .optional()
  .transform((s, ctx) => {
    try {
      return parseCidrList(s ?? '');
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });

/**
 * `EGRESS_CLUSTERS`: JSON list of clusters to attribute in, e.g.
 * `[{"name":"prod-use1","context":"prod","vpcCidrs":["10.40.0.0/16"]},{"name":"ops","inCluster":true}]`.
 * Each needs a `context` (from KUBECONFIG) or `inCluster: true`; `vpcCidrs` route pod IPs to their cluster.
 */
const clusterSpec = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]{1,63}$/, 'letters, digits, ".", "_" and "-" only'),
    context: z.string().min(1).optional(),
    inCluster: z.boolean().optional(),
    vpcCidrs: z.array(z.string()).default([]),
  })
  .strict()
  .refine((c) => Boolean(c.context) !== Boolean(c.inCluster), 'give exactly one of "context" or "inCluster": true');

export const clusters = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (!s?.trim()) return [];
    let raw: unknown;
    try {
      raw = JSON.parse(s);
    } catch (err) {
      ctx.addIssue({
        code: 'custom',
        message: `not JSON (${(err as Error).message}); expected e.g. [{"name":"prod","context":"prod","vpcCidrs":["10.40.0.0/16"]}]`,
      });
      return z.NEVER;
    }
    const parsed = z.array(clusterSpec).min(1).safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues)
        ctx.addIssue({ code: 'custom', message: `[${i.path.join('.')}] ${i.message}` });
      return z.NEVER;
    }
    const names = parsed.data.map((c) => c.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) {
      ctx.addIssue({ code: 'custom', message: `cluster name "${dup}" appears twice` });
      return z.NEVER;
    }
    try {
      return parsed.data.map((c) => ({ ...c, vpcCidrs: parseCidrList(c.vpcCidrs.join(',')) }));
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });

/** An optional string that must match `re` when set; empty counts as unset (as `VAR=` in a shell or .env does). */
export const optionalMatching = (re: RegExp, message: string) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      if (!re.test(s)) {
        ctx.addIssue({ code: 'custom', message: `${message}, got "${s}"` });
        return z.NEVER;
      }
      return s;
    });
