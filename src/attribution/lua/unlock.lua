--[[
  Deletes a lock only if we still own it (it may have expired and been taken by another replica).

  KEYS[1]  the lock
  ARGV[1]  our token
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
