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
 * Batch scripts (limits/group-commit.ts) read each budget hash once, keep its spent/reserved in Lua
 * and add the batch's net changes with one HINCRBY per field at the end, so a batch of decisions
 * on the same budget costs Redis calls per budget, not per decision. `%d` keeps large sums integral
 * (a Lua number passed as is would be written with %.14g).
 */
const TALLY = `
local cached, dspent, dheld, touched, ends = {}, {}, {}, {}, {}
local function tally(h)
  local c = cached[h]
  if c == nil then
    local v = redis.call('HMGET', h, 's', 'r')
    c = { tonumber(v[1] or 0), tonumber(v[2] or 0) }
    cached[h], dspent[h], dheld[h] = c, 0, 0
    touched[#touched + 1] = h
  end
  return c
end
local function spend(h, delta)
  tally(h)[1] = tally(h)[1] + delta
  dspent[h] = dspent[h] + delta
end
local function hold(h, delta)
  tally(h)[2] = tally(h)[2] + delta
  dheld[h] = dheld[h] + delta
end
local function write_tally(keep)
  for _, h in ipairs(touched) do
    if dspent[h] ~= 0 then redis.call('HINCRBY', h, 's', string.format('%d', dspent[h])) end
    if dheld[h] ~= 0 then redis.call('HINCRBY', h, 'r', string.format('%d', dheld[h])) end
    if ends[h] then expire(h, ends[h], keep) end
  end
end
`;

/**
 * One reservation's decision, read from ARGV[a] on and KEYS[k + 1] on: n, member, cost, then
 * limit/period-end per budget; hash and holds per budget. `denied` is the first budget that cannot
 * cover the cost, or 0. Expired holds are given back only when a budget would refuse. Holds
 * nothing: `spend_commit` does, for a decision that fits. `spend_next` skips an entry unread.
 */
const SPEND_DECIDE = `
local adds, sets = {}, {}
local function spend_next(a, k)
  local n = tonumber(ARGV[a])
  return a + 3 + n * 2, k + n * 2
end
local function spend_decide(a, k, now)
  local d = { a = a, k = k, n = tonumber(ARGV[a]), cost = tonumber(ARGV[a + 2]), seen = {}, denied = 0 }
  d.next_a, d.next_k = spend_next(a, k)
  for i = 1, d.n do
    local h, z = KEYS[k + i * 2 - 1], KEYS[k + i * 2]
    local limit = tonumber(ARGV[a + 1 + i * 2])
    local c = tally(h)
    if c[1] + c[2] + d.cost > limit then
      local expired = redis.call('ZRANGEBYSCORE', z, '-inf', now)
      if #expired > 0 then
        local freed = 0
        for _, m in ipairs(expired) do freed = freed + tonumber(string.match(m, ':(%d+)$')) end
        redis.call('ZREMRANGEBYSCORE', z, '-inf', now)
        hold(h, 0 - freed)
      end
    end
    d.seen[i] = { c[1], c[2] }
    if d.denied == 0 and c[1] + c[2] + d.cost > limit then d.denied = i end
  end
  return d
end
local function spend_commit(d, now, ttl)
  for i = 1, d.n do
    local h, z = KEYS[d.k + i * 2 - 1], KEYS[d.k + i * 2]
    hold(h, d.cost)
    d.seen[i][2] = tally(h)[2]
    local e = ARGV[d.a + 2 + i * 2]
    if e ~= '' then ends[h], ends[z] = e, e end
    if adds[z] == nil then
      adds[z] = {}
      sets[#sets + 1] = z
    end
    local l = adds[z]
    l[#l + 1] = now + ttl
    l[#l + 1] = ARGV[d.a + 1]
  end
end
local function spend_reply(out, d)
  out[#out + 1] = d.denied
  for i = 1, d.n do
    out[#out + 1] = d.seen[i][1]
    out[#out + 1] = d.seen[i][2]
  end
end
local function write_holds(keep)
  write_tally(keep)
  for _, z in ipairs(sets) do
    redis.call('ZADD', z, unpack(adds[z]))
    if ends[z] then expire(z, ends[z], keep) end
  end
end
`;

/** What a reservation script shares with the joint one (limits/redis-joint.ts). */
export const SPEND_RESERVE_LIB = `${EXPIRE}${TALLY}${SPEND_DECIDE}`;

/**
 * A batch of reservations, decided in order, each on all its budgets or none. ARGV: now, hold ttl,
 * retention, entry count, then each entry as `spend_decide` reads it. KEYS: each entry's. Reply
 * per entry: index of the first refusing budget or 0, then spent, reserved per budget.
 */
export const reserveSpendScript = new LuaScript(`${NOW}${SPEND_RESERVE_LIB}
local ttl, keep = tonumber(ARGV[2]), tonumber(ARGV[3])
local a, k = 5, 0
local out = {}
for _ = 1, tonumber(ARGV[4]) do
  local d = spend_decide(a, k, now)
  if d.denied == 0 then spend_commit(d, now, ttl) end
  spend_reply(out, d)
  a, k = d.next_a, d.next_k
end
write_holds(keep)
return out
`);

/**
 * A batch of settles and releases. ARGV: retention, entry count, then per entry: n, member, cost,
 * actual ('' = release: free the hold, record nothing), then limit/period-end/alert percents (comma
 * separated) per budget. KEYS: per entry, hash and holds per budget. A hold already expired is not
 * given back twice. Reply per entry: the number of alerts reached for the first time, then
 * {budget index, percent, spent} for each.
 */
export const settleSpendScript = new LuaScript(`${EXPIRE}${TALLY}
local keep = tonumber(ARGV[1])
local alerted = {}
local a, k = 3, 0
local out = {}
for _ = 1, tonumber(ARGV[2]) do
  local n, member, cost, actual = tonumber(ARGV[a]), ARGV[a + 1], tonumber(ARGV[a + 2]), ARGV[a + 3]
  local count = #out + 1
  out[count] = 0
  for i = 1, n do
    local h, z = KEYS[k + i * 2 - 1], KEYS[k + i * 2]
    local b = a + 4 + (i - 1) * 3
    if redis.call('ZREM', z, member) == 1 then hold(h, 0 - cost) end
    if actual ~= '' then
      spend(h, tonumber(actual))
      if ARGV[b + 1] ~= '' then ends[h] = ARGV[b + 1] end
      local s, limit = tally(h)[1], tonumber(ARGV[b])
      for p in string.gmatch(ARGV[b + 2], '[^,]+') do
        local f = 'a' .. p
        if s * 100 >= limit * tonumber(p) and not alerted[h .. f] then
          alerted[h .. f] = true
          if redis.call('HSETNX', h, f, 1) == 1 then
            out[#out + 1] = i
            out[#out + 1] = p
            out[#out + 1] = s
            out[count] = out[count] + 1
          end
        end
      end
    end
  end
  a, k = a + 4 + n * 3, k + n * 2
end
write_tally(keep)
return out
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
