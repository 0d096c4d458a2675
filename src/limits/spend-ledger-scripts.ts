import { LuaScript } from "./lua-script.js";

/**
 * Per budget and period two keys: a hash (s = spent, r = reserved, a<percent> = alert sent) and a
 * sorted set of holds (member `<reservation id>:<amount>`, score = expiry ms). Amounts are integer
 * micro-dollars, so HINCRBY is exact. Negations are written `0 - x`: Lua's `-x` of 0 is -0, which
 * Redis passes on as "-0" and HINCRBY rejects. ARGV[1] is a clock override for tests; empty = Redis TIME.
 */
const NOW = `
local now
if ARGV[1] ~= '' then now = tonumber(ARGV[1]) else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/**
 * Keep a period's keys `retention` ms after it ends. The holds set must never expire before the
 * hash: its members are the only record of what `r` must give back.
 */
const EXPIRE = `
local function expire(key, ends, keep)
  if ends ~= '' then redis.call('PEXPIREAT', key, tonumber(ends) + keep) end
end
`;

/**
 * KEYS: hash, holds per budget. ARGV: now, n, member, cost, hold ttl, retention, then
 * limit/period-end per budget. Expired holds are given back only when a budget would refuse.
 * Reply: {index of the first refusing budget or 0, spent, reserved per budget}; holds only when 0.
 */
export const reserveSpendScript = new LuaScript(`${NOW}${EXPIRE}
local n, member, cost = tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local ttl, keep = tonumber(ARGV[5]), tonumber(ARGV[6])
local spent, reserved = {}, {}
local denied = 0
for i = 1, n do
  local h, z = KEYS[i * 2 - 1], KEYS[i * 2]
  local limit = tonumber(ARGV[6 + i * 2 - 1])
  local v = redis.call('HMGET', h, 's', 'r')
  local s, r = tonumber(v[1] or 0), tonumber(v[2] or 0)
  if s + r + cost > limit then
    local expired = redis.call('ZRANGEBYSCORE', z, '-inf', now)
    if #expired > 0 then
      local freed = 0
      for _, m in ipairs(expired) do freed = freed + tonumber(string.match(m, ':(%d+)$')) end
      redis.call('ZREMRANGEBYSCORE', z, '-inf', now)
      r = redis.call('HINCRBY', h, 'r', 0 - freed)
    end
  end
  spent[i], reserved[i] = s, r
  if denied == 0 and s + r + cost > limit then denied = i end
end
if denied == 0 then
  for i = 1, n do
    local h, z = KEYS[i * 2 - 1], KEYS[i * 2]
    reserved[i] = redis.call('HINCRBY', h, 'r', cost)
    expire(h, ARGV[6 + i * 2], keep)
    redis.call('ZADD', z, now + ttl, member)
    expire(z, ARGV[6 + i * 2], keep)
  end
end
local out = {denied}
for i = 1, n do
  out[#out + 1] = spent[i]
  out[#out + 1] = reserved[i]
end
return out
`);

/**
 * KEYS: hash, holds per budget. ARGV: now, n, member, cost, actual, retention, then
 * limit/period-end/alert percents (comma separated) per budget. A hold already expired is not
 * given back twice. Reply: flat {budget index, percent, spent} per alert reached for the first time.
 */
export const settleSpendScript = new LuaScript(`${EXPIRE}
local n, member, cost = tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local actual, keep = tonumber(ARGV[5]), tonumber(ARGV[6])
local out = {}
for i = 1, n do
  local h, z = KEYS[i * 2 - 1], KEYS[i * 2]
  local b = 6 + (i - 1) * 3
  local limit = tonumber(ARGV[b + 1])
  if redis.call('ZREM', z, member) == 1 then redis.call('HINCRBY', h, 'r', 0 - cost) end
  local s = redis.call('HINCRBY', h, 's', actual)
  expire(h, ARGV[b + 2], keep)
  for p in string.gmatch(ARGV[b + 3], '[^,]+') do
    if s * 100 >= limit * tonumber(p) and redis.call('HSETNX', h, 'a' .. p, 1) == 1 then
      out[#out + 1] = i
      out[#out + 1] = p
      out[#out + 1] = s
    end
  end
end
return out
`);

/** KEYS: hash, holds per budget. ARGV: member, cost. Frees the hold if it is still there. */
export const releaseSpendScript = new LuaScript(`
for i = 1, #KEYS / 2 do
  if redis.call('ZREM', KEYS[i * 2], ARGV[1]) == 1 then redis.call('HINCRBY', KEYS[i * 2 - 1], 'r', 0 - tonumber(ARGV[2])) end
end
return {1}
`);

/** KEYS: one hash per budget. Reply: spent, reserved per budget. */
export const usageSpendScript = new LuaScript(`
local out = {}
for i = 1, #KEYS do
  local v = redis.call('HMGET', KEYS[i], 's', 'r')
  out[#out + 1] = tonumber(v[1] or 0)
  out[#out + 1] = tonumber(v[2] or 0)
end
return out
`);
