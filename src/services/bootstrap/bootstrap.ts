import { AppError } from "../../domain/errors.js";
import { nowSeconds } from "../../domain/ids.js";
import { parseKey } from "../../domain/keys.js";
import type { Store } from "../../storage/store.js";
import { seedOrganization } from "../organizations/create-organization.js";

export interface BootstrapResult {
  created: boolean;
  orgId: string;
  projectId: string;
  /** Present only on the start that created the key, and only when it was minted here. */
  adminKey: string | null;
  adoptedPresetKey: boolean;
}

const META_KEY = "bootstrap";

/**
 * First start: an organization, its Default project, an owner and an instance-owner admin key.
 * Later starts find the marker and change nothing. `presetAdminKey` (KEYPLANE_ADMIN_KEY) is adopted
 * instead of minting, so automation knows the key before the server ever ran.
 */
export const bootstrapInstance = async (
  store: Store,
  secret: string,
  presetAdminKey?: string,
): Promise<BootstrapResult> => {
  if (presetAdminKey !== undefined && parseKey(presetAdminKey) !== "admin") {
    throw new AppError("invalid_request", {
      message:
        "KEYPLANE_ADMIN_KEY is not a well-formed sk-admin- key; generate one with `keyplane keygen admin`.",
      param: "KEYPLANE_ADMIN_KEY",
    });
  }
  const existing = await store.meta.get(META_KEY);
  if (existing) {
    const parsed = JSON.parse(existing) as { orgId: string; projectId: string };
    return { created: false, ...parsed, adminKey: null, adoptedPresetKey: false };
  }
  return store.transaction(async (tx) => {
    const again = await tx.meta.get(META_KEY);
    if (again)
      return {
        created: false,
        ...(JSON.parse(again) as { orgId: string; projectId: string }),
        adminKey: null,
        adoptedPresetKey: false,
      };
    const seeded = await seedOrganization(tx, secret, nowSeconds(), {
      name: "Default organization",
      ownerEmail: "owner@keyplane.local",
      ownerName: "Instance owner",
      withAdminKey: true,
      instanceAdmin: true,
      ...(presetAdminKey ? { presetAdminKey } : {}),
    });
    await tx.meta.set(
      META_KEY,
      JSON.stringify({ orgId: seeded.org.id, projectId: seeded.defaultProject.id }),
    );
    return {
      created: true,
      orgId: seeded.org.id,
      projectId: seeded.defaultProject.id,
      adminKey: presetAdminKey ? null : (seeded.adminKey?.value ?? null),
      adoptedPresetKey: Boolean(presetAdminKey),
    };
  });
};
