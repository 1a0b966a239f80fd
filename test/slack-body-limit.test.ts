/**
 * EGRESS_MAX_BODY_BYTES on the HTTP receiver: an oversize body is refused with 413 before it is read (a declared
 * Content-Length is refused with nothing sent but the headers; a chunked body is cut off at the limit), and bodies
 * within the limit — chunked ones included — still reach Bolt's signature check and the listeners.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Harness, SECRET, sign, slashBody, startHarness } from './slack-harness.js';

const redisUrl = inject('redisUrl');
const LIMIT = 8_192;

interface Sent {
  status: number;
  body: string;
  /** Bytes of body the client had written when the answer came. */
  written: number;
}

/**
 * POSTs to /slack/events: the headers first, then (unless `declared`) the body in 1 KiB chunks, each only after the
 * previous one was flushed and while no answer has come — so `written` says how much the server took before answering.
 */
function post(url: string, body: Buffer, o: { declared?: number; headers?: Record<string, string> } = {}) {
  return new Promise<Sent>((resolve, reject) => {
    const chunked = o.declared === undefined;
    const req = request(`${url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(o.declared) }),
        ...o.headers,
      },
    });
    let written = 0;
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.on('data', (d) => {
        text += String(d);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, written }));
    });
    // The server closing the connection after its 413 may surface as a reset on the writing side.
    req.on('error', (err) => (answered ? undefined : reject(err)));
    req.flushHeaders();
    if (!chunked) {
      // A declared oversize body is never sent: the answer must come without it.
      if (body.length) req.end(body);
      return;
    }
    const next = () => {
      if (answered) return;
      if (written >= body.length) return void req.end();
      const chunk = body.subarray(written, written + 1_024);
      written += chunk.length;
      req.write(chunk, () => setTimeout(next, 2));
    };
    next();
  });
}

describe('request body limit (EGRESS_MAX_BODY_BYTES)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ redisUrl, bot: { worker: false }, env: { EGRESS_MAX_BODY_BYTES: String(LIMIT) } });
  });
  afterAll(() => h?.stop());

  it('answers 413 to a declared oversize body before a byte of it is sent', async () => {
    const r = await post(h.url, Buffer.alloc(0), { declared: 10 * 1024 * 1024 });
    expect(r).toMatchObject({ status: 413, written: 0 });
    expect(
      h.logs.some((l) => l.msg === 'request body over EGRESS_MAX_BODY_BYTES; 413' && l.declared === 10485760),
    ).toBe(true);
  });

  it('cuts a chunked body off at the limit with 413', async () => {
    const r = await post(h.url, Buffer.alloc(256 * 1024, 'a'));
    expect(r.status).toBe(413);
    // The answer came as soon as the limit was passed (a chunk or two of slack for what was in flight).
    expect(r.written).toBeGreaterThan(LIMIT);
    expect(r.written).toBeLessThan(LIMIT + 4 * 1_024);
  });

  it('still verifies and answers a signed command within the limit, also when it is sent chunked', async () => {
    const body = slashBody('help', { triggerId: 'limit.1' });
    const ts = Math.floor(Date.now() / 1000);
    const signed = { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(SECRET, ts, body) };
    const plain = await post(h.url, Buffer.from(body), { declared: Buffer.byteLength(body), headers: signed });
    const chunked = await post(h.url, Buffer.from(body), { headers: signed });
    for (const r of [plain, chunked]) {
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toMatchObject({ response_type: 'ephemeral', text: 'egress commands' });
    }
    // An unsigned body within the limit is still Bolt's to refuse.
    const unsigned = await post(h.url, Buffer.from(body), { declared: Buffer.byteLength(body) });
    expect(unsigned.status).toBe(401);
  });
});
