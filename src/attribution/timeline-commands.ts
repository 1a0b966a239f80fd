import { readFileSync } from 'node:fs';
import type { RedisLike } from '../redis.js';

/**
 * The IP timeline's Lua scripts (lua/*.lua, one per command), defined on a connection as ioredis commands, the way
 * BullMQ keeps its scripts: ioredis sends EVALSHA and loads the script itself when the server does not know it yet
 * (new connection, Redis restart). Scripts run atomically, so replicas writing the same events cannot interleave
 * half-updates, and each is idempotent.
 *
 * Every key a script touches is passed as a KEY, so ioredis Cluster sends the call to the node owning the slot. All
 * keys of one cluster's timeline share one hash tag (see RedisTimeline), which keeps them in that slot. Where a
 * script only learns an IP inside (from a packed argument, the open set or the end index), it builds the IP's key
 * from the `<P>ip:` prefix passed as a KEY: the prefix carries the same hash tag, so the key is in the same slot.
 */
export interface TimelineCommands {
  /** open.lua: records `json` (an interval) on `ip` = its ZSET; 1 recorded, 2 updated, 0 nothing to do. */
  egressTimelineOpen(ip: string, open: string, ends: string, json: string, extend: '0' | '1'): Promise<number>;
  /** close.lua: ends holder `id` at `to`; `bounded` '1' marks `to` an upper bound (`endedAfter`, or ''). */
  egressTimelineClose(
    ip: string,
    open: string,
    ends: string,
    id: string,
    to: number,
    bounded: '0' | '1',
    endedAfter: number | '',
  ): Promise<number>;
  /**
   * resolve.lua: answers the packed (ip, at) pairs; `ips` is the `<P>ip:` prefix (with the hash tag) the script
   * builds each IP's key from. Replies [start, heartbeat, picks, interval…].
   */
  egressTimelineResolve(meta: string, ips: string, page: number, pairs: Buffer): Promise<string[]>;
  /** open-list.lua: every interval without an end; `ips` as in resolve. */
  egressTimelineOpenList(open: string, ips: string): Promise<string[]>;
  /** touch.lua: heartbeat = max(heartbeat, now), start set once. */
  egressTimelineTouch(meta: string, now: number): Promise<number>;
  /** trim.lua: drops up to `batch` intervals ended before `cutoff`; `ips` as in resolve. Returns how many. */
  egressTimelineTrim(ends: string, meta: string, ips: string, cutoff: number, batch: number): Promise<number>;
  /** unlock.lua: deletes `lock` if it still holds `token`. */
  egressTimelineUnlock(lock: string, token: string): Promise<number>;
}

/**
 * resolve.lua's ARGV[2]: the MessagePack array [ip, n, at1 … atn, ip, n, …] (each IP's pair indexes in `byIp`, in the
 * order sent; times as float64, so any number survives as it is).
 */
export function packPairs(byIp: ReadonlyMap<string, readonly number[]>, ats: readonly number[]): Buffer {
  let items = 0;
  let size = 5;
  for (const [ip, idx] of byIp) {
    const len = Buffer.byteLength(ip);
    items += 2 + idx.length;
    size += (len < 32 ? 1 : len < 256 ? 2 : len < 65_536 ? 3 : 5) + len + 5 + 9 * idx.length;
  }
  const b = Buffer.allocUnsafe(size);
  let o = b.writeUInt8(0xdd, 0);
  o = b.writeUInt32BE(items, o);
  for (const [ip, idx] of byIp) {
    const len = Buffer.byteLength(ip);
    if (len < 32) o = b.writeUInt8(0xa0 | len, o);
    else if (len < 256) o = b.writeUInt8(len, b.writeUInt8(0xd9, o));
    else if (len < 65_536) o = b.writeUInt16BE(len, b.writeUInt8(0xda, o));
    else o = b.writeUInt32BE(len, b.writeUInt8(0xdb, o));
    o += b.write(ip, o, 'utf8');
    o = b.writeUInt32BE(idx.length, b.writeUInt8(0xce, o));
    for (const i of idx) o = b.writeDoubleBE(ats[i] as number, b.writeUInt8(0xcb, o));
  }
  return b.subarray(0, o);
}

/**
 * Keys of one cluster's timeline under prefix `P`, which must hold a hash tag (the cluster's `{<cluster>}`) so they
 * all lie in one slot and each script may touch them all on Redis Cluster:
 *   P ip:<ip>     ZSET   member = interval JSON, score = from   (who held the IP; reading it needs no second lookup)
 *   P open        SET    "<ip> <id>" of intervals without an end (what reconcile compares with the API)
 *   P ends        ZSET   "<ip> <id>", score = to                 (what retention trims)
 *   P meta        HASH   start (timeline start), heartbeat (last time a writer was in sync)
 *   P lock:<name> STRING lock token
 * Intervals of one IP never overlap; the holder id (pod uid, `node:<name>`) is unique per IP.
 */
export interface TimelineKeys {
  open: string;
  ends: string;
  meta: string;
  /** `P ip:`, the prefix of the per-IP sets: a KEY of the scripts that learn IPs inside, carrying the same tag. */
  ips: string;
}

/** The keys under `prefix`; throws when it has no hash tag of its own (an empty `{}` hashes each key whole). */
export function timelineKeys(prefix: string): TimelineKeys {
  const open = prefix.indexOf('{');
  const close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
  if (close <= open + 1) throw new Error(`IP timeline prefix ${prefix} has no Redis Cluster hash tag`);
  return { open: `${prefix}open`, ends: `${prefix}ends`, meta: `${prefix}meta`, ips: `${prefix}ip:` };
}

/** A connection with the timeline commands defined on it. */
export type TimelineRedis = RedisLike & TimelineCommands;

/** Command → [script file, number of KEYS]; the key counts must match the parameters declared above. */
const SCRIPTS: Record<keyof TimelineCommands, [file: string, keys: number]> = {
  egressTimelineOpen: ['open', 3],
  egressTimelineClose: ['close', 3],
  egressTimelineResolve: ['resolve', 2],
  egressTimelineOpenList: ['open-list', 2],
  egressTimelineTouch: ['touch', 1],
  egressTimelineTrim: ['trim', 3],
  egressTimelineUnlock: ['unlock', 1],
};

const read = (file: string) => readFileSync(new URL(`./lua/${file}.lua`, import.meta.url), 'utf8');

/** Inlines `--- @include "name"` lines (shared helpers in lua/includes/), as BullMQ's script loader does. */
const withIncludes = (lua: string) =>
  lua.replace(/^--- @include "([\w-]+)"$/gm, (_, name: string) => read(`includes/${name}`));

/** Script sources, read once when this module loads (from src/ under tsx/vitest, from dist/ when compiled). */
const LUA = new Map(
  Object.entries(SCRIPTS).map(([name, [file, keys]]) => [name, { lua: withIncludes(read(file)), keys }]),
);

function hasTimelineCommands(redis: RedisLike): redis is TimelineRedis {
  return [...LUA.keys()].every((name) => typeof Reflect.get(redis, name) === 'function');
}

/** Defines the timeline commands on `redis` (once per connection; timelines of several clusters may share one). */
export function withTimelineCommands(redis: RedisLike): TimelineRedis {
  if (!hasTimelineCommands(redis)) {
    for (const [name, { lua, keys }] of LUA) redis.defineCommand(name, { lua, numberOfKeys: keys });
  }
  if (!hasTimelineCommands(redis)) throw new Error('ioredis did not define the IP timeline commands');
  return redis;
}
