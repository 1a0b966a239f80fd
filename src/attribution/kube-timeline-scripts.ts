import { createHash } from 'node:crypto';
import type { Redis } from '../redis.js';

/**
 * Lua for the IP timeline. Scripts run atomically in Redis, so several replicas writing the same events cannot
 * interleave half-updates; every script is idempotent (re-applying an event changes nothing).
 *
 * Layout under a per-cluster prefix `P` (a `{hash tag}`, so one cluster's keys share a slot):
 *   P ip:<ip>  ZSET  member = interval JSON, score = from   (who held the IP; reading it needs no second lookup)
 *   P open     SET   "<ip> <id>" of intervals without an end (what reconcile compares with the API)
 *   P ends     ZSET  "<ip> <id>", score = to                 (what retention trims)
 *   P meta     HASH  start (timeline start), heartbeat (last time a writer was in sync)
 * Intervals of one IP never overlap; the holder id (pod uid, `node:<name>`) is unique per IP.
 */

/** Shared helpers: find an interval by holder id (newest first: the one being changed is nearly always recent). */
const HELPERS = `
local function find(zkey, id)
  local from, step = 0, 32
  while true do
    local ms = redis.call('ZREVRANGE', zkey, from, from + step - 1)
    for _, m in ipairs(ms) do
      local r = cjson.decode(m)
      if r.id == id then return m, r end
    end
    if #ms < step then return nil, nil end
    from, step = from + step, step * 4
  end
end
local function save(P, zkey, old, r)
  if old then redis.call('ZREM', zkey, old) end
  redis.call('ZADD', zkey, r.from, cjson.encode(r))
  local m = r.ip .. ' ' .. r.id
  if r.to == cjson.null then
    redis.call('SADD', P .. 'open', m)
  else
    redis.call('SREM', P .. 'open', m)
    redis.call('ZADD', P .. 'ends', r.to, m)
  end
end
`;

/**
 * OPEN(P, json, extend): records an interval unless its holder already has one on that IP (then only upgrades a
 * workload that was stuck at ReplicaSet/Job because the owner arrived later, or, for node holders with extend=1,
 * moves the start earlier). An IP has one holder at a time: intervals of other holders that started before are
 * closed at our start; if another holder started after us, we end where it begins.
 */
export const OPEN = `${HELPERS}
local P, rec, extend = ARGV[1], cjson.decode(ARGV[2]), ARGV[3] == '1'
local zkey = P .. 'ip:' .. rec.ip
local old, cur = find(zkey, rec.id)
local recent = redis.call('ZREVRANGE', zkey, 0, 31)
if cur then
  local changed = false
  local w, nw = cur.workload, rec.workload
  if type(nw) == 'table' and (type(w) ~= 'table' or ((w.kind == 'ReplicaSet' or w.kind == 'Job') and nw.kind ~= w.kind)) then
    cur.workload = nw
    changed = true
  end
  if extend and rec.from < cur.from then
    local floor = rec.from
    for _, m in ipairs(recent) do
      local o = cjson.decode(m)
      if o.id ~= cur.id and o.from < cur.from and o.to ~= cjson.null and o.to > floor then floor = o.to end
    end
    if floor < cur.from then
      cur.from = floor
      changed = true
    end
  end
  if changed then save(P, zkey, old, cur) end
  return changed and 2 or 0
end
for _, m in ipairs(recent) do
  local o = cjson.decode(m)
  if o.from <= rec.from then
    if o.to == cjson.null or o.to > rec.from then
      o.to = rec.from
      save(P, zkey, m, o)
    end
  elseif rec.to == cjson.null or rec.to > o.from then
    rec.to = o.from
  end
end
save(P, zkey, nil, rec)
return 1
`;

/**
 * CLOSE(P, ip, id, to, endedBefore, endedAfter): ends an interval. The earliest end wins (so replicas that saw the
 * deletion at slightly different times agree); a precise end replaces an "ended before" bound it does not exceed.
 */
export const CLOSE = `${HELPERS}
local P, ip, id, to = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local zkey = P .. 'ip:' .. ip
local old, c = find(zkey, id)
if not c then return 0 end
if to < c.from then to = c.from end
if c.to ~= cjson.null and c.to < to then return 0 end
if c.to ~= cjson.null and c.to == to and (ARGV[5] == '1' or not c.endedBefore) then return 0 end
c.to = to
if ARGV[5] == '1' then
  c.endedBefore = true
  if ARGV[6] ~= '' then c.endedAfter = tonumber(ARGV[6]) end
else
  c.endedBefore = nil
  c.endedAfter = nil
end
save(P, zkey, old, c)
return 1
`;

/**
 * RESOLVE(P, K, pairs) where `pairs` is one MessagePack array [ip, n, at1 … atn, ip, n, …] with each IP's times
 * descending (one binary argument instead of thousands: cheap to send, unpacked in C). Per IP one ZREVRANGEBYSCORE
 * of its min(K, n + 1) latest intervals starting by its first (latest) time; the times then walk that page from the
 * newest end, so each interval is looked at once. The holder per time is the latest start at or before it; a
 * same-second tie goes to the interval not already closed. A time the page cannot settle (older than the page, or
 * picking its last entry, whose same-second partner may lie beyond it) reads the next page from there.
 * Returns {start, heartbeat, picks, interval1..u}. `picks` has one character per time, in the order sent: '0' no
 * holder, '+' the next interval of the list, '=' the same interval as the time before. Walking an IP's times
 * latest first, its holders only ever get older, so a holder answers a run of consecutive times and each interval
 * is sent once however many times it answers.
 */
export const RESOLVE = `
local call, tonumber, decode, null = redis.call, tonumber, cjson.decode, cjson.null
local P, K = ARGV[1], tonumber(ARGV[2])
local base = P .. 'ip:'
local meta = call('HMGET', P .. 'meta', 'start', 'heartbeat')
local out = { meta[1] or '', meta[2] or '', '' }
local limit = {}
for k = 1, K do limit[k] = tostring(k) end
local picks, nu, np = {}, 0, 0
local a = cmsgpack.unpack(ARGV[3])
local i, last = 1, #a
while i <= last do
  local zkey, n = base .. a[i], a[i + 1]
  local k = n + 1
  if k > K then k = K end
  local page = call('ZREVRANGEBYSCORE', zkey, a[i + 2], '-inf', 'WITHSCORES', 'LIMIT', '0', limit[k])
  local full, q, prev = #page == 2 * k, 1, nil
  for j = i + 2, i + 1 + n do
    local at = a[j]
    while page[q] and tonumber(page[q + 1]) > at do q = q + 2 end
    if full and not page[q + 2] then
      k = i + n - j + 3
      if k > K then k = K end
      page = call('ZREVRANGEBYSCORE', zkey, at, '-inf', 'WITHSCORES', 'LIMIT', '0', limit[k])
      full, q = #page == 2 * k, 1
    end
    local pick = page[q]
    if pick and page[q + 3] == page[q + 1] then
      local first = decode(pick)
      if first.to ~= null and first.to <= at then pick = page[q + 2] end
    end
    np = np + 1
    if not pick then
      picks[np] = '0'
    elseif pick == prev then
      picks[np] = '='
    else
      nu = nu + 1
      out[nu + 3] = pick
      prev = pick
      picks[np] = '+'
    end
  end
  i = i + 2 + n
end
out[3] = table.concat(picks)
return out
`;

/** OPEN_LIST(P): every interval without an end, for reconcile. */
export const OPEN_LIST = `${HELPERS}
local P = ARGV[1]
local out = {}
for _, m in ipairs(redis.call('SMEMBERS', P .. 'open')) do
  local sp = string.find(m, ' ', 1, true)
  local json = find(P .. 'ip:' .. string.sub(m, 1, sp - 1), string.sub(m, sp + 1))
  if json then out[#out + 1] = json else redis.call('SREM', P .. 'open', m) end
end
return out
`;

/**
 * TOUCH(P, now): heartbeat = max(heartbeat, now). The first touch marks when recording began: before it, the
 * timeline cannot say who held an address (pods seen at that sync still carry their own earlier start).
 */
export const TOUCH = `
local P, now = ARGV[1], tonumber(ARGV[2])
local hb = tonumber(redis.call('HGET', P .. 'meta', 'heartbeat') or '0')
if now > hb then redis.call('HSET', P .. 'meta', 'heartbeat', now) end
redis.call('HSETNX', P .. 'meta', 'start', now)
return 1
`;

/** TRIM(P, cutoff, batch): drops up to `batch` intervals that ended before `cutoff`; the timeline now starts there. */
export const TRIM = `${HELPERS}
local P, cutoff = ARGV[1], tonumber(ARGV[2])
local ms = redis.call('ZRANGEBYSCORE', P .. 'ends', '-inf', '(' .. cutoff, 'LIMIT', 0, tonumber(ARGV[3]))
for _, m in ipairs(ms) do
  local sp = string.find(m, ' ', 1, true)
  local zkey = P .. 'ip:' .. string.sub(m, 1, sp - 1)
  local json = find(zkey, string.sub(m, sp + 1))
  if json then redis.call('ZREM', zkey, json) end
  redis.call('ZREM', P .. 'ends', m)
end
local start = tonumber(redis.call('HGET', P .. 'meta', 'start') or '')
if start and start < cutoff then redis.call('HSET', P .. 'meta', 'start', cutoff) end
return #ms
`;

/** UNLOCK(key, token): deletes a lock only if we still own it. */
export const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const shas = new Map<string, string>();

/**
 * Runs a script by SHA (one round trip), loading it with EVAL only when the server does not know it yet (first
 * call, or after a Redis restart).
 */
export async function runScript(
  redis: Redis,
  lua: string,
  keys: string[],
  args: Array<string | number | Buffer>,
): Promise<unknown> {
  let sha = shas.get(lua);
  if (!sha) {
    sha = createHash('sha1').update(lua).digest('hex');
    shas.set(lua, sha);
  }
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
    return redis.eval(lua, keys.length, ...keys, ...args);
  }
}
