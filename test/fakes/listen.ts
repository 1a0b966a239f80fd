import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A started loopback HTTP server. */
export interface Listening {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  server: Server;
  /** Stops accepting and tears down every open connection (keep-alive and streaming ones included). */
  close(): Promise<void>;
}

/**
 * Starts a `node:http` server on 127.0.0.1 with an OS-assigned port.
 *
 * Binding to the loopback address explicitly (not `localhost`) keeps tests off
 * any real network interface and avoids IPv4/IPv6 resolution differences.
 */
export async function listen(handler: RequestListener): Promise<Listening> {
  const server = createServer(handler);
  // Clients under test (node-fetch, undici) keep connections alive; without this the
  // server would hold the process open after the test is done.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Streaming responses (watches) never finish on their own, so
        // server.close() alone would wait forever.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Reads a whole request body into one Buffer. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
