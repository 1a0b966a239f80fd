-- Helpers of the scripts that look up or rewrite one interval (open, close, open-list, trim). Not a script of its
-- own: timeline-commands.ts puts it where a script says `--- @include "intervals"` (as BullMQ does), so the helpers
-- are written once.
--
-- Keys are never built here: callers hand in keys that came from KEYS, or that they built from the KEYS-passed
-- per-IP prefix, which carries the cluster's hash tag (so the key lies in the slot the script runs on).

-- Finds the interval of holder `id` in the IP's sorted set `zkey`: its stored member and the decoded record.
-- Newest first, in growing pages: the interval being changed is nearly always a recent one.
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

-- Stores record `r` in `zkey` in place of member `old` (if any), and keeps the open set and the end index in step:
-- an interval without an end is listed in `openKey`, an ended one in `endsKey` (scored by its end, for retention).
local function save(zkey, openKey, endsKey, old, r)
  if old then redis.call('ZREM', zkey, old) end
  redis.call('ZADD', zkey, r.from, cjson.encode(r))
  local m = r.ip .. ' ' .. r.id
  if r.to == cjson.null then
    redis.call('SADD', openKey, m)
  else
    redis.call('SREM', openKey, m)
    redis.call('ZADD', endsKey, r.to, m)
  end
end
