/**
 * `/healthz` and `/metrics`. The same handlers serve as Bolt custom routes (HTTP mode: one port for Slack and the
 * probes) and on a small stand-alone server (Socket Mode and worker-only processes, which have no Bolt HTTP server).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { type HealthCheck, runHealthChecks } from './health.js';

/** A route in Bolt's `customRoutes` shape. */
export interface OpsRoute {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/** `/healthz` (200 when every check passes, else 503, JSON either way) and `/metrics` (Prometheus text). */
export function opsRoutes(registry: Registry, checks: readonly HealthCheck[]): OpsRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        runHealthChecks(checks).then(
          (result) => send(res, result.ok ? 200 : 503, 'application/json', JSON.stringify(result)),
          (err: Error) => send(res, 503, 'application/json', JSON.stringify({ ok: false, error: err.message })),
        );
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: (_req, res) => {
        registry.metrics().then(
          (text) => send(res, 200, registry.contentType, text),
          (err: Error) => send(res, 500, 'text/plain', `metrics failed: ${err.message}`),
        );
      },
    },
  ];
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

/** A running stand-alone ops server. */
export interface OpsServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Serves the ops routes alone (404 for anything else). */
export async function startOpsServer(routes: readonly OpsRoute[], port: number, host?: string): Promise<OpsServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes.find((r) => r.path === path && r.method.includes(req.method ?? 'GET'));
    if (route) route.handler(req, res);
    else send(res, 404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => closeServer(server),
  };
}

/** Stops accepting, lets in-flight requests finish, and drops idle keep-alive connections so close resolves. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
