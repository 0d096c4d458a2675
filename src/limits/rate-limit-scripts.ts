import { LuaScript } from "./lua-script.js";

/**
 * Lua mirror of domain/rate-limits.ts `refill`. Levels are stored with %.17g so they round-trip
 * exactly; the scripts return levels, and TypeScript derives remaining/reset/retry from them with
 * the same domain functions the memory limiter uses.
 * Time: ARGV[1] is a clock override for tests; empty means Redis TIME, so every Keyplane instance
 * judges by the same clock. Bucket hash: a = level, t = ms of the last write. Missing = full.
 */
const PRELUDE = `
local function now_ms(override)
  if override ~= '' then return tonumber(override) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function level(key, cap, win, now)
  if cap <= 0 then return 0 end
  local v = redis.call('HMGET', key, 'a', 't')
  if not v[1] then return cap end
  local a = tonumber(v[1])
  local t = tonumber(v[2])
  local elapsed = 0
  if now > t then elapsed = now - t end
  local l = a + (elapsed * cap) / win
  if l < cap then return l end
  return cap
end
local function store(key, l, cap, win, now)
  if cap <= 0 or l >= cap then
    redis.call('DEL', key)
    return
  end
  redis.call('HSET', key, 'a', string.format('%.17g', l), 't', string.format('%.17g', now))
  redis.call('PEXPIRE', key, math.ceil((cap - l) * win / cap) + 1000)
end
`;

/**
 * KEYS: n bucket hashes, then m concurrency sorted sets (member = reservation id, score = expiry).
 * ARGV: now, n, m, reservation id, slot ttl ms, then capacity/window/cost per bucket, then max per set.
 * Reply: {status, slot index, in flight, level per bucket}; status 1 = consumed, 0 = a bucket is
 * short, 2 = a concurrency set is full. Nothing is written unless status is 1.
 */
export const reserveScript = new LuaScript(`${PRELUDE}
local now = now_ms(ARGV[1])
local n, m = tonumber(ARGV[2]), tonumber(ARGV[3])
local levels, out = {}, {}
local short = false
for i = 1, n do
  local b = 5 + (i - 1) * 3
  local l = level(KEYS[i], tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]), now)
  levels[i] = l
  if tonumber(ARGV[b + 3]) > l then short = true end
end
local status, slot, inflight = 1, 0, 0
if short then
  status = 0
else
  local sb = 5 + n * 3
  for j = 1, m do
    local key, max = KEYS[n + j], tonumber(ARGV[sb + j])
    local c = redis.call('ZCARD', key)
    if c >= max then
      redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
      c = redis.call('ZCARD', key)
    end
    if c >= max then
      status, slot, inflight = 2, j, c
      break
    end
  end
end
if status == 1 then
  for i = 1, n do
    local b = 5 + (i - 1) * 3
    levels[i] = levels[i] - tonumber(ARGV[b + 3])
    store(KEYS[i], levels[i], tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]), now)
  end
  local ttl = tonumber(ARGV[5])
  for j = 1, m do
    redis.call('ZADD', KEYS[n + j], now + ttl, ARGV[4])
    redis.call('PEXPIRE', KEYS[n + j], ttl)
  end
end
out[1], out[2], out[3] = status, slot, inflight
for i = 1, n do out[3 + i] = string.format('%.17g', levels[i]) end
return out
`);

/**
 * Settles and releases of one turn (limits/adjust-batch.ts): add delta (refund > 0, charge < 0) to
 * each bucket, capped at capacity, and free reservations' concurrency slots.
 * KEYS: n bucket hashes, then m concurrency sets. ARGV: now, n, m, then capacity/window/delta per
 * bucket, then per set the number of reservation ids followed by those ids.
 */
export const adjustScript = new LuaScript(`${PRELUDE}
local now = now_ms(ARGV[1])
local n, m = tonumber(ARGV[2]), tonumber(ARGV[3])
for i = 1, n do
  local b = 3 + (i - 1) * 3
  local cap, win = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2])
  store(KEYS[i], level(KEYS[i], cap, win, now) + tonumber(ARGV[b + 3]), cap, win, now)
end
local a = 4 + n * 3
for j = 1, m do
  local k = tonumber(ARGV[a])
  for x = 1, k do redis.call('ZREM', KEYS[n + j], ARGV[a + x]) end
  a = a + k + 1
end
return {1}
`);

/** Levels without consuming. KEYS: bucket hashes. ARGV: now, then capacity/window per bucket. */
export const peekScript = new LuaScript(`${PRELUDE}
local now = now_ms(ARGV[1])
local out = {}
for i = 1, #KEYS do
  out[i] = string.format('%.17g', level(KEYS[i], tonumber(ARGV[i * 2]), tonumber(ARGV[i * 2 + 1]), now))
end
return out
`);
