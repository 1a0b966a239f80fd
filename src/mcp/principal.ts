/**
 * Who is calling: over HTTP the holder of a bearer token from `EGRESS_MCP_TOKENS` (its label, tools and namespaces),
 * over stdio the local user, who is trusted with everything.
 */
import { type McpToken, tokenSha256 } from '../mcp-tokens.js';

/** A caller and what it may do. */
export interface Principal {
  /** Audit name: the token's label, or `stdio`. Never the token. */
  label: string;
  tools: '*' | ReadonlySet<string>;
  /** When set, answers keep only rows of workloads in these namespaces. */
  namespaces?: ReadonlySet<string>;
}

/** The local user of `egress mcp` over stdio. */
export const LOCAL_USER: Principal = { label: 'stdio', tools: '*' };

/** True when the principal may call the tool. */
export function mayCall(p: Principal, tool: string): boolean {
  return p.tools === '*' || p.tools.has(tool);
}

/** Why a request carries no principal: no `Authorization: Bearer …` at all, or a token nobody configured. */
export type AuthFailure = 'missing' | 'invalid';

/** Looks presented bearer tokens up by their sha256, so the tokens themselves are never held or compared. */
export class TokenBook {
  private readonly byHash: Map<string, Principal>;

  constructor(tokens: readonly McpToken[]) {
    this.byHash = new Map(
      tokens.map((t) => [
        t.sha256,
        {
          label: t.label,
          tools: t.tools === '*' ? '*' : new Set(t.tools),
          ...(t.namespaces ? { namespaces: new Set(t.namespaces) } : {}),
        },
      ]),
    );
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The principal of an `Authorization` header value, or why there is none. */
  authenticate(header: string | undefined): Principal | AuthFailure {
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
    if (!m?.[1]) return 'missing';
    return this.byHash.get(tokenSha256(m[1])) ?? 'invalid';
  }
}
