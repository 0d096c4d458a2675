import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { LimitDimension, LimitSpec, LimitWindow } from "../domain/rate-limits.js";
import type { RateLimiter, Reservation, ReserveInput, ReserveOutcome } from "./rate-limiter.js";

export type MakeRateLimiter = (opts: { slotTtlMs?: number }) => RateLimiter;

const T0 = 1_800_000_000_000;

const spec = (
  dimension: LimitDimension,
  window: LimitWindow,
  capacity: number,
  extra: Partial<LimitSpec> = {},
): LimitSpec => ({
  id: `proj_${randomUUID()}:${dimension}:${window}`,
  dimension,
  window,
  capacity,
  scope: { kind: "project", id: "proj_test" },
  model: "gpt-4o",
  ...extra,
});

const reservationOf = (o: ReserveOutcome): Reservation => {
  if (!o.ok) throw new Error(`expected ok, got ${JSON.stringify(o)}`);
  return o.reservation;
};

const limitedOf = (o: ReserveOutcome) => {
  if (o.ok || o.reason !== "limited") throw new Error(`expected limited, got ${JSON.stringify(o)}`);
  return o;
};

/** One behaviour suite for every RateLimiter; times are injected through nowMs. */
export const runRateLimiterContract = (name: string, make: MakeRateLimiter): void => {
  describe(`RateLimiter contract: ${name}`, () => {
    const tenant = `org-${randomUUID()}`;
    const input = (
      limits: LimitSpec[],
      tokens: number,
      nowMs: number,
      extra: Partial<ReserveInput> = {},
    ): ReserveInput => ({
      tenant,
      limits,
      tokens,
      nowMs,
      ...extra,
    });

    it("consumes from a fresh bucket and reports limit, remaining and reset", async () => {
      const l = make({});
      const rpm = spec("requests", "minute", 10);
      const tpm = spec("tokens", "minute", 1000);
      const o = await l.reserve(input([rpm, tpm], 250, T0));
      expect(o.ok).toBe(true);
      if (!o.ok) return;
      expect(o.snapshot).toEqual([
        { id: rpm.id, dimension: "requests", window: "minute", limit: 10, remaining: 9, resetMs: 6000 },
        { id: tpm.id, dimension: "tokens", window: "minute", limit: 1000, remaining: 750, resetMs: 15000 },
      ]);
      expect(o.reservation.tokens).toBe(250);
      expect(o.reservation.requests).toBe(1);
    });

    it("denies once the bucket is empty, with the exact wait, and refills continuously", async () => {
      const l = make({});
      const rpm = spec("requests", "minute", 3);
      for (let i = 0; i < 3; i++) expect((await l.reserve(input([rpm], 0, T0))).ok).toBe(true);
      const denied = limitedOf(await l.reserve(input([rpm], 0, T0)));
      expect(denied.denied).toEqual({
        kind: "rate",
        limit: rpm,
        used: 3,
        requested: 1,
        retryAfterMs: 20000,
        tooLarge: false,
      });
      expect(denied.snapshot[0]).toMatchObject({ remaining: 0, resetMs: 60000 });
      const almost = limitedOf(await l.reserve(input([rpm], 0, T0 + 19_999)));
      expect(almost.denied.retryAfterMs).toBe(1);
      expect((await l.reserve(input([rpm], 0, T0 + 20_000))).ok).toBe(true);
      expect(limitedOf(await l.reserve(input([rpm], 0, T0 + 20_000))).denied.retryAfterMs).toBe(20000);
    });

    it("refills fractionally and computes the wait for a partial shortfall", async () => {
      const l = make({});
      const tpm = spec("tokens", "minute", 1000);
      expect((await l.reserve(input([tpm], 1000, T0))).ok).toBe(true);
      expect(await l.peek({ tenant, limits: [tpm], nowMs: T0 + 30_000 })).toEqual([
        { id: tpm.id, dimension: "tokens", window: "minute", limit: 1000, remaining: 500, resetMs: 30000 },
      ]);
      const d = limitedOf(await l.reserve(input([tpm], 600, T0 + 30_000)));
      expect(d.denied).toMatchObject({ used: 500, requested: 600, retryAfterMs: 6000, tooLarge: false });
      expect((await l.reserve(input([tpm], 600, T0 + 36_000))).ok).toBe(true);
      expect((await l.peek({ tenant, limits: [tpm], nowMs: T0 + 36_000 }))[0]?.remaining).toBe(0);
    });

    it("never refills above capacity", async () => {
      const l = make({});
      const rpm = spec("requests", "minute", 2);
      expect((await l.reserve(input([rpm], 0, T0))).ok).toBe(true);
      const [s] = await l.peek({ tenant, limits: [rpm], nowMs: T0 + 10 * 60_000 });
      expect(s).toMatchObject({ remaining: 2, resetMs: 0 });
    });

    it("uses day windows for RPD and TPD", async () => {
      const l = make({});
      const rpd = spec("requests", "day", 1000);
      const tpd = spec("tokens", "day", 86_400);
      const o = await l.reserve(input([rpd, tpd], 100, T0));
      expect(o.ok && o.snapshot).toEqual([
        { id: rpd.id, dimension: "requests", window: "day", limit: 1000, remaining: 999, resetMs: 86_400 },
        {
          id: tpd.id,
          dimension: "tokens",
          window: "day",
          limit: 86_400,
          remaining: 86_300,
          resetMs: 100_000,
        },
      ]);
    });

    it("marks a request larger than the bucket as too large and consumes nothing", async () => {
      const l = make({});
      const rpm = spec("requests", "minute", 10);
      const tpm = spec("tokens", "minute", 30000);
      const d = limitedOf(await l.reserve(input([rpm, tpm], 31538, T0)));
      expect(d.denied).toEqual({
        kind: "rate",
        limit: tpm,
        used: 0,
        requested: 31538,
        retryAfterMs: 0,
        tooLarge: true,
      });
      const peek = await l.peek({ tenant, limits: [rpm, tpm], nowMs: T0 });
      expect(peek.map((s) => s.remaining)).toEqual([10, 30000]);
    });

    it("treats capacity 0 as blocked", async () => {
      const l = make({});
      const rpm = spec("requests", "minute", 0);
      const d = limitedOf(await l.reserve(input([rpm], 0, T0)));
      expect(d.denied).toMatchObject({ tooLarge: true, requested: 1 });
      expect(d.snapshot[0]).toMatchObject({ limit: 0, remaining: 0, resetMs: 0 });
    });

    it("is all or nothing across limits: one denial consumes none", async () => {
      const l = make({});
      const projRpm = spec("requests", "minute", 100);
      const projTpm = spec("tokens", "minute", 1000);
      const keyRpm = spec("requests", "minute", 5, { scope: { kind: "key", id: "key_a" } });
      expect((await l.reserve(input([projTpm], 950, T0))).ok).toBe(true);
      const d = limitedOf(await l.reserve(input([projRpm, keyRpm, projTpm], 60, T0)));
      expect(d.denied).toMatchObject({
        kind: "rate",
        limit: projTpm,
        used: 950,
        requested: 60,
        retryAfterMs: 600,
      });
      expect(d.snapshot.map((s) => s.remaining)).toEqual([100, 5, 50]);
      const peek = await l.peek({ tenant, limits: [projRpm, keyRpm, projTpm], nowMs: T0 });
      expect(peek.map((s) => s.remaining)).toEqual([100, 5, 50]);
    });

    it("reports the denial that clears last, and a too-large one before any other", async () => {
      const l = make({});
      const rpm = spec("requests", "minute", 1);
      const rpd = spec("requests", "day", 1);
      expect((await l.reserve(input([rpm, rpd], 0, T0))).ok).toBe(true);
      const d = limitedOf(await l.reserve(input([rpm, rpd], 0, T0)));
      expect(d.denied).toMatchObject({ limit: rpd, retryAfterMs: 86_400_000 });
      const tpm = spec("tokens", "minute", 10);
      const d2 = limitedOf(await l.reserve(input([rpm, tpm], 11, T0)));
      expect(d2.denied).toMatchObject({ limit: tpm, tooLarge: true });
    });

    it("settle refunds an overestimate and charges an underestimate on token buckets only", async () => {
      const l = make({});
      const rpm = spec("requests", "minute", 10);
      const tpm = spec("tokens", "minute", 1000);
      await l.settle(reservationOf(await l.reserve(input([rpm, tpm], 500, T0))), 200, T0);
      expect((await l.peek({ tenant, limits: [rpm, tpm], nowMs: T0 })).map((s) => s.remaining)).toEqual([
        9, 800,
      ]);
      await l.settle(reservationOf(await l.reserve(input([rpm, tpm], 100, T0))), 300, T0);
      expect((await l.peek({ tenant, limits: [rpm, tpm], nowMs: T0 })).map((s) => s.remaining)).toEqual([
        8, 500,
      ]);
    });

    it("settle may drive a bucket into debt that later requests wait out", async () => {
      const l = make({});
      const tpm = spec("tokens", "minute", 100);
      await l.settle(reservationOf(await l.reserve(input([tpm], 100, T0))), 250, T0);
      const [s] = await l.peek({ tenant, limits: [tpm], nowMs: T0 });
      expect(s).toMatchObject({ remaining: 0, resetMs: 150_000 });
      const d = limitedOf(await l.reserve(input([tpm], 1, T0)));
      expect(d.denied).toMatchObject({ used: 250, retryAfterMs: 90_600, tooLarge: false });
    });

    it("a refund never lifts a bucket above capacity", async () => {
      const l = make({});
      const tpm = spec("tokens", "minute", 1000);
      const r = reservationOf(await l.reserve(input([tpm], 400, T0)));
      await l.settle(r, 0, T0 + 50_000);
      expect((await l.peek({ tenant, limits: [tpm], nowMs: T0 + 50_000 }))[0]).toMatchObject({
        remaining: 1000,
        resetMs: 0,
      });
    });

    it("release gives back requests and tokens; a second settle or release changes nothing", async () => {
      const l = make({});
      const rpm = spec("requests", "minute", 10);
      const tpm = spec("tokens", "minute", 1000);
      const r = reservationOf(await l.reserve(input([rpm, tpm], 400, T0)));
      await l.release(r, T0);
      expect(r.open).toBe(false);
      await l.release(r, T0);
      await l.settle(r, 0, T0);
      expect((await l.peek({ tenant, limits: [rpm, tpm], nowMs: T0 })).map((s) => s.remaining)).toEqual([
        10, 1000,
      ]);
      const r2 = reservationOf(await l.reserve(input([rpm, tpm], 400, T0)));
      await l.settle(r2, 100, T0);
      await l.settle(r2, 0, T0);
      await l.release(r2, T0);
      expect((await l.peek({ tenant, limits: [rpm, tpm], nowMs: T0 })).map((s) => s.remaining)).toEqual([
        9, 900,
      ]);
    });

    it("caps in-flight requests with concurrency slots freed by settle and release", async () => {
      const l = make({});
      const rpm = spec("requests", "minute", 100);
      const slot = { id: `key_${randomUUID()}`, max: 2 };
      const a = reservationOf(await l.reserve(input([rpm], 0, T0, { concurrency: [slot] })));
      const b = reservationOf(await l.reserve(input([rpm], 0, T0, { concurrency: [slot] })));
      const d = limitedOf(await l.reserve(input([rpm], 0, T0, { concurrency: [slot] })));
      expect(d.denied).toEqual({ kind: "concurrency", slot, inFlight: 2, retryAfterMs: 1000 });
      expect((await l.peek({ tenant, limits: [rpm], nowMs: T0 }))[0]?.remaining).toBe(98);
      await l.settle(a, 0, T0);
      const c = reservationOf(await l.reserve(input([rpm], 0, T0, { concurrency: [slot] })));
      expect(limitedOf(await l.reserve(input([], 0, T0, { concurrency: [slot] }))).denied.kind).toBe(
        "concurrency",
      );
      await l.release(b, T0);
      await l.release(c, T0);
      expect((await l.reserve(input([], 0, T0, { concurrency: [slot] }))).ok).toBe(true);
    });

    it("settles and releases made together add up as if applied one by one", async () => {
      const l = make({});
      const rpm = spec("requests", "minute", 10);
      const tpm = spec("tokens", "minute", 1000);
      const slot = { id: `key_${randomUUID()}`, max: 3 };
      const held = [];
      for (let i = 0; i < 3; i++)
        held.push(reservationOf(await l.reserve(input([rpm, tpm], 100, T0, { concurrency: [slot] }))));
      const [a, b, c] = held as [Reservation, Reservation, Reservation];
      // +50 and -200 tokens, and the release gives back one request and 100 tokens.
      await Promise.all([l.settle(a, 50, T0), l.settle(b, 300, T0), l.release(c, T0)]);
      expect((await l.peek({ tenant, limits: [rpm, tpm], nowMs: T0 })).map((s) => s.remaining)).toEqual([
        8, 650,
      ]);
      for (let i = 0; i < 3; i++)
        expect((await l.reserve(input([], 0, T0, { concurrency: [slot] }))).ok).toBe(true);
    });

    it("frees a slot whose request never ended once the slot expires", async () => {
      const l = make({ slotTtlMs: 5000 });
      const slot = { id: `key_${randomUUID()}`, max: 1 };
      expect((await l.reserve(input([], 0, T0, { concurrency: [slot] }))).ok).toBe(true);
      expect((await l.reserve(input([], 0, T0 + 4999, { concurrency: [slot] }))).ok).toBe(false);
      expect((await l.reserve(input([], 0, T0 + 5000, { concurrency: [slot] }))).ok).toBe(true);
    });

    it("a bucket denial takes no concurrency slot", async () => {
      const l = make({});
      const rpm = spec("requests", "minute", 1);
      const slot = { id: `key_${randomUUID()}`, max: 1 };
      expect((await l.reserve(input([rpm], 0, T0))).ok).toBe(true);
      expect(limitedOf(await l.reserve(input([rpm], 0, T0, { concurrency: [slot] }))).denied.kind).toBe(
        "rate",
      );
      expect((await l.reserve(input([], 0, T0, { concurrency: [slot] }))).ok).toBe(true);
    });

    it("admits exactly the capacity out of many concurrent reservations", async () => {
      const l = make({});
      const rpm = spec("requests", "minute", 7);
      const outcomes = await Promise.all(Array.from({ length: 25 }, () => l.reserve(input([rpm], 0, T0))));
      expect(outcomes.filter((o) => o.ok)).toHaveLength(7);
    });

    it("counts a negative or NaN token figure as zero", async () => {
      const l = make({});
      const tpm = spec("tokens", "minute", 1000);
      const o = await l.reserve(input([tpm], -500, T0));
      expect(o.ok && o.reservation.tokens).toBe(0);
      expect((await l.peek({ tenant, limits: [tpm], nowMs: T0 }))[0]?.remaining).toBe(1000);
      await l.settle(reservationOf(await l.reserve(input([tpm], 300, T0))), Number.NaN, T0);
      expect((await l.peek({ tenant, limits: [tpm], nowMs: T0 }))[0]?.remaining).toBe(1000);
    });

    it("accepts an empty decision and peeks unknown buckets as full", async () => {
      const l = make({});
      const o = await l.reserve(input([], 10, T0));
      expect(o.ok && o.snapshot).toEqual([]);
      const tpd = spec("tokens", "day", 5000);
      expect(await l.peek({ tenant, limits: [tpd], nowMs: T0 })).toEqual([
        { id: tpd.id, dimension: "tokens", window: "day", limit: 5000, remaining: 5000, resetMs: 0 },
      ]);
    });

    it("works on its own clock when no nowMs is given", async () => {
      const l = make({});
      const rpd = spec("requests", "day", 2);
      const r = reservationOf(await l.reserve({ tenant, limits: [rpd], tokens: 0 }));
      expect((await l.reserve({ tenant, limits: [rpd], tokens: 0 })).ok).toBe(true);
      const d = limitedOf(await l.reserve({ tenant, limits: [rpd], tokens: 0 }));
      expect(d.denied.retryAfterMs).toBeGreaterThan(43_100_000);
      expect(d.denied.retryAfterMs).toBeLessThanOrEqual(43_200_000);
      await l.release(r);
      expect((await l.peek({ tenant, limits: [rpd] }))[0]?.remaining).toBe(1);
    });
  });
};
