import { batchGroup, GroupCommit } from "./group-commit.js";
import type { JointOutcome } from "./joint-reserver.js";
import { type BatchEntry, LuaScript, type RedisClient, runBatch } from "./lua-script.js";
import { RATE_RESERVE_LIB } from "./rate-limit-scripts.js";
import type { ReserveInput } from "./rate-limiter.js";
import { type RedisRateLimiter, readReserve } from "./redis-rate-limiter.js";
import { type RedisSpendLedger, readSpendReserve } from "./redis-spend-ledger.js";
import type { SpendReserveInput } from "./spend-ledger.js";
import { SPEND_RESERVE_LIB } from "./spend-ledger-scripts.js";

/**
 * A batch of joint reservations, decided in order. ARGV: now, slot ttl, hold ttl, retention, entry
 * count, then per entry its rate part and its budget part, each as the single scripts read them.
 * A budget part is judged only if the rate part fits, and either both are taken or neither. Reply
 * per entry: the rate reply, then the budget reply when the rate status is 1.
 */
const jointScript = new LuaScript(`${RATE_RESERVE_LIB}${SPEND_RESERVE_LIB}
local now = now_ms(ARGV[1])
local slot_ttl, hold_ttl, keep = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local a, k = 6, 0
local out = {}
for _ = 1, tonumber(ARGV[5]) do
  local r = rate_decide(a, k, now)
  local s = nil
  if r.status == 1 then
    s = spend_decide(r.next_a, r.next_k, now)
    if s.denied == 0 then
      rate_commit(r, now, slot_ttl)
      spend_commit(s, now, hold_ttl)
    end
  end
  rate_reply(out, r)
  if s then spend_reply(out, s) end
  a, k = spend_next(r.next_a, r.next_k)
end
flush()
write_holds(keep)
return out
`);

interface JointEntry extends BatchEntry {
  nowMs: number | undefined;
  /** Reply lengths of the rate part and of the budget part. */
  rateReply: number;
  spendReply: number;
}

/**
 * The joint reserve on Redis: one script call decides a request's rate limits and budgets, and
 * under load one call carries many requests (group commit per organization, as the limiter's and
 * the ledger's own reserves do). Keys and reservations are the limiter's and the ledger's, so they
 * settle and release what it reserves.
 */
export class RedisJointReserver {
  private readonly batches = new GroupCommit<JointEntry, unknown[]>((e) => this.send(e));

  constructor(
    private readonly redis: RedisClient,
    private readonly limiter: RedisRateLimiter,
    private readonly ledger: RedisSpendLedger,
  ) {}

  async reserve(rate: ReserveInput, spend: SpendReserveInput): Promise<JointOutcome> {
    if (rate.tenant !== spend.tenant) throw new RangeError("limits: a joint reservation has one tenant");
    const r = this.limiter.prepare(rate);
    const s = this.ledger.prepare(spend);
    const rateReply = 3 + r.entry.buckets;
    const reply = await this.batches.submit(batchGroup(rate.tenant, rate.nowMs), {
      nowMs: rate.nowMs,
      keys: [...r.entry.keys, ...s.entry.keys],
      args: [...r.entry.args, ...s.entry.args],
      rateReply,
      spendReply: 1 + 2 * spend.budgets.length,
    });
    const rateOut = readReserve(r.reservation, reply);
    if (!rateOut.ok) return { rate: rateOut, spend: null };
    const spendOut = readSpendReserve(s.reservation, reply.slice(rateReply));
    // Refused by a budget: the script took nothing of the rate part either.
    if (!spendOut.ok) r.reservation.open = false;
    return { rate: rateOut, spend: spendOut };
  }

  private send(entries: JointEntry[]): Promise<unknown[][]> {
    const { limiter, ledger } = this;
    const head = [
      entries[0]?.nowMs ?? "",
      limiter.slotTtlMs,
      ledger.holdTtlMs,
      ledger.retentionMs,
      entries.length,
    ];
    return runBatch(jointScript, this.redis, head, entries, (i, first) => {
      const e = entries[i] as JointEntry;
      return e.rateReply + (Number(first) === 1 ? e.spendReply : 0);
    });
  }
}
