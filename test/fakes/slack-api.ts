import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, readBody } from './listen.js';

/** One request the fake received (failed attempts included). */
export interface SlackCall {
  /** Web API method (`chat.postMessage`), or `response_url` for posts to {@link SlackApiFake.responseUrl}. */
  method: string;
  /** Parsed body; JSON-string fields such as `blocks` are decoded. */
  args: Record<string, unknown>;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** HTTP status the fake answered with. */
  status: number;
  /** Slack `error` code when the call was answered with `ok: false`. */
  error?: string;
}

/** Current state of a message, after any `chat.update`. */
export interface SlackMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  user: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  files?: { id: string; title?: string }[];
  edited?: { user: string; ts: string };
  [field: string]: unknown;
}

/** A file sent through the `files.getUploadURLExternal` → upload → `files.completeUploadExternal` flow. */
export interface SlackUpload {
  file_id: string;
  filename: string;
  title?: string;
  bytes: Buffer;
  completed: boolean;
  channel_id?: string;
  thread_ts?: string;
  initial_comment?: string;
}

/** What {@link SlackApiFake.failNext} makes the next matching call(s) return. */
export interface SlackFailure {
  /** HTTP status; 429 also sets `Retry-After`. Defaults to 200 (a platform error). */
  status?: number;
  /** Seconds for the `Retry-After` header on 429s (default 1). */
  retryAfter?: number;
  /** Slack error code for the `{ok:false}` body (default `ratelimited` for 429, `fatal_error` otherwise). */
  error?: string;
  /** How many consecutive calls fail (default 1). */
  count?: number;
}

/** Start-up options; the maps are used by `conversations.info`, `users.info` and `usergroups.users.list`. */
export interface SlackApiFakeOptions {
  /** When set, any other bearer token gets `invalid_auth`. */
  token?: string;
  botUserId?: string;
  teamId?: string;
  channels?: Record<string, Record<string, unknown>>;
  users?: Record<string, Record<string, unknown>>;
  usergroups?: Record<string, string[]>;
  /** The app-level token (`xapp-…`) `apps.connections.open` accepts; without it any `xapp-` token does. */
  appToken?: string;
  /** Socket Mode: the URL `apps.connections.open` returns (see `startSlackSocketFake().connectionUrl`). */
  socketModeUrl?: () => string;
  /** Faults from the start (see {@link SlackApiFake.setFaults}). */
  faults?: SlackFaults;
}

/** Faults applied to every Web API call (not to uploads or `response_url` posts). */
export interface SlackFaults {
  /** Fraction (0–1) of calls answered HTTP 429 with `Retry-After`, chosen by a seeded generator (reproducible). */
  rateLimited?: number;
  /** Seconds for those 429s' `Retry-After` (default 1). */
  retryAfter?: number;
  /** Every answer waits this long first (Slack's own latency), in ms. */
  latencyMs?: number;
  /** Seed of the 429 choice (default 1). */
  seed?: number;
}

/** A hold on matching calls (see {@link SlackApiFake.hold}). */
export interface SlackHold {
  /** Resolves with the first call that reached the hold. */
  reached: Promise<SlackCall>;
  /** Lets held calls (and later ones) through; calls whose client went away meanwhile are dropped unanswered. */
  release(): void;
}

/** A parent message (not in a thread) and the replies in its thread. */
export interface SlackThread {
  parent: SlackMessage;
  replies: SlackMessage[];
}

/** Handle on a running Slack Web API fake. */
export interface SlackApiFake {
  /** Server root, e.g. `http://127.0.0.1:1234`. */
  url: string;
  /** Value for `new WebClient(token, { slackApiUrl })` (ends with `/api/`). */
  apiUrl: string;
  calls: SlackCall[];
  uploads: SlackUpload[];
  responses: { id: string; body: unknown; at: number }[];
  /** Messages in a channel, thread replies included, ordered by ts. */
  messages(channel: string): SlackMessage[];
  /** A Slack-style `response_url` that records whatever is POSTed to it. */
  responseUrl(id?: string): string;
  failNext(method: string, failure: SlackFailure): void;
  /** Replaces the standing faults (`{}` clears them). */
  setFaults(faults: SlackFaults): void;
  /** Holds calls of `method` (matching `predicate`) before they are processed, until released. */
  hold(method: string, predicate?: (args: Record<string, unknown>) => boolean): SlackHold;
  /** Top-level messages of a channel with their thread replies, ordered by ts. */
  threads(channel: string): SlackThread[];
  /** Channels that have messages. */
  channels(): string[];
  /** Resolves with the first recorded call matching `predicate` (already recorded or future). */
  waitFor(predicate: (call: SlackCall) => boolean, timeoutMs?: number): Promise<SlackCall>;
  close(): Promise<void>;
}

class SlackError extends Error {}

// WebClient form-encodes every non-primitive argument as a JSON string.
const JSON_FIELDS = ['blocks', 'attachments', 'files', 'metadata', 'view', 'unfurls'];
const BASE_TS_MICROS = 1_700_000_000_000_000;

async function parseBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req);
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) return raw.length ? JSON.parse(raw.toString('utf8')) : {};
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
    const out: Record<string, unknown> = {};
    for (const [key, value] of form) {
      out[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
    }
    return out;
  }
  const out: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  for (const field of JSON_FIELDS) {
    if (typeof out[field] === 'string') {
      try {
        out[field] = JSON.parse(out[field] as string);
      } catch {
        // Not JSON after all (e.g. a plain-text field); keep the string.
      }
    }
  }
  return out;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence of 429s. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Starts the fake on a loopback port. */
export async function startSlackApiFake(opts: SlackApiFakeOptions = {}): Promise<SlackApiFake> {
  const botUserId = opts.botUserId ?? 'UBOT0001';
  const teamId = opts.teamId ?? 'T0000FAKE';
  const events = new EventEmitter();
  const calls: SlackCall[] = [];
  const uploads: SlackUpload[] = [];
  const responses: SlackApiFake['responses'] = [];
  const messages: SlackMessage[] = [];
  const failures = new Map<string, Required<SlackFailure>>();
  const holds: Array<
    { method: string; match: (a: Record<string, unknown>) => boolean; gate: Promise<void> } & {
      arrive: (c: SlackCall) => void;
    }
  > = [];
  let faults: SlackFaults = {};
  let rng = mulberry32(1);
  const setFaults = (f: SlackFaults): void => {
    faults = { ...f };
    rng = mulberry32(f.seed ?? 1);
  };
  setFaults(opts.faults ?? {});
  let seq = 0;
  const nextTs = (): string => {
    const micros = BASE_TS_MICROS + ++seq * 100;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  };
  const record = (call: SlackCall): void => {
    calls.push(call);
    events.emit('call', call);
  };
  const find = (channel: unknown, ts: unknown): SlackMessage => {
    const msg = messages.find((m) => m.channel === channel && m.ts === ts);
    if (!msg) throw new SlackError('message_not_found');
    return msg;
  };
  const post = (args: Record<string, unknown>, extra: Partial<SlackMessage> = {}): SlackMessage => {
    if (!args.channel) throw new SlackError('channel_not_found');
    const { token: _token, channel, ...rest } = args;
    const fields = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    const msg: SlackMessage = { ...fields, ...extra, channel: String(channel), ts: nextTs(), user: botUserId };
    messages.push(msg);
    return msg;
  };
  const upload = (id: unknown): SlackUpload => {
    const found = uploads.find((u) => u.file_id === id);
    if (!found) throw new SlackError('file_not_found');
    return found;
  };

  const methods: Record<string, (args: Record<string, unknown>) => Record<string, unknown>> = {
    'auth.test': () => ({
      url: 'https://fake.slack.com/',
      team: 'fake',
      user: 'egress',
      team_id: teamId,
      user_id: botUserId,
      bot_id: 'BFAKE',
    }),
    'chat.postMessage': (args) => {
      const message = post(args);
      return { channel: message.channel, ts: message.ts, message };
    },
    'chat.update': (args) => {
      const msg = find(args.channel, args.ts);
      for (const field of ['text', 'blocks', 'attachments', 'metadata']) if (field in args) msg[field] = args[field];
      msg.edited = { user: botUserId, ts: nextTs() };
      return { channel: msg.channel, ts: msg.ts, text: msg.text, message: msg };
    },
    'chat.postEphemeral': (args) => {
      if (!args.user) throw new SlackError('user_not_in_channel');
      return { message_ts: nextTs() };
    },
    'chat.getPermalink': (args) => {
      const msg = find(args.channel, args.message_ts);
      return {
        channel: msg.channel,
        permalink: `https://fake.slack.com/archives/${msg.channel}/p${msg.ts.replace('.', '')}`,
      };
    },
    'conversations.info': (args) => {
      const id = String(args.channel ?? '');
      if (!id) throw new SlackError('channel_not_found');
      return {
        channel: {
          id,
          name: id.toLowerCase(),
          is_channel: true,
          is_private: false,
          is_member: true,
          ...opts.channels?.[id],
        },
      };
    },
    'users.info': (args) => {
      const id = String(args.user ?? '');
      if (!id) throw new SlackError('user_not_found');
      const base = { id, team_id: teamId, name: id.toLowerCase(), real_name: id, tz: 'UTC', is_bot: false };
      return { user: { ...base, profile: { display_name: id.toLowerCase() }, ...opts.users?.[id] } };
    },
    'usergroups.users.list': (args) => {
      const users = opts.usergroups?.[String(args.usergroup)];
      if (!users) throw new SlackError('no_such_subteam');
      return { users };
    },
    'files.getUploadURLExternal': (args) => {
      if (!args.filename || !args.length) throw new SlackError('invalid_arguments');
      const file_id = `F${String(++seq).padStart(8, '0')}`;
      uploads.push({ file_id, filename: String(args.filename), bytes: Buffer.alloc(0), completed: false });
      return { upload_url: `${server.url}/upload/${file_id}`, file_id };
    },
    'files.completeUploadExternal': (args) => {
      const files = (args.files ?? []) as { id: string; title?: string }[];
      const done = files.map((f) => upload(f.id));
      for (const [i, u] of done.entries()) {
        Object.assign(u, { completed: true, title: files[i].title ?? u.filename });
        for (const k of ['channel_id', 'thread_ts', 'initial_comment'] as const) if (args[k]) u[k] = String(args[k]);
      }
      // Slack shares completed files as a message; mirror that so messages() shows it.
      if (args.channel_id) {
        const share = { channel: args.channel_id, thread_ts: args.thread_ts, text: args.initial_comment ?? '' };
        post(share, { files: done.map((u) => ({ id: u.file_id, title: u.title })), upload: true });
      }
      return { files: done.map((u) => ({ id: u.file_id, name: u.filename, title: u.title, size: u.bytes.length })) };
    },
    'apps.connections.open': () => {
      if (!opts.socketModeUrl) throw new SlackError('socket_mode_not_enabled');
      return { url: opts.socketModeUrl() };
    },
    'views.open': (args) => ({ view: { id: `V${String(++seq).padStart(8, '0')}`, ...(args.view as object) } }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const args = await parseBody(req);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, {
        'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
        ...headers,
      });
      res.end(text);
    };
    if (path.startsWith('/upload/')) {
      const target = upload(path.slice('/upload/'.length));
      const data = Object.values(args).find((v) => Buffer.isBuffer(v));
      target.bytes = (data as Buffer | undefined) ?? Buffer.alloc(0);
      return reply(200, `OK - ${target.bytes.length}`);
    }
    if (path.startsWith('/response/')) {
      const id = decodeURIComponent(path.slice('/response/'.length));
      responses.push({ id, body: args, at: Date.now() });
      record({ method: 'response_url', args: { ...args, response_id: id }, at: Date.now(), status: 200 });
      return reply(200, { ok: true });
    }
    const method = path.replace(/^\/api\//, '');
    const call: SlackCall = { method, args, at: Date.now(), status: 200 };
    const fail = (error: string, status = 200, headers: Record<string, string> = {}): void => {
      record({ ...call, status, error });
      reply(status, { ok: false, error }, headers);
    };
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? args.token;
    if (!token) return fail('not_authed');
    // apps.connections.open takes the app-level token, every other method the bot token.
    if (method === 'apps.connections.open') {
      if (!String(token).startsWith('xapp-')) return fail('not_allowed_token_type');
      if (opts.appToken && token !== opts.appToken) return fail('invalid_auth');
    } else if (opts.token && token !== opts.token) return fail('invalid_auth');
    if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
    const held = holds.find((h) => h.method === method && h.match(args));
    if (held) {
      held.arrive(call);
      await held.gate;
      // A client that went away (a killed process) never learns the answer; Slack would not act on it either.
      if (req.socket.destroyed) return;
    }
    if (faults.rateLimited && rng() < faults.rateLimited)
      return fail('ratelimited', 429, { 'retry-after': String(faults.retryAfter ?? 1) });
    const failure = failures.get(method);
    if (failure) {
      if (--failure.count <= 0) failures.delete(method);
      const headers: Record<string, string> =
        failure.status === 429 ? { 'retry-after': String(failure.retryAfter) } : {};
      return fail(failure.error, failure.status, headers);
    }
    const impl = methods[method];
    if (!impl) return fail('unknown_method');
    try {
      const result = impl(args);
      record(call);
      reply(200, { ok: true, ...result });
    } catch (err) {
      if (!(err instanceof SlackError)) throw err;
      fail(err.message);
    }
  }

  const server = await listen((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // SlackError outside an API method (unknown upload id) is a 404, anything else a fake bug.
      res.writeHead(err instanceof SlackError ? 404 : 500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });

  return {
    url: server.url,
    apiUrl: `${server.url}/api/`,
    calls,
    uploads,
    responses,
    messages: (channel) =>
      structuredClone(messages.filter((m) => m.channel === channel)).sort((a, b) => a.ts.localeCompare(b.ts)),
    responseUrl: (id = 'R1') => `${server.url}/response/${encodeURIComponent(id)}`,
    failNext(method, failure) {
      const status = failure.status ?? 200;
      const error = failure.error ?? (status === 429 ? 'ratelimited' : 'fatal_error');
      failures.set(method, { status, error, retryAfter: failure.retryAfter ?? 1, count: failure.count ?? 1 });
    },
    setFaults,
    hold(method, predicate = () => true) {
      let arrive!: (c: SlackCall) => void;
      let release!: () => void;
      const reached = new Promise<SlackCall>((r) => {
        arrive = r;
      });
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const h = { method, match: predicate, gate, arrive };
      holds.push(h);
      return {
        reached,
        release() {
          holds.splice(holds.indexOf(h), 1);
          release();
        },
      };
    },
    threads(channel) {
      const all = messages.filter((m) => m.channel === channel).sort((a, b) => a.ts.localeCompare(b.ts));
      return all
        .filter((m) => !m.thread_ts || m.thread_ts === m.ts)
        .map((parent) => ({
          parent: structuredClone(parent),
          replies: structuredClone(all.filter((m) => m.thread_ts === parent.ts && m.ts !== parent.ts)),
        }));
    },
    channels: () => [...new Set(messages.map((m) => m.channel))],
    waitFor(predicate, timeoutMs = 5_000) {
      const existing = calls.find(predicate);
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const onCall = (call: SlackCall): void => {
          if (!predicate(call)) return;
          clearTimeout(timer);
          events.off('call', onCall);
          resolve(call);
        };
        const timer = setTimeout(() => {
          events.off('call', onCall);
          const seen = calls.map((c) => c.method).join(', ') || 'none';
          reject(new Error(`Slack fake: no matching call within ${timeoutMs}ms (calls so far: ${seen})`));
        }, timeoutMs);
        events.on('call', onCall);
      });
    },
    close: () => server.close(),
  };
}
