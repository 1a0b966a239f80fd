/** The stand-alone server for the ops routes (Socket Mode and worker-only processes have no Bolt HTTP server). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type OpsRoute, send } from './ops-routes.js';

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
