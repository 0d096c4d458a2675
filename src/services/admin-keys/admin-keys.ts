import { AppError } from "../../domain/errors.js";
import { newId } from "../../domain/ids.js";
import { digestKey, redactKey } from "../../domain/keys.js";
import type { ApiKeyRecord } from "../../storage/records.js";
import type { Page, PageQuery, StoreRepos } from "../../storage/store.js";
import { audit, requireRead, requireWrite, type ServiceCtx } from "../context.js";
import { type KeyView, viewKey, viewKeys } from "../keys/key-view.js";
import { type MintedKey, mintKey } from "../keys/mint.js";

export interface CreateAdminKeyInput {
  orgId: string;
  name: string;
  expiresInSeconds: number | null;
  /** Read-only admin keys carry ["api.management.read"]; [] = read and write. */
  scopes: string[];
  ownerUserId: string | null;
  instanceAdmin: boolean;
}

/** Inserts an admin key; used by the API and by bootstrap (which has no caller to authorize). */
export const insertAdminKey = async (
  tx: StoreRepos,
  secret: string,
  now: number,
  input: CreateAdminKeyInput,
  presetValue?: string,
): Promise<{ key: ApiKeyRecord; value: string }> => {
  const minted = presetValue ? mintFromValue(secret, presetValue) : mintKey("admin", secret);
  const key: ApiKeyRecord = {
    id: newId.apiKey(),
    orgId: input.orgId,
    projectId: null,
    kind: "admin",
    name: input.name,
    redactedValue: minted.redacted,
    ownerUserId: input.ownerUserId,
    ownerServiceAccountId: null,
    scopes: input.scopes,
    models: null,
    limits: null,
    budgetMicros: null,
    instanceAdmin: input.instanceAdmin,
    createdAt: now,
    lastUsedAt: null,
    expiresAt: input.expiresInSeconds ? now + input.expiresInSeconds : null,
    revokedAt: null,
  };
  await tx.apiKeys.insert(key, { digest: minted.digest, keyId: key.id, createdAt: now, expiresAt: null });
  return { key, value: minted.value };
};

const mintFromValue = (secret: string, value: string): MintedKey => ({
  value,
  digest: digestKey(secret, value),
  redacted: redactKey(value),
});

export const createAdminKey = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: Omit<CreateAdminKeyInput, "ownerUserId" | "instanceAdmin">;
}): Promise<KeyView> => {
  requireWrite(ctx);
  return ctx.store.transaction(async (tx) => {
    const { key, value } = await insertAdminKey(tx, ctx.secret, ctx.now(), {
      ...input,
      ownerUserId: ctx.principal.userId,
      instanceAdmin: false,
    });
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "api_key.created",
      resourceId: key.id,
      details: { id: key.id, data: { scopes: key.scopes } },
    });
    return { ...(await viewKey(tx, key)), value };
  });
};

const loadAdminKey = async (repos: StoreRepos, orgId: string, keyId: string): Promise<ApiKeyRecord> => {
  const k = await repos.apiKeys.get(orgId, keyId);
  if (k?.kind !== "admin" || k.revokedAt !== null) {
    throw new AppError("not_found", { message: `No such admin API key: ${keyId}`, param: "key_id" });
  }
  return k;
};

export const listAdminKeys = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; page: PageQuery };
}): Promise<Page<KeyView>> => {
  requireRead(ctx);
  const page = await ctx.store.apiKeys.list(input.orgId, null, input.page);
  return { data: await viewKeys(ctx.store, page.data), hasMore: page.hasMore };
};

export const getAdminKey = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; keyId: string };
}): Promise<KeyView> => {
  requireRead(ctx);
  return viewKey(ctx.store, await loadAdminKey(ctx.store, input.orgId, input.keyId));
};

export const deleteAdminKey = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; keyId: string };
}): Promise<{ id: string }> => {
  requireWrite(ctx);
  await ctx.store.transaction(async (tx) => {
    const key = await loadAdminKey(tx, input.orgId, input.keyId);
    await tx.apiKeys.update(input.orgId, key.id, { revokedAt: ctx.now() });
    await tx.apiKeys.deleteSecrets(key.id);
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "api_key.deleted",
      resourceId: key.id,
      details: { id: key.id },
    });
  });
  ctx.verifier.evictKey(input.keyId);
  return { id: input.keyId };
};
