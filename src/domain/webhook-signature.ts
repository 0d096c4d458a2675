import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Webhook signatures: `X-Keyplane-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "t.body")>`.
 * The timestamp is signed with the body so a captured delivery cannot be replayed later than the
 * receiver's tolerance.
 */
export const SIGNATURE_HEADER = "x-keyplane-signature";

export const signPayload = (secret: string, body: string, unixSeconds: number): string => {
  const mac = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
};

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

/** What a receiver runs: checks any `v1` entry against the body and the timestamp against now. */
export const verifySignature = (
  secret: string,
  header: string | undefined,
  body: string,
  opts: { nowSeconds: number; toleranceSeconds?: number },
): SignatureCheck => {
  if (!header) return { ok: false, reason: "missing signature header" };
  let t: number | null = null;
  const macs: string[] = [];
  for (const part of header.split(",")) {
    const [k, v] = part.trim().split("=", 2);
    if (k === "t" && v && /^\d+$/.test(v)) t = Number(v);
    else if (k === "v1" && v) macs.push(v);
  }
  if (t === null || macs.length === 0) return { ok: false, reason: "malformed signature header" };
  if (Math.abs(opts.nowSeconds - t) > (opts.toleranceSeconds ?? 300))
    return { ok: false, reason: "timestamp outside tolerance" };
  const expected = Buffer.from(createHmac("sha256", secret).update(`${t}.${body}`).digest("hex"));
  const match = macs.some((m) => {
    const got = Buffer.from(m);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
  return match ? { ok: true, timestamp: t } : { ok: false, reason: "signature mismatch" };
};
