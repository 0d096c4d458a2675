import { LuaScript } from "./lua-script.js";

/**
 * Lua mirror of domain/rate-limits.ts `refill`. Levels are stored with %.17g so they round-trip
 * exactly; the scripts return levels, and TypeScript derives remaining/reset/retry from them with
 * the same domain functions the memory limiter uses.
 * Time: ARGV[1] is a clock override for tests; empty means Redis TIME, so every Keyplane instance
 * judges by the same clock. Bucket hash: a = level, t = ms of the last write. Missing = full.
 * A script reads each bucket once and writes each changed bucket once, at the end (`flush`): a
 * batch of decisions on the same buckets costs Redis calls per bucket, not per decision. Calls
 * from Lua, not the Lua itself, are most of a script's time.
 */
const PRELUDE = `
local function now_ms(override)
  if override ~= '' then return tonumber(override) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local state, shape, changed = {}, {}, {}
local function level(key, cap, win, now)
  if cap <= 0 then return 0 end
  local s = state[key]
  if s == nil then
    local v = redis.call('HMGET', key, 'a', 't')
    s = false
    if v[1] then s = { tonumber(v[1]), tonumber(v[2]) } end
    state[key] = s
  end
  if not s then return cap end
  local elapsed = 0
  if now > s[2] then elapsed = now - s[2] end
  local l = s[1] + (elapsed * cap) / win
  if l < cap then return l end
  return cap
end
local function store(key, l, cap, win, now)
  if shape[key] == nil then changed[#changed + 1] = key end
  shape[key] = { cap, win }
  if cap <= 0 or l >= cap then
    state[key] = false
  else
    state[key] = { l, now }
  end
end
local function flush()
  for _, key in ipairs(changed) do
    local s, cap, win = state[key], shape[key][1], shape[key][2]
    if not s then
      redis.call('DEL', key)
    else
      redis.call('HSET', key, 'a', string.format('%.17g', s[1]), 't', string.format('%.17g', s[2]))
      redis.call('PEXPIRE', key, math.ceil((cap - s[1]) * win / cap) + 1000)
    end
  end
end
`;

/**
 * One reservation's decision, read from ARGV[a] on and KEYS[k + 1] on: n, m, reservation id,
 * capacity/window/cost per bucket, max per concurrency set; its n bucket hashes then m sorted sets.
 * Status 1 = it fits, 0 = a bucket is short, 2 = a concurrency set is full. Writes nothing:
 * `rate_commit` consumes what a fitting decision asked for.
 */
const RATE_DECIDE = `
local function rate_decide(a, k, now)
  local d = { a = a, k = k, n = tonumber(ARGV[a]), m = tonumber(ARGV[a + 1]), levels = {} }
  d.status, d.slot, d.inflight = 1, 0, 0
  d.next_a, d.next_k = a + 3 + d.n * 3 + d.m, k + d.n + d.m
  for i = 1, d.n do
    local c = a + i * 3
    local l = level(KEYS[k + i], tonumber(ARGV[c]), tonumber(ARGV[c + 1]), now)
    d.levels[i] = l
    if tonumber(ARGV[c + 2]) > l then d.status = 0 end
  end
  if d.status == 0 then return d end
  for j = 1, d.m do
    local key, max = KEYS[k + d.n + j], tonumber(ARGV[a + 2 + d.n * 3 + j])
    local c = redis.call('ZCARD', key)
    if c >= max then
      redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
      c = redis.call('ZCARD', key)
    end
    if c >= max then
      d.status, d.slot, d.inflight = 2, j, c
      return d
    end
  end
  return d
end
local function rate_commit(d, now, ttl)
  for i = 1, d.n do
    local c = d.a + i * 3
    d.levels[i] = d.levels[i] - tonumber(ARGV[c + 2])
    store(KEYS[d.k + i], d.levels[i], tonumber(ARGV[c]), tonumber(ARGV[c + 1]), now)
  end
  for j = 1, d.m do
    redis.call('ZADD', KEYS[d.k + d.n + j], now + ttl, ARGV[d.a + 2])
    redis.call('PEXPIRE', KEYS[d.k + d.n + j], ttl)
  end
end
local function rate_reply(out, d)
  out[#out + 1] = d.status
  out[#out + 1] = d.slot
  out[#out + 1] = d.inflight
  for i = 1, d.n do out[#out + 1] = string.format('%.17g', d.levels[i]) end
end
`;

/** What a reservation script shares with the joint one (limits/redis-joint.ts). */
export const RATE_RESERVE_LIB = `${PRELUDE}${RATE_DECIDE}`;

/**
 * A batch of reservations (limits/group-commit.ts), decided one after another, each all or nothing.
 * ARGV: now, slot ttl ms, entry count, then each entry as `rate_decide` reads it. KEYS: each
 * entry's. Reply per entry: status, slot index, in flight, level per bucket (after consuming, when
 * the status is 1). Nothing of an entry is written unless its status is 1.
 */
export const reserveScript = new LuaScript(`${RATE_RESERVE_LIB}
local now = now_ms(ARGV[1])
local ttl = tonumber(ARGV[2])
local a, k = 4, 0
local out = {}
for _ = 1, tonumber(ARGV[3]) do
  local d = rate_decide(a, k, now)
  if d.status == 1 then rate_commit(d, now, ttl) end
  rate_reply(out, d)
  a, k = d.next_a, d.next_k
end
flush()
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
flush()
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
