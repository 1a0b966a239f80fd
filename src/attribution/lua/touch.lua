--[[
  heartbeat = max(heartbeat, now). The first touch also marks when recording began: before it, the timeline cannot
  say who held an address (pods seen at that sync still carry their own earlier start).

  KEYS[1]  <P>meta   HASH start, heartbeat
  ARGV[1]  now (epoch seconds)
]]
local meta, now = KEYS[1], tonumber(ARGV[1])
local hb = tonumber(redis.call('HGET', meta, 'heartbeat') or '0')
if now > hb then redis.call('HSET', meta, 'heartbeat', now) end
redis.call('HSETNX', meta, 'start', now)
return 1
