--[[
  Drops up to ARGV[2] intervals that ended before ARGV[1]; the timeline now starts there.

  KEYS[1]  <P>ends   ZSET of "<ip> <id>" scored by end
  KEYS[2]  <P>meta   HASH start, heartbeat
  KEYS[3]  <P>ip:    prefix of the per-IP sorted sets, not a key itself. The IPs are only known from the end index,
                     so their keys are built here from this prefix, which carries the cluster's hash tag: they lie in
                     the slot the script runs on (Redis Cluster safe).
  ARGV[1]  cutoff (epoch seconds)
  ARGV[2]  batch size
  Returns how many intervals were dropped.
]]
--- @include "intervals"
local ends, meta, ips, cutoff = KEYS[1], KEYS[2], KEYS[3], tonumber(ARGV[1])
local ms = redis.call('ZRANGEBYSCORE', ends, '-inf', '(' .. cutoff, 'LIMIT', 0, tonumber(ARGV[2]))
for _, m in ipairs(ms) do
  local sp = string.find(m, ' ', 1, true)
  local zkey = ips .. string.sub(m, 1, sp - 1)
  local json = find(zkey, string.sub(m, sp + 1))
  if json then redis.call('ZREM', zkey, json) end
  redis.call('ZREM', ends, m)
end
local start = tonumber(redis.call('HGET', meta, 'start') or '')
if start and start < cutoff then redis.call('HSET', meta, 'start', cutoff) end
return #ms
