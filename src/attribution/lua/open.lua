--[[
  Records an interval unless its holder already has one on that IP. Then it only upgrades a workload that was stuck
  at ReplicaSet/Job because the owner arrived later, or, for node holders with extend = '1', moves the start earlier.
  An IP has one holder at a time: intervals of other holders that started before are closed at our start; if another
  holder started after us, we end where it begins. Idempotent: replaying an event changes nothing.

  KEYS[1]  <P>ip:<ip>   ZSET of the IP's intervals (the IP of ARGV[1])
  KEYS[2]  <P>open      SET of "<ip> <id>" without an end
  KEYS[3]  <P>ends      ZSET of "<ip> <id>" scored by end
  ARGV[1]  the interval, JSON
  ARGV[2]  extend: '1' lets a node holder start earlier
  Returns 1 recorded, 2 existing interval updated, 0 nothing to do.
]]
--- @include "intervals"
local zkey, openKey, endsKey = KEYS[1], KEYS[2], KEYS[3]
local rec, extend = cjson.decode(ARGV[1]), ARGV[2] == '1'
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
  if changed then save(zkey, openKey, endsKey, old, cur) end
  return changed and 2 or 0
end
for _, m in ipairs(recent) do
  local o = cjson.decode(m)
  if o.from <= rec.from then
    if o.to == cjson.null or o.to > rec.from then
      o.to = rec.from
      save(zkey, openKey, endsKey, m, o)
    end
  elseif rec.to == cjson.null or rec.to > o.from then
    rec.to = o.from
  end
end
save(zkey, openKey, endsKey, nil, rec)
return 1
