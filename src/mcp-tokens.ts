/**
 * `EGRESS_MCP_TOKENS`, the bearer tokens of `egress mcp --http`: JSON `{"<token>": {"tools": [...] | "*",
 * "namespaces": [...], "name": "..."}}`, inline or in a file whose path the variable holds. Only each token's sha256 is
 * kept, and no message ever quotes a token: problems name a token by its position and label.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** One accepted token, as the server keeps it. */
export interface McpToken {
  /** sha256 of the token (hex): what a presented token is looked up by. */
  sha256: string;
  /** What audit lines call it: its `name`, else `sha256:` and the hash's first 8 hex digits. */
  label: string;
  /** Tool names it may call, or every tool. */
  tools: '*' | string[];
  /** When set, answers keep only rows of workloads in these namespaces. */
  namespaces?: string[];
}

/** The hex sha256 of a token. */
export const tokenSha256 = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

const EXAMPLE = '{"<token>": {"tools": ["who", "cost"], "namespaces": ["payments"]}}';

const TOOLS = 'either "*" or a non-empty list of tool names, e.g. ["who", "cost"]';

const entrySchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,63}$/, 'letters, digits, ".", "_" and "-" only (at most 63)')
      .optional(),
    tools: z.union([z.literal('*'), z.array(z.string().regex(/^[a-z][a-z0-9-]{0,39}$/)).min(1, TOOLS)], {
      error: TOOLS,
    }),
    namespaces: z
      .array(z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a Kubernetes namespace name'))
      .min(1, 'list at least one namespace, or leave "namespaces" out for all')
      .optional(),
  })
  .strict();

/**
 * The JSON text: inline when it looks like JSON, else read from the file it names. The value is never quoted back: a
 * bare token set by mistake must not end up in an error message.
 */
function sourceText(value: string): { text?: string; problem?: string } {
  if (/^\s*[[{"]/.test(value)) return { text: value };
  try {
    return { text: readFileSync(value.trim(), 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    return { problem: `neither JSON nor a readable file (${code}); expected a file path, or ${EXAMPLE}` };
  }
}

/** Parses and checks the tokens; returns the problems (never quoting a token) or the tokens. */
export function parseMcpTokens(value: string): { tokens: McpToken[]; problems: string[] } {
  const src = sourceText(value);
  if (src.problem !== undefined) return { tokens: [], problems: [src.problem] };
  let raw: unknown;
  try {
    raw = JSON.parse(src.text ?? '');
  } catch {
    // JSON.parse's message quotes the text around the error, which may be a token: say where to look instead.
    return { tokens: [], problems: [`not valid JSON; expected ${EXAMPLE}`] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !Object.keys(raw).length)
    return { tokens: [], problems: [`expected an object of at least one token, e.g. ${EXAMPLE}`] };
  const tokens: McpToken[] = [];
  const problems: string[] = [];
  Object.entries(raw).forEach(([token, spec], i) => {
    const sha256 = tokenSha256(token);
    const named = (spec as { name?: unknown } | null)?.name;
    const label = typeof named === 'string' && named ? named : `sha256:${sha256.slice(0, 8)}`;
    const where = `token #${i + 1} (${label})`;
    if (token.length < 16 || /[\s\p{Cc}]/u.test(token))
      problems.push(`${where}: a token must be at least 16 characters without spaces; e.g. \`openssl rand -hex 32\``);
    const parsed = entrySchema.safeParse(spec);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(`${where}: ${issue.path.join('.') || '(entry)'}: ${issue.message}`);
      return;
    }
    const { tools, namespaces } = parsed.data;
    tokens.push({ sha256, label, tools, ...(namespaces ? { namespaces } : {}) });
  });
  const labels = tokens.map((t) => t.label);
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup) problems.push(`two tokens are named "${dup}"; give each its own name (audit lines tell them apart by it)`);
  return { tokens, problems };
}

/** The config field: unset or empty → no tokens (then `egress mcp --http` refuses to start). */
export const mcpTokens = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (!s?.trim()) return [];
    const { tokens, problems } = parseMcpTokens(s);
    if (!problems.length) return tokens;
    for (const message of problems) ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
