--[[
  Answers many (ip, at) questions in one call.

  KEYS[1]  <P>meta   HASH start, heartbeat
  KEYS[2]  <P>ip:    prefix of the per-IP sorted sets, not a key itself. The IPs come packed in ARGV[2], so their
                     keys are built here from this prefix; passing it as a KEY makes the command run on the node of
                     its hash tag, and because every key of the cluster carries that same tag, <P>ip:<ip> lies in
                     that slot too (Redis Cluster safe).
  ARGV[1]  K, the most intervals per IP read in one page
  ARGV[2]  one MessagePack array [ip, n, at1 … atn, ip, n, …] with each IP's times descending (one binary argument
           instead of thousands: cheap to send, unpacked in C)

  Per IP one ZREVRANGEBYSCORE of its min(K, n + 1) latest intervals starting by its first (latest) time; the times
  then walk that page from the newest end, so each interval is looked at once. The holder per time is the latest
  start at or before it; a same-second tie goes to the interval not already closed. A time the page cannot settle
  (older than the page, or picking its last entry, whose same-second partner may lie beyond it) reads the next page
  from there.

  Returns {start, heartbeat, picks, interval1..u}. `picks` has one character per time, in the order sent: '0' no
  holder, '+' the next interval of the list, '=' the same interval as the time before. Walking an IP's times latest
  first, its holders only ever get older, so a holder answers a run of consecutive times and each interval is sent
  once however many times it answers.
]]
local call, tonumber, decode, null = redis.call, tonumber, cjson.decode, cjson.null
local base, K = KEYS[2], tonumber(ARGV[1])
local meta = call('HMGET', KEYS[1], 'start', 'heartbeat')
local out = { meta[1] or '', meta[2] or '', '' }
local limit = {}
for k = 1, K do limit[k] = tostring(k) end
local picks, nu, np = {}, 0, 0
local a = cmsgpack.unpack(ARGV[2])
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
