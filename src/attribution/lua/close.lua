--[[
  Ends the interval of holder ARGV[1]. The earliest end wins (so replicas that saw the deletion at slightly different
  times agree); a precise end replaces an "ended before" bound it does not exceed.

  KEYS[1]  <P>ip:<ip>   ZSET of the IP's intervals
  KEYS[2]  <P>open      SET of "<ip> <id>" without an end
  KEYS[3]  <P>ends      ZSET of "<ip> <id>" scored by end
  ARGV[1]  holder id
  ARGV[2]  end (epoch seconds)
  ARGV[3]  '1' when the end is only an upper bound ("ended before")
  ARGV[4]  with ARGV[3] = '1': the lower bound ("ended after"), or ''
  Returns 1 changed, 0 nothing to do.
]]
--- @include "intervals"
local zkey, openKey, endsKey = KEYS[1], KEYS[2], KEYS[3]
local id, to, bounded = ARGV[1], tonumber(ARGV[2]), ARGV[3] == '1'
local old, c = find(zkey, id)
if not c then return 0 end
if to < c.from then to = c.from end
if c.to ~= cjson.null and c.to < to then return 0 end
if c.to ~= cjson.null and c.to == to and (bounded or not c.endedBefore) then return 0 end
c.to = to
if bounded then
  c.endedBefore = true
  if ARGV[4] ~= '' then c.endedAfter = tonumber(ARGV[4]) end
else
  c.endedBefore = nil
  c.endedAfter = nil
end
save(zkey, openKey, endsKey, old, c)
return 1
