/**
 * A fake of Slack's Socket Mode WebSocket endpoint, for the real `@slack/socket-mode` client (through Bolt's
 * SocketModeReceiver). The flow it mirrors:
 *
 * 1. the client calls `apps.connections.open` with the app token (the Web API fake answers it with {@link
 *    SlackSocketFake.connectionUrl}: a one-time `ws://127.0.0.1:<port>/link?ticket=…&app_id=…`);
 * 2. it opens the WebSocket; the server sends `{type: 'hello', num_connections, debug_info, connection_info}` (the
 *    client only treats the connection as ready once `type === 'hello'` arrives);
 * 3. the server sends envelopes (`{envelope_id, type: 'slash_commands' | 'events_api' | 'interactive', payload,
 *    accepts_response_payload}`) and the client acks each with `{envelope_id, payload?}`;
 * 4. the server pings (the client disconnects if pings stop for 30 s, and pings too, expecting pongs: `ws` answers
 *    those by itself); `{type: 'disconnect', reason: 'refresh_requested'}` asks the client to reconnect with a new
 *    URL.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** A message the app sent over the socket (an ack), with its arrival time. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
  /** `Date.now()` on arrival. */
  at: number;
}

export interface SlackSocketFakeOptions {
  appId?: string;
  /** Interval of the server's pings (ms); Slack pings every few seconds. */
  pingIntervalMs?: number;
}

/** Handle on a running Socket Mode fake. */
export interface SlackSocketFake {
  /** Issues a one-time connection URL, as `apps.connections.open` does. */
  connectionUrl(): string;
  /** Connections accepted so far (a reconnect adds one). */
  connections: number;
  /** Acks received, in order. */
  acks: SocketAck[];
  /** Resolves when `n` connections have received their hello. */
  connected(n?: number, timeoutMs?: number): Promise<void>;
  /** Sends an envelope to the current connection; returns its `envelope_id`. */
  send(type: 'slash_commands' | 'events_api' | 'interactive', payload: Record<string, unknown>): string;
  /** Resolves with the ack for `envelopeId`. */
  ack(envelopeId: string, timeoutMs?: number): Promise<SocketAck>;
  /** Asks the client to reconnect (`type: 'disconnect'`, as Slack does before recycling a connection). */
  disconnect(reason?: string): void;
  close(): Promise<void>;
}

/** Starts the WebSocket server on a loopback port. */
export async function startSlackSocketFake(o: SlackSocketFakeOptions = {}): Promise<SlackSocketFake> {
  const appId = o.appId ?? 'A0000FAKE';
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const { port } = wss.address() as AddressInfo;
  const events = new EventEmitter();
  const tickets = new Set<string>();
  const acks: SocketAck[] = [];
  let current: WebSocket | undefined;
  let hellos = 0;
  const until = (done: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (done()) return resolve();
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        events.off('change', check);
        resolve();
      };
      const timer = setTimeout(() => {
        events.off('change', check);
        reject(new Error(`Socket Mode fake: ${what} within ${timeoutMs}ms`));
      }, timeoutMs);
      events.on('change', check);
    });
  const fake: SlackSocketFake = {
    connections: 0,
    acks,
    connectionUrl() {
      const ticket = randomUUID();
      tickets.add(ticket);
      return `ws://127.0.0.1:${port}/link/?ticket=${ticket}&app_id=${appId}`;
    },
    connected(n = 1, timeoutMs = 5_000) {
      return until(() => hellos >= n, timeoutMs, `no hello on connection ${n}`);
    },
    send(type, payload) {
      if (!current) throw new Error('Socket Mode fake: no client connected');
      const envelope_id = randomUUID();
      current.send(JSON.stringify({ envelope_id, type, payload, accepts_response_payload: type !== 'events_api' }));
      return envelope_id;
    },
    async ack(envelopeId, timeoutMs = 5_000) {
      await until(() => acks.some((a) => a.envelope_id === envelopeId), timeoutMs, `no ack for ${envelopeId}`);
      return acks.find((a) => a.envelope_id === envelopeId) as SocketAck;
    },
    disconnect(reason = 'refresh_requested') {
      current?.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }));
    },
    close() {
      for (const client of wss.clients) client.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
  wss.on('connection', (ws, req) => {
    const url = new URL(req.url ?? '/', 'ws://fake');
    const ticket = url.searchParams.get('ticket') ?? '';
    // Tickets are single-use, as Slack's are: a reconnect must call apps.connections.open again.
    if (url.pathname.replace(/\/$/, '') !== '/link' || !tickets.delete(ticket)) {
      ws.close(1008, 'invalid ticket');
      return;
    }
    fake.connections++;
    current = ws;
    const pinger = setInterval(() => ws.ping('ping from fake'), o.pingIntervalMs ?? 5_000);
    pinger.unref();
    ws.on('close', () => clearInterval(pinger));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const msg = JSON.parse(String(data)) as Omit<SocketAck, 'at'>;
      acks.push({ ...msg, at: Date.now() });
      events.emit('change');
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: wss.clients.size,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: appId },
      }),
    );
    hellos++;
    events.emit('change');
  });
  return fake;
}
