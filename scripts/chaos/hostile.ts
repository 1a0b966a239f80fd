/**
 * Hostile requests to `/slack/events`: unsigned, wrongly signed and stale bodies, huge bodies (declared and chunked),
 * invalid UTF-8, JSON that is no Slack payload and JSON that is not JSON, and connections that send their headers a
 * byte at a time. Each ends with a status (0 = the server closed the connection without one); none may be a 5xx.
 */
import { request } from 'node:http';
import net from 'node:net';
import { sign, signed } from './load.js';

type Result = { kind: string; status: number };

const MB = 1024 * 1024;

/** A POST with an exact body, declared with Content-Length. */
async function post(
  url: string,
  kind: string,
  body: Buffer | string,
  headers: Record<string, string>,
): Promise<Result> {
  try {
    const res = await fetch(`${url}/slack/events`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : new Uint8Array(body),
      signal: AbortSignal.timeout(15_000),
    });
    await res.arrayBuffer();
    return { kind, status: res.status };
  } catch {
    return { kind, status: 0 };
  }
}

/** A chunked POST that keeps sending until answered (or `total` bytes). */
function chunked(url: string, total: number): Promise<Result> {
  return new Promise((resolve) => {
    const req = request(`${url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' },
    });
    let sent = 0;
    let done = false;
    const finish = (status: number) => {
      if (done) return;
      done = true;
      resolve({ kind: 'huge-chunked', status });
      req.destroy();
    };
    req.on('response', (res) => finish(res.statusCode ?? 0));
    req.on('error', () => finish(0));
    const next = () => {
      if (done) return;
      if (sent >= total) return void req.end();
      sent += 64 * 1024;
      req.write(Buffer.alloc(64 * 1024, 'x'), () => setImmediate(next));
    };
    next();
  });
}

/** Headers trickled a byte every `everyMs`: the server must give up on it (headersTimeout), not wait forever. */
function slowHeaders(port: number, everyMs: number, maxMs: number): Promise<Result> {
  return new Promise((resolve) => {
    const text = `POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(10_000)}`;
    const sock = net.connect(port, '127.0.0.1');
    let i = 0;
    let answer = '';
    let gaveUp = false;
    const timer = setInterval(() => {
      if (i < text.length) sock.write(text[i++] as string);
    }, everyMs);
    const giveUp = setTimeout(() => {
      gaveUp = true;
      sock.destroy();
    }, maxMs);
    sock.on('data', (d) => {
      answer += String(d);
    });
    sock.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
      // -1: the server was still holding the connection open when we gave up.
      resolve({ kind: 'slow-headers', status: status || (gaveUp ? -1 : 0) });
    });
    sock.on('error', () => {});
  });
}

/** Runs the hostile set against a receiver; resolves with every request's status by kind. */
export async function hostile(url: string, port: number, secret: string): Promise<Result[]> {
  const form = 'token=x&team_id=T1&channel_id=CHOSTILE&user_id=UHOSTILE&command=%2Fegress&text=who+1.1.1.1';
  const json = (s: string) => signed(secret, s, 'application/json');
  const invalidUtf8 = Buffer.concat([
    Buffer.from('text=who+'),
    Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
    Buffer.from('&x=1'),
  ]);
  const stale = Math.floor(Date.now() / 1000) - 3_600;
  const jobs: Array<Promise<Result>> = [
    ...Array.from({ length: 5 }, () =>
      post(url, 'unsigned', form, { 'content-type': 'application/x-www-form-urlencoded' }),
    ),
    post(url, 'bad-signature', form, { ...signed(secret, form), 'x-slack-signature': `v0=${'0'.repeat(64)}` }),
    post(url, 'stale', form, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(stale),
      'x-slack-signature': sign(secret, stale, form),
    }),
    post(url, 'huge-declared', Buffer.alloc(10 * MB, 'a'), { 'content-type': 'application/x-www-form-urlencoded' }),
    post(url, 'huge-signed', Buffer.alloc(2 * MB, 'a'), signed(secret, Buffer.alloc(2 * MB, 'a'))),
    chunked(url, 4 * MB),
    post(url, 'invalid-utf8', invalidUtf8, { 'content-type': 'application/x-www-form-urlencoded' }),
    post(url, 'invalid-utf8-signed', invalidUtf8, signed(secret, invalidUtf8)),
    post(url, 'json-not-slack', '{"hello":"world"}', json('{"hello":"world"}')),
    post(url, 'json-broken', '{"type":"event_callback",', json('{"type":"event_callback",')),
    post(
      url,
      'json-deep',
      `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
      json(`${'['.repeat(5_000)}${']'.repeat(5_000)}`),
    ),
    ...Array.from({ length: 10 }, () => slowHeaders(port, 200, 25_000)),
  ];
  return Promise.all(jobs);
}

/** `401×7 413×3 …` */
export function summarize(results: readonly Result[]): string {
  const by = new Map<number, number>();
  for (const r of results) by.set(r.status, (by.get(r.status) ?? 0) + 1);
  return [...by.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s === 0 ? 'closed' : s === -1 ? 'held-open' : s}×${n}`)
    .join(' ');
}
