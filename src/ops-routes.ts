/**
 * `/healthz` and `/metrics`. The same handlers serve as Bolt custom routes (HTTP mode: one port for Slack and the
 * probes) and on a small stand-alone server (Socket Mode and worker-only processes, which have no Bolt HTTP server).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
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

/** Writes a whole response that no cache may keep. */
export function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
