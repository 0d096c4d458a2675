import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signPayload, verifySignature } from "./webhook-signature.js";

describe("webhook signatures", () => {
  const body = JSON.stringify({ type: "spend_alert.triggered", data: { spent_usd: 45 } });

  it("signs t.body with HMAC-SHA256, hex, in the t=…,v1=… header", () => {
    const header = signPayload("s3cret", body, 1_800_000_000);
    const mac = createHmac("sha256", "s3cret").update(`1800000000.${body}`).digest("hex");
    expect(header).toBe(`t=1800000000,v1=${mac}`);
    expect(verifySignature("s3cret", header, body, { nowSeconds: 1_800_000_010 })).toEqual({
      ok: true,
      timestamp: 1_800_000_000,
    });
  });

  it("rejects a wrong secret, a changed body, an old timestamp and malformed headers", () => {
    const header = signPayload("s3cret", body, 1_800_000_000);
    const now = { nowSeconds: 1_800_000_000 };
    expect(verifySignature("other", header, body, now)).toMatchObject({
      ok: false,
      reason: "signature mismatch",
    });
    expect(verifySignature("s3cret", header, `${body} `, now).ok).toBe(false);
    expect(verifySignature("s3cret", header, body, { nowSeconds: 1_800_000_301 })).toMatchObject({
      ok: false,
      reason: "timestamp outside tolerance",
    });
    expect(verifySignature("s3cret", undefined, body, now).ok).toBe(false);
    expect(verifySignature("s3cret", "v1=abc", body, now).ok).toBe(false);
    expect(verifySignature("s3cret", header.replace("t=1800000000", "t=1800000001"), body, now).ok).toBe(
      false,
    );
  });
});
