/**
 * `egress mcp --http`: Streamable HTTP on `/mcp`. The bearer token is checked before anything else (no token or an
 * unknown one → 401 with `WWW-Authenticate: Bearer`, nothing built, nothing run), then the declared body size, then
 * the session. `/healthz` and `/metrics` answer beside it for the probes, without a token, as on the bot's port.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OpsRoute } from '../ops-routes.js';
import type { McpRuntime } from './call-tool.js';
import type { Principal, TokenBook } from './principal.js';
import { buildMcpServer } from './server.js';
import { Sessions } from './sessions.js';

/** Largest request body when none is given: the default of `EGRESS_MAX_BODY_BYTES`, as for the bot's receiver. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface McpHttpOptions {
  port: number;
  host: string;
  tokens: TokenBook;
  /** `/healthz` and `/metrics`. */
  routes: readonly OpsRoute[];
  /** How long shutdown waits for calls in flight (`EGRESS_SHUTDOWN_GRACE`). */
  graceMs: number;
  maxBodyBytes?: number;
  maxSessions?: number;
  idleMs?: number;
}

/** A listening MCP HTTP server. */
export interface McpHttp {
  port: number;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

const rpcError = (message: string, code = -32000) => ({ jsonrpc: '2.0', error: { code, message }, id: null });

/** Starts the server; resolves once it listens. */
export async function startMcpHttp(rt: McpRuntime, o: McpHttpOptions): Promise<McpHttp> {
  const maxBodyBytes = o.maxBodyBytes ?? MAX_BODY_BYTES;
  const sessions = new Sessions((p) => buildMcpServer(rt, p), {
    maxBodyBytes,
    maxSessions: o.maxSessions ?? 100,
    idleMs: o.idleMs ?? 30 * 60_000,
  });

  const refuse = (req: IncomingMessage, res: ServerResponse, why: 'missing' | 'invalid') => {
    rt.logger.warn(
      { audit: 'mcp', client: 'unauthenticated', decision: 'deny', reason: `${why} bearer token`, method: req.method },
      'mcp request refused',
    );
    const challenge = why === 'missing' ? 'Bearer realm="egress"' : 'Bearer realm="egress", error="invalid_token"';
    // The body is never read: close the connection rather than drain what an unauthenticated client sends.
    json(
      res,
      401,
      { error: 'invalid_token', error_description: `${why} bearer token` },
      {
        'www-authenticate': challenge,
        connection: 'close',
      },
    );
  };

  async function mcp(req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes)
      return json(res, 413, rpcError(`Request body over ${maxBodyBytes} bytes`), { connection: 'close' });
    // A body of unknown length is read by the transport only up to the limit; the rest is never drained, so the
    // connection cannot be reused.
    if (req.method === 'POST' && req.headers['content-length'] === undefined) res.setHeader('connection', 'close');
    const id = req.headers['mcp-session-id'];
    if (typeof id === 'string') {
      const session = sessions.find(id, principal);
      if (!session) return json(res, 404, rpcError('Session not found', -32001));
      return sessions.serve(session, req, res);
    }
    if (req.method !== 'POST') return json(res, 400, rpcError('Bad Request: Mcp-Session-Id header is required'));
    if (!sessions.hasRoom()) return json(res, 503, rpcError('Too many open sessions; try again later'));
    return sessions.start(principal, req, res);
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/mcp') {
      const route = o.routes.find((r) => r.path === path && r.method.includes(req.method ?? 'GET'));
      if (route) route.handler(req, res);
      else json(res, 404, { error: 'not found' });
      return;
    }
    const principal = o.tokens.authenticate(req.headers.authorization);
    if (typeof principal === 'string') return refuse(req, res, principal);
    mcp(req, res, principal).catch((err: unknown) => {
      rt.logger.error({ err }, 'mcp request failed');
      if (!res.headersSent) json(res, 500, rpcError('Internal error'));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });

  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, o.graceMs).unref();
      });
      await Promise.race([Promise.allSettled([...rt.inflight]), grace]);
      clearTimeout(timer);
      await sessions.closeAll();
      server.closeAllConnections();
      await closed;
    },
  };
}
