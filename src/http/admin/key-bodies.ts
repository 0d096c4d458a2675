import { z } from "zod";
import type { CreateProjectKeyInput } from "../../services/keys/create-project-key.js";
import {
  expiresInSchema,
  limitsSchema,
  modelsSchema,
  scopesSchema,
  toKeyLimits,
  usdToMicros,
} from "../../services/keys/key-settings.js";
import { MAX_GRACE_SECONDS } from "../../services/keys/rotate-project-key.js";
import type { UpdateProjectKeyInput } from "../../services/keys/update-project-key.js";

const budgetSchema = z.number().positive().max(1_000_000_000).nullable();

export const createKeyBody = z
  .object({
    name: z.string().trim().min(1).max(256),
    owner_user_id: z.string().min(1).max(128).nullable().optional(),
    service_account_id: z.string().min(1).max(128).nullable().optional(),
    scopes: scopesSchema.optional(),
    models: modelsSchema.optional(),
    limits: limitsSchema.optional(),
    budget_usd: budgetSchema.optional(),
    expires_in_seconds: expiresInSchema.optional(),
  })
  .strict();

export const updateKeyBody = z
  .object({
    name: z.string().trim().min(1).max(256).optional(),
    scopes: scopesSchema.optional(),
    expires_in_seconds: expiresInSchema.optional(),
    models: modelsSchema.optional(),
    limits: limitsSchema.optional(),
    budget_usd: budgetSchema.optional(),
  })
  .strict();

export const rotateKeyBody = z
  .object({ grace_period_seconds: z.number().int().min(0).max(MAX_GRACE_SECONDS).default(0) })
  .strict();

export const toCreateInput = (
  orgId: string,
  projectId: string,
  b: z.infer<typeof createKeyBody>,
): CreateProjectKeyInput => ({
  orgId,
  projectId,
  name: b.name,
  ownerUserId: b.owner_user_id ?? null,
  serviceAccountId: b.service_account_id ?? null,
  scopes: b.scopes ?? [],
  models: b.models ?? null,
  limits: toKeyLimits(b.limits ?? null),
  budgetMicros: b.budget_usd ? usdToMicros(b.budget_usd) : null,
  expiresInSeconds: b.expires_in_seconds ?? null,
});

export const toUpdateInput = (
  orgId: string,
  projectId: string,
  keyId: string,
  b: z.infer<typeof updateKeyBody>,
): UpdateProjectKeyInput => ({
  orgId,
  projectId,
  keyId,
  ...(b.name !== undefined ? { name: b.name } : {}),
  ...(b.scopes !== undefined ? { scopes: b.scopes } : {}),
  ...(b.expires_in_seconds !== undefined ? { expiresInSeconds: b.expires_in_seconds } : {}),
  ...(b.models !== undefined ? { models: b.models } : {}),
  ...(b.limits !== undefined ? { limits: toKeyLimits(b.limits) } : {}),
  ...(b.budget_usd !== undefined
    ? { budgetMicros: b.budget_usd === null ? null : usdToMicros(b.budget_usd) }
    : {}),
});
