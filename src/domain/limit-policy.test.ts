import { describe, expect, it } from "vitest";
import {
  checkKeyNarrowing,
  checkProjectNarrowing,
  effectiveProjectLimits,
  limitFamilyOf,
  orgLimitsFor,
} from "./limit-policy.js";

const cfg = {
  defaultRpm: 1000,
  defaultTpm: 100_000,
  models: { "gpt-4o": { rpm: 500, rpd: 10_000 }, "text-embedding-3-small": { tpm: 1_000_000 } },
};

describe("limit levels", () => {
  it("org limits: per-model overrides, defaults otherwise, no daily limit unless configured", () => {
    expect(orgLimitsFor(cfg, "gpt-4o")).toEqual({ rpm: 500, tpm: 100_000, rpd: 10_000 });
    expect(orgLimitsFor(cfg, "text-embedding-3-small")).toEqual({ rpm: 1000, tpm: 1_000_000, rpd: null });
    expect(orgLimitsFor({ ...cfg, defaultRpd: 7 }, "other")).toEqual({ rpm: 1000, tpm: 100_000, rpd: 7 });
  });

  it("a dated snapshot counts against its configured family; the longest family wins; exact names first", () => {
    const models = ["gpt-4o", "gpt-4o-mini", "o3"];
    expect(limitFamilyOf(models, "gpt-4o")).toBe("gpt-4o");
    expect(limitFamilyOf(models, "gpt-4o-2024-08-06")).toBe("gpt-4o");
    expect(limitFamilyOf(models, "gpt-4o-mini-2024-07-18")).toBe("gpt-4o-mini");
    expect(limitFamilyOf(models, "gpt-4oX")).toBeNull();
    expect(limitFamilyOf(models, "o3x")).toBeNull();
  });

  it("a project limit above the org's → 400 naming the field; equal or lower passes", () => {
    const org = orgLimitsFor(cfg, "gpt-4o");
    const ok = { maxRequestsPer1Minute: 500, maxTokensPer1Minute: 100_000, maxRequestsPer1Day: 10_000 };
    expect(checkProjectNarrowing("gpt-4o", ok, org)).toBeNull();
    const rpm = checkProjectNarrowing("gpt-4o", { ...ok, maxRequestsPer1Minute: 501 }, org);
    expect(rpm?.param).toBe("max_requests_per_1_minute");
    expect(rpm?.message).toContain("exceeds the organization's limit for gpt-4o (500)");
    expect(checkProjectNarrowing("gpt-4o", { ...ok, maxTokensPer1Minute: 100_001 }, org)?.param).toBe(
      "max_tokens_per_1_minute",
    );
    expect(checkProjectNarrowing("gpt-4o", { ...ok, maxRequestsPer1Day: 10_001 }, org)?.param).toBe(
      "max_requests_per_1_day",
    );
    const noDaily = orgLimitsFor(cfg, "o3");
    expect(
      checkProjectNarrowing("o3", { ...ok, maxRequestsPer1Minute: 1, maxRequestsPer1Day: 1e9 }, noDaily),
    ).toBeNull();
  });

  it("effective project limits are the lower of project and org on each dimension", () => {
    const org = { rpm: 100, tpm: 1000, rpd: null };
    expect(effectiveProjectLimits(null, org)).toEqual(org);
    expect(
      effectiveProjectLimits(
        { maxRequestsPer1Minute: 200, maxTokensPer1Minute: 10, maxRequestsPer1Day: 5 },
        org,
      ),
    ).toEqual({ rpm: 100, tpm: 10, rpd: 5 });
    expect(
      effectiveProjectLimits(
        { maxRequestsPer1Minute: 1, maxTokensPer1Minute: 1, maxRequestsPer1Day: 9 },
        { ...org, rpd: 3 },
      ),
    ).toEqual({ rpm: 1, tpm: 1, rpd: 3 });
  });

  it("a key may not exceed the most generous model of its project; tpd and unlimited days are free", () => {
    const perModel = [
      { rpm: 100, tpm: 5000, rpd: 1000 },
      { rpm: 300, tpm: 2000, rpd: 500 },
    ];
    const none = { rpm: null, rpd: null, tpm: null, tpd: null };
    expect(checkKeyNarrowing({ ...none, rpm: 300, tpm: 5000, rpd: 1000, tpd: 1e12 }, perModel)).toBeNull();
    expect(checkKeyNarrowing({ ...none, rpm: 301 }, perModel)?.param).toBe("limits.rpm");
    expect(checkKeyNarrowing({ ...none, tpm: 5001 }, perModel)?.param).toBe("limits.tpm");
    expect(checkKeyNarrowing({ ...none, rpd: 1001 }, perModel)?.param).toBe("limits.rpd");
    expect(checkKeyNarrowing({ ...none, rpd: 1e9 }, [...perModel, { rpm: 1, tpm: 1, rpd: null }])).toBeNull();
    expect(checkKeyNarrowing({ ...none, rpm: 1e9 }, [])).toBeNull();
  });
});
