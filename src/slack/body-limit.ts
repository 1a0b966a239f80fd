/**
 * A request listener in front of Bolt's HTTPReceiver that refuses bodies over a limit with 413 before they are
 * buffered: a declared `Content-Length` over the limit is refused without reading a byte; a chunked body is read
 * only up to the limit. Bolt verifies the signature only after reading the whole body (raw-body, no limit), so
 * without this an unsigned 10 MB request is held in memory. A body read here is handed on as `rawBody`, which Bolt
 * uses instead of reading the stream itself (`bufferIncomingMessage` in its HTTPModuleFunctions).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** Bolt's error code for a path it does not serve (its dispatch error handler answers 404). */
const DEFERRED = 'slack_bolt_http_receiver_deferred_request_error';

/** Server timeouts against slow clients (slow headers, trickled bodies); Slack sends whole requests at once. */
export const SERVER_TIMEOUTS = { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000 };

/** Why a request was refused or failed here, for the log. */
export type BodyEvent = { kind: 'too_large'; declared?: number; read: number } | { kind: 'failed'; err: unknown };

/** Wraps `next` (Bolt's request listener) so that no body over `maxBytes` is buffered. */
export function limitBodies(next: RequestListener, maxBytes: number, report: (e: BodyEvent) => void): RequestListener {
  return (req, res) => {
    const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
    if (declared !== undefined && declared > maxBytes) {
      report({ kind: 'too_large', declared, read: 0 });
      return refuse(res);
    }
    // No body to read (GET, HEAD, empty POST): Bolt's own error handling applies as usual.
    if (!declared && req.headers['transfer-encoding'] === undefined) return next(req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      done = true;
      chunks.length = 0;
      report({ kind: 'too_large', declared, read: size });
      refuse(res);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      Object.assign(req, { rawBody: Buffer.concat(chunks) });
      dispatch(next, req, res, report);
    });
    // The client went away mid-body: nothing to answer.
    req.on('error', () => {
      done = true;
    });
  };
}

/** 413 and close: Node then ends the connection instead of reading (and discarding) the rest of the body. */
function refuse(res: ServerResponse): void {
  if (res.headersSent) return;
  res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' });
  res.end('request body too large\n');
}

/** Calls Bolt's listener outside its own try/catch (which only covers the synchronous call it makes itself). */
function dispatch(
  next: RequestListener,
  req: IncomingMessage,
  res: ServerResponse,
  report: (e: BodyEvent) => void,
): void {
  try {
    next(req, res);
  } catch (err) {
    const deferred = (err as { code?: unknown }).code === DEFERRED;
    if (!deferred) report({ kind: 'failed', err });
    if (res.headersSent) return;
    res.writeHead(deferred ? 404 : 500);
    res.end();
  }
}
