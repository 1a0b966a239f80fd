/**
 * MCP sessions over Streamable HTTP: one SDK server + transport per session, bound to the principal that opened it
 * (a session is never served to another token), closed when idle and on shutdown. Sessions, not stateless requests,
 * because a client's cancellation arrives as a separate request and must reach the server running the call.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Principal } from './principal.js';

interface Session {
  principal: Principal;
  server: McpServer;
  transport: StreamableHTTPServerTransport;
  lastSeen: number;
}

/** Limits of the session table. */
export interface SessionLimits {
  /** Bytes of one request body (read by the transport, refused with 413 past it). */
  maxBodyBytes: number;
  maxSessions: number;
  /** A session without requests for this long is closed. */
  idleMs: number;
}

/** The open sessions of one HTTP server. */
export class Sessions {
  private readonly open = new Map<string, Session>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly build: (p: Principal) => McpServer,
    private readonly limits: SessionLimits,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(60_000, limits.idleMs)).unref();
  }

  get size(): number {
    return this.open.size;
  }

  /** The session `id` of `principal`, or undefined (unknown, closed, or another token's: all look the same). */
  find(id: string, principal: Principal): Session | undefined {
    const s = this.open.get(id);
    return s && s.principal === principal ? s : undefined;
  }

  /** Serves one request of an open session. */
  async serve(s: Session, req: IncomingMessage, res: ServerResponse): Promise<void> {
    s.lastSeen = Date.now();
    await s.transport.handleRequest(req, res);
  }

  /** Serves a request that opens a session (an `initialize`); anything else is refused by the transport. */
  async start(principal: Principal, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const server = this.build(principal);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      maxRequestBodySize: this.limits.maxBodyBytes,
      onsessioninitialized: (id) => {
        this.open.set(id, { principal, server, transport, lastSeen: Date.now() });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) this.open.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res);
    if (!transport.sessionId) await server.close();
  }

  /** True when another session may open. */
  hasRoom(): boolean {
    return this.open.size < this.limits.maxSessions;
  }

  private sweep(): void {
    const cutoff = Date.now() - this.limits.idleMs;
    for (const s of this.open.values()) if (s.lastSeen < cutoff) void s.server.close().catch(() => undefined);
  }

  /** Closes every session (their in-flight calls are aborted, which stops their queries). */
  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.open.values()].map((s) => s.server.close().catch(() => undefined)));
    this.open.clear();
  }
}
