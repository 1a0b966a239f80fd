--[[
  Every interval without an end, for reconcile; drops entries of the open set whose interval is gone.

  KEYS[1]  <P>open   SET of "<ip> <id>" without an end
  KEYS[2]  <P>ip:    prefix of the per-IP sorted sets, not a key itself. The IPs are only known from the open set,
                     so their keys are built here from this prefix; passing it as a KEY makes the command run on the
                     node of its hash tag, and because the tag is the same one every key of the cluster carries,
                     <P>ip:<ip> lies in that slot too (Redis Cluster safe).
]]
--- @include "intervals"
local openKey, ips = KEYS[1], KEYS[2]
local out = {}
for _, m in ipairs(redis.call('SMEMBERS', openKey)) do
  local sp = string.find(m, ' ', 1, true)
  local json = find(ips .. string.sub(m, 1, sp - 1), string.sub(m, sp + 1))
  if json then out[#out + 1] = json else redis.call('SREM', openKey, m) end
end
return out
