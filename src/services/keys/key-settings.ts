import { z } from "zod";
import { isKnownScope } from "../../domain/scopes.js";
import type { KeyLimits } from "../../storage/records.js";

/** Settings shared by key create and update (validated at the edge, applied here). */
export const scopesSchema = z
  .array(z.string().min(1).max(128))
  .max(64)
  .refine((xs) => xs.every(isKnownScope), { message: "unknown scope; see the scopes list in /openapi.json" });

export const modelsSchema = z.array(z.string().min(1).max(256)).max(256).nullable();

export const limitsSchema = z
  .object({
    rpm: z.number().int().positive().nullable().optional(),
    rpd: z.number().int().positive().nullable().optional(),
    tpm: z.number().int().positive().nullable().optional(),
    tpd: z.number().int().positive().nullable().optional(),
    max_concurrent: z.number().int().positive().nullable().optional(),
  })
  .strict()
  .nullable();

/** Ten years: far enough for "never" while keeping timestamps sane. */
export const MAX_EXPIRES_IN = 10 * 365 * 24 * 3600;
export const expiresInSchema = z.number().int().min(1).max(MAX_EXPIRES_IN).nullable();

export type LimitsInput = z.infer<typeof limitsSchema>;

export const toKeyLimits = (l: LimitsInput | undefined): KeyLimits | null =>
  l
    ? {
        rpm: l.rpm ?? null,
        rpd: l.rpd ?? null,
        tpm: l.tpm ?? null,
        tpd: l.tpd ?? null,
        maxConcurrent: l.max_concurrent ?? null,
      }
    : null;

/** USD from the wire to integer micro-dollars, rounded to the nearest micro-dollar. */
export const usdToMicros = (usd: number): number => Math.round(usd * 1_000_000);
