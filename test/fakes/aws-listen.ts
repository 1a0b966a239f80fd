import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server started by {@link listenLoopback}. */
export interface LoopbackServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`, suitable as an SDK `endpoint`. */
  url: string;
  /** Stops listening and drops keep-alive sockets so test workers exit promptly. */
  close(): Promise<void>;
}

/** Handles one request whose body has already been read as UTF-8 text. */
export type TextHandler = (req: IncomingMessage, body: string, res: ServerResponse) => void | Promise<void>;

/**
 * Starts a `node:http` server on 127.0.0.1 with an OS-assigned port, so tests never touch
 * the network beyond loopback and parallel workers never fight over a port.
 */
export async function listenLoopback(handler: TextHandler): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve(handler(req, Buffer.concat(chunks).toString('utf8'), res)).catch((err: unknown) => {
        // A bug in a fake should fail loudly in the client, not hang it until its timeout.
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake crashed: ${err instanceof Error ? err.stack : String(err)}`);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // The SDK keeps sockets alive; without this, close() would wait for them to idle out.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
